/**
 * One throttle for every surface that checks a secret (console and CLI sign-in, TAXII, /ledger/,
 * a relay later). It counts attempts, not requests: an attempt on a key (an account, a client
 * address) must first claim that key in the shared store, which admits one attempt at a time per
 * key, in every process, and none before the back-off of the key's last failure has passed. A
 * hundred parallel guesses therefore queue behind each other and each waits its back-off; after
 * `lockAfter` failures the key is locked and every attempt on it is refused, the right secret
 * included, until an admin unlocks it (or, for addresses, `lockMs` passes).
 *
 * Unknown account names are counted and locked exactly like real ones, so neither the answer nor
 * the time taken tells which names exist.
 *
 * An account is counted per source (`account`: that name from one address or OS account), and
 * across all sources (`account-wide`). Only the first locks until an admin unlocks it, so a
 * partner who guesses at an officer's name from its own addresses locks itself out, not the
 * officer; the second bounds guessing spread over many addresses with a lock that runs out, and it
 * adds no back-off of its own, so others' failures never slow the owner's sign-in.
 */

export type ThrottleKeyKind = 'account' | 'account-wide' | 'address';

export interface ThrottleKeyPolicy {
  /** Failures that lock the key. */
  lockAfter: number;
  /** How long a lock lasts; undefined: until an admin unlocks. */
  lockMs?: number;
  /** Failures older than this are forgotten (when the key is not locked). */
  decayMs: number;
  /** False: failures count toward the lock but make no one wait. */
  backoff?: boolean;
}

export interface ThrottlePolicy {
  /** The wait after the first failure; each further failure doubles it, up to `capMs`. */
  baseMs: number;
  capMs: number;
  account: ThrottleKeyPolicy;
  'account-wide': ThrottleKeyPolicy;
  address: ThrottleKeyPolicy;
  /** An attempt that would wait longer than this is refused at once with a retry time. */
  maxWaitMs: number;
  /** Attempts waiting in this process, per key and in all (beyond: refused at once). */
  maxWaitersPerKey: number;
  maxWaiters: number;
  /** How long a claim holds a key if its process dies before answering. */
  claimMs: number;
}

export const DEFAULT_THROTTLE_POLICY: ThrottlePolicy = {
  baseMs: 500,
  capMs: 30_000,
  account: { lockAfter: 10, decayMs: 24 * 3_600_000 },
  'account-wide': { lockAfter: 30, lockMs: 15 * 60_000, decayMs: 24 * 3_600_000, backoff: false },
  address: { lockAfter: 100, lockMs: 3_600_000, decayMs: 3_600_000 },
  maxWaitMs: 15_000,
  maxWaitersPerKey: 128,
  maxWaiters: 4096,
  claimMs: 10_000,
};

/** The wait before the attempt after `failures` consecutive failures. */
export function backoffMs(policy: Pick<ThrottlePolicy, 'baseMs' | 'capMs'>, failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(failures - 1, 30));
}

/** When a key may next be tried after its `failures`-th failure at `nowMs`. */
export function nextAttemptMs(
  policy: ThrottlePolicy,
  kind: ThrottleKeyKind,
  failures: number,
  nowMs: number,
): number {
  return nowMs + (policy[kind].backoff === false ? 0 : backoffMs(policy, failures));
}

/** A success forgets an account's failures (never an address's: one right guess among many). */
export function clearedBySuccess(kind: ThrottleKeyKind | string): boolean {
  return kind === 'account' || kind === 'account-wide';
}

/** The least time `n` attempts on one key take before the key locks: what the design promises. */
export function promisedMs(policy: ThrottlePolicy, kind: ThrottleKeyKind): number {
  let total = 0;
  for (let f = 1; f < policy[kind].lockAfter; f++) total += backoffMs(policy, f);
  return total;
}

export interface ThrottleKey {
  key: string;
  kind: ThrottleKeyKind;
}

export type ClaimResult =
  | { ok: true }
  | { ok: false; code: 'locked'; key: ThrottleKey; untilMs?: number }
  | { ok: false; code: 'wait'; untilMs: number; busy: boolean };

/** Where counters live: the hub's database, so every process sees the same ones. */
export interface ThrottleStore {
  claim(keys: readonly ThrottleKey[], nowMs: number, policy: ThrottlePolicy): Promise<ClaimResult>;
  /** Counts a failure on each key and releases the claims; returns the keys it locked. */
  fail(keys: readonly ThrottleKey[], nowMs: number, policy: ThrottlePolicy): Promise<ThrottleKey[]>;
  /** Releases the claims; a success clears the account's failures (never an address's). */
  release(keys: readonly ThrottleKey[], succeeded: boolean): Promise<void>;
}

export type AttemptOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; code: 'failed'; locked: ThrottleKey[] }
  | { ok: false; code: 'locked'; kind: ThrottleKeyKind; retryAfterMs?: number }
  | { ok: false; code: 'throttled'; retryAfterMs: number };

export interface ThrottleEvent {
  event: 'failed' | 'locked' | 'refused-locked' | 'throttled';
  keys: readonly ThrottleKey[];
}

export interface AttemptThrottleOptions {
  store: ThrottleStore;
  policy?: ThrottlePolicy;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Each failure, lock and refusal (for the audit log); never given a secret. */
  onEvent?: (e: ThrottleEvent) => void | Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
// While another process holds a key, look again this often (its answer takes one verification).
const BUSY_POLL_MS = 25;

/** A queue per key inside this process, so waiting attempts do not all poll the store. */
class LocalQueues {
  readonly #tails = new Map<string, { tail: Promise<void>; waiting: number }>();
  #waiting = 0;
  constructor(
    private readonly perKey: number,
    private readonly total: number,
  ) {}

