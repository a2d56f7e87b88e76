// TAXII serving speed: 20 partners x 50,000 released objects; GET pages of 100 and 1,000 objects
// at 8 connections (autocannon, loopback) against the real `tearline serve`, and against a bare
// node:http server returning the same bytes and headers, measured in the same run (alternating
// rounds, medians reported), all as child processes. The delivery record (what each partner
// fetched, one ledger entry per partner per period) is on in `serve` by default; the same server
// with it off (--delivery-period 0) is measured in the same rounds, on cached pages.
// TEARLINE_BENCH_TAXII_PER_PARTNER lowers the per-partner count for a quick run.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initDataDir } from '../src/app/data-dir.js';
import { ensureLedgerKey } from '../src/app/ledger-key.js';
import { PartnerStore } from '../src/store/hub/partner-store.js';
import { copyHubToPg } from '../src/store/postgres/pg-hub-copy.js';
import { openTestSchema, TEST_PG_URL } from '../src/store/postgres/pg-test-schema.js';
import { openSqlite } from '../src/store/sqlite/database.js';
import { SqliteReleaseFeed } from '../src/store/sqlite/release-feed.js';
import { SqliteSql } from '../src/store/sqlite/sqlite-sql.js';
import { autocannon, releaseIndicators, SERVE_READY, serveArgs, startChild } from './bench-taxii-load.js';
import { report } from './report.js';

const PARTNERS = 20;
const PER_PARTNER = Number(process.env.TEARLINE_BENCH_TAXII_PER_PARTNER ?? 50_000);
const ROUNDS = 3;
const DURATION_S = 5;
const CONNECTIONS = 8;

interface Measured {
  rps: number;
  p99: number;
  non2xx: number;
  errors: number;
  cpuUsPerRequest?: number;
}

