import {
  type AttemptOutcome,
  AttemptThrottle,
  accountKeysOf,
  addressKeyOf,
  DEFAULT_THROTTLE_POLICY,
  type ThrottleKey,
  type ThrottlePolicy,
} from '../access/access-throttle.js';
import { openTotpSecret, totpKeyOf, totpStepOf } from '../access/access-totp.js';
import type { AuthSurface } from '../store/hub/auth-events.js';
import { FaultTolerantThrottleStore } from '../store/hub/auth-throttle-fallback.js';
import type { AuthMethod } from '../store/hub/session-store.js';
import type { User } from '../store/hub/user-store.js';
import { type HubConfig, readHubSecret } from './data-dir.js';
import type { Hub } from './hub.js';

export type SignInResult =
  | { ok: true; user: User; auth: AuthMethod }
  | { ok: false; code: 'failed' | 'locked' | 'throttled'; message: string; retryAfterSeconds?: number };

/** Where an attempt comes from: a client address, or (the CLI) an OS account on this host. */
export type AttemptSource = { address: string } | { osAccount: string };

export const FAILED_MESSAGE = 'wrong name, password or code, or the user is disabled';

function sourceKey(from: AttemptSource): ThrottleKey {
  return 'address' in from
    ? { key: addressKeyOf(from.address), kind: 'address' }
    : { key: `os:${from.osAccount.slice(0, 200)}`, kind: 'address' };
}

const sourceText = (from: AttemptSource) => ('address' in from ? from.address : from.osAccount);

/**
 * Every check of a secret on any surface goes through here: one throttle (per account and per
 * address, shared by every process through the database), the audit log of failures, locks and
 * refusals, and one answer for every kind of failure, so a caller learns nothing about which
 * names exist.
 */
export class HubAuth {
  readonly throttle: AttemptThrottle;
  readonly #hub: Hub;
  #totpKey: Buffer | undefined;

  constructor(hub: Hub, policy?: ThrottlePolicy) {
    this.#hub = hub;
    this.throttle = new AttemptThrottle({
      // On a full or read-only disk reads go on being served: the counters then live in this
      // process until the database takes writes again (a lock it holds still refuses).
      store: new FaultTolerantThrottleStore(hub.state.throttle, hub.state.sql),
      policy: policy ?? throttlePolicyOf(hub.config),
    });
  }

  /**
   * One attempt to prove a secret. `account` is the name as presented (none for a bare bearer
   * token); `verify` resolves to what it proved or undefined.
   */
  async attempt<T>(
    surface: AuthSurface,
    account: string | undefined,
    from: AttemptSource,
    verify: () => Promise<T | undefined>,
  ): Promise<AttemptOutcome<T>> {
    const source = sourceKey(from);
    // The CLI on this host is not counted across sources: whoever runs it can already open the
    // hub's database, so no outsider's guesses elsewhere may lock its owner out (break-glass).
    const keys = [
      source,
      ...(account === undefined ? [] : accountKeysOf(account, source.key, { wide: 'address' in from })),
    ];
    const outcome = await this.throttle.attempt(keys, verify);
    if (!outcome.ok) {
      const at = new Date();
      const base = { at, surface, account, address: sourceText(from) };
      const events = this.#hub.state.authEvents;
      try {
        if (outcome.code === 'failed') {
          await events.record({ ...base, event: 'login-failed' });
          for (const k of outcome.locked)
            await events.record({ ...base, event: 'locked', detail: { key: k.key } });
        } else if (outcome.code === 'locked') {
          await events.record({ ...base, event: 'refused-locked', detail: { kind: outcome.kind } });
        } else await events.record({ ...base, event: 'throttled' });
      } catch {
        // An audit row that cannot be written must not turn a refusal into an admission or a 500.
      }
    }
    return outcome;
  }

