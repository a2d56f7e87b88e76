import { hash } from 'node:crypto';
import {
  checkEntry,
  checkField,
  decodeEntry,
  ENTRY_FIELDS,
  ENTRY_KINDS,
  type EntryKind,
  type FieldType,
  isTime,
  type LedgerEntry,
  MAX_ENTRY_BYTES,
  serializeMembers,
} from './ledger-entry.js';
import { fail, type LedgerResult } from './ledger-result.js';

/**
 * Version 2 entries commit to what they do not disclose. The leaf (what the Merkle tree hashes
 * and what a receipt carries) holds the entry's public part and a commitment: SHA-256 over a
 * domain tag, a fresh random salt and the RFC 8785 bytes of the private part. The salt and the
 * private part (the "opening") stay with the hub, for overseers; without them the commitment
 * reveals nothing, and with SHA-256 it cannot be opened to any other private part.
 *
 * The public part holds only what the one party a receipt is for may see. Which fields are
 * public is declared per kind here; everything else, the actor included, is private. No kind
 * names its partner publicly: a receipt goes only to the partner it concerns, whose derived id
 * and copy digest already tie it to that partner, while an internal id, a name or even a stable
 * pseudonym in public parts would tell anyone holding other entries' public parts who was given
 * what, or how much.
 */
export const PUBLIC_FIELDS: { readonly [K in EntryKind]: readonly (keyof (typeof ENTRY_FIELDS)[K])[] } = {
  release: ['release_id', 'derived_id', 'agreement_version', 'tearline_digest'],
  recall: ['release_id'],
  approval: [],
  denial: [],
  'agreement-change': [],
  'condition-change': [],
  'partner-change': [],
  'user-change': [],
  'ingest-batch': [],
  'submission-review': [],
  'draft-review': [],
  'key-rotation': ['key_name', 'old_key', 'new_key'],
  delivery: [],
  // Relay entries show the envelope's sequence and the digest of its sealed bytes (which open to
  // nothing without the recipient's key), so a hub holding the envelope can check its receipt;
  // which hubs exchange through the relay stays private.
  'relay-envelope': ['sequence', 'digest'],
  'relay-delivery': ['sequence', 'digest'],
  'relay-sent': ['sequence', 'digest'],
  // The digest of a whole plaintext bundle, which only its recipient can recompute.
  'relay-bundle': ['sequence', 'digest'],
  'relay-received': ['sequence', 'digest'],
};

export const ENTRY_VERSION = 2;
export const SALT_BYTES = 32;

/** The public part of a version 2 entry, as its leaf holds it. */
export type PublicEntry = {
  [K in EntryKind]: { v: 2; kind: K; time: string; commitment: string } & Pick<
    Extract<LedgerEntry, { kind: K }>,
    (typeof PUBLIC_FIELDS)[K][number] & keyof Extract<LedgerEntry, { kind: K }>
  >;
}[EntryKind];

/** A leaf as stored in the tree: a whole version 1 entry (older ledgers) or a public part. */
export type LedgerLeaf = { version: 1; entry: LedgerEntry } | { version: 2; entry: PublicEntry };

/** What the hub keeps beside a version 2 leaf so that overseers can open it. */
export interface EntryOpening {
  salt: Uint8Array;
  /** RFC 8785 bytes of the private part. */
  private: Uint8Array;
}

// A leading byte other than 0x00 and 0x01: no commitment input is ever an RFC 6962 leaf or
// node hash input, so a commitment cannot be passed off as a tree hash or the other way round.
const COMMITMENT_TAG = Buffer.from('tearline ledger commitment v2\n', 'utf8');
const HEX64 = /^[0-9a-f]{64}$/;

const PUBLIC_SETS = Object.fromEntries(
  ENTRY_KINDS.map((k) => [k, new Set<string>(PUBLIC_FIELDS[k] as readonly string[])]),
) as Record<EntryKind, Set<string>>;
// Member names in RFC 8785 order, per kind, for the leaf and for the private part.
const LEAF_MEMBERS = Object.fromEntries(
  ENTRY_KINDS.map((k) => [k, ['commitment', 'kind', 'time', 'v', ...PUBLIC_SETS[k]].sort()]),
) as Record<EntryKind, string[]>;
const PRIVATE_MEMBERS = Object.fromEntries(
  ENTRY_KINDS.map((k) => [
    k,
    ['actor', 'details', ...Object.keys(ENTRY_FIELDS[k]).filter((f) => !PUBLIC_SETS[k].has(f))].sort(),
  ]),
) as Record<EntryKind, string[]>;

