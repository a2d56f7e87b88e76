// The release pass on a worker thread with its own database connection (see hub-pass-thread.ts).
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { Clock } from '../clock.js';
import { CedarEngine } from '../policy/cedar-engine.js';
import { DecisionMemo } from '../policy/decision-memo.js';
import { runReleasePipeline } from '../release/release-pipeline.js';
import { readHubSecret } from './data-dir.js';
import { openHubAt } from './hub-open.js';
import {
  PASS_THREAD_NICE,
  type PassReply,
  type PassRequest,
  type PassThreadData,
} from './hub-pass-thread.js';
import { loadHubPolicy } from './hub-policy-load.js';
import { releaseStoresOf } from './release-stores.js';

const port = parentPort;
if (!port) throw new Error('hub-pass-worker runs as a worker thread');
// On Linux a priority set with pid 0 is this thread's alone: with fewer cores than busy threads,
// requests on the serving thread get the CPU first and the pass takes what is left.
try {
  setPriority(PASS_THREAD_NICE);
} catch {
  // Not permitted or not supported: the pass runs at the serving thread's priority.
}
const where = workerData as PassThreadData;
// Every request names its instant (the serving hub's clock, which tests move).
let now = new Date();
const clock: Clock = { now: () => now };
const hub = await openHubAt({ data: where.data, db: where.db }, clock);
const stores = releaseStoresOf(hub);
const secret = readHubSecret(hub.paths.hubSecret);
let memo = new DecisionMemo(new CedarEngine());
let memoDigest = '';

async function pass(req: PassRequest): Promise<PassReply> {
  now = new Date(req.now);
  // The thread reads the settings itself (they hold functions, which no message carries); it
  // runs only by the ones the serving hub has in force, else that hub runs the pass itself.
  const loaded = loadHubPolicy(hub.paths.dir);
  const digest = loaded.ok ? loaded.digest : undefined;
  if (!loaded.ok || digest !== req.settingsDigest) return { id: req.id, kind: 'settings-differ' };
  if (digest !== memoDigest) {
    memo = new DecisionMemo(new CedarEngine());
    memoDigest = digest;
  }
  const ran = await hub.sql.runExclusive('release-pipeline', () =>
    runReleasePipeline(stores, {
      now,
      actor: 'hub',
      hubSecret: secret,
      policy: loaded.policy,
      settingsDigest: digest,
      memo,
    }),
  );
  if (!ran.ran) return { id: req.id, kind: 'skipped' };
  await stores.feed.publishDue(now);
  const { mode, decided, totals } = ran.result;
  return { id: req.id, kind: 'ran', mode, decided, totals };
}

port.on('message', (req: PassRequest | 'close') => {
  if (req === 'close') {
    void Promise.resolve(hub.close())
      .catch(() => {})
      .finally(() => port.close());
    return;
  }
  pass(req).then(
    (reply) => port.postMessage(reply),
    (err: unknown) =>
      port.postMessage({ id: req.id, kind: 'failed', message: (err as Error).message ?? String(err) }),
  );
});
port.postMessage({ id: 0, kind: 'ready' } satisfies PassReply);
