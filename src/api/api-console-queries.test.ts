import { expect, it } from 'vitest';
import { makeRelationship, makeSdo } from '../../test/policy-object-rows.js';
import { createHubReads } from '../store/hub/hub-reads.js';
import { insertObjectRows, withTestSql } from '../store/hub/hub-test-rows.js';
import { readGraphAround } from '../store/hub/object-summaries.js';
import { listActors } from '../store/hub/threat-reads.js';
import { describeOnEngines } from '../store/sql/sql-test-engines.js';
import { searchIntel } from './api-intel.js';

/** The console's read queries over the objects tables, on each engine (flags, LIKE, GROUP BY). */
describeOnEngines('console queries', (open) => {
  it('ranks actors, draws the graph around one, and searches text case-insensitively', async () => {
    await withTestSql(open, async (sql) => {
      const hub = makeSdo('identity');
      const isisk = makeSdo('intrusion-set', { name: 'ISIS-K', created_by_ref: hub.id as string });
      const quiet = makeSdo('threat-actor', { name: 'Quiet' });
      const malware = makeSdo('malware', { name: 'Stager' });
      const uses = makeRelationship(isisk.id as string, malware.id as string);
      const sighting = makeSdo('sighting', { sighting_of_ref: isisk.id as string });
      await insertObjectRows(sql, [hub, isisk, quiet, malware, uses, sighting]);
      // A newer version of the relationship points elsewhere: only the latest counts.
      await insertObjectRows(sql, [
        { ...uses, modified: '2026-07-01T00:00:00.000Z', target_ref: quiet.id as string },
      ]);

      const actors = await listActors(sql);
      expect(actors.map((a) => [a.name, a.activity])).toEqual([
        ['ISIS-K', 2],
        ['Quiet', 1],
      ]);
      const graph = await readGraphAround(sql, isisk.id as string);
      expect(graph.edges).toEqual(
        expect.arrayContaining([
          { source: isisk.id, target: quiet.id, label: 'uses' },
          { source: sighting.id, target: isisk.id, label: 'sighting_of_ref' },
        ]),
      );
      expect(graph.edges).toHaveLength(2);
      expect(new Set(graph.nodes.map((n) => n.id))).toEqual(new Set([isisk.id, quiet.id, sighting.id]));

      const found = await searchIntel(createHubReads(sql), { q: 'isis-k' });
      expect(found.ok && found.items.map((i) => i.id)).toEqual([isisk.id]);
      const near = await searchIntel(createHubReads(sql), { type: 'malware', actor: isisk.id as string });
      expect(near.ok && near.items).toEqual([]);
      expect(await searchIntel(createHubReads(sql), { from: 'yesterday' })).toMatchObject({ ok: false });
      expect(await searchIntel(createHubReads(sql), { size: '500' })).toMatchObject({ ok: false });
      expect(await searchIntel(createHubReads(sql), { sort: 'colour' })).toMatchObject({ ok: false });
    });
  });

  it('pages latest versions sorted by modified, and filters by label', async () => {
    await withTestSql(open, async (sql) => {
      const objects = Array.from({ length: 7 }, (_, i) =>
        makeSdo('malware', {
          name: `m${i}`,
          modified: `2026-06-0${i + 1}T00:00:00.000Z`,
          labels: i % 2 === 0 ? ['even', 'x'] : ['odd'],
        }),
      );
      await insertObjectRows(sql, objects);
      const first = await searchIntel(createHubReads(sql), { type: 'malware', size: '3' });
      expect(first.ok && [first.total, first.pages, first.items.map((i) => i.name)]).toEqual([
        7,
        3,
        ['m6', 'm5', 'm4'],
      ]);
      const last = await searchIntel(createHubReads(sql), { type: 'malware', size: '3', page: '3' });
      expect(last.ok && last.items.map((i) => i.name)).toEqual(['m0']);
      const asc = await searchIntel(createHubReads(sql), { type: 'malware', size: '2', order: 'asc' });
      expect(asc.ok && asc.items.map((i) => i.name)).toEqual(['m0', 'm1']);
      const even = await searchIntel(createHubReads(sql), { label: 'even', size: '2', page: '2' });
      expect(even.ok && [even.total, even.items.map((i) => [i.name, i.labels])]).toEqual([
        4,
        [
          ['m2', ['even', 'x']],
          ['m0', ['even', 'x']],
        ],
      ]);
      // 'even' inside another word's text is not the label.
      expect(await searchIntel(createHubReads(sql), { label: 'eve' })).toMatchObject({ ok: true, total: 0 });
    });
  });
});
