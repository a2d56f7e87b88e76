import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Cosigner,
  createCosigner,
  formatCosignerSignerKey,
  formatCosignerVerifierKey,
  parseCosignerSignerKey,
} from '../ledger/ledger-cosignature.js';

export const DEFAULT_WITNESS_DIR = './tearline-witness';

/** Where a witness keeps its key and state. */
export interface WitnessPaths {
  dir: string;
  key: string;
  state: string;
}

export function witnessPaths(dir: string): WitnessPaths {
  return { dir, key: join(dir, 'witness.key'), state: join(dir, 'witness.db') };
}

export type WitnessKeyResult = { ok: true; cosigner: Cosigner } | { ok: false; message: string };

/**
 * Makes a witness's Ed25519 key (type 0x04, c2sp.org/tlog-cosignature) under its name, mode
 * 0600. Never replaces a key: logs and verifiers are configured with it.
 */
export function createWitnessKey(
  path: string,
  name: string,
  random: (n: number) => Buffer = randomBytes,
): WitnessKeyResult {
  if (existsSync(path))
    return { ok: false, message: `${path} already exists; a witness key is never replaced` };
  const seed = random(32);
  const made = createCosigner(name, seed);
  if (!made.ok) return { ok: false, message: made.message };
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${formatCosignerSignerKey(name, seed, made.cosigner.publicKey)}\n`, {
    mode: 0o600,
    flag: 'wx',
  });
  return made;
}

/** Loads a witness key, refusing one that others can read (as ssh does with private keys). */
export function loadWitnessKey(path: string): WitnessKeyResult {
  if (!existsSync(path))
    return { ok: false, message: `no witness key at ${path}: run 'tearline witness init --name NAME' first` };
  const stat = statSync(path);
  if (!stat.isFile() || stat.size > 1024) return { ok: false, message: `${path} is not a witness key file` };
  if ((stat.mode & 0o077) !== 0) {
    return {
      ok: false,
      message: `${path} is readable by others (mode ${(stat.mode & 0o777).toString(8)}); run chmod 600 ${path}`,
    };
  }
  const parsed = parseCosignerSignerKey(readFileSync(path, 'utf8'));
  return parsed.ok ? parsed : { ok: false, message: `${path}: ${parsed.message}` };
}

export function witnessVerifierKey(cosigner: Cosigner): string {
  return formatCosignerVerifierKey(cosigner.name, cosigner.publicKey);
}
