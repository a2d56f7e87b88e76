// The SQLite hub's release feed: its synchronous adapter (src/store/sqlite/release-feed.ts)
// against the portable one (src/store/sql/sql-release-feed.ts) run on the same SQLite database
// through SqliteSql, in interleaved rounds of one run. Measured on what a TAXII page costs below
// the cache: the change stamp, then one page of 100 of a partner's releases (publishDue first,
// as both do), and on what a pass costs: adding releases inside the caller's transaction.
import { randomUUID } from 'node:crypto';
import type { FeedQuery } from '../src/store/feed-ports.js';
import { SqlReleaseFeed } from '../src/store/sql/sql-release-feed.js';
import { openSqlite } from '../src/store/sqlite/database.js';
import { SqliteReleaseFeed } from '../src/store/sqlite/release-feed.js';
import { SqliteSql } from '../src/store/sqlite/sqlite-sql.js';
import { report } from './report.js';

const PARTNERS = 20;
const PER_PARTNER = 2000;
const PAGES = 4000;
const ROUNDS = 7;
const ADDS = 2000;

const db = openSqlite(':memory:');
const sync = new SqliteReleaseFeed(db);
const sql = new SqliteSql(db);
const totalChanges = db.prepare('SELECT total_changes()').pluck();
const portable = new SqlReleaseFeed(sql, {
  version: () => Number(db.pragma('data_version', { simple: true })) * 1e9 + Number(totalChanges.get()),
});
const now = new Date('2026-12-01T00:00:00.000Z');
const partners = Array.from({ length: PARTNERS }, () => `identity--${randomUUID()}`);

function copy(i: number) {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: '2026-01-01T00:00:00.000Z',
    modified: new Date(Date.parse('2026-01-01T00:00:00.000Z') + i).toISOString(),
    pattern: `[ipv4-addr:value = '10.0.${i % 250}.${i % 200}']`,
    pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00.000Z',
    name: `indicator ${i}`.padEnd(400, '.'),
  };
}
const input = (partnerId: string, i: number) => {
  const tearline = copy(i);
  return {
    partnerId,
    tearline,
    originalId: tearline.id,
    originalVersion: tearline.modified,
    visibleFrom: now,
  };
};

db.transaction(() => {
  for (const p of partners) for (let i = 0; i < PER_PARTNER; i++) sync.addRelease(input(p, i), now);
})();

const query: FeedQuery = { version: { all: false, first: false, last: true, timestamps: [] }, limit: 100 };
const pageOf = (k: number) => partners[k % PARTNERS] as string;

async function pagesSync(): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < PAGES; k++) {
    sync.changeStamp(now);
    sync.pageSync(pageOf(k), { ...query, afterUs: 0 }, now);
  }
  return Number(process.hrtime.bigint() - t0) / 1e6;
}
async function pagesPortable(): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < PAGES; k++) {
    await portable.changeStamp(now);
    await portable.page(pageOf(k), { ...query, afterUs: 0 }, now);
  }
  return Number(process.hrtime.bigint() - t0) / 1e6;
}
async function addsSync(): Promise<number> {
  const p = `identity--${randomUUID()}`;
  const t0 = process.hrtime.bigint();
  await sql.transaction(async () => {
    for (let i = 0; i < ADDS; i++) sync.addRelease(input(p, i), now);
  });
  return Number(process.hrtime.bigint() - t0) / 1e6;
}
async function addsPortable(): Promise<number> {
  const p = `identity--${randomUUID()}`;
  const t0 = process.hrtime.bigint();
  await sql.transaction(async () => {
    for (let i = 0; i < ADDS; i++) await portable.addRelease(input(p, i), now);
  });
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const t = { ps: [] as number[], pp: [] as number[], as: [] as number[], ap: [] as number[] };
// One warm-up round each, then interleaved rounds: both see the same cache and machine load.
await pagesSync();
await pagesPortable();
for (let r = 0; r < ROUNDS; r++) {
  t.ps.push(await pagesSync());
  t.pp.push(await pagesPortable());
  t.as.push(await addsSync());
  t.ap.push(await addsPortable());
}
/** One figure: the portable feed's rate against the SQLite adapter's, from median round times. */
function figure(metric: string, unit: string, n: number, sync: number[], port: number[]): void {
  const baseline = (n / median(sync)) * 1000;
  const value = (n / median(port)) * 1000;
  report({ bench: 'release-feed-engines', metric, value, unit, baseline, ratio: value / baseline });
}
figure('TAXII pages/s below the cache, portable feed on SQLite', 'pages/s', PAGES, t.ps, t.pp);
figure('releases added/s in one transaction, portable feed on SQLite', 'adds/s', ADDS, t.as, t.ap);
process.stderr.write(
  `release-feed-engines: pages ms sync ${t.ps.map((x) => x.toFixed(0)).join(' ')}; portable ${t.pp.map((x) => x.toFixed(0)).join(' ')}\n` +
    `  adds ms sync ${t.as.map((x) => x.toFixed(0)).join(' ')}; portable ${t.ap.map((x) => x.toFixed(0)).join(' ')}\n`,
);
