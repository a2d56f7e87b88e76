import { createHash, randomBytes } from 'node:crypto';
import type { SqlDatabase } from '../sql/sql-database.js';

export interface Session {
  userName: string;
  csrf: string;
  expiresAt: string;
}

const hashOf = (id: string) => createHash('sha256').update(id).digest('hex');

/**
 * Console sessions (console_sessions), keyed by the SHA-256 of a random 256-bit id: a copy of the
 * database does not let anyone sign in. Any hub process on the database finds a session made by another.
 */
export class SessionStore {
  constructor(readonly sql: SqlDatabase) {}

  /** Returns the raw session id (for the cookie only) and the session, valid for `ttlMs`. */
  async create(userName: string, now: Date, ttlMs: number): Promise<{ id: string; session: Session }> {
    const id = randomBytes(32).toString('base64url');
    const csrf = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
    await this.sql.run(
      'INSERT INTO console_sessions (id_hash, user_name, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      [hashOf(id), userName, csrf, now.toISOString(), expiresAt],
    );
    return { id, session: { userName, csrf, expiresAt } };
  }

  async find(id: string, now: Date): Promise<Session | undefined> {
    const row = await this.sql.get<{ user_name: string; csrf: string; expires_at: string }>(
      'SELECT user_name, csrf, expires_at FROM console_sessions WHERE id_hash = ?',
      [hashOf(id)],
    );
    if (!row) return undefined;
    if (Date.parse(row.expires_at) <= now.getTime()) {
      await this.delete(id);
      return undefined;
    }
    return { userName: row.user_name, csrf: row.csrf, expiresAt: row.expires_at };
  }

  async delete(id: string): Promise<void> {
    await this.sql.run('DELETE FROM console_sessions WHERE id_hash = ?', [hashOf(id)]);
  }

  /** Expiry times are ISO-8601 UTC strings: text order is time order on both engines. */
  async deleteExpired(now: Date): Promise<number> {
    return (await this.sql.run('DELETE FROM console_sessions WHERE expires_at <= ?', [now.toISOString()]))
      .changes;
  }
}
