import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../src/access/access-roles.js';
import { DEFAULT_THROTTLE_POLICY, type ThrottlePolicy } from '../src/access/access-throttle.js';
import { initDataDir } from '../src/app/data-dir.js';
import { openHubAt } from '../src/app/hub-open.js';
import { ensureLedgerKey } from '../src/app/ledger-key.js';
import { openSqlite } from '../src/store/sqlite/database.js';

/**
 * For tests that are not about guessing: no back-off worth waiting for and no lockout within a
 * test's few wrong credentials (the red-team tests use the real shape with small numbers).
 */
export const LENIENT_THROTTLE: ThrottlePolicy = {
  ...DEFAULT_THROTTLE_POLICY,
  baseMs: 1,
  capMs: 5,
  account: { lockAfter: 1000, decayMs: 3_600_000 },
  address: { lockAfter: 10_000, lockMs: 60_000, decayMs: 3_600_000 },
};

export const TEST_PASSWORD = 'a long enough password';

/**
 * Users of the given roles on an initialised hub (created if missing, as the setup actor) and an
 * API key for each, made through the same stores `tearline user add` and `user key create` use:
 * tests that are not about signing in run the binary with TEARLINE_API_KEY set to one of these.
 */
export async function provisionKeys(
  where: { data: string; db?: string },
  users: readonly { name: string; role: Role }[],
): Promise<Record<string, string>> {
  const hub = await openHubAt(where);
  const keys: Record<string, string> = {};
  try {
    const now = new Date();
    for (const u of users) {
      if (!(await hub.state.users.get(u.name))) {
        const added = await hub.state.users.add(u.name, u.role, TEST_PASSWORD, { actor: 'test-setup', now });
        if (!added.ok) throw new Error(`${u.name}: ${added.message}`);
      }
      const k = await hub.state.apiKeys.create(
        u.name,
        u.role,
        { label: `test ${randomBytes(3).toString('hex')}` },
        {
          actor: u.name,
          now,
        },
      );
      if (!k.ok) throw new Error(`${u.name}: ${k.message}`);
      keys[u.name] = k.secret;
    }
  } finally {
    await hub.close();
  }
  return keys;
}

/** The environment that makes the binary act as the holder of `key`. */
export const asKey = (key: string | undefined): NodeJS.ProcessEnv => {
  if (!key) throw new Error('no such test key');
  return { TEARLINE_API_KEY: key };
};

/**
 * For ledger tests that need the ledger to start empty: a data dir with an admin and an API key
 * written straight into the tables, without the ledger entries `user add` and `user key create`
 * record. Returns the key.
 */
export function seedKeyQuietly(dataDir: string, name = 'admin', role: Role = 'admin'): string {
  const { paths } = initDataDir(dataDir);
  ensureLedgerKey(paths);
  const db = openSqlite(paths.database);
  try {
    const at = new Date().toISOString();
    const id = randomBytes(12).toString('base64url');
    const secret = randomBytes(32).toString('base64url');
    db.prepare(
      'INSERT INTO users (name, role, password_hash, enabled, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)',
    ).run(name, role, '$argon2id$unusable', at, at);
    db.prepare(
      'INSERT INTO user_api_keys (key_id, user_name, role, label, secret_sha256, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(id, name, role, 'test', createHash('sha256').update(secret).digest('hex'), at);
    return `tlk_${id}.${secret}`;
  } finally {
    db.close();
  }
}
