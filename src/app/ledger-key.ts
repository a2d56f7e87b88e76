import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  createSigner,
  formatSignerKey,
  formatVerifierKey,
  type NoteSigner,
  parseSignerKey,
} from '../ledger/ledger-note.js';
import { fail, type LedgerResult } from '../ledger/ledger-result.js';
import { type DataDirPaths, readConfig, writeOnce } from './data-dir.js';

/** The ledger's Ed25519 signing key, in the Go note format (`PRIVATE+KEY+<name>+<id>+<key>`). */
export function ledgerKeyPath(paths: DataDirPaths): string {
  return join(paths.keys, 'ledger.key');
}

/**
 * Creates the signing key if there is none; never replaces one, since every checkpoint ever
 * signed is verified with it. The key's name is the hub name (also the checkpoint origin).
 */
export function ensureLedgerKey(paths: DataDirPaths, random = randomBytes): { created: boolean } {
  const path = ledgerKeyPath(paths);
  if (existsSync(path)) return { created: false };
  const hubName = readConfig(paths).hub_name;
  const seed = random(32);
  const made = createSigner(hubName, seed);
  if (!made.ok) throw new Error(`cannot create the ledger key: ${made.message}`);
  return { created: writeOnce(path, `${formatSignerKey(hubName, seed, made.signer.publicKey)}\n`, 0o600) };
}

/** Loads the signing key, insisting it belongs to this hub's name. */
export function loadLedgerSigner(paths: DataDirPaths, hubName: string): LedgerResult<{ signer: NoteSigner }> {
  const path = ledgerKeyPath(paths);
  if (!existsSync(path))
    return fail('bad-key', `no ledger key at ${path}: run 'tearline init --data ${paths.dir}'`);
  const stat = statSync(path);
  if (stat.size > 1024) return fail('bad-key', `${path} is too large to be a ledger key`);
  // Like ssh with its private keys: a signing key others can read is refused, not used.
  if ((stat.mode & 0o077) !== 0) {
    return fail(
      'bad-key',
      `${path} is readable by others (mode ${(stat.mode & 0o777).toString(8)}); run chmod 600 ${path}`,
    );
  }
  const parsed = parseSignerKey(readFileSync(path, 'utf8'));
  if (!parsed.ok) return fail(parsed.code, `${path}: ${parsed.message}`);
  if (parsed.signer.name !== hubName) {
    return fail(
      'bad-key',
      `${path} belongs to ${JSON.stringify(parsed.signer.name)} but hub_name is ${JSON.stringify(hubName)}; set hub_name back, since checkpoints are signed under the key's name`,
    );
  }
  return parsed;
}

export function verifierKeyOf(signer: NoteSigner): string {
  return formatVerifierKey(signer.name, signer.publicKey);
}
