import { createHash } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { JsonObject } from '../../stix/types.js';
import type { PartnerBook } from '../partner-ports.js';
import type { SqlDatabase, SqlTx } from '../sql/sql-database.js';
import { changeDigest, recordChange } from './ledger-change.js';

export interface Partner {
  id: string;
  name: string;
  identity: JsonObject;
  enabled: boolean;
  created_at: string;
  updated_at: string;
}

export interface PartnerInput {
  name: string;
  country?: string;
  description?: string;
}

/** Who acts and when; randomness comes in so tests can fix ids and tokens. */
export interface ChangeContext {
  actor: string;
  now: Date;
  randomBytes: (n: number) => Uint8Array;
}

export type PartnerError =
  | { code: 'partner-name-invalid'; message: string }
  | { code: 'partner-exists'; message: string }
  | { code: 'partner-not-found'; message: string };

export type PartnerResult<T> = ({ ok: true } & T) | ({ ok: false } & PartnerError);

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$/;
const COUNTRY_RE = /^[A-Z]{2}$/;
// argon2id (RFC 9106) with the library's defaults: 19 MiB, 2 passes, 1 lane (the OWASP baseline).
const ARGON2ID = 2;
// Verified when no partner matches, so a wrong name costs as long as a wrong token.
const DUMMY_HASH_INPUT = 'tearline-no-such-partner';

interface Row {
  id: string;
  name: string;
  identity_json: string;
  token_hash: string;
  enabled: number;
  created_at: string;
  updated_at: string;
}

