import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/clock.js';
import { importStream } from '../src/ingest/import-stream.js';
import type { ObjectReader } from '../src/store/ports.js';
import { PgObjectStore } from '../src/store/postgres/pg-object-store.js';
import { openTestSchema, PG_SKIP_REASON, TEST_PG_URL } from '../src/store/postgres/pg-test-schema.js';
import { openSqlite } from '../src/store/sqlite/database.js';
import { SqliteObjectStore } from '../src/store/sqlite/object-store.js';
import { loadSharedObjects, writeReplicatedBundle } from './bench-data.js';
import { report } from './report.js';

/**
 * Import into PostgreSQL beside SQLite, the same replicated real data into each, each against
 * its own bare-insert baseline in the same run; then paging through the stored objects.
 */
if (!TEST_PG_URL) {
  process.stderr.write(`import-postgres bench: ${PG_SKIP_REASON}\n`);
  process.exit(0);
}

const OBJECTS = 100_000;
const BATCH = 5000;
const PAGE = 1000;

const dir = mkdtempSync(join(tmpdir(), 'tearline-bench-import-pg-'));
const seconds = (t0: number) => (performance.now() - t0) / 1000;

async function pageThrough(reader: ObjectReader): Promise<number> {
  const t0 = performance.now();
  let cursor = -1;
  let rows = 0;
  for (;;) {
    const page = await reader.page({ addedAfterUs: cursor, limit: PAGE });
    if (page.length === 0) break;
    rows += page.length;
    cursor = page[page.length - 1]?.addedUs as number;
  }
  if (rows !== OBJECTS_STORED.n) throw new Error(`paged ${rows} rows, stored ${OBJECTS_STORED.n}`);
  return rows / PAGE / seconds(t0);
}
const OBJECTS_STORED = { n: 0 };

try {
  const file = join(dir, 'bundle.json');
  const { objects, bytes } = await writeReplicatedBundle(file, loadSharedObjects(), { minObjects: OBJECTS });
  process.stderr.write(`import-postgres bench: ${objects} objects, ${(bytes / 1e6).toFixed(0)} MB\n`);

  // Baselines: parse everything, then the least each database can do with it.
  const liteBase = openSqlite(join(dir, 'baseline.db'), []);
  liteBase.exec('CREATE TABLE t (id TEXT, json TEXT)');
  let t0 = performance.now();
  const lp = (JSON.parse(readFileSync(file, 'utf8')) as { objects: { id: string }[] }).objects;
  const insert = liteBase.prepare('INSERT INTO t (id, json) VALUES (?, ?)');
  liteBase.transaction(() => {
    for (const o of lp) insert.run(o.id, JSON.stringify(o));
  })();
  const liteBaseRate = objects / seconds(t0);
  if (lp.length !== objects) throw new Error(`bundle holds ${lp.length} objects, wrote ${objects}`);
  liteBase.close();

  const pgBase = await openTestSchema('bench');
  try {
    await pgBase.pool.query('CREATE TABLE t (id text, json text)');
    t0 = performance.now();
    const pp = (JSON.parse(readFileSync(file, 'utf8')) as { objects: { id: string }[] }).objects;
    for (let i = 0; i < pp.length; i += BATCH) {
      const slice = pp.slice(i, i + BATCH);
      await pgBase.pool.query('INSERT INTO t (id, json) SELECT * FROM unnest($1::text[], $2::text[])', [
        slice.map((o) => o.id),
        slice.map((o) => JSON.stringify(o)),
      ]);
    }
  } finally {
    await pgBase.drop();
  }
  const pgBaseRate = objects / seconds(t0);

  const opts = { source: 'bench', actor: 'bench', maxObjectBytes: 16 * 1024 * 1024, batchSize: BATCH };
  const db = openSqlite(join(dir, 'hub.db'));
  const lite = new SqliteObjectStore(db, systemClock);
  t0 = performance.now();
  const liteSummary = await importStream(createReadStream(file, { highWaterMark: 1 << 20 }), lite, opts);
  const liteRate = objects / seconds(t0);
  OBJECTS_STORED.n = (await lite.stats()).objects;
  const litePages = await pageThrough(lite);
  db.close();

  const pgDb = await openTestSchema('bench');
  let pgRate: number;
  let pgPages: number;
  try {
    const store = new PgObjectStore(pgDb.pool, systemClock);
    t0 = performance.now();
    const summary = await importStream(createReadStream(file, { highWaterMark: 1 << 20 }), store, opts);
    pgRate = objects / seconds(t0);
    if (summary.added !== liteSummary.added || summary.duplicates !== liteSummary.duplicates) {
      throw new Error(
        `PostgreSQL stored ${summary.added}, SQLite ${liteSummary.added}: the imports disagree`,
      );
    }
    if ((await store.stats()).objects !== OBJECTS_STORED.n) throw new Error('object counts disagree');
    pgPages = await pageThrough(store);
  } finally {
    await pgDb.drop();
  }

  report({
    bench: 'import-postgres',
    metric: `PostgreSQL import objects/s (${objects} objects)`,
    value: pgRate,
    unit: 'obj/s',
    baseline: pgBaseRate,
    ratio: pgRate / pgBaseRate,
    target: '>= 0.3 of bare multi-row INSERT',
    met: pgRate / pgBaseRate >= 0.3,
  });
  report({
    bench: 'import-postgres',
    metric: `SQLite import objects/s (${objects} objects)`,
    value: liteRate,
    unit: 'obj/s',
    baseline: liteBaseRate,
    ratio: liteRate / liteBaseRate,
  });
  report({
    bench: 'import-postgres',
    metric: 'PostgreSQL import vs SQLite import',
    value: pgRate,
    unit: 'obj/s',
    baseline: liteRate,
    ratio: pgRate / liteRate,
  });
  report({
    bench: 'import-postgres',
    metric: `pages of ${PAGE} latest objects/s, PostgreSQL vs SQLite`,
    value: pgPages,
    unit: 'pages/s',
    baseline: litePages,
    ratio: pgPages / litePages,
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
