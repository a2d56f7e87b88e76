import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { PipelineReport } from '../release/release-pipeline.js';
import { workerScript } from '../worker/worker-script.js';
import type { HubLocation } from './hub-open.js';

/** Where the pass process opens the hub: the serving hub's data dir and database. */
export type PassProcessData = Pick<HubLocation, 'data' | 'db'>;

/** What the serving process sends its pass process. */
export type PassMessage =
  | { kind: 'open'; where: PassProcessData }
  | {
      kind: 'pass';
      id: number;
      /** The instant the pass decides at (ISO). */
      now: string;
      /** The settings in force in the serving hub; the process runs only by the same ones. */
      settingsDigest: string;
    }
  | { kind: 'close' };

export type PassRequest = Extract<PassMessage, { kind: 'pass' }>;

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

/** The pass process's nice value: below the serving process, never starved. */
export const PASS_PROCESS_NICE = 10;

/** How the pass process's memory is bounded. */
export interface PassProcessLimits {
  /** Its V8 old-generation heap cap (MB): a pass that needs more fails, serve lives on. */
  maxHeapMb: number;
  /**
   * The process is ended after a pass that decided at least this many objects (and after
   * `maxPasses` passes): its memory goes back to the system instead of staying at its high-water mark.
   */
  recycleAfterDecided: number;
  maxPasses: number;
}

export const DEFAULT_PASS_PROCESS_LIMITS: PassProcessLimits = {
  maxHeapMb: 1024,
  recycleAfterDecided: 20_000,
  maxPasses: 500,
};

/**
 * The release pass out of the serving process: a child process with its own connection (on
 * SQLite a second connection whose reads are WAL snapshots, writing in groups of short
 * transactions; on PostgreSQL its own pool), so TAXII and console requests are answered while a
 * pass runs, and neither the pass's garbage collection nor its high-water mark lands in serve.
 * A worker thread did the first but not the second: its heap was serve's heap, and serve's RSS
 * stayed at the largest pass's size after the thread ended (193 -> 354 MB at the scale bench).
 * One request at a time; a process that dies (or outgrows its heap cap) is started again on the
 * next pass; one that ran a large pass is ended after it.
 */
/** The pass process ended before it answered. */
export class PassProcessExited extends Error {}

export class PassProcess {
  #child: ChildProcess | undefined;
  #ready: Promise<void> | undefined;
  #next = 1;
  #passes = 0;
  /** Processes started so far (the first included). */
  started = 0;
  // Each pass waiting for its reply, with the process it was sent to: a process's death fails only its own.
  readonly #waiting = new Map<
    number,
    { child: ChildProcess; resolve: (r: PassReply) => void; reject: (e: Error) => void }
  >();

  constructor(
    readonly where: PassProcessData,
    readonly limits: PassProcessLimits = DEFAULT_PASS_PROCESS_LIMITS,
  ) {}

  /** The running pass process's id, if one runs. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  #start(): Promise<void> {
    if (this.#ready) return this.#ready;
    this.#passes = 0;
    this.started++;
    const child = fork(fileURLToPath(workerScript(import.meta.url, 'hub-pass-child')), [], {
      // Not the parent's execArgv (a test runner's loaders): the child runs the built JavaScript.
      execArgv: [`--max-old-space-size=${this.limits.maxHeapMb}`],
      // Its log lines and a crash's message go where serve's go; the channel carries the rest.
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    this.#child = child;
    this.#ready = new Promise<void>((resolve, reject) => {
      const failAll = (err: Error) => {
        reject(err);
        for (const [id, w] of this.#waiting)
          if (w.child === child) {
            this.#waiting.delete(id);
            w.reject(err);
          }
        if (this.#child === child) {
          this.#child = undefined;
          this.#ready = undefined;
        }
      };
      child.on('message', (m: PassReply) => {
        if (m.kind === 'ready') return resolve();
        const w = this.#waiting.get(m.id);
        this.#waiting.delete(m.id);
        w?.resolve(m);
      });
      // A write to a channel whose process has died (EPIPE, ERR_IPC_CHANNEL_CLOSED) is that death.
      child.on('error', (err: NodeJS.ErrnoException) =>
        failAll(channelGone(err) ? new PassProcessExited(`release pass process is gone (${err.code})`) : err),
      );
      child.on('exit', (code, signal) =>
        failAll(new PassProcessExited(`release pass process exited (${signal ?? `code ${code}`})`)),
      );
    });
    child.send({ kind: 'open', where: this.where } satisfies PassMessage);
    return this.#ready;
  }

  async run(now: Date, settingsDigest: string): Promise<PassReply> {
    try {
      return await this.#runOnce(now, settingsDigest);
    } catch (e) {
      // The process died before it answered (killed, or its death not yet seen when the pass was
      // sent): one more try in a new process. A pass is one transaction per group and idempotent,
      // so a second try redoes only what the first did not commit; a second death is reported.
      if (!(e instanceof PassProcessExited)) throw e;
      return await this.#runOnce(now, settingsDigest);
    }
  }

  async #runOnce(now: Date, settingsDigest: string): Promise<PassReply> {
    // Died since the last pass and its exit not yet seen: start another rather than fail this pass.
    if (this.#child && !this.#child.connected) {
      this.#child = undefined;
      this.#ready = undefined;
    }
    await this.#start();
    const child = this.#child;
    if (!child) throw new Error('release pass process is not running');
    const id = this.#next++;
    const reply = await new Promise<PassReply>((resolve, reject) => {
      this.#waiting.set(id, { child, resolve, reject });
      // Sent to a process that died an instant ago: the write fails here, and the pass is retried.
      child.send(
        { kind: 'pass', id, now: now.toISOString(), settingsDigest } satisfies PassMessage,
        (err) => {
          if (!err) return;
          this.#waiting.delete(id);
          // Its death may not be seen yet: the retry must start a new process, not write here again.
          if (channelGone(err) && this.#child === child) {
            this.#child = undefined;
            this.#ready = undefined;
          }
          reject(
            channelGone(err)
              ? new PassProcessExited(`release pass process is gone (${(err as NodeJS.ErrnoException).code})`)
              : err,
          );
        },
      );
    });
    this.#passes++;
    const large = reply.kind === 'ran' && reply.decided >= this.limits.recycleAfterDecided;
    if (large || this.#passes >= this.limits.maxPasses) await this.close();
    return reply;
  }

  /** Closes the process's database and ends it; call when no pass is in flight. */
  async close(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#child = undefined;
    this.#ready = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (child.connected) child.send({ kind: 'close' } satisfies PassMessage);
    // The process closes its connection and exits; if it hangs, it is killed.
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

function channelGone(err: NodeJS.ErrnoException | Error | null): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'EPIPE' || code === 'ERR_IPC_CHANNEL_CLOSED' || code === 'ECONNRESET';
}
