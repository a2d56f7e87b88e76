import fc from 'fast-check';
import { expect, it } from 'vitest';
import { makeRelationship, makeSdo } from '../../../test/policy-object-rows.js';
import { describeOnEngines } from '../sql/sql-test-engines.js';
import { insertObjectRows, withTestSql } from './hub-test-rows.js';
import { findNeighbourhood } from './neighbourhood.js';

describeOnEngines('findNeighbourhood', (open) => {
  it('walks relationships and other refs up to N hops, skipping provenance and markings', async () => {
    await withTestSql(open, async (db) => {
      const hub = makeSdo('identity');
      const isisk = makeSdo('intrusion-set', { created_by_ref: hub.id as string });
      const malware = makeSdo('malware', { created_by_ref: hub.id as string });
      const indicator = makeSdo('indicator');
      const far = makeSdo('location');
      const unrelated = makeSdo('intrusion-set', { created_by_ref: hub.id as string });
      const r1 = makeRelationship(isisk.id as string, malware.id as string);
      const r2 = makeRelationship(indicator.id as string, malware.id as string, 'indicates');
      const r3 = makeRelationship(indicator.id as string, far.id as string, 'related-to');
      const sighting = makeSdo('sighting', {
        sighting_of_ref: isisk.id as string,
        where_sighted_refs: [far.id as string],
      });
      await insertObjectRows(db, [hub, isisk, malware, indicator, far, unrelated, r1, r2, r3, sighting]);

      const two = await findNeighbourhood(db, [isisk.id as string], 2);
      expect(Object.fromEntries(two)).toEqual({
        [isisk.id as string]: 0,
        [malware.id as string]: 1,
        [sighting.id as string]: 1,
        [indicator.id as string]: 2,
        [far.id as string]: 2,
        [r1.id as string]: 1,
        [r2.id as string]: 2,
        // r3 joins two objects both at 2 hops: inside, so the released graph stays closed.
        [r3.id as string]: 2,
      });
      expect(two.has(hub.id as string)).toBe(false);
      expect(two.has(unrelated.id as string)).toBe(false);

      const zero = await findNeighbourhood(db, [isisk.id as string], 0);
      expect([...zero.keys()]).toEqual([isisk.id]);
      const one = await findNeighbourhood(db, [isisk.id as string], 1);
      expect(new Set(one.keys())).toEqual(new Set([isisk.id, malware.id, sighting.id, r1.id]));
    });
  });

  it('follows only the latest version of a relationship', async () => {
    await withTestSql(open, async (db) => {
      const a = makeSdo('intrusion-set');
      const b = makeSdo('malware');
      const c = makeSdo('tool');
      const rel = makeRelationship(a.id as string, b.id as string);
      await insertObjectRows(db, [a, b, c, rel]);
      await insertObjectRows(db, [
        { ...rel, modified: '2026-07-01T00:00:00.000Z', target_ref: c.id as string },
      ]);
      const hood = await findNeighbourhood(db, [a.id as string], 1);
      expect(hood.has(c.id as string)).toBe(true);
      expect(hood.has(b.id as string)).toBe(false);
    });
  });

  it('handles large frontiers in chunks', async () => {
    await withTestSql(open, async (db) => {
      const seed = makeSdo('intrusion-set');
      const leaves = Array.from({ length: 900 }, () => makeSdo('indicator'));
      await insertObjectRows(db, [
        seed,
        ...leaves,
        ...leaves.map((l) => makeRelationship(l.id as string, seed.id as string, 'indicates')),
      ]);
      const far = makeSdo('location');
      await insertObjectRows(db, [far, makeRelationship(leaves[899]?.id as string, far.id as string)]);
      const hood = await findNeighbourhood(db, [seed.id as string], 2);
      expect(hood.get(far.id as string)).toBe(2);
      expect(hood.size).toBe(1 + 900 + 900 + 1 + 1);
    });
  });

  it('property: equals a breadth-first search over the same relationship graph', async () => {
    // One database for every run: each run's objects have fresh ids, so runs cannot see each other.
    await withTestSql(open, async (db) => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 2, max: 12 }),
          fc.array(fc.tuple(fc.nat(11), fc.nat(11)), { maxLength: 20 }),
          fc.integer({ min: 0, max: 4 }),
          async (size, edges, hops) => {
            const nodes = Array.from({ length: size }, () => makeSdo('intrusion-set'));
            const ids = nodes.map((n) => n.id as string);
            const rels = edges
              .filter(([a, b]) => a < size && b < size)
              .map(([a, b]) => makeRelationship(ids[a] as string, ids[b] as string));
            await insertObjectRows(db, [...nodes, ...rels]);
            const expected = new Map<string, number>([[ids[0] as string, 0]]);
            let frontier = [ids[0] as string];
            for (let d = 1; d <= hops; d++) {
              const next: string[] = [];
              for (const r of rels) {
                const [s, t] = [r.source_ref as string, r.target_ref as string];
                for (const [from, to] of [
                  [s, t],
                  [t, s],
                ] as const) {
                  if (frontier.includes(from) && !expected.has(to)) {
                    expected.set(to, d);
                    next.push(to);
                  }
                }
              }
              frontier = next;
            }
            for (const r of rels) {
              const [da, db_] = [expected.get(r.source_ref as string), expected.get(r.target_ref as string)];
              if (da !== undefined && db_ !== undefined) expected.set(r.id as string, Math.max(da, db_));
            }
            expect(await findNeighbourhood(db, [ids[0] as string], hops)).toEqual(expected);
          },
        ),
        { numRuns: 60 },
      );
    });
  });
});
