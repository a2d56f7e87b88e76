import type { DecisionMemo } from '../policy/decision-memo.js';
import { type LatestObjects, latestObjectsOf, ObjectCache } from '../release/release-closure.js';
import type { DecisionInput } from '../release/release-decision.js';
import type { HubPolicy } from '../release/release-policy.js';
import { DecisionRound } from '../release/release-terms.js';
import type { JsonObject } from '../stix/types.js';
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
  return new ObjectCache(round, read ?? latestObjectsOf(hub.state.reads));
}

/** Rows per read when every latest object is decided: memory per read stays bounded. */
const PAGE = 2000;

/** Every latest object on the hub, read a page at a time and projected once by `round`. */
export async function readLatestInputs(hub: Hub, round: DecisionRound): Promise<DecisionInput[]> {
  const inputs: DecisionInput[] = [];
  for (let after = -1; ; ) {
    const rows = await hub.state.sql.all<{ added_us: number; json: string }>(
      'SELECT added_us, json FROM objects WHERE is_latest AND added_us > ? ORDER BY added_us LIMIT ?',
      [after, PAGE],
    );
    for (const r of rows) inputs.push(round.input(JSON.parse(r.json) as JsonObject));
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) return inputs;
    after = last.added_us;
  }
}
