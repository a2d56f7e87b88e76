// Incremental release passes and passes off the event loop (issue 20), on the scale hub (ICS +
// CAPEC, 4,509 objects x 20 partners = 90,180 decisions, SQLite; TEARLINE_BENCH_SCALE_COPIES=8 is
// the issue's size, TEARLINE_BENCH_LOAD_SECONDS how long serve is paged):
// 1. in this process: the full pass (release run --full) as the baseline, then a pass with nothing
//    changed (target < 100 ms) and a pass after 1,000 new objects (target < 2 s), same run;
// 2. the real `tearline serve` (child process, passes on its worker thread) paged over TAXII by 4
//    clients while the pass state is dropped (a full pass runs) and 1,000 objects are imported
//    (another connection; incremental passes follow): p99 and max latency per second, serve's
//    RSS over time, against the first seconds with no pass running. Writes
//    bench/release-incremental-chart.svg (RSS and p99 over time).
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openHub } from '../src/app/hub.js';
import { releaseStoresOf } from '../src/app/release-stores.js';
import { ManualClock, systemClock } from '../src/clock.js';
import { runReleasePipeline } from '../src/release/release-pipeline.js';
import { REPO_ROOT } from './bench-data.js';
import { SERVE_READY, serveArgs } from './bench-taxii-load.js';
import { importObjects, NEW_OBJECTS, newObjects, reportPassTimes } from './release-pass-times.js';
import { report } from './report.js';
import { buildScaleHub, copyHub, SCALE_NOW } from './scale-hub.js';

const BENCH = 'release-incremental';
const LOAD_SECONDS = Number(process.env.TEARLINE_BENCH_LOAD_SECONDS ?? 40);
const CLIENTS = 4;
const clock = new ManualClock(SCALE_NOW);
const scale = await buildScaleHub(clock);
// A quiet run pages 100,000s of times: spreading that many samples into Math.max overflows the stack.
const maxOf = (xs: readonly number[]) => xs.reduce((m, x) => Math.max(m, x), Number.NEGATIVE_INFINITY);
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
};

// ---- 1. pass times, in this process ----
const hub = copyHub(scale, clock);
const { base, targets } = await reportPassTimes(BENCH, hub, clock);
hub.db.pragma('wal_checkpoint(TRUNCATE)');
const data = hub.paths.dir;
hub.close();

// ---- 2. serve under TAXII load while passes and an import run ----
const creds: { name: string; token: string }[] = [];
{
  const h = openHub(data, systemClock);
  for (const p of await h.state.partners.list()) {
    if (!p.enabled) continue;
    const r = await h.state.partners.rotateToken(p.name, {
      actor: 'admin',
      now: new Date(),
      randomBytes: (n) => new Uint8Array(n).fill(creds.length + 40),
    });
    if (r.ok) creds.push({ name: p.name, token: r.token });
  }
  // serve decides by the wall clock: the pass at its instant (assurances lapsed since SCALE_NOW)
  // runs here, so the first seconds under load are a hub with no pass to run.
  await runReleasePipeline(releaseStoresOf(h), { ...base, now: new Date() });
  await runReleasePipeline(releaseStoresOf(h), { ...base, now: new Date() });
  h.close();
}

const loopDelays: { at: number; p99: number; max: number }[] = [];
let t0 = performance.now();
function start(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  // serve's warnings: 'event loop delayed' says how long its loop was held (loop-delay-watch.ts).
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    const lines = out.split('\n');
    out = lines.pop() ?? '';
    for (const l of lines) {
      const m = /"p99Ms":(\d+),"maxMs":(\d+).*event loop delayed/.exec(l);
      if (m) loopDelays.push({ at: (performance.now() - t0) / 1000, p99: Number(m[1]), max: Number(m[2]) });
    }
  });
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const m = SERVE_READY.exec(err);
      if (m) resolve({ child, url: m[1] as string });
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

