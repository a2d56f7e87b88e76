// `tearline import` on a worker thread with a bounded heap (see import-job.ts).
import { statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { FRONT_THREAD_MIN_BYTES, importStream } from '../ingest/import-stream.js';
import { ConfigError } from './data-dir.js';
import { openHubAt } from './hub-open.js';
import type { ImportJob, ImportJobMessage } from './import-job.js';

const port = parentPort;
if (!port) throw new Error('import-job-worker runs as a worker thread');
const job = workerData as ImportJob;
const post = (m: ImportJobMessage) => port.postMessage(m);

try {
  const hub = await openHubAt(job.hub);
  try {
    for (const file of job.files) {
      const size = file === '-' ? undefined : statSync(file).size;
      const summary = await importStream({ path: file }, hub.objects, {
        source: file === '-' ? 'stdin' : `file:${file}`,
        actor: job.actor,
        maxObjectBytes: hub.config.max_object_bytes,
        strict: job.strict,
        // Standard input comes through this thread's process.stdin, so it is read here.
        frontThread: size !== undefined && size >= FRONT_THREAD_MIN_BYTES,
        ...(size === undefined ? {} : { inputBytes: size }),
        ...(job.progress
          ? { onProgress: (s, bytesRead) => post({ progress: { file, summary: s, bytesRead } }) }
          : {}),
      });
      post({ summary: { file, summary } });
    }
    await hub.checkpointIfDue();
  } finally {
    await hub.close();
  }
  post({ done: true });
} catch (err) {
  const e = err instanceof Error ? err : new Error(String(err));
  post({
    failed:
      e instanceof ConfigError
        ? { kind: 'config', message: e.message }
        : { kind: 'internal', message: e.message, ...(e.stack ? { stack: e.stack } : {}) },
  });
}
