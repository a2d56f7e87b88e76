import fc from 'fast-check';
import { expect, it } from 'vitest';
import { makeRelationship, makeSdo } from '../../../test/policy-object-rows.js';
import type { JsonObject } from '../../stix/types.js';
import { describeOnEngines } from '../sql/sql-test-engines.js';
import { insertObjectRows, withTestSql } from './hub-test-rows.js';
import { ObjectFacets } from './object-facets.js';

describeOnEngines('ObjectFacets', (open) => {
  it('titles relationships by their ends and groups by the citing report, and sees renames at once', async () => {
    await withTestSql(open, async (db) => {
      const actor = makeSdo('intrusion-set', { name: 'ISIS-K' });
      const tool = makeSdo('tool', { name: 'Telegram', labels: ['messaging'] });
      const rel = makeRelationship(actor.id as string, tool.id as string);
      await insertObjectRows(db, [actor, tool, rel]);
      const facets = new ObjectFacets(db, { remember: true });
      const ids = [rel.id as string, tool.id as string];
      const first = await facets.of(ids);
      expect(first.get(rel.id as string)).toEqual({
        type: 'relationship',
        labels: [],
        title: 'ISIS-K -> uses -> Telegram',
        group: { key: actor.id, title: 'ISIS-K', kind: 'object' },
      });
      expect(first.get(tool.id as string)?.labels).toEqual(['messaging']);
      // A new version of an end renames the relationship; a report citing the tool regroups it.
      const report = makeSdo('report', {
        name: 'Crocus City Hall',
        published: '2026-06-01T00:00:00.000Z',
        object_refs: [tool.id as string],
      });
      await insertObjectRows(db, [{ ...actor, name: 'ISKP', modified: '2026-07-01T00:00:00.000Z' }, report]);
      const after = await facets.of(ids);
      expect(after.get(rel.id as string)?.title).toBe('ISKP -> uses -> Telegram');
      expect(after.get(tool.id as string)?.group).toEqual({
        key: report.id,
        title: 'report: Crocus City Hall',
        kind: 'report',
      });
    });
  });

  it('property: remembered facets equal facets derived afresh after any sequence of stores', async () => {
    await withTestSql(open, async (db) => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.oneof(
              fc.record({ kind: fc.constant('rename' as const), node: fc.nat(5) }),
              fc.record({ kind: fc.constant('link' as const), a: fc.nat(5), b: fc.nat(5) }),
              fc.record({ kind: fc.constant('cite' as const), node: fc.nat(5) }),
              fc.record({ kind: fc.constant('ask' as const), pick: fc.array(fc.nat(30), { maxLength: 6 }) }),
            ),
            { maxLength: 20 },
          ),
          async (steps) => {
            const nodes: JsonObject[] = Array.from({ length: 6 }, () => makeSdo('malware'));
            await insertObjectRows(db, nodes);
            const known = nodes.map((n) => n.id as string);
            const remembered = new ObjectFacets(db, { remember: true });
            let minute = 0;
            for (const step of steps) {
              const modified = new Date(Date.UTC(2026, 6, 1, 0, ++minute)).toISOString();
              if (step.kind === 'rename') {
                const node = { ...(nodes[step.node] as JsonObject), name: `renamed ${minute}`, modified };
                nodes[step.node] = node;
                await insertObjectRows(db, [node]);
              } else if (step.kind === 'link') {
                const rel = makeRelationship(known[step.a] as string, known[step.b] as string);
                known.push(rel.id as string);
                await insertObjectRows(db, [rel]);
              } else if (step.kind === 'cite') {
                const report = makeSdo('report', {
                  published: modified,
                  object_refs: [known[step.node] as string],
                });
                known.push(report.id as string);
                await insertObjectRows(db, [report]);
              } else {
                const ids = step.pick.map((i) => known[i % known.length] as string);
                expect(await remembered.of(ids)).toEqual(await new ObjectFacets(db).of(ids));
              }
            }
          },
        ),
        { numRuns: 25 },
      );
    });
  });
});
