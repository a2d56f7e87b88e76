import { type Checkpoint, parseCheckpoint } from './ledger-checkpoint.js';
import { splitSignedNote } from './ledger-cosignature.js';
import { EMPTY_ROOT, equalHashes, type Hash } from './ledger-hash.js';
import { type NoteVerifier, openNote } from './ledger-note.js';
import { verifyConsistency } from './ledger-proof.js';
import { parseAddCheckpoint } from './ledger-witness-request.js';

/*
 * What a C2SP tlog-witness decides about one add-checkpoint request, given the log keys it
 * trusts and the checkpoint it last cosigned for the origin. Pure: the server runs this inside
 * the transaction that reads and then updates its state, so check and update are one step.
 */

/** The latest checkpoint a witness cosigned for an origin (size 0 and the empty root if none). */
export interface HeldCheckpoint {
  size: number;
  root: Hash;
}

export type WitnessRefusalCode =
  | 'malformed'
  | 'unknown-origin'
  | 'bad-signature'
  | 'old-size-above-new'
  | 'old-size-mismatch'
  | 'bad-empty-root'
  | 'proof-not-empty'
  | 'inconsistent';

/** The HTTP status the spec gives each refusal. */
export const REFUSAL_STATUS: Record<WitnessRefusalCode, 400 | 403 | 404 | 409 | 422> = {
  malformed: 400,
  'unknown-origin': 404,
  'bad-signature': 403,
  'old-size-above-new': 400,
  'old-size-mismatch': 409,
  'bad-empty-root': 422,
  'proof-not-empty': 422,
  inconsistent: 422,
};

export type WitnessDecision =
  | {
      ok: true;
      origin: string;
      checkpoint: Checkpoint;
      /** The checkpoint's note text (what a cosignature signs). */
      text: string;
      /** The signed checkpoint as received. */
      note: string;
      /** The signature lines of the note that verified under the log's keys. */
      logSignatures: string[];
      oldSize: number;
    }
  | {
      ok: false;
      code: WitnessRefusalCode;
      status: 400 | 403 | 404 | 409 | 422;
      message: string;
      /** For a 409: the size the witness holds. */
      heldSize?: number;
      /**
       * The origin, when the checkpoint carried a valid signature from a trusted key: such a
       * refused checkpoint is evidence (a signed fork or rollback) worth keeping.
       */
      signedBy?: string;
    };

const refuse = (
  code: WitnessRefusalCode,
  message: string,
  extra: { heldSize?: number; signedBy?: string } = {},
): WitnessDecision => ({ ok: false, code, status: REFUSAL_STATUS[code], message, ...extra });

/**
 * Checks an add-checkpoint body in the order the spec lists: form (400), origin (404), log
 * signature (403), old size above new (400), old size against the held size (409), then the
 * empty-tree root, the proof and equal-size roots (422). `held` is undefined for an origin
 * never cosigned (the witness then holds size 0).
 */
export function checkAddCheckpoint(
  body: string,
  logKeys: (origin: string) => readonly NoteVerifier[] | undefined,
  held: (origin: string) => HeldCheckpoint | undefined,
): WitnessDecision {
  const parsed = parseAddCheckpoint(body);
  if (!parsed.ok) return refuse('malformed', parsed.message);
  const { oldSize, proof, note } = parsed.request;
  const split = splitSignedNote(note);
  if (!split.ok) return refuse('malformed', `checkpoint: ${split.message}`);
  const origin = split.text.slice(0, split.text.indexOf('\n'));
  const keys = origin.length > 0 ? logKeys(origin) : undefined;
  if (!keys || keys.length === 0)
    return refuse(
      'unknown-origin',
      `this witness does not follow the log ${JSON.stringify(origin.slice(0, 200))}`,
    );
  const opened = openNote(note, keys);
  if (!opened.ok) {
    return opened.code === 'bad-note'
      ? refuse('malformed', `checkpoint: ${opened.message}`)
      : refuse('bad-signature', `checkpoint: ${opened.message}`);
  }
  const cp = parseCheckpoint(opened.text);
  if (!cp.ok) return refuse('malformed', cp.message);
  const checkpoint = cp.checkpoint;
  const signedBy = { signedBy: origin };
  if (oldSize > checkpoint.size) {
    return refuse(
      'old-size-above-new',
      `old size ${oldSize} is larger than the checkpoint's size ${checkpoint.size}`,
      signedBy,
    );
  }
  const have = held(origin) ?? { size: 0, root: EMPTY_ROOT };
  if (oldSize !== have.size) {
    return refuse(
      'old-size-mismatch',
      `old size ${oldSize} is not the size this witness holds for the log (${have.size})`,
      { heldSize: have.size },
    );
  }
  if (checkpoint.size === 0 && !equalHashes(checkpoint.root, EMPTY_ROOT))
    return refuse('bad-empty-root', 'a checkpoint of size 0 must have the root of the empty tree', signedBy);
  if (oldSize === 0) {
    if (proof.length > 0)
      return refuse('proof-not-empty', 'old size 0 needs no consistency proof: send none', signedBy);
  } else {
    const consistent = verifyConsistency(oldSize, checkpoint.size, proof, have.root, checkpoint.root);
    if (!consistent.ok) {
      const what =
        oldSize === checkpoint.size
          ? `the checkpoint's root differs from the root this witness holds for size ${oldSize}`
          : `the checkpoint is not consistent with the one this witness holds: ${consistent.message}`;
      return refuse('inconsistent', what, signedBy);
    }
  }
  // openNote verified every line that names a trusted key: those are the log's signatures.
  const logSignatures = split.lines
    .filter((l) => keys.some((k) => k.name === l.name && k.keyId === l.keyId))
    .map((l) => l.line);
  return { ok: true, origin, checkpoint, text: opened.text, note, logSignatures, oldSize };
}
