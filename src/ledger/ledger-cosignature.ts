import { createHash, sign, verify } from 'node:crypto';
import { ed25519KeyPair, isKeyName, parseKeyFields, parsePrivateKeyFields } from './ledger-note.js';
import { fail, type LedgerResult } from './ledger-result.js';

/*
 * C2SP tlog-cosignature, the Ed25519 kind (signature type 0x04, "cosignature/v1"): what a
 * witness adds to a checkpoint it has checked. A cosignature is a signed-note signature line
 *
 *   — <witness name> base64(key id (4) || timestamp (8, big-endian) || Ed25519 signature (64))
 *
 * whose signature covers "cosignature/v1\ntime <timestamp>\n" followed by the checkpoint text.
 * Key id = SHA-256(name || "\n" || 0x04 || public key)[:4], so a witness key never verifies as a
 * log key (type 0x01) nor the reverse. Keys come in as parameters; nothing here touches files.
 */

const COSIGNATURE_TYPE = 0x04;
const SIGNATURE_PREFIX = '\u2014 ';
/** The spec's bound on a timestamp (u64 with the top bit clear). */
const MAX_TIMESTAMP = (1n << 63n) - 1n;
/** What a signed-note verifier must accept at least (16) with room for many witnesses. */
export const MAX_NOTE_SIGNATURES = 100;

export interface Cosigner {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: Uint8Array;
  /** The signature line (without its newline) over checkpoint `text` at POSIX `timestamp`. */
  cosign(text: string, timestamp: number): string;
}

export interface CosignatureVerifier {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: Uint8Array;
  /** The vkey text, `<name>+<id>+<base64(0x04 || key)>`. */
  readonly key: string;
  /** The timestamp the signature commits to, when it verifies over `text`. */
  verify(text: string, signature: Uint8Array): { ok: true; timestamp: number } | { ok: false };
}

const hex8 = (id: number) => id.toString(16).padStart(8, '0');

export function cosignerKeyId(name: string, publicKey: Uint8Array): number {
  return createHash('sha256')
    .update(name)
    .update('\n')
    .update(Buffer.from([COSIGNATURE_TYPE]))
    .update(publicKey)
    .digest()
    .readUInt32BE(0);
}

/** `<name>+<8 hex key id>+<base64 of 0x04 || public key>` (a C2SP vkey). */
export function formatCosignerVerifierKey(name: string, publicKey: Uint8Array): string {
  const key = Buffer.concat([Buffer.from([COSIGNATURE_TYPE]), publicKey]).toString('base64');
  return `${name}+${hex8(cosignerKeyId(name, publicKey))}+${key}`;
}

/** `PRIVATE+KEY+<name>+<8 hex key id>+<base64 of 0x04 || seed>`: the ledger key's layout, type 0x04. */
export function formatCosignerSignerKey(name: string, seed: Uint8Array, publicKey: Uint8Array): string {
  const key = Buffer.concat([Buffer.from([COSIGNATURE_TYPE]), seed]).toString('base64');
  return `PRIVATE+KEY+${name}+${hex8(cosignerKeyId(name, publicKey))}+${key}`;
}

