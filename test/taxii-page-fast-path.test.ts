// The page fast path (src/taxii/taxii-page-fast-path.ts) only exists on a listening server:
// app.inject() bypasses it, so these tests go over loopback with a real client.
import { Writable } from 'node:stream';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerOptions } from '../src/app/server.js';
import { SqliteReleaseFeed } from '../src/store/sqlite/release-feed.js';
import {
  addPartner,
  basic,
  memoryHub,
  release,
  TAXII,
  type TestPartner,
  testServer,
} from './taxii-fixture.js';

const OBJECTS = '/taxii2/hub/collections/releases/objects/';
let hub: ReturnType<typeof memoryHub>;
let servers: FastifyInstance[];
let alpha: TestPartner;
let bravo: TestPartner;
let fastHits: number;

function countFastHits() {
  return new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) if (line.includes('TAXII page cache')) fastHits++;
      cb();
    },
  });
}

async function listen(options: ServerOptions): Promise<string> {
  const app = testServer(hub, options);
  servers.push(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function get(base: string, path: string, authorization: string, accept = TAXII): Promise<Answer> {
  const res = await fetch(`${base}${path}`, { headers: { authorization, accept } });
  const headers: Record<string, string> = {};
  // Date differs by the second; Connection and Keep-Alive are the socket's, not the page's.
  for (const [k, v] of res.headers) if (!['date', 'connection', 'keep-alive'].includes(k)) headers[k] = v;
  return { status: res.status, headers, body: await res.text() };
}

const as = (p: TestPartner) => basic(p.name, p.token);

beforeEach(async () => {
  hub = memoryHub();
  servers = [];
  fastHits = 0;
  alpha = await addPartner(hub, 'alpha');
  bravo = await addPartner(hub, 'bravo');
});
afterEach(async () => {
  for (const s of servers) await s.close();
  hub.close();
});

describe('TAXII page fast path', () => {
  it('answers exactly what the full route answers, never stale, never another partner’s page', async () => {
    const fast = await listen({ log: { stream: countFastHits() }, rate: { perSecond: 1e6, burst: 1e6 } });
    const full = await listen({
      pageCache: { maxEntries: 0, maxBytes: 0 },
      rate: { perSecond: 1e6, burst: 1e6 },
    });
    const released: { partner: TestPartner; id: string }[] = [];
    const paths = (id: string | undefined) => [
      OBJECTS,
      `${OBJECTS}?limit=2`,
      `${OBJECTS}?match[version]=all`,
      '/taxii2/hub/collections/releases/manifest/',
      ...(id ? [`${OBJECTS}${id}/`, `${OBJECTS}${id}/versions/`] : []),
    ];
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('get' as const),
        who: fc.boolean(),
        path: fc.nat(5),
        of: fc.nat(),
      }),
      fc.record({
        kind: fc.constant('release' as const),
        who: fc.boolean(),
        embargoS: fc.constantFrom(0, 0, 30),
      }),
      fc.record({ kind: fc.constant('recall' as const), of: fc.nat() }),
      fc.record({ kind: fc.constant('tick' as const), s: fc.constantFrom(1, 20, 40) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 20 }), async (ops) => {
        for (const o of ops) {
          if (o.kind === 'get') {
            const who = o.who ? alpha : bravo;
            const mine = released.filter((r) => r.partner === who);
            const choices = paths(mine[o.of % Math.max(1, mine.length)]?.id);
            const path = choices[o.path % choices.length] as string;
            // Twice: the second is the one the fast path answers when the page is cached; then the
            // other partner at the same URL, which must get its own answer, never the cached page.
            for (const asker of [who, who, who === alpha ? bravo : alpha]) {
              expect(await get(fast, path, as(asker))).toEqual(await get(full, path, as(asker)));
            }
          } else if (o.kind === 'release') {
            const partner = o.who ? alpha : bravo;
            const visibleFrom = new Date(hub.clock.now().getTime() + o.embargoS * 1000).toISOString();
            const obj = release(hub, partner.id, { visibleFrom });
            released.push({ partner, id: obj.id as string });
          } else if (o.kind === 'recall' && released.length > 0) {
            const r = released[o.of % released.length];
            if (r) new SqliteReleaseFeed(hub.db).recall(r.partner.id, r.id, hub.clock.now());
          } else if (o.kind === 'tick') hub.clock.advance(o.s * 1000);
        }
      }),
      { numRuns: 15 },
    );
    expect(fastHits).toBeGreaterThan(0);
  });

  it('keeps the gate: wrong token, other partner, refused Accept and the rate limit', async () => {
    const base = await listen({ log: { stream: countFastHits() }, rate: { perSecond: 0.001, burst: 4 } });
    release(hub, alpha.id);
    release(hub, bravo.id);
    const mine = await get(base, OBJECTS, as(alpha));
    expect(mine.status).toBe(200);
    expect((await get(base, OBJECTS, as(alpha))).body).toBe(mine.body);
    expect(fastHits).toBe(1);

    expect((await get(base, OBJECTS, basic(alpha.name, `${alpha.token}x`))).status).toBe(401);
    const theirs = await get(base, OBJECTS, as(bravo));
    expect(theirs.status).toBe(200);
    expect(theirs.body).not.toBe(mine.body);
    expect((await get(base, OBJECTS, as(alpha), 'application/json')).status).toBe(406);

    // alpha has used 2 of its 4 tokens (the 406 is refused before the limiter).
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(base, OBJECTS, as(alpha))).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
    // The failed login wrote its audit row and throttle counter, a commit like any other: the
    // next page is rendered in full once (SQLite's change stamp counts every commit), then cached.
    expect(fastHits).toBe(2);
  });

  it('hands every other method to Fastify, bodies intact', async () => {
    const base = await listen({});
    const note = {
      type: 'note',
      spec_version: '2.1',
      id: 'note--00000000-0000-4000-8000-0000000000f1',
      created: '2026-05-01T00:00:00.000Z',
      modified: '2026-05-01T00:00:00.000Z',
      created_by_ref: alpha.id,
      content: 'seen near the border',
      object_refs: ['indicator--00000000-0000-4000-8000-0000000000f2'],
    };
    const res = await fetch(`${base}/taxii2/hub/collections/submissions/objects/`, {
      method: 'POST',
      headers: { authorization: as(alpha), accept: TAXII, 'content-type': TAXII },
      body: JSON.stringify({ objects: [note] }),
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ success_count: 1, failure_count: 0 });
  });

  it('serves a new release as soon as its embargo ends, though the page before it was cached', async () => {
    const base = await listen({ log: { stream: countFastHits() } });
    release(hub, alpha.id);
    const later = release(hub, alpha.id, {
      visibleFrom: new Date(hub.clock.now().getTime() + 60_000).toISOString(),
    });
    const ids = async () =>
      (JSON.parse((await get(base, OBJECTS, as(alpha))).body) as { objects: { id: string }[] }).objects.map(
        (x) => x.id,
      );
    expect(await ids()).toHaveLength(1);
    expect(await ids()).toHaveLength(1);
    hub.clock.advance(60_000);
    expect(await ids()).toContain(later.id);
  });
});
