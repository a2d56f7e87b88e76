import fc from 'fast-check';
import { expect, it } from 'vitest';
import { makeRelationship, makeSdo } from '../../../test/policy-object-rows.js';
import type { JsonObject } from '../../stix/types.js';
import { describeOnEngines } from '../sql/sql-test-engines.js';
import { insertObjectRows, withTestSql } from './hub-test-rows.js';
import { findNeighbourhood } from './neighbourhood.js';
import { NeighbourhoodCache } from './neighbourhood-cache.js';

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

  it('property: after any sequence of stores and look-ups it answers as a fresh walk does', async () => {
    await withTestSql(open, async (db) => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.oneof(
              fc.record({ kind: fc.constant('link' as const), a: fc.nat(7), b: fc.nat(7) }),
              fc.record({ kind: fc.constant('retarget' as const), rel: fc.nat(20), b: fc.nat(7) }),
              fc.record({ kind: fc.constant('ask' as const), seed: fc.nat(7), hops: fc.nat(3) }),
            ),
            { maxLength: 25 },
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
              } else {
                const seeds = [ids[step.seed] as string];
                expect(new Map(await cache.find(seeds, step.hops))).toEqual(
                  await findNeighbourhood(db, seeds, step.hops),
                );
              }
            }
          },
        ),
        { numRuns: 30 },
      );
    });
  });
});
