import { Worker } from 'node:worker_threads';
import type { PipelineReport } from '../release/release-pipeline.js';
import { workerScript } from '../worker/worker-script.js';
import type { HubLocation } from './hub-open.js';

/** Where the thread opens the hub: the serving hub's data dir and database. */
export type PassThreadData = Pick<HubLocation, 'data' | 'db'>;

export interface PassRequest {
  id: number;
  /** The instant the pass decides at (ISO). */
  now: string;
  /** The settings in force in the serving hub; the thread runs only by the same ones. */
  settingsDigest: string;
}

export type PassReply =
  | { id: number; kind: 'ready' }
  | {
      id: number;
      kind: 'ran';
      mode: PipelineReport['mode'];
      decided: number;
      totals: PipelineReport['totals'];
    }
  /** Another pass held the pipeline (runExclusive). */
  | { id: number; kind: 'skipped' }
  /** The files on disk are not the settings the hub decides by now: the hub runs the pass itself. */
  | { id: number; kind: 'settings-differ' }
  | { id: number; kind: 'failed'; message: string };

/** The pass thread's nice value (Linux: per thread): below the serving thread, never starved. */
export const PASS_THREAD_NICE = 10;

/** How the pass thread's memory is bounded. */
export interface PassThreadLimits {
  /** The thread's V8 old-generation heap cap (MB): a pass that needs more fails, serve lives on. */
  maxHeapMb: number;
  /**
   * A thread is ended after a pass that decided at least this many objects (and after
   * `maxPasses` passes): its heap goes back to the system instead of staying at its high-water mark.
   */
  recycleAfterDecided: number;
  maxPasses: number;
}

export const DEFAULT_PASS_THREAD_LIMITS: PassThreadLimits = {
  maxHeapMb: 1024,
  recycleAfterDecided: 20_000,
  maxPasses: 500,
};

/**
 * The release pass off the serving thread: a worker thread with its own connection (on SQLite a
 * second connection whose reads are WAL snapshots, writing in groups of short transactions; on
 * PostgreSQL its own pool), so TAXII and console requests are answered while a pass runs. One
 * request at a time; a thread that dies (or outgrows its heap cap) is started again on the next
 * pass. The thread's heap is capped, and a thread that ran a large pass is ended after it, so
 * serve's memory returns to its resting size between large passes.
 */
export class PassThread {
  #worker: Worker | undefined;
  #ready: Promise<void> | undefined;
  #next = 1;
  #passes = 0;
  /** Threads started so far (the first included). */
  started = 0;
  readonly #waiting = new Map<number, { resolve: (r: PassReply) => void; reject: (e: Error) => void }>();

  constructor(
    readonly where: PassThreadData,
    readonly limits: PassThreadLimits = DEFAULT_PASS_THREAD_LIMITS,
  ) {}

  #start(): Promise<void> {
    if (this.#ready) return this.#ready;
    this.#passes = 0;
    this.started++;
    const worker = new Worker(workerScript(import.meta.url, 'hub-pass-worker'), {
      workerData: this.where,
      resourceLimits: { maxOldGenerationSizeMb: this.limits.maxHeapMb },
    });
    this.#worker = worker;
    this.#ready = new Promise<void>((resolve, reject) => {
      const failAll = (err: Error) => {
        reject(err);
        for (const w of this.#waiting.values()) w.reject(err);
        this.#waiting.clear();
        if (this.#worker === worker) {
          this.#worker = undefined;
          this.#ready = undefined;
        }
      };
      worker.on('message', (m: PassReply) => {
        if (m.kind === 'ready') return resolve();
        const w = this.#waiting.get(m.id);
        this.#waiting.delete(m.id);
        w?.resolve(m);
      });
      worker.on('error', failAll);
      worker.on('exit', (code) => failAll(new Error(`release pass thread exited (code ${code})`)));
    });
    return this.#ready;
  }

  async run(now: Date, settingsDigest: string): Promise<PassReply> {
    await this.#start();
    const worker = this.#worker;
    if (!worker) throw new Error('release pass thread is not running');
    const id = this.#next++;
    const reply = await new Promise<PassReply>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      worker.postMessage({ id, now: now.toISOString(), settingsDigest } satisfies PassRequest);
    });
    this.#passes++;
    const large = reply.kind === 'ran' && reply.decided >= this.limits.recycleAfterDecided;
    if (large || this.#passes >= this.limits.maxPasses) await this.close();
    return reply;
  }

  /** Closes the thread's database and ends it; call when no pass is in flight. */
  async close(): Promise<void> {
    const worker = this.#worker;
    if (!worker) return;
    this.#worker = undefined;
    this.#ready = undefined;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('close');
    // The thread closes its connection, then its port; if it hangs, it is ended.
    const timer = setTimeout(() => void worker.terminate(), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
