import { type Checkpoint, openCheckpoint } from './ledger-checkpoint.js';
import { decodeLeaf, type LedgerLeaf } from './ledger-commitment.js';
import { decodeHash, encodeHash, type Hash, hashLeaf } from './ledger-hash.js';
import { type NoteVerifier, parseVerifierKey } from './ledger-note.js';
import { verifyConsistency, verifyInclusion } from './ledger-proof.js';
import { fail, type LedgerResult } from './ledger-result.js';
import { isTreeSize } from './ledger-tree-math.js';

/** Largest receipt or consistency document a verifier will read. */
export const MAX_PROOF_DOCUMENT_BYTES = 1024 * 1024;

/** `{"index": N, "entry": base64, "checkpoint": signed note, "proof": [base64 hash, ...]}` */
export function formatReceipt(r: {
  index: number;
  entry: Uint8Array;
  checkpoint: string;
  proof: readonly Hash[];
}): string {
  return JSON.stringify({
    index: r.index,
    entry: Buffer.from(r.entry).toString('base64'),
    checkpoint: r.checkpoint,
    proof: r.proof.map(encodeHash),
  });
}

/** `{"old": signed note, "new": signed note, "proof": [base64 hash, ...]}` */
export function formatConsistency(c: { old: string; new: string; proof: readonly Hash[] }): string {
  return JSON.stringify({ old: c.old, new: c.new, proof: c.proof.map(encodeHash) });
}

function parseDocument(
  json: string,
  keys: readonly string[],
  what: string,
): LedgerResult<{ doc: Record<string, unknown> }> {
  if (json.length > MAX_PROOF_DOCUMENT_BYTES)
    return fail('bad-receipt', `${what} is larger than ${MAX_PROOF_DOCUMENT_BYTES} bytes`);
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (err) {
    return fail('bad-receipt', `${what} is not JSON: ${(err as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    return fail('bad-receipt', `${what} must be a JSON object`);
  const have = Object.keys(doc).sort();
  if (have.join(',') !== [...keys].sort().join(',')) {
    return fail(
      'bad-receipt',
      `${what} must have exactly the fields ${keys.join(', ')}; it has ${have.join(', ') || 'none'}`,
    );
  }
  return { ok: true, doc: doc as Record<string, unknown> };
}

function parseProof(value: unknown, what: string): LedgerResult<{ proof: Hash[] }> {
  if (!Array.isArray(value) || value.length > 128)
    return fail('bad-receipt', `${what}: proof must be an array of base64 hashes`);
  const proof: Hash[] = [];
  for (const [i, item] of value.entries()) {
    const hash = typeof item === 'string' ? decodeHash(item) : undefined;
    if (!hash) return fail('bad-receipt', `${what}: proof[${i}] is not the base64 of a 32-byte hash`);
    proof.push(hash);
  }
  return { ok: true, proof };
}

export interface VerifiedReceipt {
  index: number;
  /** 2: the public part and a commitment; 1: a whole entry, as hubs issued before commitments. */
  version: LedgerLeaf['version'];
  entry: LedgerLeaf['entry'];
  entryBytes: Buffer;
  checkpoint: Checkpoint;
}

/** What a partner runs offline: is this entry in the log the hub signed with `verifierKey`? */
export function verifyReceipt(receiptJson: string, verifierKey: string): LedgerResult<VerifiedReceipt> {
  const key = parseVerifierKey(verifierKey);
  if (!key.ok) return key;
  return verifyReceiptWith(receiptJson, key.verifier);
}

/**
 * verifyReceipt with the hub's key already parsed. `opened` keeps checkpoints already opened with
 * this key by their exact text: many receipts under one checkpoint (an envelope's) check its
 * signature once.
 */
export function verifyReceiptWith(
  receiptJson: string,
  verifier: NoteVerifier,
  opened?: Map<string, LedgerResult<{ checkpoint: Checkpoint }>>,
): LedgerResult<VerifiedReceipt> {
  const parsed = parseDocument(receiptJson, ['index', 'entry', 'checkpoint', 'proof'], 'receipt');
  if (!parsed.ok) return parsed;
  const { index, entry, checkpoint } = parsed.doc;
  if (!isTreeSize(index)) return fail('bad-receipt', 'receipt: index must be a whole number >= 0');
  const entryBytes = typeof entry === 'string' ? Buffer.from(entry, 'base64') : undefined;
  if (!entryBytes || entryBytes.toString('base64') !== entry)
    return fail('bad-receipt', 'receipt: entry must be standard base64');
  if (typeof checkpoint !== 'string')
    return fail('bad-receipt', 'receipt: checkpoint must be the signed note text');
  const proof = parseProof(parsed.doc.proof, 'receipt');
  if (!proof.ok) return proof;
  let open = opened?.get(checkpoint);
  if (!open) {
    open = openCheckpoint(checkpoint, verifier);
    opened?.set(checkpoint, open);
  }
  if (!open.ok) return open;
  const cp = open.checkpoint;
  if (index >= cp.size)
    return fail('bad-index', `receipt: index ${index} is not below the checkpoint size ${cp.size}`);
  const decoded = decodeLeaf(entryBytes);
  if (!decoded.ok) return fail('bad-entry', `receipt: ${decoded.message}`);
  const included = verifyInclusion(index, cp.size, hashLeaf(entryBytes), proof.proof, cp.root);
  if (!included.ok) return fail(included.code, `receipt: ${included.message}`);
  return {
    ok: true,
    index,
    version: decoded.leaf.version,
    entry: decoded.leaf.entry,
    entryBytes,
    checkpoint: cp,
  };
}

/** What an overseer runs: was the newer checkpoint's log an extension of the older one? */
export function verifyConsistencyDocument(
  json: string,
  verifierKey: string,
): LedgerResult<{ old: Checkpoint; new: Checkpoint }> {
  const key = parseVerifierKey(verifierKey);
  if (!key.ok) return key;
  const parsed = parseDocument(json, ['old', 'new', 'proof'], 'consistency proof');
  if (!parsed.ok) return parsed;
  const notes: Checkpoint[] = [];
  for (const field of ['old', 'new'] as const) {
    const note = parsed.doc[field];
    if (typeof note !== 'string')
      return fail('bad-receipt', `consistency proof: ${field} must be a signed note`);
    const opened = openCheckpoint(note, key.verifier);
    if (!opened.ok) return fail(opened.code, `consistency proof: ${field} checkpoint: ${opened.message}`);
    notes.push(opened.checkpoint);
  }
  const [older, newer] = notes as [Checkpoint, Checkpoint];
  const proof = parseProof(parsed.doc.proof, 'consistency proof');
  if (!proof.ok) return proof;
  const consistent = verifyConsistency(older.size, newer.size, proof.proof, older.root, newer.root);
  if (!consistent.ok) return fail(consistent.code, `consistency proof: ${consistent.message}`);
  return { ok: true, old: older, new: newer };
}
