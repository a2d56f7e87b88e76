// A worker thread with its own connection that copies committed WAL frames back into the
// database file while the importing thread goes on writing (see wal-checkpointer.ts).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const port = parentPort;
if (!port) throw new Error('wal-checkpoint-worker runs as a worker thread');
const { path, walPages } = workerData as { path: string; walPages: SharedArrayBuffer };
// [0]: the WAL's size after the last checkpoint; [1]: the last request done. The writer reads
// them without waiting for a message.
const wal = new Int32Array(walPages);
const db = new Database(path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');

port.on('message', (seq: number) => {
  try {
    const r = checkpoint.get() as { busy: number; log: number; checkpointed: number };
    Atomics.store(wal, 0, r.log);
    Atomics.store(wal, 1, seq);
    port.postMessage({ seq, log: r.log, checkpointed: r.checkpointed });
  } catch (err) {
    port.postMessage({ seq, error: (err as Error).message });
  }
});
port.on('close', () => db.close());
