import { hash, verify } from '@node-rs/argon2';
import { isRole, ROLES, type Role } from '../../access/access-roles.js';
import type { SqlDatabase, SqlTx } from '../sql/sql-database.js';
import { changeDigest, recordChange } from './ledger-change.js';

export { isRole, ROLES, type Role } from '../../access/access-roles.js';

export interface User {
  name: string;
  role: Role;
  enabled: boolean;
  /** A second factor (TOTP) is required at every interactive sign-in. */
  totp: boolean;
  created_at: string;
  updated_at: string;
}

/** What a sign-in checks beyond the password: the sealed TOTP secret and the last step used. */
export interface UserSecondFactor {
  sealed: string;
  lastStep: number | null;
}

export type UserError =
  | { code: 'user-name-invalid'; message: string }
  | { code: 'user-role-invalid'; message: string }
  | { code: 'password-too-weak'; message: string }
  | { code: 'user-exists'; message: string }
  | { code: 'user-not-found'; message: string };

export type UserResult<T> = ({ ok: true } & T) | ({ ok: false } & UserError);

/** Who makes a change, and when. */
export interface UserChangeContext {
  actor: string;
  now: Date;
}

const NAME_RE = /^[a-z][a-z0-9._-]{1,63}$/;
export const MIN_PASSWORD = 12;
const MAX_PASSWORD = 1024;
// argon2id (RFC 9106) with the library defaults (19 MiB, 2 passes): the OWASP baseline.
const ARGON2ID = 2;
const DUMMY = 'tearline-no-such-user';

interface Row {
  name: string;
  role: string;
  password_hash: string;
  enabled: number;
  totp_secret: string | null;
  totp_last_step: number | null;
  created_at: string;
  updated_at: string;
}

