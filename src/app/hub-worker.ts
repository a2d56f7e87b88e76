import { CedarEngine } from '../policy/cedar-engine.js';
import { DecisionMemo } from '../policy/decision-memo.js';
import { type PipelineReport, runReleasePipeline } from '../release/release-pipeline.js';
import { defaultHubPolicy, type HubPolicy } from '../release/release-policy.js';
import { readHubSecret } from './data-dir.js';
import type { Hub } from './hub.js';
import { PassProcess, type PassProcessData, type PassProcessLimits } from './hub-pass-process.js';
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
   * Run passes in a child process with its own connection to this hub's database (serve does):
   * requests are answered while a pass runs. Without it, passes run on this thread.
   */
  passProcess?: PassProcessData;
  /** The pass process's heap cap and when it is ended to give its memory back (hub-pass-process.ts). */
  passLimits?: PassProcessLimits;
}

/** What a pass asked for at once did: its totals, or that another process's pass held the pipeline. */
export type PassNow = { ran: true; totals: PipelineReport['totals'] } | { ran: false };

/**
 * What a running hub does on its own: re-run the release pipeline whenever the database
 * changed (new intel, a TAXII submission, an agreement or condition change, another process's
 * writes) or time passed a point where a decision may change (an assurance expiring, an
 * embargo ending), then sign the checkpoint due, if any (also looked for on every tick). One
 * pass at a time, in a child process when `passProcess` is given (hub-pass-process.ts). Passes are
 * incremental (release-pipeline.ts): one with nothing to do costs a few indexed reads.
 */
export interface HubWorker {
  /** Stops the timer; resolves when a pass in flight has finished (then the database may close). */
  stop(): Promise<void>;
  /** One pass now; while a pass runs, resolves with that pass rather than starting another. */
  runOnce(): Promise<void>;
  /**
   * A pass asked for (the console's "run the pipeline"): after the one in flight, if any, a pass
   * of its own, in the pass process when there is one, whatever the worker last saw.
   */
  runNow(): Promise<PassNow>;
  /** Pass processes started so far (one is ended after a large pass to give its memory back). */
  passProcessesStarted(): number;
  /** The running pass process's id, if one runs. */
  passProcessPid(): number | undefined;
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
  const thread = opts.passProcess && new PassProcess(opts.passProcess, opts.passLimits);
  const pass = async (asked = false): Promise<PassNow | undefined> => {
    const now = hub.clock.now();
    const settings = opts.policy?.current() ?? fallback;
    // A change of settings is a change like any other: every item is decided again.
    const version = `${await hub.changeVersion()}|${settings.digest}`;
    // Conditions and embargoes move with time: run at least once a minute even without writes.
    if (!asked && version === seen && now.getTime() - lastRunMs < 60_000) {
      // Checkpoints are signed in steps (ledger-checkpoint-steps.ts): look on every tick, so
      // the one due is signed soon after its step begins, whatever else happens.
      await hub.checkpointIfDue();
      return undefined;
    }
    if (settings.digest !== memoDigest) {
      memo = new DecisionMemo(new CedarEngine());
      memoDigest = settings.digest;
    }
    if (thread) {
      const reply = await thread.run(now, settings.digest);
      if (reply.kind === 'failed') throw new Error(reply.message);
      if (reply.kind === 'skipped') return { ran: false };
      if (reply.kind === 'ran') {
        await finish(now, settings.digest);
        return { ran: true, totals: reply.totals };
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
    if (!ran.ran) return { ran: false };
    await stores.feed.publishDue(now);
    await finish(now, settings.digest);
    return { ran: true, totals: ran.result.totals };
  };
  const finish = async (now: Date, digest: string) => {
    await hub.checkpointIfDue();
    opts.afterPass?.();
    seen = `${await hub.changeVersion()}|${digest}`;
    lastRunMs = now.getTime();
  };
  let running: Promise<PassNow | undefined> | undefined;
  // The same pass as runOnce's callers see it: one promise per pass, so a second call joins it.
  let runningVoid: Promise<void> | undefined;
  const start = (asked: boolean) => {
    const p = pass(asked).finally(() => {
      if (running === p) {
        running = undefined;
        runningVoid = undefined;
      }
    });
    running = p;
    runningVoid = p.then(() => {});
    // Its failure reaches runOnce's callers; runNow's callers see it through `p`.
    runningVoid.catch(() => {});
    return p;
  };
  const runOnce = (): Promise<void> => {
    // Its failure reaches the caller through runningVoid.
    if (!running) void start(false);
    return runningVoid as Promise<void>;
  };
  let stopped = false;
  const runNow = async (): Promise<PassNow> => {
    // The pass in flight may have read the store before the change the user asks about.
    while (running) await running.catch(() => {});
    // Stopping: the pass process is closed and must not be started again.
    if (stopped) return { ran: false };
    return (await start(true)) ?? { ran: false };
  };
  const timer = setInterval(() => {
    // A pass longer than the interval is not overlapped: the tick finds it running and waits.
    if (running) return;
    runOnce().catch(opts.onError);
  }, opts.intervalMs);
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => {});
      await thread?.close();
    },
    runOnce,
    runNow,
    passProcessesStarted: () => thread?.started ?? 0,
    passProcessPid: () => thread?.pid,
  };
}