  /** Resolves to a release function once this attempt heads every key's queue; undefined if full. */
  enter(keys: readonly string[]): Promise<() => void> | undefined {
    if (this.#waiting >= this.total) return undefined;
    if (keys.some((k) => (this.#tails.get(k)?.waiting ?? 0) >= this.perKey)) return undefined;
    let done!: () => void;
    const mine = new Promise<void>((r) => {
      done = r;
    });
    const before: Promise<void>[] = [];
    for (const k of keys) {
      const q = this.#tails.get(k) ?? { tail: Promise.resolve(), waiting: 0 };
      before.push(q.tail);
      q.tail = mine;
      q.waiting++;
      this.#tails.set(k, q);
    }
    this.#waiting++;
    const release = () => {
      this.#waiting--;
      for (const k of keys) {
        const q = this.#tails.get(k);
        if (!q) continue;
        q.waiting--;
        // The last one out forgets the key: memory holds only keys with attempts in flight.
        if (q.waiting === 0) this.#tails.delete(k);
      }
      done();
    };
    return Promise.all(before).then(() => release);
  }
}

export class AttemptThrottle {
  readonly policy: ThrottlePolicy;
  readonly #o: AttemptThrottleOptions;
  readonly #queues: LocalQueues;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: AttemptThrottleOptions) {
    this.#o = options;
    this.policy = options.policy ?? DEFAULT_THROTTLE_POLICY;
    this.#queues = new LocalQueues(this.policy.maxWaitersPerKey, this.policy.maxWaiters);
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? realSleep;
  }

  /**
   * Runs `verify` once the keys admit an attempt; `verify` resolves to the proven value or
   * undefined for a wrong secret. Keys are deduplicated and taken in one order (no deadlock).
   */
  async attempt<T>(
    keys: readonly ThrottleKey[],
    verify: () => Promise<T | undefined>,
  ): Promise<AttemptOutcome<T>> {
    const unique = [...new Map(keys.map((k) => [k.key, k])).values()].sort((a, b) =>
      a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
    );
    const entered = this.#queues.enter(unique.map((k) => k.key));
    if (!entered) {
      await this.#emit({ event: 'throttled', keys: unique });
      return { ok: false, code: 'throttled', retryAfterMs: this.policy.capMs };
    }
    const release = await entered;
    try {
      for (;;) {
        const now = this.#now();
        const claim = await this.#o.store.claim(unique, now, this.policy);
        if (claim.ok) break;
        if (claim.code === 'locked') {
          await this.#emit({ event: 'refused-locked', keys: unique });
          return {
            ok: false,
            code: 'locked',
            kind: claim.key.kind,
            ...(claim.untilMs !== undefined && { retryAfterMs: claim.untilMs - now }),
          };
        }
        const wait = claim.untilMs - now;
        if (wait > this.policy.maxWaitMs) {
          await this.#emit({ event: 'throttled', keys: unique });
          return { ok: false, code: 'throttled', retryAfterMs: wait };
        }
        await this.#sleep(claim.busy ? Math.min(wait, BUSY_POLL_MS) : wait);
      }
      let value: T | undefined;
      try {
        value = await verify();
      } catch (err) {
        await this.#o.store.release(unique, false);
        throw err;
      }
      if (value !== undefined) {
        await this.#o.store.release(unique, true);
        return { ok: true, value };
      }
      const locked = await this.#o.store.fail(unique, this.#now(), this.policy);
      await this.#emit({ event: 'failed', keys: unique });
      if (locked.length > 0) await this.#emit({ event: 'locked', keys: locked });
      return { ok: false, code: 'failed', locked };
    } finally {
      release();
    }
  }

  async #emit(e: ThrottleEvent): Promise<void> {
    try {
      await this.#o.onEvent?.(e);
    } catch {
      // The audit log failing must not turn a refusal into an error page or an admission.
    }
  }
}

/** The address part of a throttle key: IPv6 clients are counted per /64, which one host gets. */
export function addressKeyOf(address: string): string {
  const plain = address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
  if (!plain.includes(':')) return `addr:${plain}`;
  const [head = ''] = plain.split('%');
  const parts = expandIpv6(head);
  return `addr:${parts ? `${parts.slice(0, 4).join(':')}::/64` : head}`;
}

function expandIpv6(a: string): string[] | undefined {
  const halves = a.split('::');
  if (halves.length > 2) return undefined;
  const left = halves[0] ? halves[0].split(':') : [];
  const right = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const fill = 8 - left.length - right.length;
  if (fill < 0 || (halves.length === 1 && fill !== 0)) return undefined;
  return [...left, ...Array<string>(fill).fill('0'), ...right].map((h) => h.toLowerCase() || '0');
}

/**
 * The keys an attempt on `name` from `source` (an addressKeyOf or `os:` key) claims. The per-source
 * key is `at:SOURCE|NAME` (a source never holds "|"); the account-wide one `acct:NAME`.
 */
export function accountKeysOf(name: string, source: string, opts: { wide: boolean }): ThrottleKey[] {
  // Bounded: a name is whatever a client sent.
  const bounded = name.slice(0, 128);
  const mine: ThrottleKey = { key: `at:${source}|${bounded}`, kind: 'account' };
  return opts.wide ? [mine, { key: `acct:${bounded}`, kind: 'account-wide' }] : [mine];
}

/** The account a throttle key counts, if it counts one. */
export function accountOfKey(key: string): string | undefined {
  if (key.startsWith('acct:')) return key.slice(5);
  if (key.startsWith('at:')) {
    const bar = key.indexOf('|');
    return bar < 0 ? undefined : key.slice(bar + 1);
  }
  return undefined;
}
