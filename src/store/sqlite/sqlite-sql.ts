import { AsyncLocalStorage } from 'node:async_hooks';
import type { Statement } from 'better-sqlite3';
import type { LedgerEntry } from '../../ledger/ledger-entry.js';
import { bindFlags, type SqlDatabase, type SqlTx } from '../sql/sql-database.js';
import type { SqliteDatabase } from './database.js';
import { SqliteLedger } from './ledger-store.js';

type Params = readonly unknown[];

/**
 * The portable SQL port over better-sqlite3. Calls are synchronous underneath; transactions are
 * queued so that two async units of work on the one connection never interleave, and each is
 * BEGIN IMMEDIATE so other processes on the file wait for it (busy timeout).
 */
export class SqliteSql implements SqlDatabase, SqlTx {
  readonly dialect = 'sqlite' as const;
  readonly db: SqliteDatabase;
  readonly #statements = new Map<string, Statement>();
  readonly #ledger: SqliteLedger;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #inside = new AsyncLocalStorage<true>();

  constructor(db: SqliteDatabase) {
    this.db = db;
    this.#ledger = new SqliteLedger(db);
  }

  #prepare(sql: string): Statement {
    let stmt = this.#statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }

  async all<T>(sql: string, params: Params = []): Promise<T[]> {
    return this.#prepare(sql).all(...bindFlags(params)) as T[];
  }

  async get<T>(sql: string, params: Params = []): Promise<T | undefined> {
    return this.#prepare(sql).get(...bindFlags(params)) as T | undefined;
  }

  async run(sql: string, params: Params = []): Promise<{ changes: number }> {
    const stmt = this.#prepare(sql);
    // A statement that returns rows (… RETURNING) cannot be run(); its row count is its changes.
    if (stmt.reader) return { changes: stmt.all(...bindFlags(params)).length };
    return { changes: stmt.run(...bindFlags(params)).changes };
  }

  async appendLedger(entries: readonly LedgerEntry[]) {
    return this.#ledger.appendEntries(entries);
  }

  async lock(_key: string): Promise<void> {}

  readonly #running = new Set<string>();

  // Within one process; another process on the same file relies on the work being idempotent
  // and on its write transactions being exclusive.
  async runExclusive<T>(
    key: string,
    work: () => Promise<T>,
  ): Promise<{ ran: true; result: T } | { ran: false }> {
    if (this.#running.has(key)) return { ran: false };
    this.#running.add(key);
    try {
      return { ran: true, result: await work() };
    } finally {
      this.#running.delete(key);
    }
  }

  transaction<T>(work: (tx: SqlTx) => Promise<T>): Promise<T> {
    // A store called inside another's transaction joins it rather than queueing behind it.
    if (this.#inside.getStore()) return work(this);
    const run = (): Promise<T> => this.#inside.run(true, () => this.#runAlone(work));
    const next = this.#queue.then(run, run);
    this.#queue = next.catch(() => {});
    return next;
  }

  async #runAlone<T>(work: (tx: SqlTx) => Promise<T>): Promise<T> {
    // Called from inside a synchronous better-sqlite3 transaction: that one owns the commit.
    if (this.db.inTransaction) return work(this);
    this.#prepare('BEGIN IMMEDIATE').run();
    try {
      const result = await work(this);
      this.#prepare('COMMIT').run();
      return result;
    } catch (err) {
      if (this.db.inTransaction) this.#prepare('ROLLBACK').run();
      throw err;
    }
  }
}
