import type { webcrypto } from 'node:crypto';
import type { NoteSigner, NoteVerifier } from '../ledger/ledger-note.js';
import { canonicalJson } from '../stix/canonical-json.js';
import {
  associatedData,
  MAX_CIPHERTEXT_CHARS,
  SEALED_SUITE,
  SEALED_TYPE,
  type SealedEnvelope,
  signingBytes,
} from './relay-envelope.js';
import { relaySuite, type SealingPublicKey } from './relay-keys.js';
import { type RelayResult, relayFail } from './relay-result.js';

/** What an envelope carries: tearline copies from the sender's feed for this partner, in feed order. */
export interface RelayPayload {
  objects: Record<string, unknown>[];
  /** The sender's feed positions covered: (after_us, through_us]. */
  feed: { after_us: number; through_us: number };
  /** The sender hub's ledger receipts for the releases of these objects (relay-hub-receipts.ts). */
  receipts?: Record<string, unknown>[];
}

export const MAX_PAYLOAD_OBJECTS = 10_000;
const INFO = Buffer.from('tearline relay v1', 'utf8');

export interface SealInput {
  id: string;
  /** Millisecond UTC timestamp, from the caller's clock. */
  created: string;
  signer: NoteSigner;
  recipient: SealingPublicKey;
  sequence: number;
  previousDigest: string;
  payload: RelayPayload;
}

/**
 * Seals a payload to the recipient's key (HPKE base mode; the routing header is the associated
 * data) and signs the whole envelope with the sender's Ed25519 ledger key. The signature lets the
 * recipient, and anyone holding the sender's published key, tell who made it, offline.
 */
export async function sealEnvelope(input: SealInput): Promise<RelayResult<{ envelope: SealedEnvelope }>> {
  const plaintext = Buffer.from(canonicalJson(input.payload), 'utf8');
  if (Math.ceil((plaintext.length + 16) / 3) * 4 > MAX_CIPHERTEXT_CHARS)
    return relayFail('too-large', `payload of ${plaintext.length} bytes does not fit one envelope`);
  const header: Omit<SealedEnvelope, 'signature' | 'ciphertext' | 'encapsulated_key'> = {
    type: SEALED_TYPE,
    spec_version: '2.1',
    id: input.id,
    created: input.created,
    modified: input.created,
    sender: input.signer.name,
    recipient: input.recipient.name,
    sequence: input.sequence,
    previous_digest: input.previousDigest,
    suite: SEALED_SUITE,
    recipient_key_id: input.recipient.keyId,
  };
  const suite = relaySuite();
  const recipientPublicKey = await suite.kem.deserializePublicKey(input.recipient.key);
  const sealed = await suite.seal({ recipientPublicKey, info: INFO }, plaintext, associatedData(header));
  const unsigned = {
    ...header,
    encapsulated_key: Buffer.from(sealed.enc).toString('base64'),
    ciphertext: Buffer.from(sealed.ct).toString('base64'),
  };
  const signature = Buffer.from(input.signer.sign(signingBytes(unsigned))).toString('base64');
  return { ok: true, envelope: { ...unsigned, signature } };
}

export interface OpenKeys {
  /** This hub's name: an envelope addressed to another is refused before any decryption. */
  recipientName: string;
  recipientKeyId: string;
  pair: webcrypto.CryptoKeyPair;
  /** The sender's published ledger key. */
  senderVerifier: NoteVerifier;
}

/** Verifies the sender's signature, then opens and checks the payload. Never returns partial content. */
export async function openEnvelope(
  envelope: SealedEnvelope,
  keys: OpenKeys,
): Promise<RelayResult<{ payload: RelayPayload }>> {
  if (envelope.recipient !== keys.recipientName)
    return relayFail(
      'wrong-recipient',
      `${envelope.id} is addressed to ${envelope.recipient}, not ${keys.recipientName}`,
    );
  if (envelope.recipient_key_id !== keys.recipientKeyId)
    return relayFail(
      'wrong-recipient',
      `${envelope.id} is sealed to key ${envelope.recipient_key_id}, not this hub's key ${keys.recipientKeyId}`,
    );
  if (envelope.sender !== keys.senderVerifier.name)
    return relayFail(
      'wrong-sender',
      `${envelope.id} names sender ${envelope.sender}, expected ${keys.senderVerifier.name}`,
    );
  const signature = Buffer.from(envelope.signature, 'base64');
  if (!keys.senderVerifier.verify(signingBytes(envelope), signature))
    return relayFail(
      'bad-signature',
      `${envelope.id}: the signature does not verify with ${envelope.sender}'s key`,
    );
  const suite = relaySuite();
  let plaintext: ArrayBuffer;
  try {
    plaintext = await suite.open(
      { recipientKey: keys.pair, enc: Buffer.from(envelope.encapsulated_key, 'base64'), info: INFO },
      Buffer.from(envelope.ciphertext, 'base64'),
      associatedData(envelope),
    );
  } catch {
    return relayFail('cannot-open', `${envelope.id}: the ciphertext does not open with this hub's key`);
  }
  return parsePayload(Buffer.from(plaintext).toString('utf8'), envelope.id);
}

function parsePayload(text: string, where: string): RelayResult<{ payload: RelayPayload }> {
  const bad = (m: string) => relayFail('bad-payload', `${where}: ${m}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return bad('payload is not JSON');
  }
  const p = value as Partial<RelayPayload> | null;
  if (typeof p !== 'object' || p === null || !Array.isArray(p.objects))
    return bad('payload.objects must be an array');
  if (p.objects.length > MAX_PAYLOAD_OBJECTS)
    return bad(`payload holds more than ${MAX_PAYLOAD_OBJECTS} objects`);
  const i = p.objects.findIndex((o) => typeof o !== 'object' || o === null || Array.isArray(o));
  if (i >= 0) return bad(`payload.objects[${i}] must be a JSON object`);
  const f = p.feed;
  if (
    typeof f !== 'object' ||
    f === null ||
    !Number.isSafeInteger(f.after_us) ||
    !Number.isSafeInteger(f.through_us) ||
    f.through_us < f.after_us
  )
    return bad('payload.feed must be {after_us, through_us} with through_us >= after_us');
  const receipts = p.receipts;
  if (receipts !== undefined) {
    if (!Array.isArray(receipts) || receipts.length > MAX_PAYLOAD_OBJECTS)
      return bad(`payload.receipts must be an array of at most ${MAX_PAYLOAD_OBJECTS} receipts`);
    const j = receipts.findIndex((o) => typeof o !== 'object' || o === null || Array.isArray(o));
    if (j >= 0) return bad(`payload.receipts[${j}] must be a JSON object`);
  }
  return {
    ok: true,
    payload: {
      objects: p.objects,
      feed: { after_us: f.after_us, through_us: f.through_us },
      ...(receipts !== undefined && { receipts }),
    },
  };
}
