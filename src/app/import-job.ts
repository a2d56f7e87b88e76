import { Worker } from 'node:worker_threads';
import type { ImportSummary } from '../ingest/import-summary.js';
import { workerScript } from '../worker/worker-script.js';
import { ConfigError } from './data-dir.js';
import type { HubLocation } from './hub-open.js';

/** What `tearline import` does: files (or '-' for standard input) into the hub at `hub`. */
export interface ImportJob {
  files: string[];
  hub: Pick<HubLocation, 'data' | 'db'>;
  strict: boolean;
  /** The signed-in user importing (checked by the command before the job starts). */
  actor: string;
  /** Report progress after each stored batch (a terminal shows it). */
  progress: boolean;
  /** `--marking`: tlp:LEVEL or a marking-definition id, for objects that carry none of its kind. */
  marking?: string;
}

export interface ImportJobEvents {
  progress?(file: string, summary: ImportSummary, bytesRead: number): void;
  /** One file is done. */
  summary?(file: string, summary: ImportSummary): void;
}

/** How the worker reports a failure: the kind decides how the command shows it. */
export interface ImportJobFailure {
  kind: 'config' | 'internal';
  message: string;
  stack?: string;
  /** The driver's or system's error code (SQLITE_FULL, ENOSPC ...): the command names storage faults by it. */
  code?: string;
  /** The file a system call failed on. */
  path?: string;
}

export type ImportJobMessage =
  | { progress: { file: string; summary: ImportSummary; bytesRead: number } }
  | { summary: { file: string; summary: ImportSummary } }
  | { done: true }
  | { failed: ImportJobFailure };

/**
 * The job's heap. V8 sizes a heap by how much it may take: on the main thread (about 4 GiB
 * allowed here) an import's store half grew its heap past 100 MB holding a few megabytes of
 * live data, and a gigabyte import peaked over 300 MB; bounded, the heap stays near 50 MB at
 * the same speed. The bound still leaves room for two batches of the largest objects an
 * import accepts on its inline path (batches are cut at 16 MiB of JSON).
 */
const JOB_HEAP_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 16 };

/**
 * Runs an import on a worker thread with a bounded heap (the worker opens the hub itself; a
 * large file's front half runs on a worker of its own beside it). Resolves with one summary per
 * file, in order; a failure rejects as the same kind of error the command would have thrown.
 */
export async function runImportJob(job: ImportJob, events: ImportJobEvents = {}): Promise<ImportSummary[]> {
  const readsStdin = job.files.includes('-');
  const worker = new Worker(workerScript(import.meta.url, 'import-job-worker'), {
    workerData: job,
    resourceLimits: JOB_HEAP_LIMITS,
    // The worker's process.stdin is fed from this thread's: only this thread owns the real one.
    stdin: readsStdin,
  });
  if (readsStdin && worker.stdin) process.stdin.pipe(worker.stdin);
  const summaries: ImportSummary[] = [];
  let finished = false;
  try {
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (m: ImportJobMessage) => {
        if ('progress' in m) events.progress?.(m.progress.file, m.progress.summary, m.progress.bytesRead);
        else if ('summary' in m) {
          summaries.push(m.summary.summary);
          events.summary?.(m.summary.file, m.summary.summary);
        } else if ('done' in m) {
          finished = true;
          resolve();
        } else {
          finished = true;
          reject(toError(m.failed));
        }
      });
      worker.on('error', reject);
      worker.on('exit', (code) => {
        if (!finished) reject(new Error(`import worker stopped (exit code ${code})`));
      });
    });
  } finally {
    if (readsStdin) process.stdin.unpipe();
    await worker.terminate();
  }
  return summaries;
}

function toError(f: ImportJobFailure): Error {
  if (f.kind === 'config') return new ConfigError(f.message);
  const err = Object.assign(new Error(f.message), {
    ...(f.code !== undefined && { code: f.code }),
    ...(f.path !== undefined && { path: f.path }),
  });
  if (f.stack) err.stack = f.stack;
  return err;
}
