import { Worker } from 'node:worker_threads';
import { workerScript } from '../../worker/worker-script.js';
import { type SqliteDatabase, WAL_AUTOCHECKPOINT_PAGES } from './database.js';

interface Reply {
  seq: number;
  log?: number;
  checkpointed?: number;
  error?: string;
}

/** WAL pages after which the writer waits for the checkpoint to catch up (64 MiB of 16 KiB pages). */
const MAX_WAL_PAGES = 4096;
/** Commits the worker may be behind before the writer waits: its figure of the WAL is that old. */
const MAX_COMMITS_BEHIND = 4;

/**
 * Checkpoints on a worker thread during a bulk write. With SQLite's automatic checkpoint the
 * committing thread itself copies the WAL back into the database file, a third of an import's
 * store time; here its connection stops doing that and a second connection on another thread
 * copies each commit back while the writer prepares the next. The WAL stays bounded: once it
 * holds more than MAX_WAL_PAGES, the writer waits for the copy to finish before its next write,
 * so that write starts the WAL again from the beginning.
 */
export class BackgroundCheckpointer {
  readonly #db: SqliteDatabase;
  readonly #worker: Worker;
  readonly #maxWalPages: number;
  readonly #waiting = new Map<number, (r: Reply) => void>();
  #seq = 0;
  /** [0]: WAL pages after the worker's last checkpoint; [1]: the last request it did (it writes, this thread reads). */
  readonly #walPages: Int32Array;
  #failed: string | undefined;

  private constructor(db: SqliteDatabase, worker: Worker, walPages: Int32Array, maxWalPages: number) {
    this.#db = db;
    this.#worker = worker;
    this.#walPages = walPages;
    this.#maxWalPages = maxWalPages;
    worker.on('message', (r: Reply) => {
      if (r.error) this.#fail(r.error);
      const resolve = this.#waiting.get(r.seq);
      this.#waiting.delete(r.seq);
      resolve?.(r);
    });
    worker.on('error', (err) => this.#fail(err.message));
    worker.on('exit', () => this.#fail('checkpoint worker exited'));
  }

  /** Starts one for a file database; undefined for an in-memory one (it has no WAL). */
  static start(db: SqliteDatabase, opts: { maxWalPages?: number } = {}): BackgroundCheckpointer | undefined {
    if (db.memory || db.pragma('journal_mode', { simple: true }) !== 'wal') return undefined;
    const walPages = new SharedArrayBuffer(8);
    const worker = new Worker(workerScript(import.meta.url, 'wal-checkpoint-worker'), {
      workerData: { path: db.name, walPages },
    });
    db.pragma('wal_autocheckpoint = 0');
    return new BackgroundCheckpointer(
      db,
      worker,
      new Int32Array(walPages),
      opts.maxWalPages ?? MAX_WAL_PAGES,
    );
  }

  /** Before a write transaction: waits for the copy when the WAL has grown past its bound. */
  async beforeWrite(): Promise<void> {
    if (this.#failed !== undefined) return;
    const behind = this.#seq - Atomics.load(this.#walPages, 1);
    if (Atomics.load(this.#walPages, 0) >= this.#maxWalPages || behind > MAX_COMMITS_BEHIND) {
      await this.#checkpoint();
      // The next write starts the WAL again from its beginning: count from nothing until the
      // worker's next checkpoint says otherwise.
      Atomics.store(this.#walPages, 0, 0);
    }
  }

  /** After a commit: the worker copies it back while the writer goes on. */
  afterCommit(): void {
    if (this.#failed === undefined) this.#worker.postMessage(++this.#seq);
  }

  /** Waits until the worker has copied back everything committed so far (and is running). */
  async settle(): Promise<void> {
    if (this.#failed === undefined) await this.#checkpoint();
  }

  /** Copies the rest back, stops the worker and gives the connection its automatic checkpoint again. */
  async stop(): Promise<void> {
    if (this.#failed === undefined) await this.#checkpoint();
    this.#failed ??= 'stopped';
    this.#db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    await this.#worker.terminate();
  }

  #checkpoint(): Promise<Reply> {
    const seq = ++this.#seq;
    return new Promise((resolve) => {
      this.#waiting.set(seq, resolve);
      this.#worker.postMessage(seq);
    });
  }

  /** A checkpoint that cannot run is no reason to fail the write: the connection checkpoints itself again. */
  #fail(reason: string): void {
    if (this.#failed !== undefined) return;
    this.#failed = reason;
    if (this.#db.open) this.#db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    for (const resolve of this.#waiting.values()) resolve({ seq: -1, error: reason });
    this.#waiting.clear();
  }
}