/** SHA-256(tag || salt || private bytes), hex. The salt has a fixed length: no ambiguity. */
export function commitmentOf(salt: Uint8Array, privateBytes: Uint8Array): string {
  return hash('sha256', Buffer.concat([COMMITMENT_TAG, salt, privateBytes]), 'hex');
}

/**
 * Splits a checked entry into its leaf (public part and commitment) and its opening, under
 * `salt` (SALT_BYTES of fresh randomness, which the caller supplies: the core has none).
 */
export function sealEntry(
  entry: LedgerEntry,
  salt: Uint8Array,
): LedgerResult<{ leaf: Buffer; opening: EntryOpening }> {
  if (salt.length !== SALT_BYTES) return fail('bad-entry', `a salt must be ${SALT_BYTES} bytes`);
  const checked = checkEntry(entry);
  if (!checked.ok) return checked;
  const obj = entry as unknown as Record<string, unknown>;
  let privateText: string;
  try {
    privateText = serializeMembers(obj, PRIVATE_MEMBERS[entry.kind]);
  } catch (err) {
    return fail('bad-entry', `${entry.kind} entry cannot be canonicalised: ${(err as Error).message}`);
  }
  // One buffer holds the commitment's input, tag || salt || private bytes; the private bytes kept
  // are a view of it (one UTF-8 encoding, one allocation: sealing sets the append rate).
  const start = COMMITMENT_TAG.length + SALT_BYTES;
  const input = Buffer.allocUnsafe(start + Buffer.byteLength(privateText, 'utf8'));
  COMMITMENT_TAG.copy(input, 0);
  input.set(salt, COMMITMENT_TAG.length);
  input.write(privateText, start, 'utf8');
  const privateBytes = input.subarray(start);
  if (privateBytes.length > MAX_ENTRY_BYTES) {
    return fail(
      'bad-entry',
      `${entry.kind} entry's private part is ${privateBytes.length} bytes; the limit is ${MAX_ENTRY_BYTES}`,
    );
  }
  // Public members are strings only (no details, no approvals): stringify them in order as they are.
  const leafObj: Record<string, unknown> = {};
  const commitment = hash('sha256', input, 'hex');
  for (const name of LEAF_MEMBERS[entry.kind]) {
    leafObj[name] = name === 'v' ? ENTRY_VERSION : name === 'commitment' ? commitment : obj[name];
  }
  const leaf = Buffer.from(JSON.stringify(leafObj), 'utf8');
  if (leaf.length > MAX_ENTRY_BYTES) {
    return fail(
      'bad-entry',
      `${entry.kind} entry's leaf is ${leaf.length} bytes; the limit is ${MAX_ENTRY_BYTES}`,
    );
  }
  return { ok: true, leaf, opening: { salt: Buffer.from(salt), private: privateBytes } };
}

