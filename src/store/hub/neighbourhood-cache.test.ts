import fc from 'fast-check';
import { expect, it } from 'vitest';
import { makeRelationship, makeSdo } from '../../../test/policy-object-rows.js';
import type { JsonObject } from '../../stix/types.js';
import type { SqlDatabase } from '../sql/sql-database.js';
import { describeOnEngines } from '../sql/sql-test-engines.js';
import { insertObjectRows, withTestSql } from './hub-test-rows.js';
import { findNeighbourhood } from './neighbourhood.js';
import { NeighbourhoodCache } from './neighbourhood-cache.js';

/** Seeds (of eight objects) and hops. */
const SCOPES: readonly (readonly [readonly number[], number])[] = [
  [[0], 0],
  [[0], 1],
  [[0], 2],
  [[1, 4], 2],
  [[2], 3],
  [[5, 6], 1],
];

/** The same database, counting the statements that walk relationships. */
function counting(db: SqlDatabase): { sql: SqlDatabase; walks: () => number } {
  let walks = 0;
  const sql = Object.create(db) as SqlDatabase;
  sql.all = <T>(text: string, params?: readonly unknown[]) => {
    if (text.includes("s.path = 'source_ref'")) walks++;
    return db.all<T>(text, params);
  };
  sql.get = <T>(text: string, params?: readonly unknown[]) => db.get<T>(text, params);
  return { sql, walks: () => walks };
}