const serve = await start(
  serveArgs(
    data,
    '--log-level',
    'warn',
    '--page-cache',
    '0',
    // 0 records no deliveries (no writes on serve's own connection): tells their share of the p99.
    ...(process.env.TEARLINE_BENCH_DELIVERY_PERIOD
      ? ['--delivery-period', process.env.TEARLINE_BENCH_DELIVERY_PERIOD]
      : []),
  ),
);
const rssMb = () => {
  const status = readFileSync(`/proc/${serve.child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
};
t0 = performance.now();
const samples: { at: number; ms: number }[] = [];
const rss: { at: number; mb: number }[] = [];
let failures = 0;
let stop = false;
const client = async (c: { name: string; token: string }) => {
  const headers = {
    authorization: `Basic ${Buffer.from(`${c.name}:${c.token}`).toString('base64')}`,
    accept: 'application/taxii+json;version=2.1',
  };
  let next: string | undefined;
  while (!stop) {
    const started = performance.now();
    const res = await fetch(
      `${serve.url}/taxii2/hub/collections/releases/objects/?limit=100${next ? `&next=${next}` : ''}`,
      { headers },
    );
    const body = (await res.json()) as { next?: string };
    samples.push({ at: (started - t0) / 1000, ms: performance.now() - started });
    if (res.status !== 200) failures++;
    next = body.next;
  }
};
const rssTimer = setInterval(() => rss.push({ at: (performance.now() - t0) / 1000, mb: rssMb() }), 500);
const clients = Array.from({ length: CLIENTS }, (_, i) =>
  client(creds[i % creds.length] as (typeof creds)[0]),
);
const events: { at: number; what: string }[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
await sleep(5000);
// Dropping the pass state makes the next pass a full one: the worst a serving hub runs.
{
  const h = openHub(data, systemClock);
  events.push({ at: (performance.now() - t0) / 1000, what: 'pass state dropped: full pass' });
  await h.state.sql.run('DELETE FROM release_pass_state');
  h.close();
}
await sleep(Math.max(0, LOAD_SECONDS * 400 - 5000));
{
  const h = openHub(data, systemClock);
  events.push({ at: (performance.now() - t0) / 1000, what: `import of ${NEW_OBJECTS} objects` });
  await importObjects(h, newObjects(NEW_OBJECTS, targets, new Date().toISOString()));
  events.push({ at: (performance.now() - t0) / 1000, what: 'import done' });
  h.close();
}
await sleep(Math.max(0, t0 + LOAD_SECONDS * 1000 - performance.now()));
stop = true;
await Promise.all(clients);
clearInterval(rssTimer);
serve.child.kill('SIGTERM');
await new Promise((r) => serve.child.once('exit', r));

// Did the passes run while serving? The new objects have outcomes, and the pass state is back.
const check = openHub(data, systemClock);
const decidedNew = await check.state.sql.get<{ n: number }>(
  "SELECT count(*) AS n FROM release_outcomes o JOIN objects b ON b.id = o.object_id AND b.is_latest WHERE b.source = 'bench'",
);
const passRows = await check.state.sql.get<{ n: number }>('SELECT count(*) AS n FROM release_pass_state');
const latest =
  (await check.state.sql.get<{ n: number }>('SELECT count(*) AS n FROM objects WHERE is_latest'))?.n ?? 0;
check.close();
rmSync(dirname(scale.dir), { recursive: true, force: true });
rmSync(dirname(data), { recursive: true, force: true });

// The baseline: seconds 2 to 5, with no pass to run (the first requests warm the server up).
const quiet = samples.filter((s) => s.at >= 2 && s.at < 5).map((s) => s.ms);
const busy = samples.filter((s) => s.at >= 5).map((s) => s.ms);
const p99 = quantile(busy, 0.99);
const max = maxOf(busy);
report({ bench: BENCH, metric: 'TAXII pages fetched under load', value: samples.length, unit: 'requests' });
report({
  bench: BENCH,
  metric: 'TAXII non-200 answers',
  value: failures,
  unit: 'requests',
  target: '0',
  met: failures === 0,
});
report({
  bench: BENCH,
  metric: 'TAXII p99 while a full pass, an import and incremental passes run',
  value: p99,
  unit: 'ms',
  baseline: quantile(quiet, 0.99),
  ratio: p99 / quantile(quiet, 0.99),
  target: '< 100 ms',
  met: p99 < 100,
});
report({
  bench: BENCH,
  metric: 'TAXII max while passes and an import run',
  value: max,
  unit: 'ms',
  baseline: maxOf(quiet),
  ratio: max / maxOf(quiet),
  target: '< 1000 ms',
  met: max < 1000,
});
report({
  bench: BENCH,
  metric: "serve's event loop held >= 100 ms (5 s windows)",
  value: loopDelays.length,
  unit: 'windows',
});
report({
  bench: BENCH,
  metric: "serve's event loop, longest hold",
  value: Math.max(0, ...loopDelays.map((d) => d.max)),
  unit: 'ms',
});
report({ bench: BENCH, metric: 'serve RSS, first second', value: rss[1]?.mb ?? Number.NaN, unit: 'MB' });
report({ bench: BENCH, metric: 'serve RSS, peak', value: maxOf(rss.map((r) => r.mb)), unit: 'MB' });
report({ bench: BENCH, metric: 'serve RSS, last', value: rss.at(-1)?.mb ?? Number.NaN, unit: 'MB' });
// Flat or growing? V8 lets garbage that outlived two young collections (requests in flight under
// load) pile up in old space until a major collection, so RSS is a sawtooth whose peaks depend on
// when the run stops; a leak shows as rising troughs (the RSS a major collection falls back to).
// Quarters of the run: the first holds the warm-up and the full pass's import, so the last quarter
// is set against the second. Meaningful when a quarter spans a major collection (runs of minutes).
const quarter = (k: number) =>
  rss.filter((r) => r.at >= (k * LOAD_SECONDS) / 4 && r.at < ((k + 1) * LOAD_SECONDS) / 4).map((r) => r.mb);
const quarters = [0, 1, 2, 3].map(quarter);
for (const [k, mbs] of quarters.entries()) {
  const mean = mbs.reduce((a, b) => a + b, 0) / Math.max(1, mbs.length);
  for (const [what, value] of [
    ['lowest', Math.min(...mbs)],
    ['mean', mean],
    ['highest', Math.max(...mbs)],
  ] as const)
    report({ bench: BENCH, metric: `serve RSS in quarter ${k + 1} of the run, ${what}`, value, unit: 'MB' });
}
const trough = (k: number) => Math.min(...(quarters[k] ?? []));
const growth = trough(3) / trough(1);
report({
  bench: BENCH,
  metric: 'serve RSS, lowest in the last quarter against the second (flat memory)',
  value: trough(3),
  unit: 'MB',
  baseline: trough(1),
  ratio: growth,
  target: '< 1.25',
  met: growth < 1.25,
});
report({
  bench: BENCH,
  metric: 'new objects decided while serving',
  value: decidedNew?.n ?? 0,
  unit: 'outcomes',
});
report({ bench: BENCH, metric: 'pass state rows after serving', value: passRows?.n ?? 0, unit: 'rows' });

// ---- chart: RSS and p99 per second ----
const seconds = Math.ceil(LOAD_SECONDS);
const perSecond = Array.from({ length: seconds }, (_, s) => {
  const xs = samples.filter((x) => x.at >= s && x.at < s + 1).map((x) => x.ms);
  const mb = rss.filter((r) => r.at >= s && r.at < s + 1).map((r) => r.mb);
  return { s, p99: xs.length ? quantile(xs, 0.99) : 0, n: xs.length, mb: mb.length ? maxOf(mb) : 0 };
});
// At most about 12 labels on the time axis, whatever the run's length.
const tick = [5, 10, 15, 30, 60, 120].find((t) => seconds / t <= 12) ?? 300;
const W = 760;
const H = 320;
const L = 60;
const R = 60;
const T = 30;
const B = 50;
const maxMb = Math.max(100, ...perSecond.map((p) => p.mb)) * 1.1;
const maxMs = Math.max(100, ...perSecond.map((p) => p.p99)) * 1.1;
const x = (s: number) => L + (s / seconds) * (W - L - R);
const yMb = (v: number) => H - B - (v / maxMb) * (H - T - B);
const yMs = (v: number) => H - B - (v / maxMs) * (H - T - B);
const line = (pts: [number, number][]) =>
  pts.map(([a, b], i) => `${i ? 'L' : 'M'}${a.toFixed(1)},${b.toFixed(1)}`).join(' ');
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">
<title>tearline serve under TAXII load while release passes run (${new Date().toISOString().slice(0, 10)})</title>
<rect width="${W}" height="${H}" fill="white"/>
<text x="${L}" y="18" font-size="13">serve: RSS (MB, blue) and TAXII p99 per second (ms, red); ${CLIENTS} clients paging 100-object pages</text>
${events
  .map(
    (e) =>
      `<line x1="${x(e.at)}" y1="${T}" x2="${x(e.at)}" y2="${H - B}" stroke="#999" stroke-dasharray="4 3"/><text x="${x(e.at) + 3}" y="${T + 12 + events.indexOf(e) * 12}" fill="#555">${e.what}</text>`,
  )
  .join('\n')}
<line x1="${L}" y1="${yMs(100)}" x2="${W - R}" y2="${yMs(100)}" stroke="#d33" stroke-width="0.5" stroke-dasharray="2 2"/>
<text x="${W - R - 90}" y="${yMs(100) - 3}" fill="#d33">p99 target 100 ms</text>
<path d="${line(perSecond.map((p) => [x(p.s + 0.5), yMb(p.mb)]))}" fill="none" stroke="#2255cc" stroke-width="2"/>
<path d="${line(perSecond.map((p) => [x(p.s + 0.5), yMs(p.p99)]))}" fill="none" stroke="#d33" stroke-width="2"/>
<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="black"/>
<line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#2255cc"/>
<line x1="${W - R}" y1="${T}" x2="${W - R}" y2="${H - B}" stroke="#d33"/>
${[0, 0.25, 0.5, 0.75, 1]
  .map(
    (f) =>
      `<text x="${L - 5}" y="${yMb(f * maxMb) + 4}" text-anchor="end" fill="#2255cc">${Math.round(f * maxMb)}</text><text x="${W - R + 5}" y="${yMs(f * maxMs) + 4}" fill="#d33">${Math.round(f * maxMs)}</text>`,
  )
  .join('\n')}
${Array.from({ length: Math.floor(seconds / tick) + 1 }, (_, i) => i * tick)
  .map((s) => `<text x="${x(s)}" y="${H - B + 15}" text-anchor="middle">${s}</text>`)
  .join('\n')}
<text x="${(W - R + L) / 2}" y="${H - 12}" text-anchor="middle">seconds (${latest.toLocaleString('en-GB')} objects x 20 partners, SQLite, 2 cores)</text>
</svg>
`;
writeFileSync(join(REPO_ROOT, 'bench', 'release-incremental-chart.svg'), svg);
process.stderr.write(
  `${loopDelays.map((d) => `loop held at ${d.at.toFixed(1)} s: max ${d.max} ms, p99 ${d.p99} ms`).join('\n')}\n`,
);
process.stderr.write(
  `${perSecond.map((p) => `${String(p.s).padStart(3)}s  p99 ${p.p99.toFixed(1).padStart(7)} ms  n ${String(p.n).padStart(4)}  rss ${p.mb.toFixed(0)} MB`).join('\n')}\n`,
);
