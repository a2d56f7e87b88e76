import type { ApiKey, ApiKeyResult } from './hub/api-key-store.js';
import type { AuthEvent, AuthEventInput } from './hub/auth-events.js';
import type { ThrottleLock } from './hub/auth-throttle-store.js';
import type { Session, SessionSpec } from './hub/session-store.js';
import type { Role, User, UserChangeContext, UserResult } from './hub/user-store.js';

/*
 * Our people's accounts as the console manages and checks them: users, their sessions and API
 * keys, the sign-in audit log and the throttle's locks. Secrets are hashed at rest by the
 * adapters; a raw session id or key secret is returned once, when made, and never stored.
 */

/** The hub's users, read and changed; every change is one history row and one ledger entry. */
export interface UserBook {
  get(name: string): Promise<User | undefined>;
  list(): Promise<User[]>;
  add(
    name: string,
    role: string,
    password: string,
    ctx: UserChangeContext,
  ): Promise<UserResult<{ user: User }>>;
  /** A new password ends every session made with the old one. */
  setPassword(name: string, password: string, ctx: UserChangeContext): Promise<UserResult<{ user: User }>>;
  setEnabled(
    name: string,
    enabled: boolean,
    ctx: UserChangeContext & { reason: string },
  ): Promise<UserResult<{ user: User }>>;
  /** The user when the password is theirs and the account enabled; one answer for every failure. */
  authenticate(name: string, password: string): Promise<User | undefined>;
  /** An audit-only change (an unlock): its history row and ledger entry. */
  recordEvent(
    name: string,
    action: string,
    ctx: UserChangeContext,
    detail: Record<string, unknown>,
  ): Promise<void>;
}

/** Console sessions: the raw id goes to the cookie only; the store keeps its hash. */
export interface SessionBook {
  create(
    userName: string,
    now: Date,
    ttlMs: number,
    spec?: SessionSpec,
  ): Promise<{ id: string; session: Session }>;
  /** The live session of a raw id at `now`; expired or unknown ones are undefined alike. */
  find(id: string, now: Date): Promise<Session | undefined>;
  delete(id: string): Promise<void>;
  deleteExpired(now: Date): Promise<number>;
}

/** Users' API keys: made (the secret returned once), listed, revoked and checked. */
export interface ApiKeyBook {
  create(
    userName: string,
    userRole: Role,
    spec: { role?: string; label: string; expiresAt?: Date },
    ctx: { actor: string; now: Date },
  ): Promise<ApiKeyResult<{ key: ApiKey; secret: string }>>;
  list(userName?: string): Promise<ApiKey[]>;
  get(keyId: string): Promise<ApiKey | undefined>;
  revoke(keyId: string, ctx: { actor: string; now: Date }): Promise<ApiKeyResult<{ key: ApiKey }>>;
  /** The live key a secret proves; unknown, malformed, revoked and expired all answer undefined. */
  verify(presented: string, now: Date): Promise<ApiKey | undefined>;
}

/** The sign-in audit log: what happened at which surface, from where, by whom. */
export interface AuthEventLog {
  record(e: AuthEventInput): Promise<void>;
  /** Newest first; of one account when named. */
  list(opts?: { account?: string; limit?: number }): Promise<AuthEvent[]>;
}

/** The sign-in throttle's locks as an administrator sees and lifts them. */
export interface ThrottleLocks {
  locks(nowMs: number): Promise<ThrottleLock[]>;
  /** Forgets a key's failures and lock; false when it held neither. */
  unlock(key: string): Promise<boolean>;
  /** Forgets every key counting the account, from every source; the keys it held. */
  unlockAccount(name: string): Promise<string[]>;
}
