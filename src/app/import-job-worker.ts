// `tearline import` on a worker thread with a bounded heap (see import-job.ts).
import { statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { FRONT_THREAD_MIN_BYTES, importStream } from '../ingest/import-stream.js';
import { loadMarkingCatalogs } from '../release/release-facts.js';
import { type ImportMarking, parseImportMarking } from '../stix/markings-import.js';
import { StorageOpenError } from '../store/storage-fault.js';
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
    let marking: ImportMarking | undefined;
    if (job.marking !== undefined) {
      const { statements } = await loadMarkingCatalogs(hub.state.reads);
      const parsed = parseImportMarking(job.marking, new Set(statements.keys()));
      if (!parsed.ok) throw new ConfigError(`--marking: ${parsed.message}`);
      marking = parsed.marking;
    }
    for (const file of job.files) {
      const size = file === '-' ? undefined : statSync(file).size;
      const summary = await importStream({ path: file }, hub.objects, {
        source: file === '-' ? 'stdin' : `file:${file}`,
        actor: job.actor,
        maxObjectBytes: hub.config.max_object_bytes,
        strict: job.strict,
        ...(marking && { marking }),
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
  const { code, path } = e as { code?: unknown; path?: unknown };
  post({
    failed:
      e instanceof ConfigError || e instanceof StorageOpenError
        ? { kind: 'config', message: e.message }
        : {
            kind: 'internal',
            message: e.message,
            ...(e.stack ? { stack: e.stack } : {}),
            ...(typeof code === 'string' && { code }),
            ...(typeof path === 'string' && { path }),
          },
  });
}
