import { createHash } from 'node:crypto';
import type { StatusResource } from '../../taxii/taxii-ports.js';
import type { SqlDatabase } from './sql-database.js';

/** TAXII status resources in portable SQL; each readable only by the credential that made it. */
export class SqlTaxiiStatusStore {
  readonly #sql: SqlDatabase;

  constructor(sql: SqlDatabase) {
    this.#sql = sql;
  }

  async save(ownerKey: string, status: StatusResource): Promise<void> {
    await this.#sql.run('INSERT INTO taxii_status (id, owner, created_us, json) VALUES (?, ?, ?, ?)', [
      status.id,
      ownerKey,
      Date.parse(status.request_timestamp) * 1000,
      JSON.stringify(status),
    ]);
  }

  async get(ownerKey: string, id: string): Promise<StatusResource | undefined> {
    const row = await this.#sql.get<{ json: string }>(
      'SELECT json FROM taxii_status WHERE id = ? AND owner = ?',
      [id, ownerKey],
    );
    return row === undefined ? undefined : (JSON.parse(row.json) as StatusResource);
  }
}

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Bearer tokens do not name their partner: the SHA-256 of each partner's current token finds it
 * (the argon2id hash stays the proof). A 256-bit random token makes an unsalted hash a safe key.
 */
export async function indexPartnerTokenSql(
  sql: SqlDatabase,
  partnerId: string,
  token: string,
): Promise<void> {
  await sql.transaction(async (tx) => {
    await tx.run('DELETE FROM partner_token_index WHERE partner_id = ?', [partnerId]);
    await tx.run(
      `INSERT INTO partner_token_index (token_sha256, partner_id) VALUES (?, ?)
       ON CONFLICT (token_sha256) DO UPDATE SET partner_id = excluded.partner_id`,
      [sha256(token), partnerId],
    );
  });
}

export async function findPartnerByTokenSql(sql: SqlDatabase, token: string): Promise<string | undefined> {
  const row = await sql.get<{ partner_id: string }>(
    'SELECT partner_id FROM partner_token_index WHERE token_sha256 = ?',
    [sha256(token)],
  );
  return row?.partner_id;
}
