import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import type { LedgerEntry } from '../../ledger/ledger-entry.js';
import { bindFlags, type SqlDatabase, type SqlQueries, type SqlTx } from '../sql/sql-database.js';
import { numberPlaceholders } from '../sql/sql-placeholders.js';
import type { PgLedger } from './pg-ledger.js';
import { PG_LOCK_CLASS } from './pg-migrations.js';
import { inPgTransaction } from './pg-transaction.js';

type Params = readonly unknown[];

// int8 (count(*), bigint columns) as a JS number, as SQLite returns it: every value the hub
// keeps in one (epoch microseconds, sequence numbers) is far below 2^53.
const INT8 = 20;
const NUMERIC = 1700;
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 || oid === NUMERIC
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

const placeholders = new Map<string, string>();
function textOf(sql: string): string {
  let text = placeholders.get(sql);
  if (text === undefined) {
    text = numberPlaceholders(sql);
    if (placeholders.size < 10_000) placeholders.set(sql, text);
  }
  return text;
}

async function query<T>(q: pg.Pool | pg.PoolClient, sql: string, params: Params): Promise<pg.QueryResult> {
  return q.query<T & pg.QueryResultRow>({ text: textOf(sql), values: bindFlags(params), types: TYPES });
}

abstract class PgQueries implements SqlQueries {
  protected abstract target(): pg.Pool | pg.PoolClient;

  async all<T>(sql: string, params: Params = []): Promise<T[]> {
    return (await query<T>(this.target(), sql, params)).rows as T[];
  }

  async get<T>(sql: string, params: Params = []): Promise<T | undefined> {
    return (await query<T>(this.target(), sql, params)).rows[0] as T | undefined;
  }

  async run(sql: string, params: Params = []): Promise<{ changes: number }> {
    return { changes: (await query(this.target(), sql, params)).rowCount ?? 0 };
  }
}

class PgTx extends PgQueries implements SqlTx {
  constructor(
    readonly client: pg.PoolClient,
    readonly ledger: PgLedger,
  ) {
    super();
  }

  protected target() {
    return this.client;
  }

  appendLedger(entries: readonly LedgerEntry[]) {
    return this.ledger.appendEntries(this.client, entries);
  }

  async lock(key: string): Promise<void> {
    await this.client.query('SELECT pg_advisory_xact_lock($1, hashtext($2 || current_schema()))', [
      PG_LOCK_CLASS,
      `${key}:`,
    ]);
  }
}

/**
 * The portable SQL port over a pg pool: each transaction on a connection of its own. Queries
 * made through this object while a transaction is open in the same async context go to that
 * transaction's connection, so a store need not be handed the transaction to see its writes.
 */
export class PgSql extends PgQueries implements SqlDatabase {
  readonly dialect = 'postgres' as const;
  readonly #pool: pg.Pool;
  readonly #ledger: PgLedger;
  readonly #inside = new AsyncLocalStorage<PgTx>();

  constructor(pool: pg.Pool, ledger: PgLedger) {
    super();
    this.#pool = pool;
    this.#ledger = ledger;
  }

  protected target() {
    return this.#inside.getStore()?.client ?? this.#pool;
  }

  /** The connection of the transaction open in this async context, for adapters that join it. */
  openClient(): pg.PoolClient | undefined {
    return this.#inside.getStore()?.client;
  }

  async runExclusive<T>(
    key: string,
    work: () => Promise<T>,
  ): Promise<{ ran: true; result: T } | { ran: false }> {
    // A session lock on a connection of its own, held while `work` runs on others.
    const holder = await this.#pool.connect();
    const args = [PG_LOCK_CLASS, `${key}:`];
    try {
      const got = await holder.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_lock($1, hashtext($2 || current_schema())) AS ok',
        args,
      );
      if (!got.rows[0]?.ok) return { ran: false };
      try {
        return { ran: true, result: await work() };
      } finally {
        await holder.query('SELECT pg_advisory_unlock($1, hashtext($2 || current_schema()))', args);
      }
    } finally {
      holder.release();
    }
  }

  async transaction<T>(work: (tx: SqlTx) => Promise<T>): Promise<T> {
    // A store called inside another's transaction joins it: one connection, one commit.
    const open = this.#inside.getStore();
    if (open) return work(open);
    return inPgTransaction(this.#pool, (client) => {
      const tx = new PgTx(client, this.#ledger);
      return this.#inside.run(tx, () => work(tx));
    });
  }
}
