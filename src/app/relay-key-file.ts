import { randomBytes, type webcrypto } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  deriveSealingKeyPair,
  formatSealingPrivateKey,
  formatSealingPublicKey,
  parseSealingPrivateKey,
  parseSealingPublicKey,
} from '../relay/relay-keys.js';
import type { DataDirPaths } from './data-dir.js';
import { writeOnce } from './data-dir.js';

/** The hub's sealing key (X25519 seed) lives beside the ledger key, never in the database. */
export function sealingKeyPath(paths: DataDirPaths): string {
  return join(paths.keys, 'sealing.key');
}

export function ensureSealingKey(paths: DataDirPaths, hubName: string): { created: boolean } {
  return {
    created: writeOnce(
      sealingKeyPath(paths),
      `${formatSealingPrivateKey(hubName, randomBytes(32))}\n`,
      0o600,
    ),
  };
}

export interface LoadedSealingKey {
  publicKeyText: string;
  keyId: string;
  pair: webcrypto.CryptoKeyPair;
}

export async function loadSealingKey(
  paths: DataDirPaths,
  hubName: string,
): Promise<{ ok: true; key: LoadedSealingKey } | { ok: false; message: string }> {
  const path = sealingKeyPath(paths);
  if (!existsSync(path))
    return { ok: false, message: `no sealing key at ${path}: run 'tearline relay keygen'` };
  const stat = statSync(path);
  if (stat.size > 1024) return { ok: false, message: `${path} is too large to be a sealing key` };
  if ((stat.mode & 0o077) !== 0)
    return { ok: false, message: `${path} is readable by others; run chmod 600 ${path}` };
  const parsed = parseSealingPrivateKey(readFileSync(path, 'utf8'));
  if (!parsed.ok) return { ok: false, message: `${path}: ${parsed.message}` };
  if (parsed.name !== hubName)
    return { ok: false, message: `${path} belongs to ${parsed.name} but hub_name is ${hubName}` };
  const { pair, publicKey } = await deriveSealingKeyPair(parsed.key);
  const text = formatSealingPublicKey(hubName, publicKey);
  const pub = parseSealingPublicKey(text);
  if (!pub.ok) return { ok: false, message: pub.message };
  return { ok: true, key: { publicKeyText: text, keyId: pub.publicKey.keyId, pair } };
}
