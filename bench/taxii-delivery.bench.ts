// The delivery record's cost on the TAXII page fast path, in process: the fast path answering
// cached pages for 20 partners with the record on (a DeliveryLog told of every page) against the
// same fast path with it off, in interleaved rounds of the same run. No sockets: the figure is
// pages per CPU second of the path itself, which the loopback bench (taxii.bench.ts) cannot
// resolve on a loaded machine; without the socket writes it overstates the record's share. Ended periods are taken and written out (sorted, deduplicated, digested) as
// the server does, inside the timed rounds, with periods of 1 s: sixty times the default's rate
// of writes, so the figure bounds the cost from above.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { deliveryList } from '../src/store/hub/delivery-store.js';
import { createCachedAuthenticator } from '../src/taxii/taxii-auth.js';
import { DeliveryLog } from '../src/taxii/taxii-delivery-log.js';
import { PageCache, pageCacheKey } from '../src/taxii/taxii-page-cache.js';
import { createPageFastPath } from '../src/taxii/taxii-page-fast-path.js';
import type { DeliveredItems, Principal } from '../src/taxii/taxii-ports.js';
import { TokenBuckets } from '../src/taxii/taxii-rate-limit.js';
import { report } from './report.js';

const PARTNERS = 20;
const ROUNDS = 11;
const REQUESTS = 40_000;
const PERIOD_MS = 1000;

const tokens = Array.from({ length: PARTNERS }, () => randomUUID());
const principals = new Map<string, Principal>(
  tokens.map((t, i) => [
    t,
    { kind: 'partner', partnerId: `identity--${randomUUID()}`, name: `partner-${i}` },
  ]),
);
const authenticator = createCachedAuthenticator(
  {
    authenticateBasic: async () => undefined,
    authenticateBearer: async (token) => principals.get(token),
  },
  { ttlMs: 3_600_000, maxEntries: 1000, now: () => Date.now() },
);
for (const t of tokens) await authenticator.authenticateBearer(t);

/** The same cached pages in both paths: each partner's page of `size` objects. */
function cacheFor(size: number): { cache: PageCache; urls: string[] } {
  const cache = new PageCache(2000, 256 * 1024 * 1024);
  const urls: string[] = [];
  for (const [token, principal] of principals) {
    const url = `/taxii2/hub/collections/releases/objects/?limit=${size}&t=${token.slice(0, 8)}`;
    const delivered: DeliveredItems = Array.from({ length: size }, () => [
      `indicator--${randomUUID()}`,
      '2026-02-01T00:00:00.000Z',
    ]);
    const body = Buffer.alloc(size * 500, 32);
    cache.set(pageCacheKey(principal, url), {
      stamp: 's',
      body,
      headers: {
        'content-type': 'application/taxii+json;version=2.1',
        'content-length': String(body.length),
      },
      delivered,
    });
    urls.push(url);
  }
  return { cache, urls };
}

const res = { writeHead: () => res, end: () => res } as unknown as ServerResponse;
const requestsFor = (urls: string[]) =>
  urls.map(
    (url, i) =>
      ({
        method: 'GET',
        url,
        headers: { accept: 'application/taxii+json;version=2.1', authorization: `Bearer ${tokens[i]}` },
      }) as unknown as IncomingMessage,
  );

for (const size of [100, 1000]) {
  const { cache, urls } = cacheFor(size);
  const reqs = requestsFor(urls);
  const limiter = () => new TokenBuckets({ perSecond: 1e12, burst: 1e12, now: () => Date.now() });
  const log = new DeliveryLog({ periodMs: PERIOD_MS, now: () => Date.now() });
  const written: string[] = [];
  const base = { authenticator, pages: { cache, stamp: async () => 's' }, log: () => undefined };
  const off = createPageFastPath({ ...base, limiter: limiter() });
  const on = createPageFastPath({ ...base, limiter: limiter(), deliveries: log });
  const perSec = async (path: typeof on, recording: boolean) => {
    // CPU time of this process, not wall time: on a shared machine other processes' load
    // stretches wall time unevenly between rounds, while the path's own work does not change.
    const t0 = process.cpuUsage();
    for (let i = 0; i < REQUESTS; i++) {
      if (!(await path(reqs[i % PARTNERS] as IncomingMessage, res))) throw new Error('not served');
      // What the server's timer does: take ended periods and write their lists (sort, digest).
      if (recording && i % 2000 === 0) {
        for (const p of log.takeEnded()) {
          written.push(deliveryList(p.items).digest);
        }
      }
    }
    const used = process.cpuUsage(t0);
    return REQUESTS / ((used.user + used.system) / 1e6);
  };
  await perSec(off, false);
  await perSec(on, true);
  const rounds: { on: number; off: number }[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const offRate = await perSec(off, false);
    const onRate = await perSec(on, true);
    rounds.push({ on: onRate, off: offRate });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const ratio = median(rounds.map((r) => r.on / r.off));
  report({
    bench: 'taxii-delivery',
    metric: `page fast path, cached ${size}-object pages, delivery record on (baseline: off), in process, per CPU second, median of ${ROUNDS} rounds`,
    value: median(rounds.map((r) => r.on)),
    unit: 'pages/CPU-s',
    baseline: median(rounds.map((r) => r.off)),
    ratio,
    target: '>= 0.9 of the record off',
    met: ratio >= 0.9,
  });
  process.stderr.write(`taxii-delivery bench: ${size}-object pages, ${written.length} periods written\n`);
}
