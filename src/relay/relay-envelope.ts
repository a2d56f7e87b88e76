import { createHash } from 'node:crypto';
import { isKeyName } from '../ledger/ledger-note.js';
import { canonicalJson } from '../stix/canonical-json.js';
import { uuidV5 } from '../stix/uuid.js';
import { type RelayResult, relayFail } from './relay-result.js';

/*
 * The sealed envelope: a STIX 2.1 custom object (section 11.1) rather than a TAXII extension, so
 * it travels in plain TAXII 2.1 envelopes, gets TAXII's ids, versions, manifests and
 * added_after paging unchanged, and any TAXII client can carry it without understanding it.
 * Its properties say who sent it to whom and where it sits in their mailbox; its content is
 * HPKE ciphertext only the recipient can open, signed by the sender's ledger key (Ed25519).
 *
 * Format 2 (envelope_version 2): the signature covers the header and ciphertext_digest, the
 * SHA-256 of the ciphertext's base64 text, not the whole envelope. The ciphertext runs to
 * hundreds of kilobytes and was serialised and hashed three times per hop under format 1; now
 * it is hashed once per hop (on parsing, against ciphertext_digest) and everything else that
 * is signed, digested or chained is a few hundred bytes. Format 1 envelopes are refused by name.
 */

export const SEALED_TYPE = 'x-tearline-sealed-envelope';
/**
 * Format 2's suite: AES-256-GCM (native through WebCrypto) rather than format 1's
 * ChaCha20-Poly1305, whose only maintained HPKE module is JavaScript: about 3 ms more per
 * 50 kB envelope to seal, the largest single cost left on the relay's path.
 */
export const SEALED_SUITE = 'hpke-base-x25519-sha256-aes256gcm';
/** The envelope format this code writes and reads; any other is refused, naming it. */
export const ENVELOPE_VERSION = 2;
/** The previous_digest of the first envelope in a mailbox. */
export const FIRST_PREVIOUS = '0'.repeat(64);
/** Largest ciphertext (base64 characters): 8 MiB, so an envelope fits a 10 MiB TAXII body. */
export const MAX_CIPHERTEXT_CHARS = 8 * 1024 * 1024;

export interface SealedEnvelope {
  type: typeof SEALED_TYPE;
  spec_version: '2.1';
  envelope_version: typeof ENVELOPE_VERSION;
  id: string;
  created: string;
  modified: string;
  sender: string;
  recipient: string;
  /** 1, 2, 3, ... per (sender, recipient) mailbox. */
  sequence: number;
  /** Hex SHA-256 digest of the envelope before this one in the mailbox (FIRST_PREVIOUS for 1). */
  previous_digest: string;
  suite: typeof SEALED_SUITE;
  /** The key id of the recipient's sealing key (relay-keys.ts), so a wrong key is named, not guessed. */
  recipient_key_id: string;
  encapsulated_key: string;
  /** Hex SHA-256 of the ciphertext property's base64 text: what the signature binds it by. */
  ciphertext_digest: string;
  ciphertext: string;
  /** Base64 Ed25519 signature over signingBytes(envelope). */
  signature: string;
}

const FIELDS = [
  'type',
  'spec_version',
  'envelope_version',
  'id',
  'created',
  'modified',
  'sender',
  'recipient',
  'sequence',
  'previous_digest',
  'suite',
  'recipient_key_id',
  'encapsulated_key',
  'ciphertext_digest',
  'ciphertext',
  'signature',
] as const;

