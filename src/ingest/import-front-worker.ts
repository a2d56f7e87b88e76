// The front half of a large import (read, split, parse, validate, prepare for the store) on a
// thread of its own, so the importing thread only writes. Protocol: see import-front-thread.ts.
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { WireArena, type WireItem } from './front-batch-wire.js';
import { type FrontBatch, ImportFront } from './import-front.js';
import type { FrontWorkerData } from './import-front-thread.js';

const port = parentPort;
if (!port) throw new Error('import-front-worker runs as a worker thread');
const {
  front: options,
  path,
  taken: takenBuffer,
  maxWaiting,
  chunkBytes,
  recycled,
} = workerData as FrontWorkerData;
const taken = new Int32Array(takenBuffer);
// Each accepted object goes into the arena at once: the parsed object dies young.
const arena = new WireArena();
const front = new ImportFront(options, arena.keep);
/** Large enough for most batches of a thousand objects, so buffers are rarely too small to reuse. */
const MIN_BATCH_BUFFER = 1024 * 1024;
let sent = 0;
let bytesRead = 0;

/** Blocks this thread while the importing thread has `maxWaiting` batches it has not taken. */
function waitForRoom(): void {
  for (;;) {
    const t = Atomics.load(taken, 0);
    if (sent - t < maxWaiting) return;
    // The timeout only bounds how long a stop (terminate) can wait on a blocked thread.
    Atomics.wait(taken, 0, t, 200);
  }
}

/** Buffers the importing thread has stored and sent back, ready for another batch. */
const spare: ArrayBuffer[] = [];

/**
 * A buffer for a batch's JSON: one sent back if one is large enough, else a new one. Reusing
 * them keeps memory flat: a new buffer per batch would leave tens of megabytes of dead ones
 * between collections.
 */
function allocate(bytes: number): Buffer {
  for (let m = receiveMessageOnPort(recycled); m; m = receiveMessageOnPort(recycled))
    spare.push(m.message as ArrayBuffer);
  const i = spare.findIndex((b) => b.byteLength >= bytes);
  const found = i >= 0 ? spare.splice(i, 1)[0] : undefined;
  return found ? Buffer.from(found) : Buffer.allocUnsafeSlow(Math.max(bytes, MIN_BATCH_BUFFER));
}

function send(batches: Iterable<FrontBatch<WireItem>>): void {
  for (const b of batches) {
    waitForRoom();
    const wire = arena.take(b, allocate);
    port?.postMessage(
      { batch: wire, bytesRead },
      wire.bytes.byteLength > 0 ? [wire.bytes.buffer as ArrayBuffer] : [],
    );
    sent++;
  }
}

/** Reads like readSync, waiting when standard input is a non-blocking pipe with nothing yet. */
function read(fd: number, buf: Buffer): number {
  for (;;) {
    try {
      return readSync(fd, buf, 0, buf.length, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(taken, 1, 0, 5);
    }
  }
}

try {
  const fd = path === '-' ? 0 : openSync(path, 'r');
  try {
    // One buffer for every read: the splitter copies what it keeps of a chunk.
    const buf = Buffer.allocUnsafeSlow(chunkBytes);
    for (;;) {
      const n = read(fd, buf);
      if (n === 0) break;
      bytesRead += n;
      send(front.push(buf.subarray(0, n)));
    }
  } finally {
    if (fd !== 0) closeSync(fd);
  }
  send(front.finish());
  port.postMessage({ done: true });
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  port.postMessage({ error: e.code === 'ENOENT' ? `${path}: no such file` : e.message });
}
