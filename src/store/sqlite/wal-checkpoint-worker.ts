// A worker thread with its own connection that copies committed WAL frames back into the
// database file while the importing thread goes on writing (see wal-checkpointer.ts).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const port = parentPort;
if (!port) throw new Error('wal-checkpoint-worker runs as a worker thread');
const db = new Database((workerData as { path: string }).path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');

port.on('message', (seq: number) => {
  try {
    const r = checkpoint.get() as { busy: number; log: number; checkpointed: number };
    port.postMessage({ seq, log: r.log, checkpointed: r.checkpointed });
  } catch (err) {
    port.postMessage({ seq, error: (err as Error).message });
  }
});
port.on('close', () => db.close());
