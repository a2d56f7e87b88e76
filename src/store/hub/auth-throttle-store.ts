import type {
  ClaimResult,
  ThrottleKey,
  ThrottleKeyKind,
  ThrottleKeyPolicy,
  ThrottlePolicy,
  ThrottleStore,
} from '../../access/access-throttle.js';
import { accountOfKey, clearedBySuccess, nextAttemptMs } from '../../access/access-throttle.js';
import type { SqlDatabase, SqlTx } from '../sql/sql-database.js';

export interface ThrottleRow {
  key: string;
  kind: string;
  failures: number;
  last_failure_ms: number;
  next_ms: number;
  busy_until_ms: number;
  locked_at: string | null;
  locked_until_ms: number | null;
}

export interface ThrottleLock {
  key: string;
  kind: ThrottleKeyKind;
  /** The account name the key counts, for account keys. */
  account?: string;
  failures: number;
  locked_at: string;
  /** Absent: until an admin unlocks. */
  locked_until?: string;
}

/** Rows kept at most; past it the least recently failed unlocked keys go, a few at a time. */
const MAX_ROWS = 100_000;
const PRUNE_EVERY = 256;

/**
 * Why these keys admit no attempt now, from their rows: a lock, or the wait until claims held
 * elsewhere end and back-offs pass; undefined when the attempt may go ahead. Both stores decide
 * by this, so the database and the fallback in memory never disagree.
 */
export function refusalOf(
  keys: readonly ThrottleKey[],
  rows: ReadonlyMap<string, ThrottleRow>,
  nowMs: number,
  policy: ThrottlePolicy,
): Exclude<ClaimResult, { ok: true }> | undefined {
  let untilMs = 0;
  let busy = false;
  for (const k of keys) {
    const r = rows.get(k.key);
    if (!r) continue;
    if (isLocked(r, nowMs))
      return {
        ok: false,
        code: 'locked',
        key: k,
        ...(r.locked_until_ms !== null && { untilMs: r.locked_until_ms }),
      };
    if (r.busy_until_ms > nowMs) {
      busy = true;
      untilMs = Math.max(untilMs, r.busy_until_ms);
    }
    if (liveFailures(r, nowMs, policy[k.kind]) > 0 && r.next_ms > nowMs)
      untilMs = Math.max(untilMs, r.next_ms);
  }
  return untilMs > nowMs ? { ok: false, code: 'wait', untilMs, busy } : undefined;
}

function withAccount(key: string): { account?: string } {
  const account = accountOfKey(key);
  return account === undefined ? {} : { account };
}

function kindOf(kind: string): ThrottleKeyKind {
  return kind === 'address' || kind === 'account-wide' ? kind : 'account';
}

export function isLocked(r: ThrottleRow, nowMs: number): boolean {
  return r.locked_at !== null && (r.locked_until_ms === null || r.locked_until_ms > nowMs);
}

/** Failures still counted: none once they decayed, or once a timed lock ran out. */
export function liveFailures(r: ThrottleRow, nowMs: number, p: ThrottleKeyPolicy): number {
  if (r.locked_at !== null && !isLocked(r, nowMs)) return 0;
  if (r.locked_at === null && nowMs - r.last_failure_ms > p.decayMs) return 0;
  return r.failures;
}

/**
 * The throttle's counters in the hub database (auth_throttle), shared by every process of a
 * deployment: a lockout holds on all of them, survives restarts, and an attempt claimed in one
 * process makes the others wait. Each key is serialised by the transaction lock of its name.
 */
export class AuthThrottleStore implements ThrottleStore {
  #failuresSincePrune = 0;

  constructor(readonly sql: SqlDatabase) {}

  async claim(keys: readonly ThrottleKey[], nowMs: number, policy: ThrottlePolicy): Promise<ClaimResult> {
    return this.sql.transaction(async (tx) => {
      const rows = await this.#lockRows(tx, keys);
      const refused = refusalOf(keys, rows, nowMs, policy);
      if (refused) return refused;
      for (const k of keys) {
        const r = rows.get(k.key);
        const failures = r ? liveFailures(r, nowMs, policy[k.kind]) : 0;
        await tx.run(
          `INSERT INTO auth_throttle (key, kind, failures, last_failure_ms, next_ms, busy_until_ms, locked_at, locked_until_ms)
           VALUES (?, ?, ?, ?, 0, ?, NULL, NULL)
           ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, busy_until_ms = excluded.busy_until_ms,
             locked_at = NULL, locked_until_ms = NULL`,
          [k.key, k.kind, failures, r?.last_failure_ms ?? 0, nowMs + policy.claimMs],
        );
      }
      return { ok: true };
    });
  }

