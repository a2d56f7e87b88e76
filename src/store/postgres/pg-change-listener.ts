import type pg from 'pg';
import { PG_AUTH_CHANNEL, PG_CHANGE_CHANNEL } from './pg-migrations.js';

/**
 * Counts the commits other sessions (and this process) make to what TAXII pages show, from
 * PostgreSQL's notifications (migration 0004-change-notify), so a page cache can tell whether a
 * page is still current without a query per request. While the listening connection is down,
 * `version()` is undefined and callers must ask the database instead; every reconnect counts as
 * a change, since notices sent meanwhile were lost.
 */
export class PgChangeListener {
  readonly #pool: pg.Pool;
  readonly #retryMs: number;
  #client: pg.PoolClient | undefined;
  #schema = '';
  #pid: number | undefined;
  #count = 0;
  #authCount = 0;
  #closed = false;
  #retry: NodeJS.Timeout | undefined;

  constructor(pool: pg.Pool, retryMs = 1000) {
    this.#pool = pool;
    this.#retryMs = retryMs;
  }

  /** Resolves once listening (or once the first attempt failed: it keeps retrying). */
  async start(): Promise<void> {
    if (this.#closed || this.#client) return;
    let client: pg.PoolClient | undefined;
    try {
      client = await this.#pool.connect();
      const me = await client.query<{ s: string; pid: number }>(
        'SELECT current_schema() AS s, pg_backend_pid() AS pid',
      );
      this.#schema = me.rows[0]?.s ?? '';
      this.#pid = me.rows[0]?.pid;
      client.on('notification', (n) => {
        if (n.payload !== this.#schema) return;
        if (n.channel === PG_CHANGE_CHANNEL) this.#count++;
        else if (n.channel === PG_AUTH_CHANNEL) this.#authCount++;
      });
      client.on('error', () => this.#lost());
      client.on('end', () => this.#lost());
      await client.query(`LISTEN ${PG_CHANGE_CHANNEL}`);
      await client.query(`LISTEN ${PG_AUTH_CHANNEL}`);
      this.#count++;
      this.#authCount++;
      this.#client = client;
    } catch {
      client?.release(true);
      this.#scheduleRetry();
    }
  }

  /** The number of changes seen; undefined while not listening. */
  version(): number | undefined {
    return this.#client ? this.#count : undefined;
  }

  /**
   * The number of credential changes seen (a disabled user or partner, a new token or password,
   * a revoked key, a lock); undefined while not listening.
   */
  authVersion(): number | undefined {
    return this.#client ? this.#authCount : undefined;
  }

  /** The listening session's server process, for operators matching it in pg_stat_activity. */
  backendPid(): number | undefined {
    return this.#client ? this.#pid : undefined;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = undefined;
    if (client) {
      await client.query('UNLISTEN *').catch(() => {});
      client.release();
    }
  }

  #lost(): void {
    const client = this.#client;
    if (!client) return;
    this.#client = undefined;
    client.release(true);
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    if (this.#closed || this.#retry) return;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      void this.start();
    }, this.#retryMs);
    this.#retry.unref();
  }
}
