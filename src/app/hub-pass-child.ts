// The release pass in a child process of serve, with its own database connection (see
// hub-pass-process.ts). It takes orders only over the IPC channel from the process that forked it.
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import type { Clock } from '../clock.js';
import { CedarEngine } from '../policy/cedar-engine.js';
import { DecisionMemo } from '../policy/decision-memo.js';
import { runReleasePipeline } from '../release/release-pipeline.js';
import { readHubSecret } from './data-dir.js';
import type { Hub } from './hub.js';
import { openHubAt } from './hub-open.js';
import { PASS_PROCESS_NICE, type PassMessage, type PassReply, type PassRequest } from './hub-pass-process.js';
import { loadHubPolicy } from './hub-policy-load.js';
import { releaseStoresOf } from './release-stores.js';

if (!process.send) throw new Error('hub-pass-child runs as a child process of serve');
const send = (m: PassReply) => process.send?.(m);

lowerPriority();
// serve decides when this process stops: a Ctrl-C or SIGTERM sent to the whole process group
// must not cut a pass short while serve drains; serve closes it after that (or the channel
// closes when serve dies, and then it exits at once).
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
process.on('disconnect', () => process.exit(0));

// Every request names its instant (the serving hub's clock, which tests move).
let now = new Date();
const clock: Clock = { now: () => now };
let opened: Promise<Hub> | undefined;
let memo = new DecisionMemo(new CedarEngine());
let memoDigest = '';

async function pass(req: PassRequest): Promise<PassReply> {
  if (!opened) throw new Error('pass asked before the hub was opened');
  const hub = await opened;
  const stores = releaseStoresOf(hub);
  now = new Date(req.now);
  // The process reads the settings itself (they hold functions, which no message carries); it
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
      hubSecret: readHubSecret(hub.paths.hubSecret),
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

process.on('message', (m: PassMessage) => {
  if (m.kind === 'open') {
    opened = openHubAt({ data: m.where.data, db: m.where.db }, clock);
    opened.then(
      () => send({ id: 0, kind: 'ready' }),
      (err: unknown) => {
        process.stderr.write(`release pass process: ${(err as Error).message ?? String(err)}\n`);
        process.exit(1);
      },
    );
    return;
  }
  if (m.kind === 'close') {
    void Promise.resolve(opened?.then((hub) => hub.close()))
      .catch(() => {})
      .finally(() => process.exit(0));
    return;
  }
  pass(m).then(send, (err: unknown) =>
    send({ id: m.id, kind: 'failed', message: (err as Error).message ?? String(err) }),
  );
});

/**
 * Linux sets a nice value per thread, and V8 started its helper threads (the garbage
 * collector's among them) before this code ran: lower every thread of this process, so the
 * serving process gets the CPU first. Threads started later inherit it. Elsewhere the process's
 * own priority is set; where neither is permitted the pass runs at serve's priority.
 */
function lowerPriority(): void {
  try {
    for (const tid of readdirSync('/proc/self/task')) setPriority(Number(tid), PASS_PROCESS_NICE);
    return;
  } catch {
    // Not Linux, or not permitted.
  }
  try {
    setPriority(PASS_PROCESS_NICE);
  } catch {
    // Not permitted: the pass runs at serve's priority.
  }
}
