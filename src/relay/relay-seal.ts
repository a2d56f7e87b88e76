import type { webcrypto } from 'node:crypto';
import type { NoteSigner, NoteVerifier } from '../ledger/ledger-note.js';
import {
  type EncodedBundle,
  encodeBundle,
  framePlaintext,
  type OpenedBundle,
  parsePlaintext,
  type RelayPayload,
} from './relay-bundle.js';
import {
  associatedData,
  ciphertextDigest,
  ENVELOPE_VERSION,
  MAX_CIPHERTEXT_CHARS,
  SEALED_SUITE,
  SEALED_TYPE,
  type SealedEnvelope,
  signingBytes,
} from './relay-envelope.js';
import { relaySuite, type SealingPublicKey } from './relay-keys.js';
import { type RelayResult, relayFail } from './relay-result.js';

export { MAX_PAYLOAD_OBJECTS, type RelayPayload } from './relay-bundle.js';

const INFO = Buffer.from('tearline relay v1', 'utf8');

export interface SealInput {
  id: string;
  /** Millisecond UTC timestamp, from the caller's clock. */
  created: string;
  signer: NoteSigner;
  recipient: SealingPublicKey;
  sequence: number;
  previousDigest: string;
  /** The payload, or the same already encoded (when its digest was needed first, for a receipt). */
  payload: RelayPayload | EncodedBundle;
  /** The sender hub's ledger receipt for the bundle's 'relay-bundle' entry (relay-hub-receipts.ts). */
  receipt?: Record<string, unknown>;
}

/**
 * Seals a payload to the recipient's key (HPKE base mode; the routing header is the associated
 * data) and signs the header and the ciphertext's digest with the sender's Ed25519 ledger key.
 * The signature lets the recipient, and anyone holding the sender's published key, tell who
 * made it, offline.
 */
export async function sealEnvelope(input: SealInput): Promise<RelayResult<{ envelope: SealedEnvelope }>> {
  const bundle = 'text' in input.payload ? input.payload : encodeBundle(input.payload);
  const plaintext = framePlaintext(bundle, input.receipt);
  if (Math.ceil((plaintext.length + 16) / 3) * 4 > MAX_CIPHERTEXT_CHARS)
    return relayFail('too-large', `payload of ${plaintext.length} bytes does not fit one envelope`);
  const header: Omit<SealedEnvelope, 'signature' | 'ciphertext' | 'encapsulated_key' | 'ciphertext_digest'> =
    {
      type: SEALED_TYPE,
      spec_version: '2.1',
      envelope_version: ENVELOPE_VERSION,
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
  const ciphertext = Buffer.from(sealed.ct).toString('base64');
  const unsigned = {
    ...header,
    encapsulated_key: Buffer.from(sealed.enc).toString('base64'),
    ciphertext_digest: ciphertextDigest(ciphertext),
    ciphertext,
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

/**
 * Verifies the sender's signature, then opens and checks the payload. Never returns partial
 * content. The envelope is one parseSealedEnvelope accepted (its ciphertext matches its signed
 * digest); a ciphertext changed anyway does not open (HPKE's AEAD).
 */
export async function openEnvelope(
  envelope: SealedEnvelope,
  keys: OpenKeys,
): Promise<RelayResult<OpenedBundle>> {
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
  const ciphertext = Buffer.from(envelope.ciphertext, 'base64');
  // The relay never decodes the ciphertext; here it must be the canonical encoding of its bytes.
  if (Math.ceil(ciphertext.length / 3) * 4 !== envelope.ciphertext.length)
    return relayFail('bad-envelope', `${envelope.id}: ciphertext is not standard base64`);
  const suite = relaySuite();
  let plaintext: ArrayBuffer;
  try {
    plaintext = await suite.open(
      { recipientKey: keys.pair, enc: Buffer.from(envelope.encapsulated_key, 'base64'), info: INFO },
      ciphertext,
      associatedData(envelope),
    );
  } catch {
    return relayFail('cannot-open', `${envelope.id}: the ciphertext does not open with this hub's key`);
  }
  const parsed = parsePlaintext(Buffer.from(plaintext), envelope.id);
  return parsed.ok ? { ok: true, ...parsed.opened } : parsed;
}
