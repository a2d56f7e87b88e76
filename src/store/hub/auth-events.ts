import type { SqlDatabase } from '../sql/sql-database.js';

/** Where a credential was presented. */
export type AuthSurface = 'console' | 'cli' | 'taxii' | 'ledger' | 'api';

export type AuthEventKind =
  | 'login'
  | 'login-failed'
  | 'locked'
  | 'refused-locked'
  | 'throttled'
  | 'unlocked'
  | 'logout';

export interface AuthEvent {
  seq: number;
  at: string;
  surface: AuthSurface;
  event: AuthEventKind;
  account: string | null;
  address: string | null;
  actor: string | null;
  detail: string;
}

/** One event as recorded: names and addresses only, never a secret. */
export interface AuthEventInput {
  at: Date;
  surface: AuthSurface;
  event: AuthEventKind;
  account?: string | undefined;
  address?: string | undefined;
  actor?: string | undefined;
  detail?: Record<string, string | number | boolean>;
}

/** Kept this long; older rows go a few at a time as new ones arrive. */
const RETENTION_MS = 180 * 86_400_000;
const SWEEP_EVERY = 500;

/**
 * The authentication audit log (auth_events): every failed sign-in, lock, refusal during a lock,
 * unlock and interactive sign-in, with the name as given (bounded) and the address. Never a
 * password, token, key or session id: callers pass only names and addresses.
 */
export class AuthEvents {
  #sinceSweep = 0;

  constructor(readonly sql: SqlDatabase) {}

  async record(e: AuthEventInput): Promise<void> {
    await this.sql.run(
      'INSERT INTO auth_events (at, surface, event, account, address, actor, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [
        e.at.toISOString(),
        e.surface,
        e.event,
        e.account?.slice(0, 128) ?? null,
        e.address?.slice(0, 64) ?? null,
        e.actor ?? null,
        JSON.stringify(e.detail ?? {}),
      ],
    );
    if (++this.#sinceSweep >= SWEEP_EVERY) {
      this.#sinceSweep = 0;
      await this.sql.run('DELETE FROM auth_events WHERE at < ?', [
        new Date(e.at.getTime() - RETENTION_MS).toISOString(),
      ]);
    }
  }

  async list(opts: { account?: string; limit?: number } = {}): Promise<AuthEvent[]> {
    const limit = Math.min(opts.limit ?? 200, 10_000);
    return opts.account === undefined
      ? this.sql.all<AuthEvent>('SELECT * FROM auth_events ORDER BY seq DESC LIMIT ?', [limit])
      : this.sql.all<AuthEvent>('SELECT * FROM auth_events WHERE account = ? ORDER BY seq DESC LIMIT ?', [
          opts.account,
          limit,
        ]);
  }

  /** The credential epoch (1400-auth): moves whenever a credential may have stopped being good. */
  async epoch(): Promise<number> {
    return Number((await this.sql.get<{ n: number }>('SELECT n FROM auth_epoch WHERE id = 1'))?.n ?? 0);
  }
}
