// Imports one file into a fresh data dir by running the CLI itself in this process
// (`tearline import FILE --data DIR --json`, the same modules loaded as the binary loads), then
// prints the process's peak RSS as the last line (run by import.bench in a process of its own).
import { seedKeyQuietly } from '../test/auth-fixture.js';

const [file, dataDir] = process.argv.slice(2);
if (!file || !dataDir) throw new Error('usage: import-rss-child FILE DATA_DIR');
// An analyst's API key, as a script importing nightly would have (made before the clock starts).
process.env.TEARLINE_API_KEY = seedKeyQuietly(dataDir, 'bench-analyst', 'analyst');
const t0 = performance.now();
process.argv = [process.argv[0] ?? 'node', 'tearline', 'import', file, '--data', dataDir, '--json'];
// main.js runs the command line above when it loads, and sets the exit code.
await import('../src/cli/main.js');
const secs = (performance.now() - t0) / 1000;
process.stdout.write(
  `\n${JSON.stringify({ maxRssMb: process.resourceUsage().maxRSS / 1024, secs, exitCode: process.exitCode ?? 0 })}\n`,
);
