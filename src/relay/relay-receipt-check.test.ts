import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signCheckpoint } from '../ledger/ledger-checkpoint.js';
import { sealEntry } from '../ledger/ledger-commitment.js';
import { MemoryTree } from '../ledger/ledger-memory-tree.js';
import { formatReceipt } from '../ledger/ledger-receipt.js';
import { envelopeDigest, FIRST_PREVIOUS } from './relay-envelope.js';
import { checkRelayReceipt } from './relay-receipt-check.js';
import { sealEnvelope } from './relay-seal.js';
import { testHubKeys } from './relay-test-keys.js';

/** A relay's ledger holding an envelope's entry (and its delivery), and the receipt document it serves. */
async function setup() {
  const relay = await testHubKeys('doha-relay.example', 31);
  const hq = await testHubKeys('hq.example', 1);
  const kabul = await testHubKeys('kabul.example', 11);
  const sealed = await sealEnvelope({
    id: 'x-tearline-sealed-envelope--0b6f3c1e-5a2d-4f7e-9c3b-1d2e3f4a5b6c',
    created: '2026-12-06T10:00:00.000Z',
    signer: hq.signer,
    recipient: kabul.sealing,
    sequence: 1,
    previousDigest: FIRST_PREVIOUS,
    payload: { objects: [{ type: 'indicator', id: 'indicator--1' }], feed: { after_us: 0, through_us: 1 } },
  });
  if (!sealed.ok) throw new Error(sealed.message);
  const envelope = sealed.envelope;
  const digest = envelopeDigest(envelope);
  const entry = (kind: 'relay-envelope' | 'relay-delivery', sequence = 1, d = digest) => {
    const s = sealEntry(
      {
        kind,
        time: '2026-12-06T10:00:00.000Z',
        actor: 'hq.example',
        sender: 'hq.example',
        recipient: 'kabul.example',
        sequence,
        digest: d,
      },
      randomBytes(32),
    );
    if (!s.ok) throw new Error(s.message);
    return s.leaf;
  };
  const leaves = [
    entry('relay-envelope', 7, 'a'.repeat(64)),
    entry('relay-envelope'),
    entry('relay-delivery'),
  ];
  const tree = MemoryTree.fromEntries(leaves);
  const signed = signCheckpoint(
    { origin: 'doha-relay.example', size: leaves.length, root: tree.root() },
    relay.signer,
  );
  if (!signed.ok) throw new Error(signed.message);
  const receipt = (index: number) => {
    const p = tree.proveInclusion(index);
    if (!p.ok) throw new Error(p.message);
    return JSON.parse(
      formatReceipt({ index, entry: leaves[index] as Buffer, checkpoint: signed.note, proof: p.proof }),
    ) as Record<string, unknown>;
  };
  const doc = {
    envelope_id: envelope.id,
    sequence: 1,
    digest,
    delivered_at: '2026-12-06T10:00:01.000Z',
    accepted: receipt(1),
    delivered: receipt(2),
  };
  return { relay, hq, envelope, doc, receipt };
}

describe("a relay's receipt, checked offline with its key", () => {
  it('proves the relay took and delivered exactly this envelope', async () => {
    const { relay, envelope, doc } = await setup();
    const r = checkRelayReceipt(JSON.stringify(doc), relay.verifier, envelope);
    expect(r).toMatchObject({
      ok: true,
      receipt: { sequence: 1, accepted: { index: 1, treeSize: 3 }, delivered: { index: 2 } },
    });
    const taken = checkRelayReceipt(JSON.stringify({ ...doc, delivered: null }), relay.verifier, envelope);
    expect(taken.ok && taken.receipt.delivered).toBeUndefined();
  });

  it('refuses a tampered receipt with a clear reason', async () => {
    const { relay, hq, envelope, doc, receipt } = await setup();
    const refused = (d: unknown, key = relay.verifier, e = envelope) => {
      const r = checkRelayReceipt(JSON.stringify(d), key, e);
      expect(r.ok).toBe(false);
      return r.ok ? '' : `${r.code}: ${r.message}`;
    };
    expect(refused({ ...doc, digest: 'b'.repeat(64) })).toMatch(
      /bad-relay-receipt: accepted: the relay's entry names sequence 1 and digest .* not 1 and bbbb/,
    );
    expect(
      refused({ ...doc, accepted: receipt(0), delivered: null, sequence: 7, digest: 'a'.repeat(64) }),
    ).toMatch(/not the envelope the relay took/);
    expect(refused({ ...doc, accepted: receipt(2) })).toMatch(/accepted: the entry is a relay-delivery/);
    expect(refused({ ...doc, delivered: receipt(1) })).toMatch(/delivered: the entry is a relay-envelope/);
    expect(refused({ ...doc, accepted: { ...doc.accepted, index: 0 } })).toMatch(/accepted: receipt: /);
    expect(refused(doc, hq.verifier)).toMatch(/accepted: .*(signature|key|origin)/i);
    expect(refused({ ...doc, accepted: null })).toMatch(/holds no proof/);
    expect(refused({ ...doc, sequence: 0 })).toMatch(/sequence must be/);
    expect(checkRelayReceipt('{"envelope_id"', relay.verifier)).toMatchObject({
      ok: false,
      message: /not JSON/,
    });
  });

  it('refuses any change to a proof hash', async () => {
    const { relay, envelope, doc } = await setup();
    const proof = doc.accepted.proof as string[];
    fc.assert(
      fc.property(fc.nat(proof.length - 1), fc.nat(31), fc.integer({ min: 1, max: 255 }), (i, byte, xor) => {
        const bytes = Buffer.from(proof[i] as string, 'base64');
        bytes[byte] = (bytes[byte] as number) ^ xor;
        const changed = proof.map((p, j) => (j === i ? bytes.toString('base64') : p));
        const r = checkRelayReceipt(
          JSON.stringify({ ...doc, accepted: { ...doc.accepted, proof: changed } }),
          relay.verifier,
          envelope,
        );
        return !r.ok && r.code === 'bad-relay-receipt';
      }),
      { numRuns: 50 },
    );
  });
});
