import type {
  ClaimResult,
  ThrottleKey,
  ThrottlePolicy,
  ThrottleStore,
} from '../../access/access-throttle.js';
import { clearedBySuccess, nextAttemptMs } from '../../access/access-throttle.js';
import type { SqlDatabase } from '../sql/sql-database.js';
import { storageFaultOf } from '../storage-fault.js';
import {
  type AuthThrottleStore,
  isLocked,
  liveFailures,
  refusalOf,
  type ThrottleRow,
} from './auth-throttle-store.js';

/**
 * The throttle's counters in this process only: what stands in while the hub's database takes
 * no writes (a full or read-only disk), so that reads keep being served without letting anyone
 * guess freely meanwhile. Same rules as the database's counters.
 */
export class MemoryThrottleStore implements ThrottleStore {
  readonly #rows = new Map<string, ThrottleRow>();

  async claim(keys: readonly ThrottleKey[], nowMs: number, policy: ThrottlePolicy): Promise<ClaimResult> {
    const refused = refusalOf(keys, this.#rows, nowMs, policy);
    if (refused) return refused;
    for (const k of keys) {
      const r = this.#rows.get(k.key);
      this.#rows.set(k.key, {
        key: k.key,
        kind: k.kind,
        failures: r ? liveFailures(r, nowMs, policy[k.kind]) : 0,
        last_failure_ms: r?.last_failure_ms ?? 0,
        next_ms: 0,
        busy_until_ms: nowMs + policy.claimMs,
        locked_at: null,
        locked_until_ms: null,
      });
    }
    return { ok: true };
  }

  async fail(keys: readonly ThrottleKey[], nowMs: number, policy: ThrottlePolicy): Promise<ThrottleKey[]> {
    const locked: ThrottleKey[] = [];
    for (const k of keys) {
      const p = policy[k.kind];
      const r = this.#rows.get(k.key);
      const failures = (r ? liveFailures(r, nowMs, p) : 0) + 1;
      const lock = failures >= p.lockAfter;
      if (lock) locked.push(k);
      this.#rows.set(k.key, {
        key: k.key,
        kind: k.kind,
        failures,
        last_failure_ms: nowMs,
        next_ms: nextAttemptMs(policy, k.kind, failures, nowMs),
        busy_until_ms: 0,
        locked_at: lock ? new Date(nowMs).toISOString() : null,
        locked_until_ms: lock && p.lockMs !== undefined ? nowMs + p.lockMs : null,
      });
    }
    return locked;
  }

  async release(keys: readonly ThrottleKey[], succeeded: boolean): Promise<void> {
    for (const k of keys) {
      const r = this.#rows.get(k.key);
      if (!r) continue;
      if (r.locked_at === null && (r.failures === 0 || (succeeded && clearedBySuccess(k.kind))))
        this.#rows.delete(k.key);
      else r.busy_until_ms = 0;
    }
  }
}

/**
 * The database's counters, and this process's while the database refuses writes for want of
 * storage: a lock the database holds still refuses (it is read without writing), failures meanwhile
 * count here. Any other error is not a storage fault and goes on up.
 */
export class FaultTolerantThrottleStore implements ThrottleStore {
  readonly #memory = new MemoryThrottleStore();

  constructor(
    readonly db: AuthThrottleStore,
    readonly sql: SqlDatabase,
  ) {}

  async claim(keys: readonly ThrottleKey[], nowMs: number, policy: ThrottlePolicy): Promise<ClaimResult> {
    try {
      return await this.db.claim(keys, nowMs, policy);
    } catch (err) {
      if (!storageFaultOf(err)) throw err;
    }
    for (const k of keys) {
      const r = await this.sql.get<ThrottleRow>('SELECT * FROM auth_throttle WHERE key = ?', [k.key]);
      const row = r && {
        ...r,
        locked_until_ms: r.locked_until_ms === null ? null : Number(r.locked_until_ms),
      };
      if (row && isLocked(row, nowMs))
        return {
          ok: false,
          code: 'locked',
          key: k,
          ...(row.locked_until_ms !== null && { untilMs: row.locked_until_ms }),
        };
    }
    return this.#memory.claim(keys, nowMs, policy);
  }

  async fail(keys: readonly ThrottleKey[], nowMs: number, policy: ThrottlePolicy): Promise<ThrottleKey[]> {
    try {
      return await this.db.fail(keys, nowMs, policy);
    } catch (err) {
      if (!storageFaultOf(err)) throw err;
      return this.#memory.fail(keys, nowMs, policy);
    }
  }

  async release(keys: readonly ThrottleKey[], succeeded: boolean): Promise<void> {
    await this.#memory.release(keys, succeeded);
    try {
      await this.db.release(keys, succeeded);
    } catch (err) {
      if (!storageFaultOf(err)) throw err;
    }
  }
}
