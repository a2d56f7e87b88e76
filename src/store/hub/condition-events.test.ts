import { expect, it } from 'vitest';
import { deriveFacts } from '../../policy/condition-replay.js';
import { describeOnEngines } from '../sql/sql-test-engines.js';
import { ConditionEvents } from './condition-events.js';
import { insertPartnerRow, withTestSql } from './hub-test-rows.js';

const at = (iso: string) => ({ actor: 'local-admin', now: new Date(iso) });
const P = 'identity--p';

describeOnEngines('ConditionEvents', (open) => {
  it('replays attestations, revocations, reviews, suspensions and breaches into current facts', async () => {
    await withTestSql(open, async (sql) => {
      await insertPartnerRow(sql, P);
      const events = new ConditionEvents(sql);
      const first = await events.attestAssurance(
        P,
        'hr-1',
        { valid_until: '2027-01-01T00:00:00Z', grade: 'B2' },
        at('2026-11-01T00:00:00Z'),
      );
      const second = await events.recordReview(P, 'quarterly', at('2026-11-02T00:00:00Z'));
      expect(second).toBeGreaterThan(first);
      await events.setSuspension(P, true, 'press reports', at('2026-11-03T00:00:00Z'));
      const b1 = await events.openBreach(P, 'onward sharing', at('2026-11-04T00:00:00Z'));
      const b2 = await events.openBreach(P, 'leak', at('2026-11-05T00:00:00Z'));
      expect([b1, b2]).toEqual(['B1', 'B2']);
      expect(await events.closeBreach(P, 'B1', 'resolved', at('2026-11-06T00:00:00Z'))).toBe(true);
      expect(await events.closeBreach(P, 'B1', 'again', at('2026-11-06T00:00:00Z'))).toBe(false);
      await events.revokeAssurance(P, 'hr-1', 'withdrawn', at('2026-11-07T00:00:00Z'));
      const list = await events.list(P);
      const facts = deriveFacts(list);
      expect(facts.assurances?.get('hr-1')).toMatchObject({ state: 'revoked', reason: 'withdrawn' });
      expect(facts.lastReviewAt).toBe('2026-11-02T00:00:00.000Z');
      expect(facts.suspension).toMatchObject({ on: true, reason: 'press reports' });
      expect(facts.openBreaches?.map((b) => b.id)).toEqual(['B2']);
      expect(list.every((e) => e.actor === 'local-admin')).toBe(true);
      // One ledger entry per event, none for the refused close.
      expect(await sql.get('SELECT count(*) AS n FROM ledger_entries')).toEqual({ n: list.length });
    });
  });

  it('numbers breaches opened at the same time B1, B2, B3 with no duplicate', async () => {
    await withTestSql(open, async (sql) => {
      await insertPartnerRow(sql, P);
      const events = new ConditionEvents(sql);
      const ids = await Promise.all(
        [1, 2, 3].map((i) => events.openBreach(P, `report ${i}`, at('2026-11-04T00:00:00Z'))),
      );
      expect(ids.sort()).toEqual(['B1', 'B2', 'B3']);
    });
  });
});
