import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPartner, basic, memoryHub, release, TAXII, testServer } from './taxii-fixture.js';

let hub: ReturnType<typeof memoryHub>;
let app: ReturnType<typeof testServer>;

beforeAll(() => {
  hub = memoryHub();
  app = testServer(hub, { limits: { maxPageSize: 4 } });
});
afterAll(async () => {
  await app.close();
  hub.close();
});

type Step =
  | { kind: 'release'; embargoS: number }
  | { kind: 'page'; limit: number }
  | { kind: 'tick'; s: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('release' as const), embargoS: fc.constantFrom(0, 0, 3, 20) }),
  fc.record({ kind: fc.constant('page' as const), limit: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant('tick' as const), s: fc.integer({ min: 0, max: 5 }) }),
);

describe('paging over HTTP (with the page cache in the path)', () => {
  it('never yields a duplicate or leaves a gap while releases are added, embargoed and published', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 30 }), async (steps) => {
        const p = await addPartner(hub, `prop-${run++}`);
        const auth = basic(p.name, p.token);
        const seen: string[] = [];
        let next: string | undefined;
        let start: string | undefined;
        const read = async (limit: number) => {
          const q = next ? `&next=${next}` : start ? `&added_after=${start}` : '';
          const res = await app.inject({
            url: `/taxii2/hub/collections/releases/objects/?limit=${limit}${q}`,
            headers: { authorization: auth, accept: TAXII },
          });
          const env = JSON.parse(res.body) as { objects: { id: string }[]; more: boolean; next?: string };
          seen.push(...env.objects.map((o) => o.id));
          // Without `more`, a client resumes from the last date it saw: no next token is given.
          if (env.next) next = env.next;
          else if (env.objects.length > 0) {
            next = undefined;
            start = res.headers['x-taxii-date-added-last'] as string;
          }
          return env.more;
        };
        for (const s of steps) {
          if (s.kind === 'release') {
            release(hub, p.id, {
              visibleFrom: new Date(hub.clock.now().getTime() + s.embargoS * 1000).toISOString(),
            });
          } else if (s.kind === 'page') await read(s.limit);
          else hub.clock.advance(s.s * 1000);
        }
        hub.clock.advance(60_000);
        while (await read(4));
        const total = hub.db
          .prepare('SELECT count(*) FROM releases WHERE partner_id = ? AND feed_us IS NOT NULL')
          .pluck()
          .get(p.id) as number;
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen.length).toBe(total);
      }),
      { numRuns: 40 },
    );
  });
});
