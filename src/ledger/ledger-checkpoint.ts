import { decodeHash, encodeHash, type Hash } from './ledger-hash.js';
import { type NoteSigner, type NoteVerifier, openNote, signNote } from './ledger-note.js';
import { fail, type LedgerResult } from './ledger-result.js';
import { isTreeSize } from './ledger-tree-math.js';

/** A C2SP tlog-checkpoint body: origin, tree size, root hash, optional extension lines. */
export interface Checkpoint {
  origin: string;
  size: number;
  root: Hash;
  extensions: string[];
}

export function formatCheckpoint(cp: {
  origin: string;
  size: number;
  root: Hash;
  extensions?: string[];
}): string {
  return [cp.origin, String(cp.size), encodeHash(cp.root), ...(cp.extensions ?? [])]
    .map((l) => `${l}\n`)
    .join('');
}

/** Parses the text of a checkpoint (the note text, without signatures). */
export function parseCheckpoint(text: string): LedgerResult<{ checkpoint: Checkpoint }> {
  if (!text.endsWith('\n')) return fail('bad-checkpoint', 'checkpoint text must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  const [origin, sizeText, rootText, ...extensions] = lines;
  if (origin === undefined || origin.length === 0)
    return fail('bad-checkpoint', 'checkpoint origin line is empty');
  if (sizeText === undefined || !/^(0|[1-9][0-9]*)$/.test(sizeText) || !isTreeSize(Number(sizeText))) {
    return fail(
      'bad-checkpoint',
      `checkpoint tree size line must be a decimal number, got ${JSON.stringify(sizeText)}`,
    );
  }
  const root = rootText === undefined ? undefined : decodeHash(rootText);
  if (!root) return fail('bad-checkpoint', 'checkpoint root line must be the base64 of a 32-byte hash');
  if (extensions.some((l) => l.length === 0)) return fail('bad-checkpoint', 'checkpoint has an empty line');
  return { ok: true, checkpoint: { origin, size: Number(sizeText), root, extensions } };
}

/** Signs a checkpoint as a C2SP signed note. */
export function signCheckpoint(
  cp: { origin: string; size: number; root: Hash },
  signer: NoteSigner,
): LedgerResult<{ note: string }> {
  return signNote(formatCheckpoint(cp), [signer]);
}

/**
 * Opens a signed checkpoint with the log's verifier key: the signature must verify and the
 * origin must be the key's name (a hub signs only its own log).
 */
export function openCheckpoint(
  note: string,
  verifier: NoteVerifier,
): LedgerResult<{ checkpoint: Checkpoint }> {
  const opened = openNote(note, [verifier]);
  if (!opened.ok) return opened;
  const parsed = parseCheckpoint(opened.text);
  if (!parsed.ok) return parsed;
  if (parsed.checkpoint.origin !== verifier.name) {
    return fail(
      'origin-mismatch',
      `checkpoint origin ${JSON.stringify(parsed.checkpoint.origin)} is not the key name ${JSON.stringify(verifier.name)}`,
    );
  }
  return parsed;
}
