import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(REPO_ROOT, 'bin', 'tearline.js');
// CLI sessions live under $XDG_STATE_HOME: the binary under test gets a directory of this run's own.
const STATE_HOME = mkdtempSync(join(tmpdir(), 'tearline-state-'));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `tearline` binary (built by test/global-setup.ts). */
export function runTearline(
  args: string[],
  opts: { input?: string | Buffer; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, TEARLINE_API_KEY: '', XDG_STATE_HOME: STATE_HOME, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    child.stdin.end(opts.input ?? '');
  });
}

export function tempDir(prefix = 'tearline-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Test users provisioned by initHub, one per role, each with an API key. */
export const TEST_USERS = {
  admin: 'admin',
  analyst: 'test-analyst',
  officer: 'test-officer',
  officer2: 'test-officer-2',
  oversight: 'test-overseer',
} as const;
export type TestRole = keyof typeof TEST_USERS;

const KEYS = new Map<string, Record<string, string>>();

/**
 * `tearline init` through the binary (which creates the first admin), then an API key for the
 * admin and a user of each other role, made through the hub's own stores. `as(data, role)` then
 * runs the binary as that user, with TEARLINE_API_KEY.
 */
export async function initHub(data: string, db?: string): Promise<CliResult> {
  const r = await runTearline(['init', '--data', data, ...(db ? ['--db', db] : [])]);
  if (r.code !== 0) return r;
  const { provisionKeys } = await import('./auth-fixture.js');
  KEYS.set(
    data,
    await provisionKeys({ data, ...(db && { db }) }, [
      { name: TEST_USERS.admin, role: 'admin' },
      { name: TEST_USERS.analyst, role: 'analyst' },
      { name: TEST_USERS.officer, role: 'release-officer' },
      { name: TEST_USERS.officer2, role: 'release-officer' },
      { name: TEST_USERS.oversight, role: 'oversight' },
    ]),
  );
  return r;
}

/** Options that make runTearline act as the test user of `role` on the hub at `data`. */
export function as(data: string, role: TestRole, extra: { input?: string | Buffer } = {}) {
  const key = KEYS.get(data)?.[TEST_USERS[role]];
  if (!key) throw new Error(`no test key for ${role} on ${data}: call initHub first`);
  return { ...extra, env: { TEARLINE_API_KEY: key } };
}

/**
 * As initHub, for tests that need the ledger to start empty: the admin and the analyst with keys
 * written straight into the tables (no `user add` ledger entries), without running `init`.
 */
export async function initHubQuietly(data: string): Promise<void> {
  const { seedKeyQuietly } = await import('./auth-fixture.js');
  KEYS.set(data, {
    [TEST_USERS.admin]: seedKeyQuietly(data, TEST_USERS.admin, 'admin'),
    [TEST_USERS.analyst]: seedKeyQuietly(data, TEST_USERS.analyst, 'analyst'),
  });
}
