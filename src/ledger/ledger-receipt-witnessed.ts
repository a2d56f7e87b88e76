import {
  type CosignatureVerifier,
  openCosignatures,
  parseCosignerVerifierKey,
  type VerifiedCosignature,
} from './ledger-cosignature.js';
import { type VerifiedReceipt, verifyReceipt } from './ledger-receipt.js';
import { fail, type LedgerResult } from './ledger-result.js';

/** Which witnesses the verifier trusts, and how many of them must have cosigned. */
export interface WitnessPolicy {
  /** Witness vkeys (type 0x04), as their operators publish them. */
  witnesses: readonly string[];
  /** At least 1 and at most the number of distinct witness keys. */
  quorum: number;
}

export type WitnessedReceipt = VerifiedReceipt & {
  cosignatures: VerifiedCosignature[];
  quorum: number;
};

/** Parses the witness keys of a policy; duplicates (one public key twice) count once. */
export function parseWitnessPolicy(
  policy: WitnessPolicy,
): LedgerResult<{ verifiers: CosignatureVerifier[]; quorum: number }> {
  const verifiers: CosignatureVerifier[] = [];
  const seen = new Set<string>();
  for (const [i, key] of policy.witnesses.entries()) {
    const parsed = parseCosignerVerifierKey(key);
    if (!parsed.ok) return fail('bad-key', `witness ${i + 1}: ${parsed.message}`);
    const id = Buffer.from(parsed.verifier.publicKey).toString('hex');
    if (seen.has(id)) continue;
    seen.add(id);
    verifiers.push(parsed.verifier);
  }
  const { quorum } = policy;
  if (!Number.isSafeInteger(quorum) || quorum < 1)
    return fail('no-quorum', `the quorum must be a whole number >= 1, got ${quorum}`);
  if (quorum > verifiers.length) {
    return fail(
      'no-quorum',
      `a quorum of ${quorum} needs at least ${quorum} distinct witness keys; ${verifiers.length} given`,
    );
  }
  return { ok: true, verifiers, quorum };
}

/**
 * What a partner or an overseer runs offline: the receipt's entry is in the tree the hub signed
 * (inclusion and hub signature, as verifyReceipt), and at least `quorum` of the trusted witnesses
 * cosigned that same checkpoint, so the hub cannot be showing this reader a history the
 * witnesses did not see.
 */
export function verifyWitnessedReceipt(
  receiptJson: string,
  hubKey: string,
  policy: WitnessPolicy,
): LedgerResult<WitnessedReceipt> {
  const parsedPolicy = parseWitnessPolicy(policy);
  if (!parsedPolicy.ok) return parsedPolicy;
  const receipt = verifyReceipt(receiptJson, hubKey);
  if (!receipt.ok) return receipt;
  // verifyReceipt has checked the document: its checkpoint is a string.
  const note = (JSON.parse(receiptJson) as { checkpoint: string }).checkpoint;
  const opened = openCosignatures(note, parsedPolicy.verifiers);
  if (!opened.ok) return fail(opened.code, `receipt checkpoint: ${opened.message}`);
  const { cosignatures } = opened;
  if (cosignatures.length < parsedPolicy.quorum) {
    const signed = new Set(cosignatures.map((c) => c.key));
    const missing = parsedPolicy.verifiers.filter((v) => !signed.has(v.key)).map((v) => v.name);
    return fail(
      'no-quorum',
      `the checkpoint of size ${receipt.checkpoint.size} carries ${cosignatures.length} valid cosignature(s) from the ${parsedPolicy.verifiers.length} trusted witnesses; the quorum is ${parsedPolicy.quorum} (no cosignature from ${missing.join(', ')})`,
    );
  }
  return { ...receipt, cosignatures, quorum: parsedPolicy.quorum };
}