function toPartner(r: Row): Partner {
  return {
    id: r.id,
    name: r.name,
    identity: JSON.parse(r.identity_json) as JsonObject,
    enabled: r.enabled === 1,
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}

function formatUuidV4(b: Uint8Array): string {
  const x = Array.from(b.subarray(0, 16), (v, i) => {
    if (i === 6) return ((v & 0x0f) | 0x40).toString(16).padStart(2, '0');
    if (i === 8) return ((v & 0x3f) | 0x80).toString(16).padStart(2, '0');
    return v.toString(16).padStart(2, '0');
  }).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** A 256-bit bearer token, shown once. The prefix lets secret scanners recognise a leaked one. */
function newToken(ctx: ChangeContext): string {
  return `tl_${Buffer.from(ctx.randomBytes(32)).toString('base64url')}`;
}

const BY_NAME_OR_ID =
  'SELECT * FROM partners WHERE id = ? OR name = ? ORDER BY CASE WHEN id = ? THEN 0 ELSE 1 END LIMIT 1';

/**
 * The TAXII bearer-token index: a bearer token does not name its partner, so the SHA-256 of the
 * partner's one current token finds it (the argon2id hash stays the proof; a 256-bit random token
 * makes an unsalted hash a safe key). Written in the transaction that sets the token's hash, so
 * the two never disagree.
 */
async function indexPartnerToken(tx: SqlTx, partnerId: string, token: string): Promise<void> {
  const sha = createHash('sha256').update(token).digest('hex');
  await tx.run('DELETE FROM partner_token_index WHERE partner_id = ?', [partnerId]);
  await tx.run(
    `INSERT INTO partner_token_index (token_sha256, partner_id) VALUES (?, ?)
     ON CONFLICT (token_sha256) DO UPDATE SET partner_id = excluded.partner_id`,
    [sha, partnerId],
  );
}

export class PartnerStore implements PartnerBook {
  #dummyHash: Promise<string> | undefined;

  constructor(readonly sql: SqlDatabase) {}

  /** By id (identity--...) or by exact name. */
  async get(nameOrId: string): Promise<Partner | undefined> {
    const row = await this.sql.get<Row>(BY_NAME_OR_ID, [nameOrId, nameOrId, nameOrId]);
    return row && toPartner(row);
  }

  async list(): Promise<Partner[]> {
    return (await this.sql.all<Row>('SELECT * FROM partners ORDER BY name')).map(toPartner);
  }

  async add(
    input: PartnerInput,
    ctx: ChangeContext,
  ): Promise<PartnerResult<{ partner: Partner; token: string }>> {
    if (!NAME_RE.test(input.name) || input.name.includes('--')) {
      return {
        ok: false,
        code: 'partner-name-invalid',
        message: `--name "${input.name}" must be 1-100 letters, digits, spaces, ".", "_" or "-" (no "--"), starting with a letter or digit`,
      };
    }
    if (input.country !== undefined && !COUNTRY_RE.test(input.country)) {
      return {
        ok: false,
        code: 'partner-name-invalid',
        message: `--country "${input.country}" must be an ISO 3166-1 alpha-2 code such as "AF"`,
      };
    }
    const exists = {
      ok: false,
      code: 'partner-exists',
      message: `a partner named "${input.name}" already exists`,
    } as const;
    if (await this.get(input.name)) return exists;
    const at = ctx.now.toISOString();
    const id = `identity--${formatUuidV4(ctx.randomBytes(16))}`;
    const identity: JsonObject = {
      type: 'identity',
      spec_version: '2.1',
      id,
      created: at,
      modified: at,
      name: input.name,
      identity_class: 'organization',
      ...(input.description !== undefined && { description: input.description }),
      ...(input.country !== undefined && { x_tearline_country: input.country }),
    };
    const token = newToken(ctx);
    const tokenHash = await hash(token, { algorithm: ARGON2ID });
    // Another process may have taken the name while we hashed: the unique key decides.
    const added = await this.sql.transaction(async (tx) => {
      const r = await tx.run(
        `INSERT INTO partners (id, name, identity_json, token_hash, enabled, created_at, updated_at)
         VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT (name) DO NOTHING`,
        [id, input.name, JSON.stringify(identity), tokenHash, at, at],
      );
      if (r.changes === 0) return false;
      await indexPartnerToken(tx, id, token);
      await this.#event(tx, id, 'add', ctx, { name: input.name });
      return true;
    });
    if (!added) return exists;
    return { ok: true, partner: (await this.get(id)) as Partner, token };
  }

  /** A new token (the old one stops at once); `reason` is kept in the partner's history. */
  async rotateToken(
    nameOrId: string,
    ctx: ChangeContext,
    reason?: string,
  ): Promise<PartnerResult<{ partner: Partner; token: string }>> {
    const p = await this.get(nameOrId);
    if (!p) return notFound(nameOrId);
    const token = newToken(ctx);
    const tokenHash = await hash(token, { algorithm: ARGON2ID });
    await this.sql.transaction(async (tx) => {
      await tx.run('UPDATE partners SET token_hash = ?, updated_at = ? WHERE id = ?', [
        tokenHash,
        ctx.now.toISOString(),
        p.id,
      ]);
      await indexPartnerToken(tx, p.id, token);
      await this.#event(tx, p.id, 'rotate-token', ctx, reason === undefined ? {} : { reason });
    });
    return { ok: true, partner: (await this.get(p.id)) as Partner, token };
  }

  async setEnabled(
    nameOrId: string,
    enabled: boolean,
    reason: string,
    ctx: Omit<ChangeContext, 'randomBytes'>,
  ): Promise<PartnerResult<{ partner: Partner }>> {
    const p = await this.get(nameOrId);
    if (!p) return notFound(nameOrId);
    await this.sql.transaction(async (tx) => {
      await tx.run('UPDATE partners SET enabled = ?, updated_at = ? WHERE id = ?', [
        enabled,
        ctx.now.toISOString(),
        p.id,
      ]);
      await this.#event(tx, p.id, enabled ? 'enable' : 'disable', ctx, { reason });
    });
    return { ok: true, partner: (await this.get(p.id)) as Partner };
  }

  /**
   * The enabled partner this token belongs to, or undefined. Runs one argon2 verification
   * whatever the input (a dummy one for unknown names), so timing does not reveal which
   * partner names exist.
   */
  /** The partner a bearer token was issued to, if any; the caller still verifies the token. */
  async findIdByToken(token: string): Promise<string | undefined> {
    const row = await this.sql.get<{ partner_id: string }>(
      'SELECT partner_id FROM partner_token_index WHERE token_sha256 = ?',
      [createHash('sha256').update(token).digest('hex')],
    );
    return row?.partner_id;
  }

  async authenticate(nameOrId: string, token: string): Promise<Partner | undefined> {
    const row = await this.sql.get<Row>(BY_NAME_OR_ID, [nameOrId, nameOrId, nameOrId]);
    this.#dummyHash ??= hash(DUMMY_HASH_INPUT, { algorithm: ARGON2ID });
    const stored = row?.token_hash ?? (await this.#dummyHash);
    let ok = false;
    try {
      ok = await verify(stored, token.slice(0, 512));
    } catch {
      ok = false;
    }
    if (!row || !ok || row.enabled !== 1) return undefined;
    return toPartner(row);
  }

  async events(
    nameOrId: string,
  ): Promise<{ action: string; at: string; actor: string; detail: JsonObject }[]> {
    const p = await this.get(nameOrId);
    if (!p) return [];
    const rows = await this.sql.all<{ action: string; at: string; actor: string; detail: string }>(
      'SELECT action, at, actor, detail FROM partner_events WHERE partner_id = ? ORDER BY seq',
      [p.id],
    );
    return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as JsonObject }));
  }

  async #event(
    tx: SqlTx,
    partnerId: string,
    action: string,
    ctx: { actor: string; now: Date },
    detail: JsonObject,
  ): Promise<void> {
    await tx.run(
      'INSERT INTO partner_events (partner_id, action, at, actor, detail) VALUES (?, ?, ?, ?, ?)',
      [partnerId, action, ctx.now.toISOString(), ctx.actor, JSON.stringify(detail)],
    );
    await recordChange(tx, {
      kind: 'partner-change',
      time: ctx.now.toISOString(),
      actor: ctx.actor,
      partner: partnerId,
      change: action,
      digest: changeDigest({ action, detail }),
    });
  }
}

function notFound(nameOrId: string): { ok: false; code: 'partner-not-found'; message: string } {
  return {
    ok: false,
    code: 'partner-not-found',
    message: `no partner named or with id "${nameOrId}" (see: tearline partner list)`,
  };
}
