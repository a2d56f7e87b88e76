import { createHash, randomBytes } from 'node:crypto';
import type { SqlDatabase, SqlQueries } from '../sql/sql-database.js';

/** How a person proved who they are. An API key is not a session: see api-key-store.ts. */
export type AuthMethod = 'password' | 'password+totp';
/** Where a session lives: a browser's cookie, or one OS user's session file (the CLI). */
export type SessionKind = 'console' | 'cli';

export interface Session {
  userName: string;
  csrf: string;
  expiresAt: string;
  kind: SessionKind;
  auth: AuthMethod;
  /** `console`, or the OS account a CLI session was made for (`os:UID:NAME@HOST`). */
  origin: string;
}

export interface SessionSpec {
  kind?: SessionKind;
  auth?: AuthMethod;
  origin?: string;
}

const hashOf = (id: string) => createHash('sha256').update(id).digest('hex');

interface Row {
  user_name: string;
  csrf: string;
  expires_at: string;
  kind: string;
  auth: string;
  origin: string;
}

/**
 * Sessions (console_sessions), keyed by the SHA-256 of a random 256-bit id: a copy of the
 * database does not let anyone sign in. Any hub process on the database finds a session made by
 * another. A user's sessions all end when the user is disabled or changes password (user-store.ts).
 */
export class SessionStore {
  constructor(readonly sql: SqlDatabase) {}

  /** Returns the raw session id (for the cookie or session file only) and the session. */
  async create(
    userName: string,
    now: Date,
    ttlMs: number,
    spec: SessionSpec = {},
  ): Promise<{ id: string; session: Session }> {
    const id = randomBytes(32).toString('base64url');
    const csrf = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
    const session: Session = {
      userName,
      csrf,
      expiresAt,
      kind: spec.kind ?? 'console',
      auth: spec.auth ?? 'password',
      origin: spec.origin ?? 'console',
    };
    await this.sql.run(
      `INSERT INTO console_sessions (id_hash, user_name, csrf, created_at, expires_at, kind, auth, origin)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [hashOf(id), userName, csrf, now.toISOString(), expiresAt, session.kind, session.auth, session.origin],
    );
    return { id, session };
  }

  async find(id: string, now: Date): Promise<Session | undefined> {
    const row = await this.sql.get<Row>(
      'SELECT user_name, csrf, expires_at, kind, auth, origin FROM console_sessions WHERE id_hash = ?',
      [hashOf(id)],
    );
    if (!row) return undefined;
    if (Date.parse(row.expires_at) <= now.getTime()) {
      // Tidying only: an expired session is refused whether or not the row goes now (a read-only
      // command on a read-only or full disk cannot delete it; the next write will).
      await this.delete(id).catch(() => undefined);
      return undefined;
    }
    return {
      userName: row.user_name,
      csrf: row.csrf,
      expiresAt: row.expires_at,
      kind: row.kind === 'cli' ? 'cli' : 'console',
      auth: row.auth === 'password+totp' ? 'password+totp' : 'password',
      origin: row.origin,
    };
  }

  async delete(id: string): Promise<void> {
    await this.sql.run('DELETE FROM console_sessions WHERE id_hash = ?', [hashOf(id)]);
  }

  /** Ends every session of a user (inside the caller's transaction when given one). */
  async deleteForUser(userName: string, q: SqlQueries = this.sql): Promise<number> {
    return (await q.run('DELETE FROM console_sessions WHERE user_name = ?', [userName])).changes;
  }

  /** Expiry times are ISO-8601 UTC strings: text order is time order on both engines. */
  async deleteExpired(now: Date): Promise<number> {
    return (await this.sql.run('DELETE FROM console_sessions WHERE expires_at <= ?', [now.toISOString()]))
      .changes;
  }
}