  /** A person signing in with a password (and a TOTP code when enrolled). */
  async signIn(
    surface: AuthSurface,
    input: { name: string; password: string; totp?: string | undefined },
    from: AttemptSource,
  ): Promise<SignInResult> {
    const { users } = this.#hub.state;
    const outcome = await this.attempt(surface, input.name, from, async () => {
      const user = await users.authenticate(input.name, input.password);
      if (!user) return undefined;
      if (!user.totp) return { user, auth: 'password' as const };
      const factor = await users.secondFactor(user.name);
      const secret = factor && openTotpSecret(this.#totpKey ?? this.#loadTotpKey(), factor.sealed);
      const step = secret && input.totp ? totpStepOf(secret, input.totp, Date.now()) : undefined;
      if (step === undefined || !(await users.claimTotpStep(user.name, step))) return undefined;
      return { user, auth: 'password+totp' as const };
    });
    if (outcome.ok) {
      await this.#hub.state.authEvents
        .record({ at: new Date(), surface, event: 'login', account: input.name, address: sourceText(from) })
        .catch(() => {});
      return { ok: true, ...outcome.value };
    }
    return refusal(outcome);
  }

  totpKey(): Buffer {
    return this.#totpKey ?? this.#loadTotpKey();
  }

  #loadTotpKey(): Buffer {
    this.#totpKey = totpKeyOf(readHubSecret(this.#hub.paths.hubSecret));
    return this.#totpKey;
  }
}

/** The answer to give for a refused attempt: the same for every name, known or not. */
export function refusal(
  outcome: Exclude<AttemptOutcome<unknown>, { ok: true }>,
): Extract<SignInResult, { ok: false }> {
  if (outcome.code === 'failed') return { ok: false, code: 'failed', message: FAILED_MESSAGE };
  if (outcome.code === 'throttled') {
    const s = Math.max(1, Math.ceil(outcome.retryAfterMs / 1000));
    return {
      ok: false,
      code: 'throttled',
      message: `too many sign-in attempts: retry after ${s} s`,
      retryAfterSeconds: s,
    };
  }
  if (outcome.kind === 'account') {
    return {
      ok: false,
      code: 'locked',
      message:
        'too many failed sign-ins: this account is locked from here until an administrator unlocks it (tearline user unlock NAME)',
    };
  }
  if (outcome.kind === 'account-wide') {
    const s = Math.max(1, Math.ceil((outcome.retryAfterMs ?? 900_000) / 1000));
    return {
      ok: false,
      code: 'locked',
      message: `too many failed sign-ins on this account from many places: locked for ${Math.ceil(s / 60)} more minutes, or until an administrator unlocks it`,
      retryAfterSeconds: s,
    };
  }
  const s = Math.max(1, Math.ceil((outcome.retryAfterMs ?? 3_600_000) / 1000));
  return {
    ok: false,
    code: 'locked',
    message: `too many failed sign-ins from this address: locked for ${Math.ceil(s / 60)} more minutes, or until an administrator unlocks it`,
    retryAfterSeconds: s,
  };
}

/** The data dir's sign_in settings over the defaults. */
export function throttlePolicyOf(config: HubConfig): ThrottlePolicy {
  const c = config.sign_in ?? {};
  const d = DEFAULT_THROTTLE_POLICY;
  return {
    ...d,
    baseMs: c.base_ms ?? d.baseMs,
    capMs: c.cap_ms ?? d.capMs,
    account: { ...d.account, lockAfter: c.account_lock_after ?? d.account.lockAfter },
    'account-wide': {
      ...d['account-wide'],
      lockAfter: c.account_wide_lock_after ?? d['account-wide'].lockAfter,
      lockMs:
        c.account_wide_lock_minutes !== undefined
          ? c.account_wide_lock_minutes * 60_000
          : (d['account-wide'].lockMs ?? 900_000),
    },
    address: {
      ...d.address,
      lockAfter: c.address_lock_after ?? d.address.lockAfter,
      lockMs:
        c.address_lock_minutes !== undefined
          ? c.address_lock_minutes * 60_000
          : (d.address.lockMs ?? 3_600_000),
    },
  };
}
