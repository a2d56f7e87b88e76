import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CheckpointSchedule } from '../ledger/ledger-checkpoint-steps.js';
import { parseWitnessConfig, type WitnessConfig } from './witness-config.js';

export const DEFAULT_DATA_DIR = './tearline-data';

export function resolveDataDir(option: string | undefined): string {
  return resolve(option ?? process.env.TEARLINE_DATA ?? DEFAULT_DATA_DIR);
}

export interface HubConfig {
  /** Name of the hub: the releasing identity's name and the ledger's origin line. */
  hub_name: string;
  /** Largest accepted single object, in bytes. */
  max_object_bytes: number;
  /**
   * The sign-in throttle of every surface (console, CLI, TAXII, /ledger/); absent fields keep
   * their defaults (src/access/access-throttle.ts). Every process of a deployment should agree.
   */
  sign_in?: SignInConfig;
  /** Witnesses the hub pushes each new checkpoint to (C2SP tlog-witness); none by default. */
  witnesses: WitnessConfig[];
  /**
   * Checkpoints are signed in steps of this many seconds (src/ledger/ledger-checkpoint-steps.ts),
   * so their sizes do not time each release; 0 signs after every batch of work (tests, demos).
   */
  ledger_checkpoint_seconds: number;
  /**
   * The actor the console's threat picture opens on (an intrusion set, threat actor or campaign,
   * by id or name) unless a user chose another; without it, the one with the most links.
   */
  focus_actor?: string;
}

export interface SignInConfig {
  /** Wait after the first failure, doubled by each further one up to cap_ms. */
  base_ms?: number;
  cap_ms?: number;
  /** Failures from one address (or OS account) that lock an account name there until an admin unlocks it. */
  account_lock_after?: number;
  /** Failures from all addresses together that lock an account name for account_wide_lock_minutes. */
  account_wide_lock_after?: number;
  account_wide_lock_minutes?: number;
  /** Failures that lock a client address, for address_lock_minutes. */
  address_lock_after?: number;
  address_lock_minutes?: number;
}

const SIGN_IN_LIMITS: Record<keyof SignInConfig, [number, number]> = {
  base_ms: [1, 60_000],
  cap_ms: [1, 3_600_000],
  account_lock_after: [1, 1000],
  account_wide_lock_after: [1, 100_000],
  account_wide_lock_minutes: [1, 10_080],
  address_lock_after: [1, 100_000],
  address_lock_minutes: [1, 10_080],
};

export const DEFAULT_CONFIG: HubConfig = {
  hub_name: 'tearline.local',
  max_object_bytes: 16 * 1024 * 1024,
  witnesses: [],
  ledger_checkpoint_seconds: 60,
};

export interface DataDirPaths {
  dir: string;
  database: string;
  config: string;
  keys: string;
  hubSecret: string;
}

export function dataDirPaths(dir: string): DataDirPaths {
  return {
    dir,
    database: join(dir, 'tearline.db'),
    config: join(dir, 'config.json'),
    keys: join(dir, 'keys'),
    hubSecret: join(dir, 'keys', 'hub-secret'),
  };
}

/** Writes a file only if it does not exist yet: init never overwrites keys or data. */
export function writeOnce(path: string, content: string | Buffer, mode = 0o600): boolean {
  if (existsSync(path)) return false;
  writeFileSync(path, content, { mode, flag: 'wx' });
  return true;
}

export interface InitResult {
  paths: DataDirPaths;
  created: string[];
}

/** Creates the data dir, config and secrets. Idempotent. */
export function initDataDir(dir: string): InitResult {
  const paths = dataDirPaths(dir);
  const created: string[] = [];
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    created.push(dir);
  }
  if (!existsSync(paths.keys)) {
    mkdirSync(paths.keys, { recursive: true, mode: 0o700 });
  }
  if (writeOnce(paths.config, `${JSON.stringify(DEFAULT_CONFIG, null, 2)}\n`, 0o644))
    created.push(paths.config);
  // The hub secret derives each partner's id namespace: losing it breaks the mapping of feedback.
  if (writeOnce(paths.hubSecret, randomBytes(32).toString('base64'))) created.push(paths.hubSecret);
  return { paths, created };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The checkpoint schedule the config asks for. */
export function checkpointScheduleOf(config: HubConfig): CheckpointSchedule {
  return { intervalMs: config.ledger_checkpoint_seconds * 1000 };
}

export function readConfig(paths: DataDirPaths): HubConfig {
  if (!existsSync(paths.config)) {
    throw new ConfigError(`no hub at ${paths.dir}: run 'tearline init --data ${paths.dir}' first`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(paths.config, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${paths.config}: not valid JSON (${(err as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`${paths.config}: must be a JSON object`);
  }
  const cfg = { ...DEFAULT_CONFIG, ...(parsed as Partial<HubConfig>) };
  if (typeof cfg.hub_name !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(cfg.hub_name)) {
    throw new ConfigError(
      `${paths.config}: hub_name must be 1-200 printable ASCII characters without spaces`,
    );
  }
  if (!Number.isInteger(cfg.max_object_bytes) || cfg.max_object_bytes < 1024) {
    throw new ConfigError(`${paths.config}: max_object_bytes must be an integer >= 1024`);
  }
  if (cfg.sign_in !== undefined) {
    if (typeof cfg.sign_in !== 'object' || cfg.sign_in === null || Array.isArray(cfg.sign_in))
      throw new ConfigError(`${paths.config}: sign_in must be an object`);
    for (const [k, v] of Object.entries(cfg.sign_in)) {
      const range = SIGN_IN_LIMITS[k as keyof SignInConfig];
      if (!range) {
        throw new ConfigError(
          `${paths.config}: sign_in.${k} is not a setting (known: ${Object.keys(SIGN_IN_LIMITS).join(', ')})`,
        );
      }
      if (!Number.isInteger(v) || (v as number) < range[0] || (v as number) > range[1])
        throw new ConfigError(
          `${paths.config}: sign_in.${k} must be an integer from ${range[0]} to ${range[1]}`,
        );
    }
  }
  if (
    cfg.focus_actor !== undefined &&
    (typeof cfg.focus_actor !== 'string' || cfg.focus_actor.trim() === '' || cfg.focus_actor.length > 200)
  )
    throw new ConfigError(`${paths.config}: focus_actor must be an actor's id or name (1-200 characters)`);
  const witnesses = parseWitnessConfig(cfg.witnesses);
  if (!witnesses.ok) throw new ConfigError(`${paths.config}: ${witnesses.message}`);
  const step = cfg.ledger_checkpoint_seconds;
  if (!Number.isInteger(step) || step < 0 || step > 86_400) {
    throw new ConfigError(
      `${paths.config}: ledger_checkpoint_seconds must be an integer from 0 to 86400 (0: after every batch)`,
    );
  }
  return cfg;
}

/** The hub secret: it derives every partner's ids, so it is never regenerated. */
export function readHubSecret(path: string): Buffer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch {
    throw new ConfigError(
      `${path}: the hub secret is missing; it derives partner ids and cannot be replaced`,
    );
  }
  const secret = Buffer.from(text, 'base64');
  if (secret.length < 16)
    throw new ConfigError(`${path}: the hub secret must be at least 16 bytes of base64`);
  return secret;
}
