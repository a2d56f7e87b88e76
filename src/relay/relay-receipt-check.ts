import type { NoteVerifier } from '../ledger/ledger-note.js';
import { verifyReceiptWith } from '../ledger/ledger-receipt.js';
import { envelopeDigest, type SealedEnvelope } from './relay-envelope.js';
import { type RelayResult, relayFail } from './relay-result.js';

/** One of the relay's two proofs, as checked. */
export interface RelayProof {
  index: number;
  treeSize: number;
  time: string;
}

export interface CheckedRelayReceipt {
  envelopeId: string;
  sequence: number;
  digest: string;
  accepted: RelayProof;
  /** Present once the relay served the envelope to its recipient. */
  delivered?: RelayProof;
}

const bad = (message: string) => relayFail('bad-relay-receipt', message);

/**
 * Checks, offline, a relay's receipt document for one envelope (GET /relay/mailboxes/ID/receipts/E):
 * the 'accepted' proof (and the 'delivered' one, if any) must be inclusion proofs under
 * checkpoints signed with the relay's key, for relay-envelope (relay-delivery) entries naming the
 * document's sequence and digest; with the envelope itself, its digest must be that digest.
 * What the sender proves with it: the relay took (and delivered) exactly this envelope.
 */
export function checkRelayReceipt(
  text: string,
  relay: NoteVerifier,
  envelope?: SealedEnvelope,
): RelayResult<{ receipt: CheckedRelayReceipt }> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return bad('the receipt is not JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    return bad('the receipt must be a JSON object');
  const d = doc as Record<string, unknown>;
  if (typeof d.envelope_id !== 'string') return bad('envelope_id must be a string');
  if (!Number.isSafeInteger(d.sequence) || (d.sequence as number) < 1)
    return bad('sequence must be a whole number >= 1');
  if (typeof d.digest !== 'string' || !/^[0-9a-f]{64}$/.test(d.digest))
    return bad('digest must be 64 lower-case hex digits');
  const sequence = d.sequence as number;
  const digest = d.digest;
  const proof = (name: 'accepted' | 'delivered', kind: string): RelayResult<{ proof: RelayProof }> => {
    const r = verifyReceiptWith(JSON.stringify(d[name]), relay);
    if (!r.ok) return bad(`${name}: ${r.message}`);
    const e = r.entry as { kind: string; time: string; sequence?: unknown; digest?: unknown };
    if (e.kind !== kind) return bad(`${name}: the entry is a ${e.kind}, not a ${kind}`);
    if (e.sequence !== sequence || e.digest !== digest)
      return bad(
        `${name}: the relay's entry names sequence ${String(e.sequence)} and digest ${String(e.digest)}, not ${sequence} and ${digest}`,
      );
    return { ok: true, proof: { index: r.index, treeSize: r.checkpoint.size, time: e.time } };
  };
  if (d.accepted === null || d.accepted === undefined) return bad('accepted: the receipt holds no proof');
  const accepted = proof('accepted', 'relay-envelope');
  if (!accepted.ok) return accepted;
  let delivered: RelayProof | undefined;
  if (d.delivered !== null && d.delivered !== undefined) {
    const p = proof('delivered', 'relay-delivery');
    if (!p.ok) return p;
    delivered = p.proof;
  }
  if (envelope) {
    if (envelope.id !== d.envelope_id)
      return bad(`the envelope is ${envelope.id}, the receipt is for ${d.envelope_id}`);
    if (envelopeDigest(envelope) !== digest)
      return bad(
        "the envelope's digest is not the one the relay's ledger names: it is not the envelope the relay took",
      );
  }
  return {
    ok: true,
    receipt: {
      envelopeId: d.envelope_id,
      sequence,
      digest,
      accepted: accepted.proof,
      ...(delivered && { delivered }),
    },
  };
}
