import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { openStoredEntry } from '../../ledger/ledger-commitment.js';
import { describeOnEngines } from '../sql/sql-test-engines.js';
import { AgreementStore } from './agreement-store.js';
import { insertPartnerRow, withTestSql } from './hub-test-rows.js';

const text = readFileSync(
  new URL('../../policy/fixtures/agreement-distrusted.yaml', import.meta.url),
  'utf8',
);
const ctx = { actor: 'local-admin', now: new Date('2026-11-01T00:00:00Z'), reason: 'a new assurance' };

describeOnEngines('AgreementStore', (open) => {
  it('keeps every version with its raw text, and does not add a version for an unchanged agreement', async () => {
    await withTestSql(open, async (sql) => {
      await insertPartnerRow(sql, 'p');
      const store = new AgreementStore(sql);
      expect(await store.set('p', text, ctx)).toEqual({ ok: true, version: 1, unchanged: false });
      expect(await store.set('p', `# comment only\n${text}`, ctx)).toEqual({
        ok: true,
        version: 1,
        unchanged: true,
      });
      expect(
        await store.set('p', text.replace('tlp_ceiling: green', 'tlp_ceiling: clear'), {
          ...ctx,
          reason: 'ceiling lowered after the breach review',
        }),
      ).toMatchObject({ version: 2 });
      expect((await store.list('p')).map((v) => [v.version, v.body.tlp_ceiling, v.actor, v.reason])).toEqual([
        [1, 'green', 'local-admin', 'a new assurance'],
        [2, 'clear', 'local-admin', 'ceiling lowered after the breach review'],
      ]);
      // The why is in the ledger entry's private part: committed, opened for overseers only.
      const row = await sql.get<{ bytes: Uint8Array; salt: Uint8Array; private: Uint8Array }>(
        'SELECT bytes, salt, private FROM ledger_entries ORDER BY idx DESC LIMIT 1',
      );
      const opened = row && openStoredEntry(row.bytes, { salt: row.salt, private: row.private });
      expect(opened).toMatchObject({
        ok: true,
        entry: { details: { reason: 'ceiling lowered after the breach review' } },
      });
      expect(Buffer.from(row?.bytes ?? []).toString()).not.toContain('breach review');
      expect((await store.get('p', 1))?.raw_text).toBe(text);
      expect((await store.latest('p'))?.version).toBe(2);
      const bad = await store.set('p', text.replace('approval: two', 'approval: three'), ctx);
      expect(bad).toMatchObject({ ok: false, errors: [{ path: 'approval', line: 13 }] });
      expect(await store.list('p')).toHaveLength(2);
      expect(await sql.get('SELECT count(*) AS n FROM ledger_entries')).toEqual({ n: 2 });
    });
  });

  it('numbers concurrent new versions without a gap or a clash', async () => {
    await withTestSql(open, async (sql) => {
      await insertPartnerRow(sql, 'p');
      const store = new AgreementStore(sql);
      const ceilings = ['clear', 'green', 'amber'];
      const set = await Promise.all(
        ceilings.map((c) => store.set('p', text.replace('tlp_ceiling: green', `tlp_ceiling: ${c}`), ctx)),
      );
      expect(set.every((r) => r.ok)).toBe(true);
      expect((await store.list('p')).map((v) => v.version)).toEqual([1, 2, 3]);
    });
  });
});
