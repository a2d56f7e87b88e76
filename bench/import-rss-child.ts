// Imports one file into a fresh data dir, as `tearline import` does, and prints the process's
// peak RSS (run by import.bench in a process of its own).
import { importLikeCli } from './import-hub.js';

const [file, dataDir] = process.argv.slice(2);
if (!file || !dataDir) throw new Error('usage: import-rss-child FILE DATA_DIR');
const t0 = performance.now();
const summary = await importLikeCli(file, dataDir);
const secs = (performance.now() - t0) / 1000;
process.stdout.write(
  JSON.stringify({ maxRssMb: process.resourceUsage().maxRSS / 1024, objects: summary.read, secs }),
);
