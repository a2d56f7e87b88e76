// The recipient's side of relay-pull.test.ts's kill -9 test, in a process of its own: pulls from a
// relay into the hub in DATA (SQLite, or PostgreSQL when DB-URL is given) and, once envelope STOP
// has been imported but not yet recorded (inside their one transaction), says so on stdout and
// blocks until it is killed. Runs the compiled code (test/global-setup.ts builds dist/).
import { dataDirPaths, readConfig, resolveDataDir } from '../dist/src/app/data-dir.js';
import { openHub } from '../dist/src/app/hub.js';
import { openPgServedHub } from '../dist/src/app/hub-postgres.js';
import { pullFromRelay } from '../dist/src/app/relay-pull.js';
import { systemClock } from '../dist/src/clock.js';
import { parseVerifierKey } from '../dist/src/ledger/ledger-note.js';

const [data, relayUrl, token, senderKey, stop, dbUrl] = process.argv.slice(2);
const key = parseVerifierKey(senderKey);
if (!key.ok) {
  process.stderr.write(`${key.message}\n`);
  process.exit(2);
}
const hub = dbUrl
  ? await openPgServedHub(
      dataDirPaths(resolveDataDir(data)),
      readConfig(dataDirPaths(resolveDataDir(data))),
      dbUrl,
      systemClock,
    )
  : openHub(data);
await pullFromRelay(hub, relayUrl, token, key.verifier, 'test-analyst', {
  afterImport(sequence) {
    if (sequence !== Number(stop)) return;
    // Writes to a pipe are synchronous on Linux: the parent has the line before this blocks.
    process.stdout.write(`imported ${sequence}\n`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  },
});
process.stdout.write('finished without being killed\n');
