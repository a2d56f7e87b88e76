import { createHash } from 'node:crypto';

/** A SHA-256 digest (32 bytes). */
export type Hash = Uint8Array;

export const HASH_SIZE = 32;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** RFC 6962 / RFC 9162 leaf hash: SHA-256(0x00 || entry). */
export function hashLeaf(entry: Uint8Array): Hash {
  return createHash('sha256').update(LEAF_PREFIX).update(entry).digest();
}

/** RFC 6962 / RFC 9162 interior node hash: SHA-256(0x01 || left || right). */
export function hashChildren(left: Hash, right: Hash): Hash {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
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
