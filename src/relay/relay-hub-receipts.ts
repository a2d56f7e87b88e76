import { createHash } from 'node:crypto';
import type { Checkpoint } from '../ledger/ledger-checkpoint.js';
import type { NoteVerifier } from '../ledger/ledger-note.js';
import { verifyReceiptWith } from '../ledger/ledger-receipt.js';
import type { LedgerResult } from '../ledger/ledger-result.js';
import { canonicalJson } from '../stix/canonical-json.js';
import type { OpenedBundle } from './relay-bundle.js';
import { type RelayResult, relayFail } from './relay-result.js';

/** The SHA-256 of a copy's RFC 8785 JSON: the tearline_digest a release entry records. */
export function copyDigest(object: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(object)).digest('hex');
}

/**
 * Types the sender's feed may carry with no release of their own: the hub's identity and the
 * marking definitions its copies name. The bundle receipt covers them like every other object.
 */
export const UNRELEASED_CONTEXT: ReadonlySet<string> = new Set(['identity', 'marking-definition']);

/**
 * Checks the sender hub's receipt for an opened envelope's bundle: an inclusion proof in the
 * sender's ledger, under a checkpoint signed with its key (the key that signed the envelope), of
 * a 'relay-bundle' entry for this envelope's sequence whose digest is the SHA-256 of the exact
 * bytes opened. So one receipt proves every object imported from the envelope (identities and
 * marking definitions too) is what the hub's ledger says it sent. Each released copy must also
 * name the release it came from (payload.releases), which the hub's ledger holds by that id.
 */
export function checkBundleReceipt(
  opened: OpenedBundle,
  sequence: number,
  sender: NoteVerifier,
  where: string,
  /** Checkpoints already opened with this key, by their text (a pull opens one per checkpoint). */
  checkpoints: Map<string, LedgerResult<{ checkpoint: Checkpoint }>> = new Map(),
): RelayResult<{ checked: number }> {
  const at = `${where}: the hub's bundle receipt`;
  if (!opened.receipt)
    return relayFail('missing-hub-receipt', `${where} comes without the sender hub's bundle receipt`);
  const verified = verifyReceiptWith(JSON.stringify(opened.receipt), sender, checkpoints);
  if (!verified.ok) return relayFail('bad-hub-receipt', `${at} does not verify: ${verified.message}`);
  const e = verified.entry as { kind: string; sequence?: unknown; digest?: unknown };
  if (e.kind !== 'relay-bundle')
    return relayFail('bad-hub-receipt', `${at} is for a ${e.kind} entry, not a relay-bundle`);
  if (e.sequence !== sequence)
    return relayFail('bad-hub-receipt', `${at} is for envelope ${String(e.sequence)}, not ${sequence}`);
  if (e.digest !== opened.digest)
    return relayFail(
      'bad-hub-receipt',
      `${at} names bundle digest ${String(e.digest)}, but the bytes opened hash to ${opened.digest} (changed after the hub recorded them)`,
    );
  const released = new Set((opened.payload.releases ?? []).map((r) => r.derived_id));
  for (const o of opened.payload.objects) {
    if (o.revoked === true || UNRELEASED_CONTEXT.has(String(o.type))) continue;
    if (!released.has(String(o.id)))
      return relayFail('missing-hub-receipt', `${where}: ${String(o.id)} names no release it came from`);
  }
  return { ok: true, checked: 1 };
}
