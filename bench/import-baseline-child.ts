// The import bench's baseline, in a process of its own so that every round starts from the same
// empty heap (a 250 MB JSON.parse in a long-lived process slows each later round): the least an
// import can do, parse everything and a bare prepared INSERT in one transaction. Prints seconds.
import { readFileSync } from 'node:fs';
import { openSqlite } from '../src/store/sqlite/database.js';

const [file, dbPath] = process.argv.slice(2);
if (!file || !dbPath) throw new Error('usage: import-baseline-child FILE DB');
const db = openSqlite(dbPath, []);
db.exec('CREATE TABLE t (id TEXT, json TEXT)');
const t0 = performance.now();
const doc = JSON.parse(readFileSync(file, 'utf8')) as { objects: { id: string }[] };
const insert = db.prepare('INSERT INTO t (id, json) VALUES (?, ?)');
db.transaction(() => {
  for (const o of doc.objects) insert.run(o.id, JSON.stringify(o));
})();
const secs = (performance.now() - t0) / 1000;
db.close();
process.stdout.write(JSON.stringify({ secs }));
