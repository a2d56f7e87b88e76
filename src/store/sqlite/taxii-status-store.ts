import type { StatusResource, StatusStore } from '../feed-ports.js';
import type { SqliteDatabase } from './database.js';

/** Status resources survive restarts; each is readable only by the credential that created it. */
export class SqliteTaxiiStatusStore implements StatusStore {
  readonly #s;

  constructor(db: SqliteDatabase) {
    this.#s = {
      insert: db.prepare('INSERT INTO taxii_status (id, owner, created_us, json) VALUES (?, ?, ?, ?)'),
      get: db.prepare('SELECT json FROM taxii_status WHERE id = ? AND owner = ?').pluck(),
    };
  }

  async save(ownerKey: string, status: StatusResource): Promise<void> {
    this.#s.insert.run(
      status.id,
      ownerKey,
      Date.parse(status.request_timestamp) * 1000,
      JSON.stringify(status),
    );
  }

  async get(ownerKey: string, id: string): Promise<StatusResource | undefined> {
    const json = this.#s.get.get(id, ownerKey) as string | undefined;
    return json === undefined ? undefined : (JSON.parse(json) as StatusResource);
  }
}
