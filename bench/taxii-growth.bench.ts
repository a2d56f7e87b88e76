// TAXII paging as a partner's feed grows (issue 20): two hubs alike but for the size of one
// partner's feed, 10,000 releases against 1,000,000 (TEARLINE_BENCH_GROWTH_LARGE lowers it), each
// served by the real `tearline serve` with no page cache (every request reads the database and
// renders its page), paged at random positions (next tokens spread over the whole feed, as clients
// resuming a walk send them) with 100-object pages by autocannon, in alternating rounds of one run.
// Target: p99 on the large feed within 1.5x of the small one.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initDataDir } from '../src/app/data-dir.js';
import { ensureLedgerKey } from '../src/app/ledger-key.js';
import { PartnerStore } from '../src/store/hub/partner-store.js';
import { openSqlite } from '../src/store/sqlite/database.js';
import { SqliteReleaseFeed } from '../src/store/sqlite/release-feed.js';
import { SqliteSql } from '../src/store/sqlite/sqlite-sql.js';
import { encodeNext } from '../src/taxii/taxii-filters.js';
import {
  autocannon,
  type CannonResult,
  releaseIndicators,
  SERVE_READY,
  serveArgs,
  startChild,
} from './bench-taxii-load.js';
import { report } from './report.js';

const BENCH = 'taxii-growth';
const SMALL = 10_000;
const LARGE = Number(process.env.TEARLINE_BENCH_GROWTH_LARGE ?? 1_000_000);
const POSITIONS = 200;
const ROUNDS = 5;
const DURATION_S = 5;
const CONNECTIONS = 4;

/** A hub whose one partner has `n` releases; its credentials and next tokens spread over the feed. */
async function buildHub(dir: string, n: number) {
  const data = join(dir, `hub-${n}`);
  const { paths } = initDataDir(data);
  ensureLedgerKey(paths);
  const db = openSqlite(paths.database);
  const partners = new PartnerStore(new SqliteSql(db));
  const feed = new SqliteReleaseFeed(db);
  const added = await partners.add(
    { name: 'partner' },
    { actor: 'bench', now: new Date(), randomBytes: (k) => randomBytes(k) },
  );
  if (!added.ok) throw new Error(added.message);
  const t0 = performance.now();
  for (let start = 0; start < n; start += 50_000) {
    db.transaction(() =>
      releaseIndicators(feed, added.partner.id, { from: start, to: Math.min(n, start + 50_000) }, new Date()),
    ).immediate();
  }
  const writeS = (performance.now() - t0) / 1000;
  // Positions spread evenly over the feed (not its last page, so every page is full).
  const positions: string[] = [];
  for (let k = 0; k < POSITIONS; k++) {
    const offset = Math.floor(((n - 200) * k) / POSITIONS);
    const row = db.prepare('SELECT feed_us FROM releases ORDER BY feed_us LIMIT 1 OFFSET ?').get(offset) as
      | { feed_us: number }
      | undefined;
    if (!row) throw new Error(`no release at ${offset}`);
    positions.push(encodeNext(row.feed_us));
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  process.stderr.write(`${BENCH}: ${n} releases written in ${writeS.toFixed(1)} s\n`);
  const headers = {
    authorization: `Basic ${Buffer.from(`partner:${added.token}`).toString('base64')}`,
    accept: 'application/taxii+json;version=2.1',
  };
  const requests = positions.map((next) => ({
    path: `/taxii2/hub/collections/releases/objects/?limit=100&next=${next}`,
    headers,
  }));
  return { data, requests };
}

function serve(data: string): Promise<{ child: ChildProcess; url: string }> {
  return startChild(serveArgs(data, '--log-level', 'warn', '--page-cache', '0'), SERVE_READY);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const dir = mkdtempSync(join(tmpdir(), 'tearline-bench-growth-'));
const children: ChildProcess[] = [];
try {
  const small = await buildHub(dir, SMALL);
  const large = await buildHub(dir, LARGE);
  const servers = { small: await serve(small.data), large: await serve(large.data) };
  children.push(servers.small.child, servers.large.child);
  // Warm-up: the partner's login (argon2, then cached) and one pass over every position.
  for (const [s, hub] of [
    [servers.small, small],
    [servers.large, large],
  ] as const) {
    for (const r of hub.requests) {
      const res = await fetch(`${s.url}${r.path}`, { headers: r.headers });
      const body = (await res.json()) as { objects?: unknown[] };
      if (res.status !== 200 || body.objects?.length !== 100)
        throw new Error(`warm-up: ${res.status}, ${body.objects?.length} objects`);
    }
  }
  const rounds: { small: CannonResult; large: CannonResult }[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const run = (s: { url: string }, requests: typeof small.requests) =>
      autocannon({ url: s.url, connections: CONNECTIONS, duration: DURATION_S, requests });
    // Alternating which goes first, so load from elsewhere falls on both alike.
    const a = i % 2 === 0 ? await run(servers.small, small.requests) : undefined;
    const b = await run(servers.large, large.requests);
    const c = a ?? (await run(servers.small, small.requests));
    for (const r of [b, c])
      if (r.non2xx > 0 || r.errors > 0) throw new Error(`${r.non2xx} non-2xx, ${r.errors} errors`);
    rounds.push({ small: c, large: b });
  }
  const p99Small = median(rounds.map((r) => r.small.latency.p99));
  const p99Large = median(rounds.map((r) => r.large.latency.p99));
  report({
    bench: BENCH,
    metric: `p99, 100-object pages at random positions, ${LARGE.toLocaleString('en')} releases (baseline: ${SMALL.toLocaleString('en')})`,
    value: p99Large,
    unit: 'ms',
    baseline: p99Small,
    ratio: p99Large / p99Small,
    target: '<= 1.5x',
    met: p99Large / p99Small <= 1.5,
  });
  report({
    bench: BENCH,
    metric: `req/s, ${LARGE.toLocaleString('en')} releases (baseline: ${SMALL.toLocaleString('en')})`,
    value: median(rounds.map((r) => r.large.requests.average)),
    unit: 'req/s',
    baseline: median(rounds.map((r) => r.small.requests.average)),
    ratio:
      median(rounds.map((r) => r.large.requests.average)) /
      median(rounds.map((r) => r.small.requests.average)),
  });
} finally {
  for (const c of children) c.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
