import { createHash, hash } from 'node:crypto';

/** A SHA-256 digest (32 bytes). */
export type Hash = Uint8Array;

export const HASH_SIZE = 32;

const LEAF_PREFIX = Buffer.from([0x00]);
// One-shot crypto.hash over a reused buffer is 2-3x faster than createHash().update()...:
// appends hash twice per entry on average, so this sets the ledger's append rate.
const nodeInput = Buffer.alloc(1 + 2 * HASH_SIZE);
nodeInput[0] = 0x01;

/** RFC 6962 / RFC 9162 leaf hash: SHA-256(0x00 || entry). */
export function hashLeaf(entry: Uint8Array): Hash {
  return hash('sha256', Buffer.concat([LEAF_PREFIX, entry]), 'buffer');
}

/** RFC 6962 / RFC 9162 interior node hash: SHA-256(0x01 || left || right). */
export function hashChildren(left: Hash, right: Hash): Hash {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
    return createHash('sha256').update(nodeInput.subarray(0, 1)).update(left).update(right).digest();
  }
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return hash('sha256', nodeInput, 'buffer');
}

/** The root of the empty tree: SHA-256 of the empty string. */
export const EMPTY_ROOT: Hash = createHash('sha256').digest();

export function equalHashes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

export function encodeHash(hash: Uint8Array): string {
  return Buffer.from(hash).toString('base64');
}

/** Strict standard base64 of exactly 32 bytes, or undefined. */
export function decodeHash(text: string): Hash | undefined {
  if (!/^[A-Za-z0-9+/]{43}=$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === HASH_SIZE && bytes.toString('base64') === text ? bytes : undefined;
}
