import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import {
  AttemptThrottle,
  accountKeysOf,
  DEFAULT_THROTTLE_POLICY,
  type ThrottleKey,
  type ThrottlePolicy,
} from '../../access/access-throttle.js';
import { openSqlite, openSqliteReadOnly } from '../sqlite/database.js';
import { SqliteSql } from '../sqlite/sqlite-sql.js';
import { FaultTolerantThrottleStore } from './auth-throttle-fallback.js';
import { AuthThrottleStore } from './auth-throttle-store.js';

const POLICY: ThrottlePolicy = {
  ...DEFAULT_THROTTLE_POLICY,
  baseMs: 100,
  capMs: 1600,
  account: { lockAfter: 3, decayMs: 86_400_000 },
};

function throttleOn(store: FaultTolerantThrottleStore) {
  let now = 1_000_000;
  return new AttemptThrottle({
    store,
    policy: POLICY,
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  });
}

const accountKeyOf = (name: string) =>
  accountKeysOf(name, 'addr:192.0.2.1', { wide: false })[0] as ThrottleKey;
const wrong = async () => undefined;
const right = async () => 'ok';

it('on a database that takes no writes: a lock it holds still refuses, and new failures lock here', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tearline-throttle-ro-'));
  try {
    const path = join(dir, 'hub.db');
    const rw = openSqlite(path);
    const writable = new SqliteSql(rw);
    const locking = throttleOn(new FaultTolerantThrottleStore(new AuthThrottleStore(writable), writable));
    for (let i = 0; i < POLICY.account.lockAfter; i++) await locking.attempt([accountKeyOf('olga')], wrong);
    rw.close();

    // The same file opened read-only, as `serve` and reading commands do on a read-only disk.
    const ro = new SqliteSql(openSqliteReadOnly(path));
    const throttle = throttleOn(new FaultTolerantThrottleStore(new AuthThrottleStore(ro), ro));
    const olga = await throttle.attempt([accountKeyOf('olga')], right);
    expect(olga).toMatchObject({ ok: false, code: 'locked' });
    // A name the database knows nothing of still signs in, and guessing it locks in this process.
    expect(await throttle.attempt([accountKeyOf('omar')], right)).toEqual({ ok: true, value: 'ok' });
    const outcomes = [];
    for (let i = 0; i < POLICY.account.lockAfter + 2; i++)
      outcomes.push(await throttle.attempt([accountKeyOf('ivan')], wrong));
    expect(outcomes.slice(0, POLICY.account.lockAfter).every((o) => !o.ok && o.code === 'failed')).toBe(true);
    expect(outcomes.slice(POLICY.account.lockAfter).every((o) => !o.ok && o.code === 'locked')).toBe(true);
    expect(await throttle.attempt([accountKeyOf('ivan')], right)).toMatchObject({
      ok: false,
      code: 'locked',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