const ID =
  /^x-tearline-sealed-envelope--[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const HEX64 = /^[0-9a-f]{64}$/;

/** What the signature covers: every property but the ciphertext (bound by its digest) and the signature. */
export function signingBytes(envelope: Omit<SealedEnvelope, 'signature'> | SealedEnvelope): Buffer {
  const { signature: _s, ciphertext: _c, ...rest } = envelope as SealedEnvelope;
  return Buffer.from(`tearline-relay-envelope-v2\n${canonicalJson(rest)}`, 'utf8');
}

/** HPKE associated data: the routing header, so ciphertext cannot be moved under another header. */
export function associatedData(
  envelope: Omit<SealedEnvelope, 'signature' | 'ciphertext' | 'encapsulated_key' | 'ciphertext_digest'>,
): Buffer {
  const {
    signature: _s,
    ciphertext: _c,
    encapsulated_key: _e,
    ciphertext_digest: _d,
    ...header
  } = envelope as SealedEnvelope;
  return Buffer.from(canonicalJson(header), 'utf8');
}

/** Hex SHA-256 of a ciphertext's base64 text (computed once where an envelope is made or parsed). */
export function ciphertextDigest(ciphertext: string): string {
  return createHash('sha256').update(ciphertext, 'latin1').digest('hex');
}

/**
 * Hex SHA-256 of what was signed and the signature: what the ledgers record and the next
 * envelope chains to. The ciphertext enters through ciphertext_digest, which parsing checks.
 */
export function envelopeDigest(envelope: SealedEnvelope): string {
  return createHash('sha256')
    .update(signingBytes(envelope))
    .update('\n')
    .update(envelope.signature)
    .digest('hex');
}

function base64Field(name: string, v: unknown, exactBytes: number, maxChars: number): string | undefined {
  if (typeof v !== 'string' || v.length === 0 || v.length % 4 !== 0)
    return `${name} must be non-empty standard base64`;
  if (v.length > maxChars) return `${name} is longer than ${maxChars} characters`;
  // Only the canonical standard encoding of some bytes comes back unchanged.
  if (Buffer.from(v, 'base64').toString('base64') !== v) return `${name} must be non-empty standard base64`;
  if (Buffer.from(v, 'base64').length !== exactBytes)
    return `${name} must encode exactly ${exactBytes} bytes`;
  return undefined;
}

/**
 * The ciphertext's shape only: a bounded string of base64 length. Whether it decodes is checked
 * where it is opened (relay-seal.ts); the relay stores it opaquely and never decodes it.
 */
function ciphertextShape(v: unknown): string | undefined {
  if (typeof v !== 'string' || v.length === 0 || v.length % 4 !== 0)
    return 'ciphertext must be non-empty standard base64';
  if (v.length > MAX_CIPHERTEXT_CHARS) return `ciphertext is longer than ${MAX_CIPHERTEXT_CHARS} characters`;
  return undefined;
}

/**
 * Checks a value received from outside (a relay POST, a mailbox page) is a well-formed sealed
 * envelope: exactly these properties, each valid. Says which property is wrong and why.
 */
export function parseSealedEnvelope(
  value: unknown,
  where = 'envelope',
): RelayResult<{ envelope: SealedEnvelope }> {
  const bad = (message: string) => relayFail('bad-envelope', `${where}: ${message}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return bad('must be a JSON object');
  const o = value as Record<string, unknown>;
  if (!('envelope_version' in o) && 'ciphertext' in o && 'signature' in o)
    return bad(
      `envelope format 1 (no envelope_version) is no longer read: this hub and relay read format ${ENVELOPE_VERSION} only (the sender must upgrade)`,
    );
  const extra = Object.keys(o).filter((k) => !(FIELDS as readonly string[]).includes(k));
  if (extra.length > 0)
    return bad(`unexpected propert${extra.length === 1 ? 'y' : 'ies'} ${extra.slice(0, 5).join(', ')}`);
  const missing = FIELDS.filter((k) => !(k in o));
  if (missing.length > 0) return bad(`missing ${missing.join(', ')}`);
  if (o.type !== SEALED_TYPE) return bad(`type must be "${SEALED_TYPE}"`);
  if (o.spec_version !== '2.1') return bad('spec_version must be "2.1"');
  if (o.envelope_version !== ENVELOPE_VERSION)
    return bad(
      `envelope_version ${JSON.stringify(o.envelope_version)} is not read here: this hub and relay read format ${ENVELOPE_VERSION} only (the sender must upgrade)`,
    );
  if (typeof o.id !== 'string' || !ID.test(o.id))
    return bad(`id must be "${SEALED_TYPE}--" and a lowercase UUID`);
  for (const k of ['created', 'modified'] as const) {
    const t = o[k];
    if (typeof t !== 'string' || !TIMESTAMP.test(t) || Number.isNaN(Date.parse(t)))
      return bad(`${k} must be a UTC timestamp with milliseconds (e.g. 2026-12-06T10:00:00.000Z)`);
  }
  if (o.created !== o.modified) return bad('modified must equal created (an envelope has one version)');
  for (const k of ['sender', 'recipient'] as const) {
    const v = o[k];
    if (typeof v !== 'string' || !isKeyName(v)) return bad(`${k} must be a hub name (no spaces or '+')`);
  }
  if (o.sender === o.recipient) return bad('sender and recipient must differ');
  if (!Number.isSafeInteger(o.sequence) || (o.sequence as number) < 1)
    return bad('sequence must be a whole number >= 1');
  if (typeof o.previous_digest !== 'string' || !HEX64.test(o.previous_digest))
    return bad('previous_digest must be 64 lowercase hex digits');
  if (o.suite !== SEALED_SUITE) return bad(`suite must be "${SEALED_SUITE}"`);
  if (typeof o.recipient_key_id !== 'string' || !/^[0-9a-f]{8}$/.test(o.recipient_key_id))
    return bad('recipient_key_id must be 8 lowercase hex digits');
  const fieldError =
    base64Field('encapsulated_key', o.encapsulated_key, 32, 64) ??
    base64Field('signature', o.signature, 64, 128) ??
    ciphertextShape(o.ciphertext);
  if (fieldError) return bad(fieldError);
  if (typeof o.ciphertext_digest !== 'string' || !HEX64.test(o.ciphertext_digest))
    return bad('ciphertext_digest must be 64 lowercase hex digits');
  // The one pass over the ciphertext: it must be what the signed digest names.
  if (ciphertextDigest(o.ciphertext as string) !== o.ciphertext_digest)
    return bad('ciphertext does not match ciphertext_digest (changed after signing)');
  return { ok: true, envelope: o as unknown as SealedEnvelope };
}

const MAILBOX_NAMESPACE = '3c0d9a52-6f0e-4b8a-8a57-1f9f2c7d1900';

/** A mailbox's TAXII collection id: the same on the relay and both hubs, from the two names. */
export function mailboxIdOf(sender: string, recipient: string): string {
  return uuidV5(MAILBOX_NAMESPACE, `${sender}\n${recipient}`);
}
