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
  readonly #waiting = new Map<number, (r: Reply) => void>();
  #seq = 0;
  #walPages = 0;
  #failed: string | undefined;

  private constructor(db: SqliteDatabase, worker: Worker) {
    this.#db = db;
    this.#worker = worker;
    worker.on('message', (r: Reply) => {
      if (r.error) this.#fail(r.error);
      else if (r.log !== undefined) this.#walPages = r.log;
      const resolve = this.#waiting.get(r.seq);
      this.#waiting.delete(r.seq);
      resolve?.(r);
    });
    worker.on('error', (err) => this.#fail(err.message));
    worker.on('exit', () => this.#fail('checkpoint worker exited'));
  }

  /** Starts one for a file database; undefined for an in-memory one (it has no WAL). */
  static start(db: SqliteDatabase): BackgroundCheckpointer | undefined {
    if (db.memory || db.pragma('journal_mode', { simple: true }) !== 'wal') return undefined;
    const worker = new Worker(workerScript(import.meta.url, 'wal-checkpoint-worker'), {
      workerData: { path: db.name },
    });
    db.pragma('wal_autocheckpoint = 0');
    return new BackgroundCheckpointer(db, worker);
  }

  /** Before a write transaction: waits for the copy when the WAL has grown past its bound. */
  async beforeWrite(): Promise<void> {
    if (this.#failed === undefined && this.#walPages >= MAX_WAL_PAGES) await this.#checkpoint();
  }

  /** After a commit: the worker copies it back while the writer goes on. */
  afterCommit(): void {
    if (this.#failed === undefined) this.#worker.postMessage(++this.#seq);
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
