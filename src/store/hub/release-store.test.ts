import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeOnEngines } from '../sql/sql-test-engines.js';
import { withTestSql } from './hub-test-rows.js';
import { type OutcomeRow, type OutcomeState, ReleaseStore } from './release-store.js';

const outcome = (objectId: string, state: OutcomeState, partnerId = 'p'): OutcomeRow => ({
  partner_id: partnerId,
  object_id: objectId,
  object_version: '2026-01-01T00:00:00.000Z',
  outcome: state,
  reasons: [{ code: state, message: `${state} because` }],
  agreement_version: state === 'withheld' ? null : 1,
  fingerprint: `fp-${objectId}-${state}`,
  decided_at: '2026-11-28T10:00:00.000Z',
});

const item = (id: string, objectId: string) => ({
  item_id: id,
  partner_id: 'p',
  object_id: objectId,
  object_version: 'v1',
  agreement_version: 2,
  approvals_required: 2,
  tearline: '{"type":"indicator"}',
  tearline_digest: 'd',
  removed: [{ path: 'external_references', rule: 'strict' }],
  reasons: [{ code: 'needs-approval', message: 'two officers' }],
  fingerprint: `fp-${id}`,
  author: 'ivan',
  created_at: '2026-11-28T10:00:00.000Z',
});

describeOnEngines('ReleaseStore', (open) => {
  it('keeps one outcome per partner and object, replaced in place, and loads a partner’s in one map', async () => {
    await withTestSql(open, async (sql) => {
      const releases = new ReleaseStore(sql);
      await releases.putOutcome(outcome('a', 'withheld'));
      await releases.putOutcome(outcome('b', 'queued'));
      await releases.putOutcome(outcome('a', 'released'));
      await releases.putOutcome(outcome('a', 'withheld', 'q'));
      expect(await releases.outcome('p', 'a')).toEqual(outcome('a', 'released'));
      const map = await releases.outcomesOfPartner('p');
      expect([...map.keys()].sort()).toEqual(['a', 'b']);
      expect(map.get('b')).toEqual(outcome('b', 'queued'));
      expect(await releases.countOutcomes('p')).toEqual({ released: 1, queued: 1 });
      expect((await releases.outcomesOf('a')).map((o) => [o.partner_id, o.outcome])).toEqual([
        ['p', 'released'],
        ['q', 'withheld'],
      ]);
    });
  });

  it('property: outcomesOfPartner holds the last outcome written per object', async () => {
    await withTestSql(open, async (sql) => {
      const releases = new ReleaseStore(sql);
      let run = 0;
      const states: OutcomeState[] = ['released', 'queued', 'withheld', 'denied', 'waiting', 'recalled'];
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.nat(5), fc.constantFrom(...states)), { maxLength: 15 }),
          async (writes) => {
            const partner = `p${run++}`;
            const expected = new Map<string, OutcomeState>();
            for (const [n, state] of writes) {
              await releases.putOutcome(outcome(`o${n}`, state, partner));
              expected.set(`o${n}`, state);
            }
            const got = await releases.outcomesOfPartner(partner);
            expect(new Map([...got].map(([k, v]) => [k, v.outcome]))).toEqual(expected);
          },
        ),
        { numRuns: 40 },
      );
    });
  });

  it('queues items, counts each approver once per fingerprint, and closes them', async () => {
    await withTestSql(open, async (sql) => {
      const releases = new ReleaseStore(sql);
      await releases.insertItem(item('queue--1', 'a'));
      await releases.insertItem({ ...item('queue--2', 'b'), partner_id: 'other' });
      const open1 = await releases.openItem('p', 'a');
      expect(open1).toMatchObject({ state: 'pending', removed: item('x', 'a').removed, closed_at: null });
      expect((await releases.openItems('p')).map((i) => i.item_id)).toEqual(['queue--1']);
      expect(await releases.openItems()).toHaveLength(2);
      const it1 = open1 as NonNullable<typeof open1>;
      const how = { auth: 'password+totp', origin: 'os:1000:olga@desk' };
      const olga = { approver: 'olga', verdict: 'approve', ...how } as const;
      expect(await releases.addApproval(it1, { ...olga, at: '2026-11-28T11:00:00Z' })).toBe(true);
      expect(await releases.addApproval(it1, { ...olga, comment: 'again', at: '2026-11-28T11:01:00Z' })).toBe(
        false,
      );
      expect(await releases.addApproval({ ...it1, fingerprint: 'changed' }, { ...olga, at: 't' })).toBe(true);
      expect(await releases.approvals(it1)).toEqual([
        { approver: 'olga', verdict: 'approve', comment: null, at: '2026-11-28T11:00:00Z', ...how },
      ]);
      await releases.setItemState('queue--1', 'approved');
      expect((await releases.item('queue--1'))?.state).toBe('approved');
      await releases.closeItem('queue--1', 'released', '2026-11-28T12:00:00Z', 'release--1');
      expect(await releases.openItem('p', 'a')).toBeUndefined();
      expect(await releases.item('queue--1')).toMatchObject({ state: 'released', release_id: 'release--1' });
    });
  });

  it('records releases and their recall', async () => {
    await withTestSql(open, async (sql) => {
      const releases = new ReleaseStore(sql);
      const record = {
        release_id: 'release--1',
        partner_id: 'p',
        derived_id: 'indicator--d',
        original_id: 'indicator--o',
        original_version: 'v1',
        agreement_version: 3,
        reasons: ['release: in scope'],
        approvals: [{ approver: 'olga', time: 't' }],
        tearline_digest: 'd',
        released_at: '2026-11-28T10:00:00.000Z',
        visible_from: '2026-11-29T10:00:00.000Z',
        ledger_index: 7,
      };
      await releases.insertRecord(record);
      await releases.insertRecord({ ...record, release_id: 'release--2', original_id: 'indicator--x' });
      expect(await releases.record('release--1')).toEqual({
        ...record,
        recalled_at: null,
        recall_reason: null,
      });
      expect((await releases.records('p')).map((r) => r.release_id)).toEqual(['release--1', 'release--2']);
      expect((await releases.records('p', 'indicator--o')).map((r) => r.release_id)).toEqual(['release--1']);
      await releases.markRecalled('release--1', '2026-11-30T00:00:00.000Z', 'source burned');
      expect(await releases.record('release--1')).toMatchObject({ recall_reason: 'source burned' });
    });
  });
});