function toUser(r: Row): User {
  return {
    name: r.name,
    role: r.role as Role,
    enabled: r.enabled === 1,
    totp: r.totp_secret !== null,
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}

function checkPassword(password: string): UserError | undefined {
  if (password.length < MIN_PASSWORD || password.length > MAX_PASSWORD) {
    return {
      code: 'password-too-weak',
      message: `the password must be ${MIN_PASSWORD} to ${MAX_PASSWORD} characters long`,
    };
  }
  return undefined;
}

/** Hub users, every change with its ledger entry in one transaction. */
export class UserStore {
  #dummyHash: Promise<string> | undefined;

  constructor(readonly sql: SqlDatabase) {}

  async get(name: string): Promise<User | undefined> {
    const row = await this.sql.get<Row>('SELECT * FROM users WHERE name = ?', [name]);
    return row && toUser(row);
  }

  async count(): Promise<number> {
    return Number((await this.sql.get<{ n: number }>('SELECT count(*) AS n FROM users'))?.n ?? 0);
  }

  async list(): Promise<User[]> {
    return (await this.sql.all<Row>('SELECT * FROM users ORDER BY name')).map(toUser);
  }

  async add(
    name: string,
    role: string,
    password: string,
    ctx: UserChangeContext,
  ): Promise<UserResult<{ user: User }>> {
    if (!NAME_RE.test(name)) {
      return {
        ok: false,
        code: 'user-name-invalid',
        message: `user name "${name}" must be 2-64 lower-case letters, digits, ".", "_" or "-", starting with a letter`,
      };
    }
    if (!isRole(role)) {
      return {
        ok: false,
        code: 'user-role-invalid',
        message: `--role "${role}" must be one of: ${ROLES.join(', ')}`,
      };
    }
    const weak = checkPassword(password);
    if (weak) return { ok: false, ...weak };
    const exists = {
      ok: false,
      code: 'user-exists',
      message: `a user named "${name}" already exists`,
    } as const;
    if (await this.get(name)) return exists;
    const passwordHash = await hash(password, { algorithm: ARGON2ID });
    const at = ctx.now.toISOString();
    // Another process may have added the name while we hashed: the key decides, not the check above.
    const added = await this.sql.transaction(async (tx) => {
      const r = await tx.run(
        `INSERT INTO users (name, role, password_hash, enabled, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)
         ON CONFLICT (name) DO NOTHING`,
        [name, role, passwordHash, at, at],
      );
      if (r.changes === 0) return false;
      await this.#event(tx, name, 'add', ctx, { role });
      return true;
    });
    if (!added) return exists;
    return { ok: true, user: (await this.get(name)) as User };
  }

  async setPassword(
    name: string,
    password: string,
    ctx: UserChangeContext,
  ): Promise<UserResult<{ user: User }>> {
    const user = await this.get(name);
    if (!user) return notFound(name);
    const weak = checkPassword(password);
    if (weak) return { ok: false, ...weak };
    const passwordHash = await hash(password, { algorithm: ARGON2ID });
    await this.sql.transaction(async (tx) => {
      await tx.run('UPDATE users SET password_hash = ?, updated_at = ? WHERE name = ?', [
        passwordHash,
        ctx.now.toISOString(),
        name,
      ]);
      // A new password ends every session made with the old one, in every process.
      const ended = await tx.run('DELETE FROM console_sessions WHERE user_name = ?', [name]);
      await this.#event(tx, name, 'passwd', ctx, { sessions_ended: ended.changes });
    });
    return { ok: true, user: (await this.get(name)) as User };
  }

  async setEnabled(
    name: string,
    enabled: boolean,
    ctx: UserChangeContext,
  ): Promise<UserResult<{ user: User }>> {
    const user = await this.get(name);
    if (!user) return notFound(name);
    await this.sql.transaction(async (tx) => {
      await tx.run('UPDATE users SET enabled = ?, updated_at = ? WHERE name = ?', [
        enabled,
        ctx.now.toISOString(),
        name,
      ]);
      const ended = enabled
        ? 0
        : (await tx.run('DELETE FROM console_sessions WHERE user_name = ?', [name])).changes;
      await this.#event(
        tx,
        name,
        enabled ? 'enable' : 'disable',
        ctx,
        enabled ? {} : { sessions_ended: ended },
      );
    });
    return { ok: true, user: (await this.get(name)) as User };
  }

  /**
   * The enabled user with this password, or undefined. Always runs one argon2 verification
   * (a dummy one for unknown names), so timing does not tell which names exist.
   */
  async authenticate(name: string, password: string): Promise<User | undefined> {
    const row = await this.sql.get<Row>('SELECT * FROM users WHERE name = ?', [name]);
    this.#dummyHash ??= hash(DUMMY, { algorithm: ARGON2ID });
    const stored = row?.password_hash ?? (await this.#dummyHash);
    let ok = false;
    try {
      ok = await verify(stored, password.slice(0, MAX_PASSWORD));
    } catch {
      ok = false;
    }
    if (!row || !ok || row.enabled !== 1) return undefined;
    return toUser(row);
  }

  /** The sealed TOTP secret of an enrolled user (undefined: none, or no such user). */
  async secondFactor(name: string): Promise<UserSecondFactor | undefined> {
    const row = await this.sql.get<Pick<Row, 'totp_secret' | 'totp_last_step'>>(
      'SELECT totp_secret, totp_last_step FROM users WHERE name = ?',
      [name],
    );
    if (!row?.totp_secret) return undefined;
    return {
      sealed: row.totp_secret,
      lastStep: row.totp_last_step === null ? null : Number(row.totp_last_step),
    };
  }

  /**
   * Marks a TOTP time step used; false when it (or a later one) was used already, by any process:
   * a code works once.
   */
  async claimTotpStep(name: string, step: number): Promise<boolean> {
    const r = await this.sql.run(
      'UPDATE users SET totp_last_step = ? WHERE name = ? AND (totp_last_step IS NULL OR totp_last_step < ?)',
      [step, name, step],
    );
    return r.changes === 1;
  }

  /** Enrols (sealed secret) or removes (null) the user's second factor; sessions end either way. */
  async setSecondFactor(
    name: string,
    sealed: string | null,
    step: number | null,
    ctx: UserChangeContext,
  ): Promise<UserResult<{ user: User }>> {
    const user = await this.get(name);
    if (!user) return notFound(name);
    await this.sql.transaction(async (tx) => {
      await tx.run('UPDATE users SET totp_secret = ?, totp_last_step = ?, updated_at = ? WHERE name = ?', [
        sealed,
        step,
        ctx.now.toISOString(),
        name,
      ]);
      const ended = await tx.run('DELETE FROM console_sessions WHERE user_name = ?', [name]);
      await this.#event(tx, name, sealed ? 'totp-enable' : 'totp-disable', ctx, {
        sessions_ended: ended.changes,
      });
    });
    return { ok: true, user: (await this.get(name)) as User };
  }

  /** An audit-only change (an unlock): its history row and ledger entry. */
  async recordEvent(name: string, action: string, ctx: UserChangeContext, detail: Record<string, unknown>) {
    await this.sql.transaction((tx) => this.#event(tx, name, action, ctx, detail));
  }

  /** Each change with its history row, for `user show` style reports and the tests. */
  async events(name: string): Promise<{ action: string; at: string; actor: string }[]> {
    return this.sql.all('SELECT action, at, actor FROM user_events WHERE user_name = ? ORDER BY seq', [name]);
  }

  async #event(
    tx: SqlTx,
    name: string,
    action: string,
    ctx: UserChangeContext,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await tx.run('INSERT INTO user_events (user_name, action, at, actor, detail) VALUES (?, ?, ?, ?, ?)', [
      name,
      action,
      ctx.now.toISOString(),
      ctx.actor,
      JSON.stringify(detail),
    ]);
    await recordChange(tx, {
      kind: 'user-change',
      time: ctx.now.toISOString(),
      actor: ctx.actor,
      user: name,
      change: action,
      digest: changeDigest({ action, detail }),
    });
  }
}

function notFound(name: string): { ok: false; code: 'user-not-found'; message: string } {
  return { ok: false, code: 'user-not-found', message: `no user named "${name}" (see: tearline user list)` };
}
