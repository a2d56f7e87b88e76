import type { OperatorPolicies } from '../policy/operator-policy.js';
import { runReleasePipeline } from '../release/release-pipeline.js';
import type { TlpLevel } from '../stix/markings-tlp.js';
import { readHubSecret } from './data-dir.js';
import type { Hub } from './hub.js';
import { releaseStoresOf } from './release-stores.js';

export interface HubWorkerOptions {
  /** How often to look for work, in ms. */
  intervalMs: number;
  untaggedTlp?: TlpLevel;
  operator?: Extract<OperatorPolicies, { ok: true }>;
  /** Where failures are reported; the worker keeps going. */
  onError: (err: unknown) => void;
}

/**
 * What a running hub does on its own: re-run the release pipeline whenever the database
 * changed (new intel, a TAXII submission, an agreement or condition change, another process's
 * writes) or time passed a point where a decision may change (an assurance expiring, an
 * embargo ending), then sign a checkpoint if entries wait. Runs on the server's event loop
 * between requests; one pass at a time.
 */
export function startHubWorker(hub: Hub, opts: HubWorkerOptions): { stop(): void; runOnce(): void } {
  const stores = releaseStoresOf(hub);
  const secret = readHubSecret(hub.paths.hubSecret);
  // data_version moves when another connection commits, total_changes when this one writes.
  const changesStmt = hub.db.prepare('SELECT total_changes()').pluck();
  const dataVersion = () =>
    Number(hub.db.pragma('data_version', { simple: true })) * 1e9 + Number(changesStmt.get());
  let seen = -1;
  let lastRunMs = 0;
  const runOnce = () => {
    const now = hub.clock.now();
    const version = dataVersion();
    // Conditions and embargoes move with time: run at least once a minute even without writes.
    if (version === seen && now.getTime() - lastRunMs < 60_000) return;
    runReleasePipeline(stores, {
      now,
      actor: 'hub',
      hubSecret: secret,
      ...(opts.untaggedTlp && { untaggedTlp: opts.untaggedTlp }),
      ...(opts.operator && { operator: opts.operator }),
    });
    stores.feed.publishDue(now);
    hub.checkpointIfDue();
    seen = dataVersion();
    lastRunMs = now.getTime();
  };
  const timer = setInterval(() => {
    try {
      runOnce();
    } catch (err) {
      opts.onError(err);
    }
  }, opts.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), runOnce };
}