/** CPU time (ms) a child has used, all threads; undefined where /proc is not available. */
function cpuMsOf(child: ChildProcess): number | undefined {
  try {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

async function measure(
  child: ChildProcess,
  url: string,
  requests: { path: string; headers: Record<string, string> }[],
): Promise<Measured> {
  const cpu0 = cpuMsOf(child);
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, requests });
  const cpu1 = cpuMsOf(child);
  const total = r.requests.average * DURATION_S;
  return {
    rps: r.requests.average,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    ...(cpu0 !== undefined &&
      cpu1 !== undefined &&
      total > 0 && { cpuUsPerRequest: ((cpu1 - cpu0) * 1000) / total }),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

const dir = mkdtempSync(join(tmpdir(), 'tearline-bench-taxii-'));
const children: ChildProcess[] = [];
let dropPg: (() => Promise<void>) | undefined;
try {
  const data = join(dir, 'hub');
  const { paths } = initDataDir(data);
  ensureLedgerKey(paths);
  const db = openSqlite(paths.database);
  const partners = new PartnerStore(new SqliteSql(db));
  const feed = new SqliteReleaseFeed(db);
  const creds: { name: string; token: string }[] = [];
  const t0 = performance.now();
  for (let p = 0; p < PARTNERS; p++) {
    const r = await partners.add(
      { name: `partner-${p}` },
      { actor: 'bench', now: new Date(), randomBytes: (n) => randomBytes(n) },
    );
    if (!r.ok) throw new Error(r.message);
    creds.push({ name: r.partner.name, token: r.token });
    db.transaction(() =>
      releaseIndicators(feed, r.partner.id, { from: 0, to: PER_PARTNER, tag: p }, new Date()),
    ).immediate();
  }
  // The same hub on PostgreSQL when a server is named (TEARLINE_TEST_PG): copied, then served by
  // `serve --db`, measured in the same rounds as the SQLite hub and the bare server.
  let pgUrl: string | undefined;
  if (TEST_PG_URL) {
    const schema = await openTestSchema('bench');
    dropPg = schema.drop;
    const copied = await copyHubToPg(db, schema.pool);
    if (!copied.ok) throw new Error(copied.error.message);
    pgUrl = `${TEST_PG_URL}${TEST_PG_URL.includes('?') ? '&' : '?'}schema=${schema.schema}`;
  } else {
    process.stderr.write('taxii bench: TEARLINE_TEST_PG not set, PostgreSQL figures skipped\n');
  }
  db.close();
  process.stderr.write(
    `taxii bench: ${PARTNERS} x ${PER_PARTNER} releases written in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );

  const serve = (extra: string[]) => startChild(serveArgs(data, ...extra), SERVE_READY);
  // Request logs off (warn level): one JSON line per request is an operator's choice, not the server's cost.
  const taxii = await serve(['--log-level', 'warn']);
  children.push(taxii.child);
  // The same server without the delivery record: what recording deliveries costs a cached page.
  const unrecorded = await serve(['--log-level', 'warn', '--delivery-period', '0']);
  children.push(unrecorded.child);
  // The same server with no page cache: every request queries SQLite and renders the page.
  const uncached = await serve(['--log-level', 'warn', '--page-cache', '0']);
  children.push(uncached.child);
  const onPg = pgUrl ? await serve(['--log-level', 'warn', '--db', pgUrl]) : undefined;
  const onPgCold = pgUrl
    ? await serve(['--log-level', 'warn', '--db', pgUrl, '--page-cache', '0'])
    : undefined;
  for (const s of [onPg, onPgCold]) if (s) children.push(s.child);

  for (const size of [100, 1000]) {
    // Mid-feed pages: each partner's request starts at a next token a few pages in.
    const requests: { path: string; headers: Record<string, string> }[] = [];
    let sample: Response | undefined;
    for (const c of creds) {
      const headers = {
        authorization: `Basic ${Buffer.from(`${c.name}:${c.token}`).toString('base64')}`,
        accept: 'application/taxii+json;version=2.1',
      };
      const first = await fetch(`${taxii.url}/taxii2/hub/collections/releases/objects/?limit=${size}`, {
        headers,
      });
      const env = (await first.json()) as { next?: string };
      const path = `/taxii2/hub/collections/releases/objects/?limit=${size}${env.next ? `&next=${env.next}` : ''}`;
      requests.push({ path, headers });
      sample ??= await fetch(`${taxii.url}${path}`, { headers });
    }
    if (!sample) throw new Error('no sample page');
    // The bare server sends the same bytes under the same headers as ours (node:http adds Date,
    // Connection and Keep-Alive to both), over keep-alive connections like ours.
    const sampleHeaders: Record<string, string> = {};
    for (const [k, v] of sample.headers) {
      if (!['date', 'connection', 'keep-alive'].includes(k)) sampleHeaders[k] = v;
    }
    const sampleBody = Buffer.from(await sample.arrayBuffer());
    const bodyFile = join(dir, `page-${size}.json`);
    writeFileSync(bodyFile, sampleBody);
    const bareScript = `const http=require('node:http');const b=require('node:fs').readFileSync(${JSON.stringify(bodyFile)});
      const h=${JSON.stringify(sampleHeaders)};
      const s=http.createServer((q,r)=>{r.writeHead(200,h);r.end(b)});
      s.listen(0,'127.0.0.1',()=>process.stderr.write('bare at http://127.0.0.1:'+s.address().port+' \\n'));`;
    const bare = await startChild(['-e', bareScript], /bare at (http:\/\/[^ ]+) /);
    children.push(bare.child);

    // Every server gets the same warm-up: each partner's login (argon2, then cached for a minute)
    // and its page, so no round measures a server's first logins or first rendering.
    for (const s of [taxii, unrecorded, uncached, onPg, onPgCold]) {
      if (!s) continue;
      for (const r of requests)
        await (await fetch(`${s.url}${r.path}`, { headers: r.headers })).arrayBuffer();
    }
    // Alternating rounds, so load from elsewhere on the machine falls on both servers alike.
    const rounds: {
      bare: Measured;
      ours: Measured;
      off: Measured;
      cold: Measured;
      pg?: Measured;
      pgCold?: Measured;
    }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      rounds.push({
        bare: await measure(bare.child, bare.url, requests),
        ours: await measure(taxii.child, taxii.url, requests),
        off: await measure(unrecorded.child, unrecorded.url, requests),
        cold: await measure(uncached.child, uncached.url, requests),
        ...(onPg && { pg: await measure(onPg.child, onPg.url, requests) }),
        ...(onPgCold && { pgCold: await measure(onPgCold.child, onPgCold.url, requests) }),
      });
    }
    bare.child.kill('SIGTERM');
    for (const r of rounds) {
      for (const m of [r.ours, r.off, r.cold, r.pg, r.pgCold]) {
        if (m && (m.non2xx > 0 || m.errors > 0))
          throw new Error(`TAXII run had ${m.non2xx} non-2xx and ${m.errors} errors`);
      }
    }
    const med = (f: (r: (typeof rounds)[number]) => number) => median(rounds.map(f));
    const ratio = med((r) => r.ours.rps / r.bare.rps);
    report({
      bench: 'taxii',
      metric: `GET ${size}-object pages, ${CONNECTIONS} connections (median of ${ROUNDS} rounds)`,
      value: med((r) => r.ours.rps),
      unit: 'req/s',
      baseline: med((r) => r.bare.rps),
      ratio,
      ...(size === 100 && { target: '>= 0.4 of bare node:http', met: ratio >= 0.4 }),
    });
    const p99 = med((r) => r.ours.p99);
    report({
      bench: 'taxii',
      metric: `p99 latency, ${size}-object pages`,
      value: p99,
      unit: 'ms',
      baseline: med((r) => r.bare.p99),
      ...(size === 100 && { target: '< 50 ms', met: p99 < 50 }),
    });
    if (rounds.every((r) => r.ours.cpuUsPerRequest !== undefined)) {
      // Server CPU time per request (all its threads, user + system): unlike req/s it does not
      // depend on how busy the rest of the machine is, so it shows where our time goes.
      report({
        bench: 'taxii',
        metric: `server CPU per ${size}-object page`,
        value: med((r) => r.ours.cpuUsPerRequest ?? 0),
        unit: 'us',
        baseline: med((r) => r.bare.cpuUsPerRequest ?? 0),
        ratio: med((r) => (r.ours.cpuUsPerRequest ?? 0) / (r.bare.cpuUsPerRequest ?? 1)),
      });
    }
    const recordRatio = med((r) => r.ours.rps / r.off.rps);
    report({
      bench: 'taxii',
      metric: `GET ${size}-object cached pages, delivery record on (baseline: off)`,
      value: med((r) => r.ours.rps),
      unit: 'req/s',
      baseline: med((r) => r.off.rps),
      ratio: recordRatio,
      target: '>= 0.9 of the record off',
      met: recordRatio >= 0.9,
    });
    if (rounds.every((r) => r.ours.cpuUsPerRequest !== undefined && r.off.cpuUsPerRequest !== undefined)) {
      report({
        bench: 'taxii',
        metric: `server CPU per ${size}-object cached page, delivery record on (baseline: off)`,
        value: med((r) => r.ours.cpuUsPerRequest ?? 0),
        unit: 'us',
        baseline: med((r) => r.off.cpuUsPerRequest ?? 0),
        ratio: med((r) => (r.ours.cpuUsPerRequest ?? 0) / (r.off.cpuUsPerRequest ?? 1)),
      });
    }
    report({
      bench: 'taxii',
      metric: `GET ${size}-object pages, no page cache`,
      value: med((r) => r.cold.rps),
      unit: 'req/s',
      baseline: med((r) => r.bare.rps),
      ratio: med((r) => r.cold.rps / r.bare.rps),
    });
    report({
      bench: 'taxii',
      metric: `p99 latency, ${size}-object pages, no page cache`,
      value: med((r) => r.cold.p99),
      unit: 'ms',
      baseline: med((r) => r.bare.p99),
    });
    for (const [key, label] of [
      ['pg', 'PostgreSQL'],
      ['pgCold', 'PostgreSQL, no page cache'],
    ] as const) {
      if (!rounds.every((r) => r[key])) continue;
      report({
        bench: 'taxii',
        metric: `GET ${size}-object pages, ${label}`,
        value: med((r) => r[key]?.rps ?? 0),
        unit: 'req/s',
        baseline: med((r) => r.bare.rps),
        ratio: med((r) => (r[key]?.rps ?? 0) / r.bare.rps),
      });
      report({
        bench: 'taxii',
        metric: `p99 latency, ${size}-object pages, ${label}`,
        value: med((r) => r[key]?.p99 ?? 0),
        unit: 'ms',
        baseline: med((r) => r.bare.p99),
      });
    }
    process.stderr.write(`taxii bench: ${size}-object page is ${(sampleBody.length / 1024) | 0} KiB\n`);
  }
} finally {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await dropPg?.();
  rmSync(dir, { recursive: true, force: true });
}