/** The exact bytes an Ed25519 cosignature signs. */
export function cosignedMessage(text: string, timestamp: bigint | number): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${BigInt(timestamp)}\n${text}`, 'utf8');
}

function decodeKeyMaterial(b64: string, what: string): LedgerResult<{ key: Buffer }> {
  const raw = Buffer.from(b64, 'base64');
  if (raw.toString('base64') !== b64 || raw.length !== 33)
    return fail('bad-key', `${what}: key must be base64 of a type byte followed by 32 bytes`);
  if (raw[0] === 0x01) {
    return fail(
      'bad-key',
      `${what}: this is a log (checkpoint) key, type 0x01; a witness key has type 0x04 (c2sp.org/tlog-cosignature)`,
    );
  }
  if (raw[0] !== COSIGNATURE_TYPE)
    return fail('bad-key', `${what}: key type must be 0x04 (an Ed25519 cosignature key)`);
  return { ok: true, key: raw.subarray(1) };
}

export function parseCosignerVerifierKey(text: string): LedgerResult<{ verifier: CosignatureVerifier }> {
  const trimmed = text.trim();
  const parsed = parseKeyFields(trimmed, 'witness key', decodeKeyMaterial, cosignerKeyId);
  if (!parsed.ok) return parsed;
  const { name, keyId, publicKey } = parsed;
  return {
    ok: true,
    verifier: {
      name,
      keyId,
      publicKey: parsed.key,
      key: trimmed,
      verify: (checkpointText, signature) => {
        if (signature.length !== 8 + 64) return { ok: false };
        const timestamp = Buffer.from(signature).readBigUInt64BE(0);
        if (timestamp > MAX_TIMESTAMP) return { ok: false };
        const good = verify(
          null,
          cosignedMessage(checkpointText, timestamp),
          publicKey,
          signature.subarray(8),
        );
        return good ? { ok: true, timestamp: Number(timestamp) } : { ok: false };
      },
    },
  };
}

/** A cosigner from a 32-byte Ed25519 seed. */
export function createCosigner(name: string, seed: Uint8Array): LedgerResult<{ cosigner: Cosigner }> {
  const pair = ed25519KeyPair(name, seed, 'witness');
  if (!pair.ok) return pair;
  const { privateKey, publicKey } = pair;
  const keyId = cosignerKeyId(name, publicKey);
  const id = Buffer.alloc(4);
  id.writeUInt32BE(keyId);
  return {
    ok: true,
    cosigner: {
      name,
      keyId,
      publicKey,
      cosign: (text, timestamp) => {
        // The spec forbids a zero timestamp in a witness's answer; a clock before 1970 is a bug.
        if (!Number.isSafeInteger(timestamp) || timestamp <= 0)
          throw new RangeError(`cosignature timestamp must be a positive whole number, got ${timestamp}`);
        const time = Buffer.alloc(8);
        time.writeBigUInt64BE(BigInt(timestamp));
        const signature = sign(null, cosignedMessage(text, timestamp), privateKey);
        return `${SIGNATURE_PREFIX}${name} ${Buffer.concat([id, time, signature]).toString('base64')}`;
      },
    },
  };
}

export function parseCosignerSignerKey(text: string): LedgerResult<{ cosigner: Cosigner }> {
  return parsePrivateKeyFields(
    text,
    'witness private key',
    decodeKeyMaterial,
    createCosigner,
    (made) => made.cosigner.keyId,
  );
}

/** One signature line of a note, as signed-note defines it. */
export interface NoteSignatureLine {
  name: string;
  keyId: number;
  /** The bytes after the key id. */
  signature: Buffer;
  /** The whole line, without its newline. */
  line: string;
}

/**
 * Splits a signed note into its text and signature lines (C2SP signed-note: the text ends at
 * the last blank line). Checks the form of every line, verifies nothing.
 */
export function splitSignedNote(note: string): LedgerResult<{ text: string; lines: NoteSignatureLine[] }> {
  if (!note.endsWith('\n')) return fail('bad-note', 'a signed note must end with a newline');
  for (const ch of note) {
    const code = ch.codePointAt(0) as number;
    if ((code < 0x20 && ch !== '\n') || code === 0x7f)
      return fail('bad-note', 'a signed note must not contain control characters');
  }
  if (note.includes('\uFFFD')) return fail('bad-note', 'a signed note must be valid UTF-8');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return fail('bad-note', 'the signed note has no blank line before its signatures');
  const text = note.slice(0, split + 1);
  const raw = note.slice(split + 2, -1).split('\n');
  if (raw.length > MAX_NOTE_SIGNATURES)
    return fail('bad-note', `the signed note has more than ${MAX_NOTE_SIGNATURES} signatures`);
  const lines: NoteSignatureLine[] = [];
  for (const line of raw) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/]+=*)$/u.exec(line);
    const bytes = m ? Buffer.from(m[2] as string, 'base64') : undefined;
    if (!m || !bytes || bytes.toString('base64') !== m[2] || bytes.length < 5 || !isKeyName(m[1] as string))
      return fail('bad-note', `malformed signature line ${JSON.stringify(line.slice(0, 120))}`);
    lines.push({ name: m[1] as string, keyId: bytes.readUInt32BE(0), signature: bytes.subarray(4), line });
  }
  return { ok: true, text, lines };
}

export interface VerifiedCosignature {
  name: string;
  keyId: number;
  /** The witness's vkey. */
  key: string;
  timestamp: number;
  line: string;
}

/**
 * The cosignatures on a note from the given witness keys. Lines from unknown keys are ignored
 * (the log's own signature among them); a line that claims a given key and fails to verify
 * makes the whole note fail, as signed-note says a verifier should. A witness counts once,
 * however many lines it has, and two keys wrapping one public key count as one witness.
 */
export function openCosignatures(
  note: string,
  witnesses: readonly CosignatureVerifier[],
): LedgerResult<{ text: string; cosignatures: VerifiedCosignature[] }> {
  const split = splitSignedNote(note);
  if (!split.ok) return split;
  const found: VerifiedCosignature[] = [];
  const seen = new Set<string>();
  for (const line of split.lines) {
    const w = witnesses.find((v) => v.name === line.name && v.keyId === line.keyId);
    if (!w) continue;
    const checked = w.verify(split.text, line.signature);
    if (!checked.ok)
      return fail('bad-signature', `the cosignature by witness ${w.name}+${hex8(w.keyId)} does not verify`);
    const id = Buffer.from(w.publicKey).toString('hex');
    if (seen.has(id)) continue;
    seen.add(id);
    found.push({ name: w.name, keyId: w.keyId, key: w.key, timestamp: checked.timestamp, line: line.line });
  }
  return { ok: true, text: split.text, cosignatures: found };
}
