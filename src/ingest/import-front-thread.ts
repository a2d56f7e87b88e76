import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { workerScript } from '../worker/worker-script.js';
import { fromWire, type PreparedFrontBatch, type WireBatch } from './front-batch-wire.js';
import type { FrontOptions } from './import-front.js';

/** What the worker is started with. */
export interface FrontWorkerData {
  front: FrontOptions;
  /** The file to read; '-' is standard input. */
  path: string;
  /** Int32 [0]: batches this thread has taken (the worker waits on it); [1]: only slept on. */
  taken: SharedArrayBuffer;
  maxWaiting: number;
  chunkBytes: number;
  /** Where stored batches' buffers come back for reuse. */
  recycled: MessagePort;
}

type Message = { batch: WireBatch; bytesRead: number } | { done: true } | { error: string };

/** Batches the worker may have made that the store has not taken: about two commits' worth. */
const MAX_WAITING = 2;
/**
 * The worker's heap. V8 sizes a heap by how much it may take: unbounded, this worker's grew past
 * 120 MB holding a few megabytes of live data; bounded, it stays near 50 MB at the same speed.
 * The bound leaves room for the largest object an import accepts (16 MiB of JSON by default,
 * a few times that once parsed).
 */
const FRONT_HEAP_LIMITS = { maxOldGenerationSizeMb: 160, maxYoungGenerationSizeMb: 16 };

/**
 * Runs the ImportFront on a worker thread that reads the file itself: it reads, splits, parses,
 * validates and prepares, and its batches come back in input order while this thread stores.
 * The worker reads on its own because this thread, busy in a commit, could not feed it. Memory
 * stays bounded: the worker blocks while MAX_WAITING batches wait here. Stopping early (the
 * store failed) stops the worker.
 */
export async function* frontOnWorker(
  path: string,
  options: FrontOptions,
  chunkBytes: number,
  onBytesRead: (total: number) => void,
): AsyncGenerator<PreparedFrontBatch> {
  const takenBuffer = new SharedArrayBuffer(8);
  const taken = new Int32Array(takenBuffer);
  const recycling = new MessageChannel();
  const data: FrontWorkerData = {
    front: options,
    path,
    taken: takenBuffer,
    maxWaiting: MAX_WAITING,
    chunkBytes,
    recycled: recycling.port2,
  };
  const worker = new Worker(workerScript(import.meta.url, 'import-front-worker'), {
    workerData: data,
    transferList: [recycling.port2],
    resourceLimits: FRONT_HEAP_LIMITS,
  });
  const inbox: Message[] = [];
  let finished = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const changed = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
    });
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  worker.on('message', (m: Message) => {
    inbox.push(m);
    notify();
  });
  worker.on('error', (err) => {
    failure ??= err;
    notify();
  });
  // Messages come before the exit, so a worker that finished has said so by now.
  worker.on('exit', (code) => {
    if (!finished)
      failure ??= new Error(
        code === 0 ? 'import worker ended before its input' : `import worker stopped (exit code ${code})`,
      );
    notify();
  });

  try {
    for (;;) {
      while (inbox.length === 0 && failure === undefined) await changed();
      const m = inbox.shift();
      if (m === undefined) throw failure;
      if ('error' in m) throw new Error(m.error);
      if ('done' in m) return;
      Atomics.add(taken, 0, 1);
      Atomics.notify(taken, 0);
      onBytesRead(m.bytesRead);
      const buffer = m.batch.bytes.buffer as ArrayBuffer;
      const batch = fromWire(m.batch, options.source);
      batch.release = () => {
        if (!finished && buffer.byteLength > 0) recycling.port1.postMessage(buffer, [buffer]);
      };
      yield batch;
    }
  } finally {
    finished = true;
    recycling.port1.close();
    await worker.terminate();
  }
}
