import { CedarEngine } from '../policy/cedar-engine.js';
import { DecisionMemo } from '../policy/decision-memo.js';
import { runReleasePipeline } from '../release/release-pipeline.js';
import { defaultHubPolicy, type HubPolicy } from '../release/release-policy.js';
import { readHubSecret } from './data-dir.js';
import type { Hub } from './hub.js';
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
}

/**
 * What a running hub does on its own: re-run the release pipeline whenever the database
 * changed (new intel, a TAXII submission, an agreement or condition change, another process's
 * writes) or time passed a point where a decision may change (an assurance expiring, an
 * embargo ending), then sign the checkpoint due, if any (also looked for on every tick). Runs
 * on the server's event loop between requests; one pass at a time.
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
    await hub.checkpointIfDue();
    opts.afterPass?.();
    seen = `${await hub.changeVersion()}|${settings.digest}`;
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
    },
    runOnce,
  };
}
