import { CedarEngine } from '../policy/cedar-engine.js';
import { DecisionMemo } from '../policy/decision-memo.js';
import { runReleasePipeline } from '../release/release-pipeline.js';
import { defaultHubPolicy, type HubPolicy } from '../release/release-policy.js';
import { readHubSecret } from './data-dir.js';
import type { Hub } from './hub.js';
import { PassThread, type PassThreadData } from './hub-pass-thread.js';
import { releaseStoresOf } from './release-stores.js';

export interface HubWorkerOptions {
  /** How often to look for work, in ms. */
  intervalMs: number;
  /** The settings in force now (they change when serve re-reads them); none when absent. */
  policy?: { current(): { policy: HubPolicy; digest: string } };
  /** Where failures are reported; the worker keeps going. */
  onError: (err: unknown) => void;
  /** Called after each pass that ran (the witness pusher wakes here); must not block. */
  afterPass?: () => void;
  /**
   * Run passes on a worker thread with its own connection to this hub's database (serve does):
   * requests are answered while a pass runs. Without it, passes run on this thread.
   */
  thread?: PassThreadData;
}

/**
 * What a running hub does on its own: re-run the release pipeline whenever the database
 * changed (new intel, a TAXII submission, an agreement or condition change, another process's
 * writes) or time passed a point where a decision may change (an assurance expiring, an
 * embargo ending), then sign the checkpoint due, if any (also looked for on every tick). One
 * pass at a time, on a worker thread when `thread` is given (hub-pass-thread.ts). Passes are
 * incremental (release-pipeline.ts): one with nothing to do costs a few indexed reads.
 */
export interface HubWorker {
  /** Stops the timer; resolves when a pass in flight has finished (then the database may close). */
  stop(): Promise<void>;
  /** One pass now; while a pass runs, resolves with that pass rather than starting another. */
  runOnce(): Promise<void>;
}

export function startHubWorker(hub: Hub, opts: HubWorkerOptions): HubWorker {
  const stores = releaseStoresOf(hub);
  const secret = readHubSecret(hub.paths.hubSecret);
  const fallback = { policy: defaultHubPolicy(), digest: '' };
  let seen = '';
  let lastRunMs = 0;
  // Shared by the passes: a Cedar answer for an unchanged projection is not asked again.
  let memo = new DecisionMemo(new CedarEngine());
  let memoDigest = '';
  const thread = opts.thread && new PassThread(opts.thread);
  const pass = async (): Promise<void> => {
    const now = hub.clock.now();
    const settings = opts.policy?.current() ?? fallback;
    // A change of settings is a change like any other: every item is decided again.
    const version = `${await hub.changeVersion()}|${settings.digest}`;
    // Conditions and embargoes move with time: run at least once a minute even without writes.
    if (version === seen && now.getTime() - lastRunMs < 60_000) {
      // Checkpoints are signed in steps (ledger-checkpoint-steps.ts): look on every tick, so
      // the one due is signed soon after its step begins, whatever else happens.
      await hub.checkpointIfDue();
      return;
    }
    if (settings.digest !== memoDigest) {
      memo = new DecisionMemo(new CedarEngine());
      memoDigest = settings.digest;
    }
    if (thread) {
      const reply = await thread.run(now, settings.digest);
      if (reply.kind === 'failed') throw new Error(reply.message);
      if (reply.kind === 'skipped') return;
      if (reply.kind === 'ran') {
        await finish(now, settings.digest);
        return;
      }
      // settings-differ: the files changed since this hub read them; decide by the ones in force here.
    }
    // Several hub processes on one database: one runs a pass, the others skip theirs.
    const ran = await hub.sql.runExclusive('release-pipeline', () =>
      runReleasePipeline(stores, {
        now,
        actor: 'hub',
        hubSecret: secret,
        policy: settings.policy,
        settingsDigest: settings.digest,
        memo,
      }),
    );
    if (!ran.ran) return;
    await stores.feed.publishDue(now);
    await finish(now, settings.digest);
  };
  const finish = async (now: Date, digest: string) => {
    await hub.checkpointIfDue();
    opts.afterPass?.();
    seen = `${await hub.changeVersion()}|${digest}`;
    lastRunMs = now.getTime();
  };
  let running: Promise<void> | undefined;
  const runOnce = (): Promise<void> => {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => {
    // A pass longer than the interval is not overlapped: the tick finds it running and waits.
    if (running) return;
    runOnce().catch(opts.onError);
  }, opts.intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running?.catch(() => {});
      await thread?.close();
    },
    runOnce,
  };
}
