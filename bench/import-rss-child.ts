// Imports one file into a fresh database and prints the process's peak RSS (run by import.bench).
import { createReadStream } from 'node:fs';
import { systemClock } from '../src/clock.js';
import { importStream } from '../src/ingest/import-stream.js';
import { openSqlite } from '../src/store/sqlite/database.js';
import { SqliteObjectStore } from '../src/store/sqlite/object-store.js';

const [file, dbPath] = process.argv.slice(2);
if (!file || !dbPath) throw new Error('usage: import-rss-child FILE DB');
const db = openSqlite(dbPath);
const t0 = performance.now();
const summary = await importStream(
  createReadStream(file, { highWaterMark: 1024 * 1024 }),
  new SqliteObjectStore(db, systemClock),
  {
    source: 'bench',
    maxObjectBytes: 16 * 1024 * 1024,
  },
);
const secs = (performance.now() - t0) / 1000;
db.close();
process.stdout.write(
  JSON.stringify({ maxRssMb: process.resourceUsage().maxRSS / 1024, objects: summary.read, secs }),
);
