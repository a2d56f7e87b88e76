import { createHash } from 'node:crypto';
import type { NoteVerifier } from '../ledger/ledger-note.js';
import { verifyReceiptWith } from '../ledger/ledger-receipt.js';
import { canonicalJson } from '../stix/canonical-json.js';
import { type RelayResult, relayFail } from './relay-result.js';

/** The SHA-256 of a copy's RFC 8785 JSON: the tearline_digest a release entry records. */
export function copyDigest(object: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(object)).digest('hex');
}

/**
 * Types the sender's feed may carry with no release of their own: the hub's identity and the
 * marking definitions its copies name. A receipt that comes for one is still checked.
 */
export const UNRELEASED_CONTEXT: ReadonlySet<string> = new Set(['identity', 'marking-definition']);

/**
 * Checks the sender hub's release receipts an envelope carries against the objects it carries:
 * each receipt is an inclusion proof in the sender's ledger under a checkpoint signed with its
 * key (the key that signed the envelope), for a release entry whose derived_id and
 * tearline_digest name an object in the envelope; and every object that is not a revocation
 * (a recall's revoked version has no release of its own) or context (UNRELEASED_CONTEXT) has one. So the recipient
 * holds, for each copy, "this is what the hub's ledger says it released to me".
 */
export function checkHubReceipts(
  objects: readonly Record<string, unknown>[],
  receipts: readonly unknown[],
  sender: NoteVerifier,
  where: string,
): RelayResult<{ checked: number }> {
  const digests = new Map<string, { id: string; type: string }>();
  for (const o of objects) {
    if (o.revoked === true || typeof o.id !== 'string') continue;
    digests.set(`${o.id}\u0000${copyDigest(o)}`, { id: o.id, type: String(o.type) });
  }
  const covered = new Set<string>();
  // One signature check per distinct checkpoint (an envelope's receipts usually share one).
  const checkpoints = new Map();
  for (const [i, r] of receipts.entries()) {
    const at = `${where}: hub receipt ${i}`;
    const verified = verifyReceiptWith(JSON.stringify(r), sender, checkpoints);
    if (!verified.ok) return relayFail('bad-hub-receipt', `${at} does not verify: ${verified.message}`);
    const e = verified.entry as { kind: string; derived_id?: unknown; tearline_digest?: unknown };
    if (e.kind !== 'release')
      return relayFail('bad-hub-receipt', `${at} is for a ${e.kind} entry, not a release`);
    const key = `${String(e.derived_id)}\u0000${String(e.tearline_digest)}`;
    if (!digests.has(key))
      return relayFail(
        'bad-hub-receipt',
        `${at} is for ${String(e.derived_id)} with a digest no object in the envelope has`,
      );
    covered.add(key);
  }
  for (const [key, { id, type }] of digests) {
    if (!covered.has(key) && !UNRELEASED_CONTEXT.has(type))
      return relayFail(
        'missing-hub-receipt',
        `${where}: ${id} comes without the sender hub's release receipt`,
      );
  }
  return { ok: true, checked: receipts.length };
}