function parseObject(
  bytes: Uint8Array,
  what: string,
): LedgerResult<{ obj: Record<string, unknown>; text: string }> {
  if (bytes.length > MAX_ENTRY_BYTES)
    return fail('bad-entry', `${what} is ${bytes.length} bytes; the limit is ${MAX_ENTRY_BYTES}`);
  const text = Buffer.from(bytes).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return fail('bad-entry', `${what} is not JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return fail('bad-entry', `${what} must be a JSON object`);
  return { ok: true, obj: parsed as Record<string, unknown>, text };
}

/** The exact text, or a failure saying the bytes are not canonical (invalid UTF-8 included). */
function requireCanonical(
  bytes: Uint8Array,
  text: string,
  canonical: string,
  what: string,
): LedgerResult<object> {
  if (canonical !== text || !Buffer.from(text, 'utf8').equals(Buffer.from(bytes)))
    return fail('bad-entry', `${what} bytes are not RFC 8785 canonical JSON`);
  return { ok: true };
}

/** Reads a leaf of either version, insisting on its exact canonical form. */
export function decodeLeaf(bytes: Uint8Array): LedgerResult<{ leaf: LedgerLeaf }> {
  const parsed = parseObject(bytes, 'entry');
  if (!parsed.ok) return parsed;
  const { obj, text } = parsed;
  if (!Object.hasOwn(obj, 'v')) {
    const v1 = decodeEntry(bytes);
    return v1.ok ? { ok: true, leaf: { version: 1, entry: v1.entry } } : v1;
  }
  if (obj.v !== ENTRY_VERSION)
    return fail('bad-entry', `entry version must be 2 or absent; got ${JSON.stringify(obj.v)}`);
  const kind = obj.kind;
  if (typeof kind !== 'string' || !Object.hasOwn(ENTRY_FIELDS, kind)) {
    return fail(
      'bad-entry',
      `entry kind must be one of ${ENTRY_KINDS.join(', ')}; got ${JSON.stringify(kind)}`,
    );
  }
  const k = kind as EntryKind;
  if (typeof obj.time !== 'string' || !isTime(obj.time))
    return fail('bad-entry', `${k} entry: time must be RFC 3339 UTC`);
  if (typeof obj.commitment !== 'string' || !HEX64.test(obj.commitment))
    return fail('bad-entry', `${k} entry: commitment must be 64 lowercase hex digits`);
  const fields = ENTRY_FIELDS[k] as Record<string, FieldType>;
  for (const name of PUBLIC_SETS[k]) {
    const problem = checkField(name, fields[name] as FieldType, obj[name]);
    if (problem) return fail('bad-entry', `${k} entry: ${problem}`);
  }
  const allowed = LEAF_MEMBERS[k];
  const unknown = Object.keys(obj).filter((key) => !allowed.includes(key));
  if (unknown.length > 0)
    return fail('bad-entry', `${k} entry: field(s) not public in version 2: ${unknown.join(', ')}`);
  const canonical = requireCanonical(bytes, text, serializeMembers(obj, allowed), 'entry');
  if (!canonical.ok) return canonical;
  return { ok: true, leaf: { version: 2, entry: obj as unknown as PublicEntry } };
}

/**
 * Opens a version 2 leaf: the opening must match its commitment, be canonical, and together
 * with the public part make a valid entry, which is returned whole.
 */
export function openLeaf(leaf: PublicEntry, opening: EntryOpening): LedgerResult<{ entry: LedgerEntry }> {
  if (opening.salt.length !== SALT_BYTES)
    return fail('bad-entry', `the salt is ${opening.salt.length} bytes, not ${SALT_BYTES}`);
  if (commitmentOf(opening.salt, opening.private) !== leaf.commitment)
    return fail('bad-entry', 'the private part and salt do not match the commitment');
  const parsed = parseObject(opening.private, 'private part');
  if (!parsed.ok) return parsed;
  const privateNames = PRIVATE_MEMBERS[leaf.kind];
  const stray = Object.keys(parsed.obj).filter((key) => !privateNames.includes(key));
  if (stray.length > 0)
    return fail('bad-entry', `private part holds field(s) it may not: ${stray.join(', ')}`);
  let canonical: string;
  try {
    canonical = serializeMembers(parsed.obj, privateNames);
  } catch (err) {
    return fail('bad-entry', `private part cannot be canonicalised: ${(err as Error).message}`);
  }
  const same = requireCanonical(opening.private, parsed.text, canonical, 'private part');
  if (!same.ok) return same;
  const { v: _v, commitment: _c, ...pub } = leaf as PublicEntry & Record<string, unknown>;
  const checked = checkEntry({ ...pub, ...parsed.obj });
  return checked.ok ? checked : fail('bad-entry', `opened entry: ${checked.message}`);
}

/** The release a leaf concerns, when its public part names one. */
export function releaseIdOfLeaf(leaf: LedgerLeaf): string | undefined {
  return 'release_id' in leaf.entry ? (leaf.entry.release_id as string) : undefined;
}

/**
 * The whole entry behind a stored leaf: a version 1 leaf is its entry; a version 2 leaf needs its
 * opening, which must match.
 */
export function openStoredEntry(
  bytes: Uint8Array,
  opening: EntryOpening | undefined,
): LedgerResult<{ entry: LedgerEntry }> {
  const decoded = decodeLeaf(bytes);
  if (!decoded.ok) return decoded;
  if (decoded.leaf.version === 1) return { ok: true, entry: decoded.leaf.entry };
  if (!opening) return fail('bad-entry', 'a version 2 entry without its opening cannot be read whole');
  return openLeaf(decoded.leaf.entry, opening);
}
