import type { LedgerEntry } from '../../ledger/ledger-entry.js';
import type { LedgerResult } from '../../ledger/ledger-result.js';

/**
 * The one database port the hub's state stores (partners, agreements, conditions, users,
 * sessions, releases, queue) are written against, so that each store is written once in
 * portable SQL and runs on SQLite and PostgreSQL alike. Hot paths with engine-specific tricks
 * (object import, ledger hashing, the TAXII feed) keep adapters of their own.
 *
 * Portable SQL here means: `?` placeholders, `ON CONFLICT ... DO UPDATE/NOTHING`, `RETURNING`,
 * 0/1 integers for flags, text for JSON and timestamps. Integers come back as numbers on both.
 */
export interface SqlQueries {
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  run(sql: string, params?: readonly unknown[]): Promise<{ changes: number }>;
}

export interface SqlTx extends SqlQueries {
  /**
   * Appends ledger entries inside this transaction: the change and its entry commit together,
   * and every process appends through the ledger's one sequencer.
   */
  appendLedger(entries: readonly LedgerEntry[]): Promise<LedgerResult<{ first: number; size: number }>>;
  /**
   * Serialises this transaction against every other holding the same key, in any process,
   * until it ends. On SQLite every write transaction is already exclusive.
   */
  lock(key: string): Promise<void>;
}

export interface SqlDatabase extends SqlQueries {
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * Runs `work` in one write transaction: committed when it resolves, rolled back when it
   * throws. Transactions on one SqlDatabase never interleave. `work` awaits this database only
   * (hash passwords, call partners, read files before or after): on SQLite the one connection is
   * the transaction, and synchronous writers elsewhere in the process would join it meanwhile.
   */
  transaction<T>(work: (tx: SqlTx) => Promise<T>): Promise<T>;
  /**
   * Runs `work` unless another holder of `key` (in any process) is running; then it returns
   * `{ ran: false }` at once. For work one process should do at a time, such as a pipeline pass,
   * where a second runner would only repeat the first.
   */
  runExclusive<T>(key: string, work: () => Promise<T>): Promise<{ ran: true; result: T } | { ran: false }>;
}

/** Thrown by a store to roll a transaction back with a result for its caller. */
export class SqlRollback<T> extends Error {
  constructor(readonly result: T) {
    super('rolled back');
  }
}

/** Flags are stored as 0/1 on both engines: booleans bind as integers. */
export function bindFlags(params: readonly unknown[]): unknown[] {
  return params.map((p) => (p === true ? 1 : p === false ? 0 : p));
}
