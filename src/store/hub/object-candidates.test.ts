import fc from 'fast-check';
import { expect, it } from 'vitest';
import { makeSdo } from '../../../test/policy-object-rows.js';
import { describeOnEngines } from '../sql/sql-test-engines.js';
import { insertObjectRows, withTestSql } from './hub-test-rows.js';
import { findMergeCandidates, MAX_CANDIDATES } from './object-candidates.js';

describeOnEngines('findMergeCandidates', (open) => {
  it('matches name or alias (case and accents folded), best match first, only the types asked for, latest versions', async () => {
    await withTestSql(open, async (db) => {
      const isk = makeSdo('intrusion-set', { name: 'ISIS-K', aliases: ['ISKP', 'Wilayat Khorasan'] });
      const network = makeSdo('threat-actor', { name: 'ISKP external operations' });
      const deou = makeSdo('location', { name: 'Déou', country: 'BF' });
      const about = makeSdo('location', { name: 'Kabul', country: 'AF', description: 'ISKP is active here' });
      await insertObjectRows(db, [isk, network, deou, about]);
      const groups = await findMergeCandidates(db, 'iskp', ['intrusion-set', 'threat-actor']);
      expect(groups.map((c) => [c.name, c.match, c.matched])).toEqual([
        ['ISIS-K', 'exact', 'ISKP'],
        ['ISKP external operations', 'prefix', 'ISKP external operations'],
      ]);
      expect(groups[0]?.aliases).toEqual(['ISKP', 'Wilayat Khorasan']);
      // The description matches the text, not the name: no candidate.
      expect(await findMergeCandidates(db, 'ISKP', ['location'])).toEqual([]);
      expect((await findMergeCandidates(db, 'khorasan', ['intrusion-set']))[0]?.match).toBe('contains');
      expect((await findMergeCandidates(db, 'Déou', ['location'])).map((c) => c.id)).toEqual([deou.id]);
      // Typed without its accent, on both engines (the database's first cut is not accent-blind).
      expect((await findMergeCandidates(db, 'Deou', ['location'])).map((c) => [c.id, c.match])).toEqual([
        [deou.id, 'exact'],
      ]);
      expect((await findMergeCandidates(db, 'deo', ['location'])).map((c) => c.match)).toEqual(['prefix']);
      // A renamed version replaces the old name.
      await insertObjectRows(db, [{ ...isk, name: 'IS-Khorasan', modified: '2030-01-01T00:00:00.000Z' }]);
      expect((await findMergeCandidates(db, 'IS-Khorasan', ['intrusion-set'])).map((c) => c.match)).toEqual([
        'exact',
      ]);
      expect(await findMergeCandidates(db, 'ISIS-K', ['intrusion-set'])).toEqual([]);
    });
  });

  it('property: at most the limit, every one of the asked types, every one answering to the query', async () => {
    await withTestSql(open, async (db) => {
      const names = Array.from({ length: 40 }, (_, i) => `Cell ${i} of %_\\ network`);
      await insertObjectRows(
        db,
        names.map((name, i) => makeSdo(i % 2 ? 'intrusion-set' : 'identity', { name })),
      );
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('cell', '%_\\', 'of', 'x', '1', 'network'), async (q) => {
          const got = await findMergeCandidates(db, q, ['intrusion-set']);
          expect(got.length).toBeLessThanOrEqual(MAX_CANDIDATES);
          for (const c of got) {
            expect(c.type).toBe('intrusion-set');
            expect(c.matched.toLowerCase()).toContain(q.toLowerCase());
          }
          if (q !== 'x') expect(got.length).toBeGreaterThan(0);
        }),
        { numRuns: 12 },
      );
    });
  });
});
