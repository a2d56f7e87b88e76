import type { StatusResource, StatusStore } from '../feed-ports.js';
import type { SqlDatabase } from './sql-database.js';

/**
 * TAXII status resources in portable SQL, on both engines: they survive restarts, and each is
 * readable only by the credential that made it.
 */
export class SqlTaxiiStatusStore implements StatusStore {
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