  async fail(keys: readonly ThrottleKey[], nowMs: number, policy: ThrottlePolicy): Promise<ThrottleKey[]> {
    const locked = await this.sql.transaction(async (tx) => {
      const rows = await this.#lockRows(tx, keys);
      const out: ThrottleKey[] = [];
      for (const k of keys) {
        const p = policy[k.kind];
        const r = rows.get(k.key);
        const failures = (r ? liveFailures(r, nowMs, p) : 0) + 1;
        const lock = failures >= p.lockAfter;
        if (lock) out.push(k);
        await tx.run(
          `INSERT INTO auth_throttle (key, kind, failures, last_failure_ms, next_ms, busy_until_ms, locked_at, locked_until_ms)
           VALUES (?, ?, ?, ?, ?, 0, ?, ?)
           ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_failure_ms = excluded.last_failure_ms,
             next_ms = excluded.next_ms, busy_until_ms = 0, locked_at = excluded.locked_at,
             locked_until_ms = excluded.locked_until_ms`,
          [
            k.key,
            k.kind,
            failures,
            nowMs,
            nextAttemptMs(policy, k.kind, failures, nowMs),
            lock ? new Date(nowMs).toISOString() : null,
            lock && p.lockMs !== undefined ? nowMs + p.lockMs : null,
          ],
        );
      }
      return out;
    });
    if (++this.#failuresSincePrune >= PRUNE_EVERY) {
      this.#failuresSincePrune = 0;
      await this.prune(nowMs, MAX_ROWS);
    }
    return locked;
  }

  async release(keys: readonly ThrottleKey[], succeeded: boolean): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await this.#lockRows(tx, keys);
      for (const k of keys) {
        if (succeeded && clearedBySuccess(k.kind)) {
          await tx.run('DELETE FROM auth_throttle WHERE key = ? AND locked_at IS NULL', [k.key]);
          continue;
        }
        // A key with nothing to remember leaves the table; one with failures keeps them.
        await tx.run('DELETE FROM auth_throttle WHERE key = ? AND failures = 0 AND locked_at IS NULL', [
          k.key,
        ]);
        await tx.run('UPDATE auth_throttle SET busy_until_ms = 0 WHERE key = ?', [k.key]);
      }
    });
  }

  /** Locked keys now (accounts and addresses), for the admin's unlock. */
  async locks(nowMs: number): Promise<ThrottleLock[]> {
    const rows = await this.sql.all<ThrottleRow>(
      'SELECT * FROM auth_throttle WHERE locked_at IS NOT NULL ORDER BY key',
    );
    return rows
      .filter((r) => isLocked(r, nowMs))
      .map((r) => ({
        key: r.key,
        kind: kindOf(r.kind),
        ...withAccount(r.key),
        failures: r.failures,
        locked_at: r.locked_at as string,
        ...(r.locked_until_ms !== null && { locked_until: new Date(r.locked_until_ms).toISOString() }),
      }));
  }

  /** Forgets a key's failures and lock; false when it held neither. */
  async unlock(key: string): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      await tx.lock(`auth-throttle:${key}`);
      return (await tx.run('DELETE FROM auth_throttle WHERE key = ?', [key])).changes > 0;
    });
  }

  /** Forgets every key counting the account `name` (from every source); the keys it held. */
  async unlockAccount(name: string): Promise<string[]> {
    const like = `at:%|${name.replace(/[\\%_]/g, (c) => `\\${c}`)}`;
    const rows = await this.sql.all<{ key: string }>(
      "SELECT key FROM auth_throttle WHERE key = ? OR key LIKE ? ESCAPE '\\'",
      [`acct:${name}`, like],
    );
    const lifted: string[] = [];
    // LIKE's case folding differs between SQLite and PostgreSQL: the name must match exactly.
    for (const { key } of rows) if (accountOfKey(key) === name && (await this.unlock(key))) lifted.push(key);
    return lifted;
  }

  /**
   * Keeps at most `max` rows: drops the unlocked keys whose last failure is oldest, at most a
   * hundredth of the table at a time, so no burst of new keys wipes the counters all at once.
   */
  async prune(nowMs: number, max: number): Promise<number> {
    const n = (await this.sql.get<{ n: number }>('SELECT count(*) AS n FROM auth_throttle'))?.n ?? 0;
    if (n <= max) return 0;
    const drop = Math.min(n - max, Math.max(1, Math.ceil(max / 100)));
    return (
      await this.sql.run(
        `DELETE FROM auth_throttle WHERE key IN (
           SELECT key FROM auth_throttle WHERE locked_at IS NULL AND busy_until_ms <= ?
           ORDER BY last_failure_ms LIMIT ?)`,
        [nowMs, drop],
      )
    ).changes;
  }

  async #lockRows(tx: SqlTx, keys: readonly ThrottleKey[]): Promise<Map<string, ThrottleRow>> {
    const rows = new Map<string, ThrottleRow>();
    for (const k of keys) {
      await tx.lock(`auth-throttle:${k.key}`);
      const r = await tx.get<ThrottleRow>('SELECT * FROM auth_throttle WHERE key = ?', [k.key]);
      if (r)
        rows.set(k.key, {
          ...r,
          failures: Number(r.failures),
          last_failure_ms: Number(r.last_failure_ms),
          next_ms: Number(r.next_ms),
          busy_until_ms: Number(r.busy_until_ms),
          locked_until_ms: r.locked_until_ms === null ? null : Number(r.locked_until_ms),
        });
    }
    return rows;
  }
}
