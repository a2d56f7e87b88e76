import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ciphertextDigest, envelopeDigest, FIRST_PREVIOUS, type SealedEnvelope } from './relay-envelope.js';
import { EMPTY_MAILBOX, planSequence } from './relay-sequence.js';

/** A chain of n envelopes (content irrelevant here: only sequence and digests matter). */
function chain(n: number): SealedEnvelope[] {
  const out: SealedEnvelope[] = [];
  let previous = FIRST_PREVIOUS;
  for (let i = 1; i <= n; i++) {
    const e = {
      type: 'x-tearline-sealed-envelope',
      spec_version: '2.1',
      envelope_version: 2,
      id: `x-tearline-sealed-envelope--00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      created: '2026-12-06T10:00:00.000Z',
      modified: '2026-12-06T10:00:00.000Z',
      sender: 'hq',
      recipient: 'kabul',
      sequence: i,
      previous_digest: previous,
      suite: 'hpke-base-x25519-sha256-aes256gcm',
      recipient_key_id: '00000000',
      encapsulated_key: `${'A'.repeat(43)}=`,
      ciphertext_digest: ciphertextDigest('AAAA'),
      ciphertext: 'AAAA',
      signature: `${'A'.repeat(86)}==`,
    } as SealedEnvelope;
    out.push(e);
    previous = envelopeDigest(e);
  }
  return out;
}

describe('planSequence', () => {
  it('takes a whole chain in order', () => {
    const c = chain(4);
    const plan = planSequence(EMPTY_MAILBOX, c);
    expect(plan.accept).toEqual(c);
    expect(plan.problems).toEqual([]);
    expect(plan.next).toEqual({ lastSequence: 4, lastDigest: envelopeDigest(c[3] as SealedEnvelope) });
  });

  it('reports a replay, a reorder, a drop and a broken chain', () => {
    const [a, b, c, d] = chain(4) as [SealedEnvelope, SealedEnvelope, SealedEnvelope, SealedEnvelope];
    const after1 = planSequence(EMPTY_MAILBOX, [a]).next;
    expect(planSequence(after1, [a, b]).problems).toEqual([
      { code: 'replayed', sequence: 1, envelopeId: a.id },
    ]);
    const reordered = planSequence(after1, [c, b]);
    expect(reordered.problems).toEqual([{ code: 'reordered', sequence: 2, envelopeId: b.id }]);
    expect(reordered.accept).toEqual([b, c]);
    const dropped = planSequence(after1, [c, d]);
    expect(dropped.accept).toEqual([]);
    expect(dropped.problems).toEqual([{ code: 'missing', from: 2, to: 2 }]);
    expect(dropped.next).toEqual(after1);
    const forged = { ...b, previous_digest: 'f'.repeat(64) };
    expect(planSequence(after1, [forged, c]).problems).toEqual([
      { code: 'chain-broken', sequence: 2, envelopeId: b.id },
    ]);
  });

  it('accepts exactly the contiguous chained prefix of any delivery, and reports anything else (property)', () => {
    const c = chain(8);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 14 }),
        fc.integer({ min: 0, max: 3 }),
        (picks, already) => {
          const start = already === 0 ? EMPTY_MAILBOX : planSequence(EMPTY_MAILBOX, c.slice(0, already)).next;
          const delivered = picks.map((i) => c[i] as SealedEnvelope);
          const plan = planSequence(start, delivered);
          // What is accepted is always already+1, already+2, ... with no holes.
          expect(plan.accept.map((e) => e.sequence)).toEqual(plan.accept.map((_, k) => already + 1 + k));
          expect(plan.next.lastSequence).toBe(already + plan.accept.length);
          // A delivery that is not exactly the next envelopes in order is always reported.
          const perfect = delivered.every((e, k) => e.sequence === already + 1 + k);
          expect(plan.problems.length === 0).toBe(perfect);
        },
      ),
    );
  });
});
