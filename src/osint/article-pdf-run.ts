import { Worker } from 'node:worker_threads';
import { workerScript } from '../worker/worker-script.js';
import type { PdfTextResult } from './article-pdf.js';

export interface PdfReadLimits {
  /** How long a PDF may take to read before the thread is stopped. */
  timeoutMs: number;
  /** The thread's V8 heap cap (MB). */
  maxHeapMb: number;
}

/** A report of 100 pages reads in well under a second here; 30 s is a PDF built to stall. */
export const DEFAULT_PDF_READ_LIMITS: PdfReadLimits = { timeoutMs: 30_000, maxHeapMb: 512 };

export type PdfReadResult =
  | PdfTextResult
  | { ok: false; code: 'too-slow' | 'too-much-memory'; message: string };

/**
 * The text of a PDF (article-pdf.ts), read on a worker thread of its own: a PDF from the open
 * internet may be built to make PDF.js loop or allocate without end, and the console's server
 * must go on answering. The thread is stopped after `timeoutMs` or when it outgrows its heap cap,
 * and the PDF is refused with a message that names `where`.
 */
export function pdfTextOffThread(
  bytes: Uint8Array,
  where = 'the PDF',
  limits: PdfReadLimits = DEFAULT_PDF_READ_LIMITS,
): Promise<PdfReadResult> {
  return new Promise((resolve) => {
    let settled = false;
    const worker = new Worker(workerScript(import.meta.url, 'article-pdf-thread'), {
      workerData: { bytes, where },
      resourceLimits: { maxOldGenerationSizeMb: limits.maxHeapMb },
    });
    const settle = (r: PdfReadResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
      void worker.terminate();
    };
    const timer = setTimeout(
      () =>
        settle({
          ok: false,
          code: 'too-slow',
          message: `${where} took longer than ${Math.round(limits.timeoutMs / 1000)} s to read and was given up: paste its text instead`,
        }),
      limits.timeoutMs,
    );
    worker.once('message', (r: PdfTextResult) => settle(r));
    worker.once('error', (err: Error & { code?: string }) =>
      settle(
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? {
              ok: false,
              code: 'too-much-memory',
              message: `${where} needed more than ${limits.maxHeapMb} MB to read and was given up: paste its text instead`,
            }
          : { ok: false, code: 'corrupt', message: `${where} is not a readable PDF (damaged or truncated)` },
      ),
    );
    worker.once('exit', () =>
      settle({
        ok: false,
        code: 'corrupt',
        message: `${where} is not a readable PDF (damaged or truncated)`,
      }),
    );
  });
}
