import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { fail, type LedgerResult } from './ledger-result.js';

/*
 * C2SP signed-note with Ed25519 (signature type 0x01), the format of Go's
 * golang.org/x/mod/sumdb/note. Keys come in as parameters; nothing here touches files.
 */

const ED25519 = 0x01;
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
const MAX_SIGNATURES = 100;
const SIGNATURE_PREFIX = '\u2014 ';

export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/** A key name is non-empty and has no '+' or whitespace (it shares lines with base64). */
export function isKeyName(name: string): boolean {
  return name.length > 0 && name.length <= 200 && !/[+\s\p{Z}\p{C}]/u.test(name);
}

/** First 4 bytes, big-endian, of SHA-256(name || "\n" || 0x01 || public key). */
export function computeKeyId(name: string, publicKey: Uint8Array): number {
  const digest = createHash('sha256')
    .update(name)
    .update('\n')
    .update(Buffer.from([ED25519]))
    .update(publicKey)
    .digest();
  return digest.readUInt32BE(0);
}

const hex8 = (id: number) => id.toString(16).padStart(8, '0');

/** `<name>+<8 hex key id>+<base64 of 0x01 || public key>`. */
export function formatVerifierKey(name: string, publicKey: Uint8Array): string {
  const key = Buffer.concat([Buffer.from([ED25519]), publicKey]).toString('base64');
  return `${name}+${hex8(computeKeyId(name, publicKey))}+${key}`;
}

/** `PRIVATE+KEY+<name>+<8 hex key id>+<base64 of 0x01 || seed>` (what note.NewSigner reads). */
export function formatSignerKey(name: string, seed: Uint8Array, publicKey: Uint8Array): string {
  const key = Buffer.concat([Buffer.from([ED25519]), seed]).toString('base64');
  return `PRIVATE+KEY+${name}+${hex8(computeKeyId(name, publicKey))}+${key}`;
}

/** Splits off the first parts - 1 '+'-separated fields; the key data (base64) may hold '+'. */
export function splitKey(text: string, parts: number): string[] | undefined {
  const fields = text.split('+');
  if (fields.length < parts) return undefined;
  return [...fields.slice(0, parts - 1), fields.slice(parts - 1).join('+')];
}

function decodeTypedKey(b64: string, what: string): LedgerResult<{ key: Buffer }> {
  const raw = Buffer.from(b64, 'base64');
  if (raw.toString('base64') !== b64 || raw.length !== 33 || raw[0] !== ED25519) {
    return fail('bad-key', `${what}: key must be base64 of 0x01 followed by 32 bytes (Ed25519)`);
  }
  return { ok: true, key: raw.subarray(1) };
}

/**
 * The fields of a verifier key `<name>+<8 hex key id>+<base64>` as note and cosignature keys
 * share them: the name checked, the key material decoded by the caller's `decode` (its type
 * byte), the key id recomputed by `keyIdOf` and compared, and the Ed25519 public key built.
 */
export function parseKeyFields(
  text: string,
  what: string,
  decode: (b64: string, what: string) => LedgerResult<{ key: Buffer }>,
  keyIdOf: (name: string, key: Uint8Array) => number,
): LedgerResult<{ name: string; keyId: number; key: Buffer; publicKey: KeyObject }> {
  const fields = splitKey(text, 3);
  if (!fields) return fail('bad-key', `${what} must look like <name>+<8 hex digits>+<base64>`);
  const [name, idHex, b64] = fields as [string, string, string];
  if (!isKeyName(name))
    return fail('bad-key', `${what}: name ${JSON.stringify(name)} is not a valid key name`);
  if (!/^[0-9a-f]{8}$/.test(idHex)) return fail('bad-key', `${what}: key id must be 8 lowercase hex digits`);
  const decoded = decode(b64, what);
  if (!decoded.ok) return decoded;
  const keyId = Number.parseInt(idHex, 16);
  if (keyIdOf(name, decoded.key) !== keyId) return fail('bad-key', `${what}: key id does not match the key`);
  const publicKey = createPublicKey({
    key: Buffer.concat([SPKI_ED25519, decoded.key]),
    format: 'der',
    type: 'spki',
  });
  return { ok: true, name, keyId, key: decoded.key, publicKey };
}

export function parseVerifierKey(text: string): LedgerResult<{ verifier: NoteVerifier; publicKey: Buffer }> {
  const parsed = parseKeyFields(text.trim(), 'verifier key', decodeTypedKey, computeKeyId);
  if (!parsed.ok) return parsed;
  const { name, keyId, publicKey } = parsed;
  return {
    ok: true,
    publicKey: parsed.key,
    verifier: {
      name,
      keyId,
      verify: (message, signature) => signature.length === 64 && verify(null, message, publicKey, signature),
    },
  };
}

/**
 * The Ed25519 key pair of a 32-byte seed held under `name`, as note signers and witness
 * cosigners both make them; `what` names the key in the message ("key", "witness").
 */
