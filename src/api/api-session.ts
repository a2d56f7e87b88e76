import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SqliteDatabase } from '../store/sqlite/database.js';

export const SESSION_COOKIE = 'tearline_session';

export interface Session {
  userName: string;
  csrf: string;
  expiresAt: string;
}

const hashOf = (id: string) => createHash('sha256').update(id).digest('hex');

/** Sessions in console_sessions, keyed by the hash of a random 256-bit id. */
export class SqliteSessionStore {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly ttlMs: number,
  ) {}

  /** Returns the raw session id (for the cookie only) and the session. */
  create(userName: string, now: Date): { id: string; session: Session } {
    const id = randomBytes(32).toString('base64url');
    const csrf = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.ttlMs).toISOString();
    this.db
      .prepare(
        'INSERT INTO console_sessions (id_hash, user_name, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(hashOf(id), userName, csrf, now.toISOString(), expiresAt);
    return { id, session: { userName, csrf, expiresAt } };
  }

  find(id: string, now: Date): Session | undefined {
    const row = this.db
      .prepare('SELECT user_name, csrf, expires_at FROM console_sessions WHERE id_hash = ?')
      .get(hashOf(id)) as { user_name: string; csrf: string; expires_at: string } | undefined;
    if (!row) return undefined;
    if (Date.parse(row.expires_at) <= now.getTime()) {
      this.delete(id);
      return undefined;
    }
    return { userName: row.user_name, csrf: row.csrf, expiresAt: row.expires_at };
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM console_sessions WHERE id_hash = ?').run(hashOf(id));
  }

  deleteExpired(now: Date): void {
    this.db.prepare('DELETE FROM console_sessions WHERE expires_at <= ?').run(now.toISOString());
  }
}

/** The value of one cookie in a Cookie header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function sessionCookie(id: string, secure: boolean, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

export function equalTokens(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
