import { expect, it } from 'vitest';
import { tlp2MarkingId } from '../../stix/markings-tlp.js';
import { describeOnEngines } from '../sql/sql-test-engines.js';
import { withTestSql } from './hub-test-rows.js';
import { ImportMarkingStore } from './import-marking-store.js';

const T0 = new Date('2026-11-28T10:00:00Z');
const STATEMENT = 'marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168';

describeOnEngines('ImportMarkingStore', (open) => {
  it('keeps one default per user and per source, replaces it, lists and clears it', async () => {
    await withTestSql(open, async (sql) => {
      const store = new ImportMarkingStore(sql);
      expect(await store.get('user', 'ivan')).toBeUndefined();
      await store.set('user', 'ivan', { id: tlp2MarkingId('green'), kind: 'tlp' }, 'local-admin', T0);
      await store.set(
        'source',
        'https://x.example/taxii2/ c1',
        { id: STATEMENT, kind: 'statement' },
        'ada',
        T0,
      );
      await store.set('user', 'ivan', { id: tlp2MarkingId('amber'), kind: 'tlp' }, 'ada', T0);
      expect(await store.get('user', 'ivan')).toEqual({ id: tlp2MarkingId('amber'), kind: 'tlp' });
      // A user and a source of the same name are different defaults.
      expect(await store.get('source', 'ivan')).toBeUndefined();
      expect((await store.list()).map((d) => [d.scope, d.name, d.marking.kind, d.set_by])).toEqual([
        ['source', 'https://x.example/taxii2/ c1', 'statement', 'ada'],
        ['user', 'ivan', 'tlp', 'ada'],
      ]);
      expect(await store.clear('user', 'ivan')).toBe(true);
      expect(await store.clear('user', 'ivan')).toBe(false);
      expect(await store.get('user', 'ivan')).toBeUndefined();
    });
  });
});
