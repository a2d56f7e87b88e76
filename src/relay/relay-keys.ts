import { createHash, type webcrypto } from 'node:crypto';
import { Aes256Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';
import { isKeyName } from '../ledger/ledger-note.js';
import { type RelayResult, relayFail } from './relay-result.js';

/*
 * A hub's sealing key: an X25519 key pair for RFC 9180 HPKE, base mode, suite
 * DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / AES-256-GCM. Text forms follow the ledger's
 * note keys (name + key id + base64) so an operator can tell keys apart and paste them safely:
 *   public:  <name>+<8 hex key id>+x25519+<base64 of 32 bytes>
 *   private: PRIVATE+X25519+<name>+<base64 of the 32-byte seed>
 */

const PUBLIC_TAG = 'x25519';
const PRIVATE_PREFIX = 'PRIVATE+X25519+';

/** The one HPKE suite the relay speaks; a second would be a new envelope type. */
export function relaySuite(): CipherSuite {
  return new CipherSuite({
    kem: new DhkemX25519HkdfSha256(),
    kdf: new HkdfSha256(),
    aead: new Aes256Gcm(),
  });
}

export interface SealingPublicKey {
  name: string;
  keyId: string;
  key: Uint8Array;
}

function keyIdOf(name: string, key: Uint8Array): string {
  return createHash('sha256').update(name).update('\nx25519\n').update(key).digest('hex').slice(0, 8);
}

function decode32(b64: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]{43}=$/.test(b64)) return undefined;
  const raw = Buffer.from(b64, 'base64');
  return raw.length === 32 && raw.toString('base64') === b64 ? raw : undefined;
}

export function formatSealingPublicKey(name: string, key: Uint8Array): string {
  return `${name}+${keyIdOf(name, key)}+${PUBLIC_TAG}+${Buffer.from(key).toString('base64')}`;
}

export function formatSealingPrivateKey(name: string, key: Uint8Array): string {
  return `${PRIVATE_PREFIX}${name}+${Buffer.from(key).toString('base64')}`;
}

export function parseSealingPublicKey(text: string): RelayResult<{ publicKey: SealingPublicKey }> {
  const what = 'sealing public key';
  const fields = text.trim().split('+');
  // The base64 may itself hold '+': everything after the third field is the key.
  if (fields.length < 4)
    return relayFail('bad-key', `${what} must look like <name>+<key id>+x25519+<base64>`);
  const [name, keyId, tag] = fields as [string, string, string];
  const b64 = fields.slice(3).join('+');
  if (!isKeyName(name)) return relayFail('bad-key', `${what}: ${JSON.stringify(name)} is not a valid name`);
  if (tag !== PUBLIC_TAG) return relayFail('bad-key', `${what}: third field must be "x25519"`);
  const key = decode32(b64);
  if (!key) return relayFail('bad-key', `${what}: key must be the base64 of 32 bytes`);
  if (keyIdOf(name, key) !== keyId) return relayFail('bad-key', `${what}: key id does not match the key`);
  return { ok: true, publicKey: { name, keyId, key } };
}

export function parseSealingPrivateKey(text: string): RelayResult<{ name: string; key: Uint8Array }> {
  const what = 'sealing private key';
  const t = text.trim();
  if (!t.startsWith(PRIVATE_PREFIX)) return relayFail('bad-key', `${what} must start with ${PRIVATE_PREFIX}`);
  const rest = t.slice(PRIVATE_PREFIX.length);
  const cut = rest.indexOf('+');
  if (cut <= 0) return relayFail('bad-key', `${what} must look like ${PRIVATE_PREFIX}<name>+<base64>`);
  const name = rest.slice(0, cut);
  const key = decode32(rest.slice(cut + 1));
  if (!isKeyName(name)) return relayFail('bad-key', `${what}: ${JSON.stringify(name)} is not a valid name`);
  if (!key) return relayFail('bad-key', `${what}: key must be the base64 of 32 bytes`);
  return { ok: true, name, key };
}

/**
 * The key pair of a 32-byte seed (RFC 9180 DeriveKeyPair). The private key file holds the seed,
 * so the public key can always be recomputed from it; the caller supplies the randomness.
 */
export async function deriveSealingKeyPair(
  seed: Uint8Array,
): Promise<{ pair: webcrypto.CryptoKeyPair; publicKey: Uint8Array }> {
  const suite = relaySuite();
  const pair = await suite.kem.deriveKeyPair(seed);
  return { pair, publicKey: new Uint8Array(await suite.kem.serializePublicKey(pair.publicKey)) };
}
