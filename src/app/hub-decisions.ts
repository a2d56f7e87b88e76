import type { DecisionMemo } from '../policy/decision-memo.js';
import { type LatestObjects, latestObjectsOf, ObjectCache } from '../release/release-closure.js';
import type { HubPolicy } from '../release/release-policy.js';
import { DecisionRound } from '../release/release-terms.js';
import { readHubSecret } from './data-dir.js';
import type { Hub } from './hub.js';

/** A round of decisions on this hub at `now`, by `policy`: the one way every surface decides. */
export function openDecisionRound(
  hub: Hub,
  policy: HubPolicy,
  now: Date,
  memo?: DecisionMemo,
): Promise<DecisionRound> {
  return DecisionRound.open(
    {
      stores: hub.state,
      policy,
      hubSecret: readHubSecret(hub.paths.hubSecret),
      hubName: hub.config.hub_name,
    },
    now,
    memo,
  );
}

/** The objects a request decides, read from the hub's store once each. */
export function objectCacheOf(hub: Hub, round: DecisionRound, read?: LatestObjects): ObjectCache {
  return new ObjectCache(round, read ?? latestObjectsOf(hub.state.sql));
}
