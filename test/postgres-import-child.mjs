// One hub process of the concurrency test (test/postgres-concurrency.test.ts): waits for 'go' on
// stdin so that all processes start together, stores its batches, prints one JSON line per batch.
// Runs the compiled adapter (test/global-setup.ts builds dist/ before the tests).
import { once } from 'node:events';
import { openPgHub } from '../dist/src/app/hub-postgres.js';
import { systemClock } from '../dist/src/clock.js';
import { createSigner } from '../dist/src/ledger/ledger-note.js';

const [url, schema, worker, batchesArg, sizeArg, keySeedHex] = process.argv.slice(2);
// Every hub process signs with the same ledger key: what a deployment must share.
const made = createSigner('hub.test', Buffer.from(keySeedHex, 'hex'));
if (!made.ok) throw new Error(made.message);
const batches = Number(batchesArg);
const size = Number(sizeArg);
const hex = (n, w) => n.toString(16).padStart(w, '0');

const opened = await openPgHub(url, systemClock, { schema, max: 2 });
if (!opened.ok) {
  process.stderr.write(`${opened.error.message}\n`);
  process.exit(1);
}
const store = opened.hub.objects;
process.stdout.write('ready\n');
await once(process.stdin, 'data');

for (let b = 0; b < batches; b++) {
  const batch = [];
  for (let i = 0; i < size; i++) {
    // Objects only this process stores.
    const value = `10.${worker}.${b}.${i}`;
    batch.push({
      type: 'ipv4-addr',
      spec_version: '2.1',
      id: `ipv4-addr--${hex(Number(worker), 8)}-${hex(b, 4)}-4000-8000-${hex(i, 12)}`,
      value,
    });
  }
  // The same object in every process's batch b: stored once, a duplicate everywhere else.
  batch.push({
    type: 'domain-name',
    spec_version: '2.1',
    id: `domain-name--00000000-${hex(b, 4)}-4000-8000-000000000000`,
    value: `shared-${b}.example`,
  });
  // Versions of one indicator from every process, out of order: one latest at the end.
  batch.push({
    type: 'indicator',
    spec_version: '2.1',
    id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
    created: '2024-01-01T00:00:00.000Z',
    modified: `2024-01-01T00:${String((b * 7 + Number(worker)) % 60).padStart(2, '0')}:${String(Number(worker)).padStart(2, '0')}.000Z`,
    pattern: "[ipv4-addr:value = '198.51.100.1']",
    pattern_type: 'stix',
    valid_from: '2024-01-01T00:00:00Z',
  });
  const results = await store.putObjects(
    batch.map((object) => ({ object, json: JSON.stringify(object), source: `worker-${worker}` })),
    { actor: `importer-${worker}`, source: `file:worker-${worker}-batch-${b}.json` },
  );
  if (b % 8 === 7) {
    const cp = await opened.hub.checkpoints.checkpoint(new Date(), made.signer);
    if (!cp.ok) throw new Error(cp.message);
  }
  process.stdout.write(
    `${JSON.stringify(results.map((r) => [r.outcome, r.id, r.version, r.addedUs ?? null]))}\n`,
  );
}
const signed = await opened.hub.checkpoints.checkpoint(new Date(), made.signer);
if (!signed.ok) throw new Error(signed.message);
await opened.hub.close();
