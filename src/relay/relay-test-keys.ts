import {
  createSigner,
  formatVerifierKey,
  type NoteSigner,
  type NoteVerifier,
  parseVerifierKey,
} from '../ledger/ledger-note.js';
import {
  deriveSealingKeyPair,
  formatSealingPublicKey,
  parseSealingPublicKey,
  type SealingPublicKey,
} from './relay-keys.js';
import type { OpenKeys } from './relay-seal.js';

/** A hub's two keys for tests: its Ed25519 ledger signer and its X25519 sealing key, from fixed seeds. */
export interface TestHubKeys {
  signer: NoteSigner;
  verifier: NoteVerifier;
  sealing: SealingPublicKey;
  open(senderVerifier: NoteVerifier): OpenKeys;
}

export async function testHubKeys(name: string, seedByte: number): Promise<TestHubKeys> {
  const made = createSigner(name, new Uint8Array(32).fill(seedByte));
  if (!made.ok) throw new Error(made.message);
  const parsed = parseVerifierKey(formatVerifierKey(name, made.signer.publicKey));
  if (!parsed.ok) throw new Error(parsed.message);
  const { pair, publicKey } = await deriveSealingKeyPair(new Uint8Array(32).fill(seedByte + 1));
  const sealing = parseSealingPublicKey(formatSealingPublicKey(name, publicKey));
  if (!sealing.ok) throw new Error(sealing.message);
  return {
    signer: made.signer,
    verifier: parsed.verifier,
    sealing: sealing.publicKey,
    open: (senderVerifier) => ({
      recipientName: name,
      recipientKeyId: sealing.publicKey.keyId,
      pair,
      senderVerifier,
    }),
  };
}