export function ed25519KeyPair(
  name: string,
  seed: Uint8Array,
  what: string,
): LedgerResult<{ privateKey: KeyObject; publicKey: Buffer }> {
  if (!isKeyName(name))
    return fail('bad-key', `${what} name ${JSON.stringify(name)} must be non-empty, without '+' or spaces`);
  if (seed.length !== 32) return fail('bad-key', 'an Ed25519 private key seed is 32 bytes');
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return { ok: true, privateKey, publicKey: spki.subarray(spki.length - 32) };
}

/**
 * A private key `PRIVATE+KEY+<name>+<8 hex key id>+<base64>` (what note.NewSigner reads): the
 * material decoded by `decode` (its type byte), the holder made by `create`, and the key id the
 * text gives checked against the holder's (`keyIdOf`).
 */
export function parsePrivateKeyFields<T extends object>(
  text: string,
  what: string,
  decode: (b64: string, what: string) => LedgerResult<{ key: Buffer }>,
  create: (name: string, seed: Buffer) => LedgerResult<T>,
  keyIdOf: (made: T) => number,
): LedgerResult<T> {
  const fields = splitKey(text.trim(), 5);
  if (fields?.[0] !== 'PRIVATE' || fields[1] !== 'KEY')
    return fail('bad-key', `${what} must look like PRIVATE+KEY+<name>+<8 hex digits>+<base64>`);
  const [, , name, idHex, b64] = fields as [string, string, string, string, string];
  const decoded = decode(b64, what);
  if (!decoded.ok) return decoded;
  const created = create(name, decoded.key);
  if (!created.ok) return created;
  if (hex8(keyIdOf(created)) !== idHex) return fail('bad-key', `${what}: key id does not match the key`);
  return created;
}

/** An Ed25519 signer from a 32-byte seed. */
export function createSigner(name: string, seed: Uint8Array): LedgerResult<{ signer: NoteSigner }> {
  const pair = ed25519KeyPair(name, seed, 'key');
  if (!pair.ok) return pair;
  const { privateKey, publicKey } = pair;
  return {
    ok: true,
    signer: {
      name,
      keyId: computeKeyId(name, publicKey),
      publicKey,
      sign: (message) => sign(null, message, privateKey),
    },
  };
}

export function parseSignerKey(text: string): LedgerResult<{ signer: NoteSigner }> {
  return parsePrivateKeyFields(
    text,
    'private key',
    decodeTypedKey,
    createSigner,
    (made) => made.signer.keyId,
  );
}

function checkNoteText(text: string): string | undefined {
  if (!text.endsWith('\n')) return 'note text must end with a newline';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if ((code < 0x20 && ch !== '\n') || code === 0x7f) return 'note text must not contain control characters';
  }
  if (text.includes('\uFFFD')) return 'note text must be valid UTF-8';
  return undefined;
}

/** Signs note text (which must end in a newline) and returns the whole signed note. */
export function signNote(text: string, signers: readonly NoteSigner[]): LedgerResult<{ note: string }> {
  const bad = checkNoteText(text);
  if (bad) return fail('bad-note', bad);
  if (text.includes('\n\n')) return fail('bad-note', 'note text must not contain a blank line');
  const message = Buffer.from(text, 'utf8');
  const lines = signers.map((s) => {
    const id = Buffer.alloc(4);
    id.writeUInt32BE(s.keyId);
    return `${SIGNATURE_PREFIX}${s.name} ${Buffer.concat([id, s.sign(message)]).toString('base64')}\n`;
  });
  return { ok: true, note: `${text}\n${lines.join('')}` };
}

/**
 * Opens a signed note: returns its text when at least one signature from a known key verifies
 * and no signature claiming a known key fails (as note.Open does).
 */
export function openNote(
  note: string,
  verifiers: readonly NoteVerifier[],
): LedgerResult<{ text: string; signedBy: string[] }> {
  const bad = checkNoteText(note);
  if (bad) return fail('bad-note', bad);
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return fail('bad-note', 'signed note has no blank line before its signatures');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_SIGNATURES)
    return fail('bad-note', `signed note has more than ${MAX_SIGNATURES} signatures`);
  const message = Buffer.from(text, 'utf8');
  const signedBy: string[] = [];
  for (const line of lines) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/]+=*)$/u.exec(line);
    if (!m) return fail('bad-note', `malformed signature line ${JSON.stringify(line)}`);
    const [, name, b64] = m as unknown as [string, string, string];
    const raw = Buffer.from(b64, 'base64');
    if (raw.length < 5) return fail('bad-note', `signature by ${name} is too short`);
    const keyId = raw.readUInt32BE(0);
    const verifier = verifiers.find((v) => v.name === name && v.keyId === keyId);
    if (!verifier) continue;
    if (!verifier.verify(message, raw.subarray(4))) {
      return fail('bad-signature', `signature by ${name}+${hex8(keyId)} does not verify`);
    }
    signedBy.push(name);
  }
  if (signedBy.length === 0)
    return fail('unknown-key', 'the note carries no signature from the expected key');
  return { ok: true, text, signedBy };
}
