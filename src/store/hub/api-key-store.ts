import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isRole, type Role } from '../../access/access-roles.js';
import type { SqlDatabase } from '../sql/sql-database.js';
import { changeDigest, recordChange } from './ledger-change.js';

export interface ApiKey {
  key_id: string;
  user_name: string;
  /** What the key may do: its user's role, or oversight (read only). Never more than the user. */
  role: Role;
  label: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
}

export type ApiKeyError =
  | { code: 'key-scope-invalid'; message: string }
  | { code: 'key-label-invalid'; message: string }
  | { code: 'key-not-found'; message: string };

export type ApiKeyResult<T> = ({ ok: true } & T) | ({ ok: false } & ApiKeyError);

/** Prefix secret scanners can match; the id after it finds the row, the rest is the secret. */
const PREFIX = 'tlk_';
const KEY_RE = /^tlk_([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/;
const LABEL_RE = /^[\x20-\x7e]{1,100}$/;
const MAX_KEYS_PER_USER = 50;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** True for strings shaped like an API key (so a caller can tell a key from a partner token). */
export function looksLikeApiKey(value: string): boolean {
  return value.startsWith(PREFIX);
}

/**
 * Per-user API keys for scripts (`user key create|list|revoke`, TEARLINE_API_KEY, Bearer on
 * /api/). Only the SHA-256 of a 256-bit random secret is kept: a key cannot be guessed, so a fast
 * hash is as safe as argon2 here and costs nothing per request. A key works while its user is
 * enabled and it is neither revoked nor expired; a key acts with its own role's permissions
 * intersected with its user's.
 */
export class ApiKeyStore {
  constructor(readonly sql: SqlDatabase) {}

  async create(
    userName: string,
    userRole: Role,
    spec: { role?: string; label: string; expiresAt?: Date },
    ctx: { actor: string; now: Date },
  ): Promise<ApiKeyResult<{ key: ApiKey; secret: string }>> {
    const role = spec.role ?? userRole;
    if (!isRole(role) || (role !== userRole && role !== 'oversight')) {
      return {
        ok: false,
        code: 'key-scope-invalid',
        message: `--role "${role}": a key of ${userName} (${userRole}) may have the role ${userRole} or oversight (read only)`,
      };
    }
    if (!LABEL_RE.test(spec.label)) {
      return {
        ok: false,
        code: 'key-label-invalid',
        message: '--label must be 1-100 printable ASCII characters',
      };
    }
    const live = (await this.list(userName)).filter((k) => !k.revoked_at).length;
    if (live >= MAX_KEYS_PER_USER) {
      return {
        ok: false,
        code: 'key-label-invalid',
        message: `${userName} has ${live} live keys, the most allowed: revoke one first`,
      };
    }
    const id = randomBytes(12).toString('base64url');
    const secret = randomBytes(32).toString('base64url');
    const at = ctx.now.toISOString();
    const key: ApiKey = {
      key_id: id,
      user_name: userName,
      role,
      label: spec.label,
      created_at: at,
      expires_at: spec.expiresAt?.toISOString() ?? null,
      revoked_at: null,
      revoked_by: null,
    };
    await this.sql.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO user_api_keys (key_id, user_name, role, label, secret_sha256, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [id, userName, role, spec.label, sha256(secret), at, key.expires_at],
      );
      await tx.run('INSERT INTO user_events (user_name, action, at, actor, detail) VALUES (?, ?, ?, ?, ?)', [
        userName,
        'key-create',
        at,
        ctx.actor,
        JSON.stringify({ key_id: id, role, label: spec.label }),
      ]);
      await recordChange(tx, {
        kind: 'user-change',
        time: at,
        actor: ctx.actor,
        user: userName,
        change: 'key-create',
        digest: changeDigest({ key_id: id, role, label: spec.label }),
      });
    });
    return { ok: true, key, secret: `${PREFIX}${id}.${secret}` };
  }

  async list(userName?: string): Promise<ApiKey[]> {
    const cols = 'key_id, user_name, role, label, created_at, expires_at, revoked_at, revoked_by';
    return userName === undefined
      ? this.sql.all<ApiKey>(`SELECT ${cols} FROM user_api_keys ORDER BY user_name, created_at`)
      : this.sql.all<ApiKey>(`SELECT ${cols} FROM user_api_keys WHERE user_name = ? ORDER BY created_at`, [
          userName,
        ]);
  }

  async get(keyId: string): Promise<ApiKey | undefined> {
    return this.sql.get<ApiKey>(
      'SELECT key_id, user_name, role, label, created_at, expires_at, revoked_at, revoked_by FROM user_api_keys WHERE key_id = ?',
      [keyId],
    );
  }

  async revoke(keyId: string, ctx: { actor: string; now: Date }): Promise<ApiKeyResult<{ key: ApiKey }>> {
    const key = await this.get(keyId);
    if (!key)
      return {
        ok: false,
        code: 'key-not-found',
        message: `no API key ${keyId} (see: tearline user key list)`,
      };
    const at = ctx.now.toISOString();
    await this.sql.transaction(async (tx) => {
      await tx.run(
        'UPDATE user_api_keys SET revoked_at = ?, revoked_by = ? WHERE key_id = ? AND revoked_at IS NULL',
        [at, ctx.actor, keyId],
      );
      await tx.run('INSERT INTO user_events (user_name, action, at, actor, detail) VALUES (?, ?, ?, ?, ?)', [
        key.user_name,
        'key-revoke',
        at,
        ctx.actor,
        JSON.stringify({ key_id: keyId }),
      ]);
      await recordChange(tx, {
        kind: 'user-change',
        time: at,
        actor: ctx.actor,
        user: key.user_name,
        change: 'key-revoke',
        digest: changeDigest({ key_id: keyId }),
      });
    });
    return { ok: true, key: (await this.get(keyId)) as ApiKey };
  }

  /**
   * The live key this secret proves, or undefined: unknown, malformed, revoked and expired keys
   * all answer the same. The user's state (enabled) is the caller's to check.
   */
  async verify(presented: string, now: Date): Promise<ApiKey | undefined> {
    const m = KEY_RE.exec(presented);
    if (!m) return undefined;
    const row = await this.sql.get<ApiKey & { secret_sha256: string }>(
      'SELECT * FROM user_api_keys WHERE key_id = ?',
      [m[1]],
    );
    const want = Buffer.from(row?.secret_sha256 ?? sha256('no-such-key'), 'hex');
    const got = Buffer.from(sha256(m[2] as string), 'hex');
    if (!row || !timingSafeEqual(want, got) || row.revoked_at !== null) return undefined;
    if (row.expires_at !== null && Date.parse(row.expires_at) <= now.getTime()) return undefined;
    const { secret_sha256: _, ...key } = row;
    return key;
  }
}
