import { expect, it } from 'vitest';
import {
  ciphertextDigest,
  envelopeDigest,
  FIRST_PREVIOUS,
  type SealedEnvelope,
} from '../../relay/relay-envelope.js';
import { describeOnEngines } from '../sql/sql-test-engines.js';
import { withTestSql } from './hub-test-rows.js';
import { RelayMailStore } from './relay-mail-store.js';

const T0 = new Date('2026-12-06T10:00:00Z');
const KEY = 'hq+00000000+AQ==';

function envelope(sequence: number, previous: string, n = sequence): SealedEnvelope {
  return {
    type: 'x-tearline-sealed-envelope',
    spec_version: '2.1',
    envelope_version: 2,
    id: `x-tearline-sealed-envelope--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    created: '2026-12-06T10:00:00.000Z',
    modified: '2026-12-06T10:00:00.000Z',
    sender: 'hq',
    recipient: 'kabul',
    sequence,
    previous_digest: previous,
    suite: 'hpke-base-x25519-sha256-aes256gcm',
    recipient_key_id: '00000000',
    encapsulated_key: `${'A'.repeat(43)}=`,
    ciphertext_digest: ciphertextDigest('AAAA'),
    ciphertext: 'AAAA',
    signature: `${'A'.repeat(86)}==`,
  };
}

describeOnEngines('RelayMailStore', (open) => {
  it('keeps tokens hashed, opens mailboxes only between registered hubs, and only for their parties', async () => {
    await withTestSql(open, async (sql) => {
      const mail = new RelayMailStore(sql);
      const hq = await mail.addHub('hq', KEY, T0);
      expect(hq.ok).toBe(true);
      expect(await mail.addHub('hq', KEY, T0)).toMatchObject({ ok: false });
      expect(await mail.link('hq', 'kabul', T0)).toMatchObject({
        ok: false,
        message: expect.stringMatching(/no hub kabul/),
      });
      await mail.addHub('kabul', KEY, T0);
      await mail.addHub('ally', KEY, T0);
      const linked = await mail.link('hq', 'kabul', T0);
      expect(linked.ok && linked.mailboxes.length).toBe(2);
      if (!hq.ok) return;
      expect(await mail.authenticate(hq.token)).toBe('hq');
      expect(await mail.authenticate(`${hq.token}x`)).toBeUndefined();
      const stored = await sql.all<{ token_hash: string }>('SELECT token_hash FROM relay_hubs');
      expect(stored.every((r) => !r.token_hash.includes(hq.token.slice(4)))).toBe(true);
      expect(await mail.mailboxesOf('ally')).toEqual([]);
      expect((await mail.mailboxesOf('kabul')).map((m) => `${m.sender}>${m.recipient}`)).toEqual([
        'hq>kabul',
        'kabul>hq',
      ]);
    });
  });

  it('takes a mailbox in sequence and chain, answers a retry as a duplicate, and ledgers each step once', async () => {
    await withTestSql(open, async (sql) => {
      const mail = new RelayMailStore(sql);
      await mail.addHub('hq', KEY, T0);
      await mail.addHub('kabul', KEY, T0);
      const linked = await mail.link('hq', 'kabul', T0);
      if (!linked.ok) throw new Error(linked.message);
      const box = linked.mailboxes[0] as (typeof linked.mailboxes)[0];
      const one = envelope(1, FIRST_PREVIOUS);
      const two = envelope(2, envelopeDigest(one));
      const take = (e: SealedEnvelope) => mail.accept(box, e, envelopeDigest(e), JSON.stringify(e), T0);
      expect(await take(two)).toMatchObject({ ok: false, code: 'out-of-sequence' });
      expect(await take(envelope(1, 'f'.repeat(64)))).toMatchObject({ ok: false, code: 'chain-broken' });
      const first = await take(one);
      expect(first).toMatchObject({ ok: true, duplicate: false });
      expect(await take(one)).toEqual({ ...first, duplicate: true });
      expect(
        await take({ ...one, ciphertext: 'BBBB', ciphertext_digest: ciphertextDigest('BBBB') }),
      ).toMatchObject({ ok: false, code: 'conflict' });
      expect(await take(two)).toMatchObject({ ok: true, duplicate: false });
      const page = await mail.page(box.id, 0, 1);
      expect(page.more).toBe(true);
      await mail.markDelivered(box, page.rows, T0);
      await mail.markDelivered(box, page.rows, T0); // stale rows: still delivered once
      const status = await mail.status(box.id);
      expect(status.map((s) => s.delivered_at !== null)).toEqual([true, false]);
      const kinds = await sql.all<{ kind: string }>('SELECT kind FROM ledger_entries ORDER BY idx');
      expect(kinds.map((k) => k.kind)).toEqual(['relay-envelope', 'relay-envelope', 'relay-delivery']);
    });
  });

  it("takes a post's envelopes in one transaction, in order: one refused mid-post leaves those before and after it as the chain allows", async () => {
    await withTestSql(open, async (sql) => {
      const mail = new RelayMailStore(sql);
      await mail.addHub('hq', KEY, T0);
      await mail.addHub('kabul', KEY, T0);
      const linked = await mail.link('hq', 'kabul', T0);
      if (!linked.ok) throw new Error(linked.message);
      const box = linked.mailboxes[0] as (typeof linked.mailboxes)[0];
      const one = envelope(1, FIRST_PREVIOUS);
      const two = envelope(2, envelopeDigest(one));
      const three = envelope(3, envelopeDigest(two));
      const item = (e: SealedEnvelope) => ({
        envelope: e,
        digest: envelopeDigest(e),
        body: JSON.stringify(e),
      });
      const outcomes = await mail.acceptAll(
        box,
        [one, three, two, two, envelope(4, 'f'.repeat(64))].map(item),
        T0,
      );
      expect(outcomes.map((o) => (o.ok ? (o.duplicate ? 'duplicate' : 'taken') : o.code))).toEqual([
        'taken',
        'out-of-sequence',
        'taken',
        'duplicate',
        'out-of-sequence',
      ]);
      // The next post goes on from the chain the first one left.
      expect((await mail.acceptAll(box, [item(three)], T0)).map((o) => o.ok)).toEqual([true]);
      const kinds = await sql.all<{ kind: string }>('SELECT kind FROM ledger_entries ORDER BY idx');
      expect(kinds.map((k) => k.kind)).toEqual(['relay-envelope', 'relay-envelope', 'relay-envelope']);
      expect((await mail.status(box.id)).length).toBe(3);
    });
  });
});
