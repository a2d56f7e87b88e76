// TAXII serving speed: 20 partners x 50,000 released objects; GET pages of 100 and 1,000 objects
// at 8 connections (autocannon, loopback) against the real `tearline serve`, and against a bare
// node:http server returning the same bytes, measured in the same run, both as child processes.
// TEARLINE_BENCH_TAXII_PER_PARTNER lowers the per-partner count for a quick run.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initDataDir } from '../src/app/data-dir.js';
import { ensureLedgerKey } from '../src/app/ledger-key.js';
import { PartnerStore } from '../src/store/hub/partner-store.js';
import { openSqlite } from '../src/store/sqlite/database.js';
import { SqliteReleaseFeed } from '../src/store/sqlite/release-feed.js';
import { SqliteSql } from '../src/store/sqlite/sqlite-sql.js';
import { REPO_ROOT } from './bench-data.js';
import { report } from './report.js';

interface CannonResult {
  requests: { average: number };
  latency: { p99: number; p50: number };
  non2xx: number;
  errors: number;
}
type Cannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  requests?: { path: string; headers: Record<string, string> }[];
}) => Promise<CannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

const PARTNERS = 20;
const PER_PARTNER = Number(process.env.TEARLINE_BENCH_TAXII_PER_PARTNER ?? 50_000);
const DURATION_S = 10;
const CONNECTIONS = 8;

function indicatorFor(i: number, partner: number) {
  const id = `indicator--${randomUUID()}`;
  return {
    type: 'indicator',
    spec_version: '2.1',
    id,
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-02-01T00:00:00.000Z',
    name: `Fictional ISIS-K infrastructure ${partner}-${i}`,
    description: 'Sanitised copy: source and method removed.',
    indicator_types: ['malicious-activity'],
    pattern: `[ipv4-addr:value = '198.51.${i % 256}.${(i >> 8) % 256}']`,
    pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00Z',
    object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
  };
}

function start(args: string[], ready: RegExp): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const m = ready.exec(err);
      if (m) resolve({ child, url: m[1] as string });
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
}

const dir = mkdtempSync(join(tmpdir(), 'tearline-bench-taxii-'));
const children: ChildProcess[] = [];
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
    db.transaction(() => {
      const now = new Date();
      for (let i = 0; i < PER_PARTNER; i++) {
        const obj = indicatorFor(i, p);
        const added = feed.addRelease(
          {
            partnerId: r.partner.id,
            tearline: obj,
            originalId: `indicator--${randomUUID()}`,
            originalVersion: obj.modified,
            visibleFrom: now,
          },
          now,
        );
        if (!added.ok) throw new Error(added.message);
      }
    }).immediate();
  }
  db.close();
  process.stderr.write(
    `taxii bench: ${PARTNERS} x ${PER_PARTNER} releases written in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );

  const serve = (extra: string[]) =>
    start(
      [
        join(REPO_ROOT, 'bin', 'tearline.js'),
        'serve',
        '--port',
        '0',
        '--data',
        data,
        '--rate',
        '1000000',
        ...extra,
      ],
      /serving TAXII 2\.1 at (http:\/\/[^ ]+)\/taxii2\//,
    );
  // Request logs off (warn level): one JSON line per request is an operator's choice, not the server's cost.
  const taxii = await serve(['--log-level', 'warn']);
  children.push(taxii.child);
  // The same server with no page cache: every request queries SQLite and renders the page.
  const uncached = await serve(['--log-level', 'warn', '--page-cache', '0']);
  children.push(uncached.child);

  for (const size of [100, 1000]) {
    // Mid-feed pages: each partner's request starts at a next token a few pages in.
    const requests: { path: string; headers: Record<string, string> }[] = [];
    let sample: Buffer | undefined;
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
      sample ??= Buffer.from(await (await fetch(`${taxii.url}${path}`, { headers })).arrayBuffer());
    }
    const bodyFile = join(dir, `page-${size}.json`);
    writeFileSync(bodyFile, sample ?? Buffer.alloc(0));
    const bareScript = `const http=require('node:http');const b=require('node:fs').readFileSync(${JSON.stringify(bodyFile)});
      const s=http.createServer((q,r)=>{r.writeHead(200,{'content-type':'application/taxii+json;version=2.1','content-length':b.length});r.end(b)});
      s.listen(0,'127.0.0.1',()=>process.stderr.write('bare at http://127.0.0.1:'+s.address().port+' \\n'));`;
    const bare = await start(['-e', bareScript], /bare at (http:\/\/[^ ]+) /);
    children.push(bare.child);

    const bareRun = await autocannon({
      url: bare.url,
      connections: CONNECTIONS,
      duration: DURATION_S,
      requests,
    });
    const run = await autocannon({
      url: taxii.url,
      connections: CONNECTIONS,
      duration: DURATION_S,
      requests,
    });
    const cold = await autocannon({
      url: uncached.url,
      connections: CONNECTIONS,
      duration: DURATION_S,
      requests,
    });
    bare.child.kill('SIGTERM');
    for (const r of [run, cold]) {
      if (r.non2xx > 0 || r.errors > 0)
        throw new Error(`TAXII run had ${r.non2xx} non-2xx and ${r.errors} errors`);
    }
    const ratio = run.requests.average / bareRun.requests.average;
    report({
      bench: 'taxii',
      metric: `GET ${size}-object pages, ${CONNECTIONS} connections`,
      value: run.requests.average,
      unit: 'req/s',
      baseline: bareRun.requests.average,
      ratio,
      ...(size === 100 && { target: '>= 0.4 of bare node:http', met: ratio >= 0.4 }),
    });
    report({
      bench: 'taxii',
      metric: `p99 latency, ${size}-object pages`,
      value: run.latency.p99,
      unit: 'ms',
      baseline: bareRun.latency.p99,
      ...(size === 100 && { target: '< 50 ms', met: run.latency.p99 < 50 }),
    });
    report({
      bench: 'taxii',
      metric: `GET ${size}-object pages, no page cache`,
      value: cold.requests.average,
      unit: 'req/s',
      baseline: bareRun.requests.average,
      ratio: cold.requests.average / bareRun.requests.average,
    });
    report({
      bench: 'taxii',
      metric: `p99 latency, ${size}-object pages, no page cache`,
      value: cold.latency.p99,
      unit: 'ms',
      baseline: bareRun.latency.p99,
    });
    process.stderr.write(`taxii bench: ${size}-object page is ${((sample?.length ?? 0) / 1024) | 0} KiB\n`);
  }
} finally {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
