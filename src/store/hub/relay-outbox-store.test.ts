import { expect, it } from 'vitest';
import { describeOnEngines } from '../sql/sql-test-engines.js';
import { insertPartnerRow, withTestSql } from './hub-test-rows.js';
import { loadRelayDelivery } from './relay-delivery-view.js';
import { MAX_FAILURE_MESSAGE, RelayOutboxStore } from './relay-outbox-store.js';
import { FEEDBACK_OUTBOX_PREFIX, RelayPushFailureStore } from './relay-push-failures.js';

const T0 = new Date('2026-12-06T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

/** An outbox row as a push keeps it (the body is opaque here). */
async function sealed(sql: Parameters<typeof insertPartnerRow>[0], partnerId: string, sequence: number) {
  await sql.run(
    `INSERT INTO relay_outbox (partner_id, sequence, envelope_id, digest, body, after_us, through_us, objects, sealed_at)
     VALUES (?, ?, ?, ?, '{}', 0, 0, 1, ?)`,
    [
      partnerId,
      sequence,
      `x-tearline-sealed-envelope--${partnerId}-${sequence}`,
      'd'.repeat(64),
      T0.toISOString(),
    ],
  );
}

describeOnEngines('RelayOutboxStore refused posts', (open) => {
  it('keeps a row per refused post with its reason and time, shows the open ones to the console, and resolves them once the relay takes the envelope', async () => {
    await withTestSql(open, async (sql) => {
      await insertPartnerRow(sql, 'p-kabul', 'kabul');
      await insertPartnerRow(sql, 'p-ally', 'ally');
      const outbox = new RelayOutboxStore(sql);
      await outbox.setRoute(
        {
          partnerId: 'p-kabul',
          relayUrl: 'http://relay.example/',
          recipient: 'kabul.example',
          recipientKey: 'k',
        },
        T0,
      );
      for (const s of [1, 2, 3]) await sealed(sql, 'p-kabul', s);
      await outbox.addPushFailure(
        'p-kabul',
        1,
        'unreachable',
        'relay http://relay.example/ unreachable',
        at(1),
      );
      await outbox.addPushFailure('p-kabul', 1, 'rate-limited', 'relay refused (429): over the rate', at(2));
      await outbox.addPushFailure('p-kabul', 3, 'envelope-refused', `objects[0]: ${'x'.repeat(2000)}`, at(3));
      await outbox.addPushFailure('p-ally', 1, 'unauthenticated', 'not this partner', at(3));

      const open1 = await outbox.pushFailures('p-kabul');
      expect(open1.map((f) => [f.sequence, f.reason, f.attemptedAt])).toEqual([
        [3, 'envelope-refused', at(3).toISOString()],
        [1, 'rate-limited', at(2).toISOString()],
        [1, 'unreachable', at(1).toISOString()],
      ]);
      // A relay's words are bounded before they are kept.
      expect(open1[0]?.message.length).toBe(MAX_FAILURE_MESSAGE);

      const view = await loadRelayDelivery(sql, 'p-kabul');
      expect(view?.refusedPosts.map((f) => f.reason)).toEqual([
        'envelope-refused',
        'rate-limited',
        'unreachable',
      ]);
      expect(view?.unposted).toBe(3);

      // The relay takes envelopes 1 and 2 on the next push: the attempts at 1 are resolved, not 3's.
      await outbox.markPosted('p-kabul', 1, 10, at(4));
      await outbox.markPosted('p-kabul', 2, 11, at(4));
      expect((await outbox.pushFailures('p-kabul')).map((f) => f.sequence)).toEqual([3]);
      const all = await outbox.pushFailures('p-kabul', { all: true });
      expect(all.filter((f) => f.resolvedAt === at(4).toISOString()).map((f) => f.reason)).toEqual([
        'rate-limited',
        'unreachable',
      ]);
      await outbox.markPosted('p-kabul', 3, 12, at(5));
      expect(await outbox.pushFailures('p-kabul')).toEqual([]);
      expect((await loadRelayDelivery(sql, 'p-kabul'))?.refusedPosts).toEqual([]);
      // Another partner's refusals are its own.
      expect((await outbox.pushFailures('p-ally')).map((f) => f.reason)).toEqual(['unauthenticated']);
    });
  });
});

describeOnEngines('RelayOutboxStore feedback outboxes', (open) => {
  it('lists each hub feedback was sealed for with its open refused posts, apart from partners, until the relay takes the envelope', async () => {
    await withTestSql(open, async (sql) => {
      await insertPartnerRow(sql, 'p-kabul', 'kabul');
      const outbox = new RelayOutboxStore(sql);
      const hq = `${FEEDBACK_OUTBOX_PREFIX}hq.example`;
      expect(await new RelayPushFailureStore(sql).feedbackOutboxes()).toEqual([]);
      await sealed(sql, hq, 1);
      await sealed(sql, 'p-kabul', 1);
      await outbox.addPushFailure(hq, 1, 'unauthenticated', 'relay refused (401)', at(1));
      await outbox.addPushFailure('p-kabul', 1, 'unreachable', 'not feedback', at(1));
      expect(await new RelayPushFailureStore(sql).feedbackOutboxes()).toEqual([
        {
          hub: 'hq.example',
          envelopes: 1,
          unposted: 1,
          lastPost: null,
          refusedPosts: [
            {
              sequence: 1,
              reason: 'unauthenticated',
              message: 'relay refused (401)',
              attemptedAt: at(1).toISOString(),
              resolvedAt: null,
            },
          ],
        },
      ]);
      await outbox.markPosted(hq, 1, 7, at(2));
      expect(await new RelayPushFailureStore(sql).feedbackOutboxes()).toEqual([
        { hub: 'hq.example', envelopes: 1, unposted: 0, lastPost: at(2).toISOString(), refusedPosts: [] },
      ]);
      expect((await outbox.pushFailures('p-kabul')).map((f) => f.reason)).toEqual(['unreachable']);
    });
  });
});