describeOnEngines('NeighbourhoodCache', (open) => {
  it('answers from memory until an object is stored, then walks again', async () => {
    await withTestSql(open, async (db) => {
      const a = makeSdo('intrusion-set');
      const b = makeSdo('malware');
      const c = makeSdo('tool');
      await insertObjectRows(db, [a, b, c, makeRelationship(a.id as string, b.id as string)]);
      const cache = new NeighbourhoodCache(db);
      const first = await cache.find([a.id as string], 1);
      expect(first.has(b.id as string)).toBe(true);
      // Same scope, seeds in another order: the same remembered answer.
      expect(await cache.find([a.id as string, a.id as string], 1)).toBe(first);
      // A new relationship (as any process would store it) is seen on the next call.
      await insertObjectRows(db, [makeRelationship(a.id as string, c.id as string)]);
      const after = await cache.find([a.id as string], 1);
      expect(after).not.toBe(first);
      expect(after.has(c.id as string)).toBe(true);
    });
  });

  it('extends a remembered walk when objects are only added, walking only from what they touch', async () => {
    await withTestSql(open, async (db) => {
      const chain = Array.from({ length: 8 }, () => makeSdo('intrusion-set'));
      const ids = chain.map((n) => n.id as string);
      const links = ids.slice(1).map((id, i) => makeRelationship(ids[i] as string, id));
      await insertObjectRows(db, [...chain, ...links]);
      const { sql, walks } = counting(db);
      const cache = new NeighbourhoodCache(sql);
      const seeds = [ids[0] as string];
      await cache.find(seeds, 3);
      const walked = walks();
      expect(walked).toBe(4); // one read per level, 0 to 3

      // Far from the scope (5 to 7): remembered as it was, no walk.
      await insertObjectRows(db, [makeRelationship(ids[5] as string, ids[7] as string)]);
      expect(new Map(await cache.find(seeds, 3))).toEqual(await findNeighbourhood(db, seeds, 3));
      expect(walks()).toBe(walked);

      // A shortcut from the seed to 6 brings 6 in at 1 and 5 and 7 in at 2: walked from those only.
      const report = makeSdo('report', { object_refs: [ids[0] as string, ids[6] as string] });
      await insertObjectRows(db, [report]);
      const hood = await cache.find(seeds, 3);
      expect(new Map(hood)).toEqual(await findNeighbourhood(db, seeds, 3));
      expect(hood.get(ids[6] as string)).toBe(2);
      expect(hood.get(ids[7] as string)).toBe(3);
      expect(walks() - walked).toBeLessThan(walked);

      // A shortcut to an object the walk held (2, at 2 hops) brings it to 1 and 3 (beyond the
      // scope until now) in at 2: walked on from an object already held.
      const fromStart = [ids[0] as string];
      await cache.find(fromStart, 2);
      await insertObjectRows(db, [makeRelationship(ids[0] as string, ids[2] as string)]);
      const closer = await cache.find(fromStart, 2);
      expect(new Map(closer)).toEqual(await findNeighbourhood(db, fromStart, 2));
      expect(closer.get(ids[2] as string)).toBe(1);
      expect(closer.get(ids[3] as string)).toBe(2);

      // A second relationship between two objects already held moves no distance: still in.
      const again = makeRelationship(ids[1] as string, ids[2] as string, 'related-to');
      await insertObjectRows(db, [again]);
      const same = await cache.find(fromStart, 2);
      expect(same.get(again.id as string)).toBe(1);
      expect(new Map(same)).toEqual(await findNeighbourhood(db, fromStart, 2));
    });
  });

  it('property: after any sequence of stores and look-ups it answers as a fresh walk does', async () => {
    await withTestSql(open, async (db) => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.oneof(
              fc.record({ kind: fc.constant('link' as const), a: fc.nat(7), b: fc.nat(7) }),
              fc.record({ kind: fc.constant('retarget' as const), rel: fc.nat(20), b: fc.nat(7) }),
              // A report (object_refs are hops), marked and attributed (those are not).
              fc.record({ kind: fc.constant('report' as const), of: fc.array(fc.nat(9), { maxLength: 3 }) }),
              // A few scopes asked again and again, as release passes do: remembered walks extended.
              fc.record({ kind: fc.constant('ask' as const), scope: fc.nat(SCOPES.length - 1) }),
            ),
            { minLength: 10, maxLength: 30, size: 'max' },
          ),
          async (steps) => {
            const nodes = Array.from({ length: 8 }, () => makeSdo('intrusion-set'));
            const ids = nodes.map((n) => n.id as string);
            await insertObjectRows(db, nodes);
            const rels: JsonObject[] = [];
            const cache = new NeighbourhoodCache(db, 4);
            let minute = 0;
            for (const step of steps) {
              if (step.kind === 'link') {
                const rel = makeRelationship(ids[step.a] as string, ids[step.b] as string);
                rels.push(rel);
                await insertObjectRows(db, [rel]);
              } else if (step.kind === 'retarget') {
                const rel = rels[step.rel % Math.max(rels.length, 1)];
                if (!rel) continue;
                // A newer version of a relationship: the old edge leaves, the new one counts.
                const modified = new Date(Date.UTC(2026, 6, 1, 0, ++minute)).toISOString();
                const next = { ...rel, modified, target_ref: ids[step.b] as string };
                rels[rels.indexOf(rel)] = next;
                await insertObjectRows(db, [next]);
              } else if (step.kind === 'report') {
                // 8 and 9 name a relationship stored so far, when there is one.
                const refs = step.of
                  .map((i) => (i < 8 ? ids[i] : rels[i - 8]?.id))
                  .filter((id): id is string => typeof id === 'string');
                if (refs.length === 0) continue;
                const report = makeSdo('report', {
                  object_refs: refs,
                  created_by_ref: ids[7] as string,
                  object_marking_refs: ['marking-definition--f88d31f6-486f-44da-b317-01333bde0b82'],
                });
                await insertObjectRows(db, [report]);
              } else {
                const [of, hops] = SCOPES[step.scope] as (typeof SCOPES)[number];
                const seeds = of.map((s) => ids[s] as string);
                expect(new Map(await cache.find(seeds, hops))).toEqual(
                  await findNeighbourhood(db, seeds, hops),
                );
              }
            }
          },
        ),
        { numRuns: 50 },
      );
    });
  });
});
