// The pass times of the release-incremental benches, on whichever engine the hub runs: the full
// pass (release run --full) as the baseline, a pass with nothing changed, a pass after 1,000 new
// objects, in one run.
import { randomUUID } from 'node:crypto';
import { readHubSecret } from '../src/app/data-dir.js';
import type { Hub } from '../src/app/hub.js';
import { loadHubPolicy } from '../src/app/hub-policy-load.js';
import { releaseStoresOf } from '../src/app/release-stores.js';
import type { ManualClock } from '../src/clock.js';
import { CedarEngine } from '../src/policy/cedar-engine.js';
import { DecisionMemo } from '../src/policy/decision-memo.js';
import { type PipelineReport, runReleasePipeline } from '../src/release/release-pipeline.js';
import type { JsonObject } from '../src/stix/types.js';
import { report } from './report.js';

export const NEW_OBJECTS = 1000;
export const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** Half new indicators, half relationships from them to the hub's intrusion sets and attack patterns. */
export function newObjects(n: number, targets: string[], at: string): object[] {
  const out: object[] = [];
  for (let i = 0; i < n / 2; i++) {
    const id = `indicator--${randomUUID()}`;
    out.push({
      type: 'indicator',
      spec_version: '2.1',
      id,
      created: at,
      modified: at,
      name: `New infrastructure ${i}`,
      indicator_types: ['malicious-activity'],
      pattern: `[ipv4-addr:value = '203.0.${(i >> 8) % 256}.${i % 256}']`,
      pattern_type: 'stix',
      valid_from: at,
      object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
    });
    out.push({
      type: 'relationship',
      spec_version: '2.1',
      id: `relationship--${randomUUID()}`,
      created: at,
      modified: at,
      relationship_type: 'indicates',
      source_ref: id,
      target_ref: targets[i % targets.length],
      object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
    });
  }
  return out;
}

export async function importObjects(hub: Hub, objects: object[]): Promise<void> {
  for (let i = 0; i < objects.length; i += 250) {
    const batch = objects
      .slice(i, i + 250)
      .map((o) => ({ object: o as JsonObject, json: JSON.stringify(o), source: 'bench' }));
    await hub.objects.putObjects(batch, { actor: 'ivan', source: 'bench' });
  }
}

/** Runs and reports the three pass times on `hub`; `label` names the engine in each metric. */
export async function reportPassTimes(
  bench: string,
  hub: Hub,
  clock: ManualClock,
  label = '',
): Promise<{ base: Parameters<typeof runReleasePipeline>[1]; targets: string[] }> {
  const loaded = loadHubPolicy(hub.paths.dir);
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  const stores = releaseStoresOf(hub);
  const base = {
    actor: 'bench',
    hubSecret: readHubSecret(hub.paths.hubSecret),
    policy: loaded.policy,
    settingsDigest: loaded.digest,
    now: clock.now(),
    // As serve's pass process keeps one across passes: Cedar's schema is parsed once, and an
    // unchanged projection costs no Cedar call.
    memo: new DecisionMemo(new CedarEngine()),
  };
  // CPU time too: on a shared machine the wall time is mostly waiting for a core.
  const timed = async (full: boolean): Promise<{ ms: number; cpuMs: number; r: PipelineReport }> => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = await runReleasePipeline(stores, { ...base, now: clock.now(), ...(full && { full: true }) });
    const c = process.cpuUsage(c0);
    return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, r };
  };
  const first = await timed(true);
  const fullAgain: number[] = [];
  // At the size (SCALE_COPIES 8) a full pass takes minutes: one baseline round there.
  for (let i = 0; i < (first.r.decided > 200_000 ? 1 : 3); i++) fullAgain.push((await timed(true)).ms);
  await timed(false); // sees the last full pass's own writes
  const idle: number[] = [];
  let idleMode = '';
  for (let i = 0; i < 7; i++) {
    const t = await timed(false);
    idle.push(t.ms);
    idleMode = t.r.mode;
  }
  const targets = (
    await hub.state.sql.all<{ id: string }>(
      "SELECT id FROM objects WHERE is_latest AND type IN ('intrusion-set', 'attack-pattern') ORDER BY id LIMIT 200",
    )
  ).map((r) => r.id);
  clock.advance(60_000);
  await importObjects(hub, newObjects(NEW_OBJECTS, targets, clock.now().toISOString()));
  const afterImport = await timed(false);
  const fullMs = median(fullAgain);
  const idleMs = median(idle);
  const on = label ? ` [${label}]` : '';
  report({ bench, metric: `objects x partners${on}`, value: first.r.decided, unit: 'decisions' });
  const rows = await hub.state.sql.all<{ n: number | string }>(
    'SELECT (SELECT count(*) FROM releases) + (SELECT count(*) FROM release_outcomes) AS n',
  );
  report({ bench, metric: `release and outcome rows${on}`, value: Number(rows[0]?.n), unit: 'rows' });
  report({ bench, metric: `first pass (full, writes everything)${on}`, value: first.ms, unit: 'ms' });
  report({ bench, metric: `full pass, nothing changed (baseline)${on}`, value: fullMs, unit: 'ms' });
  report({
    bench,
    metric: `incremental pass, nothing changed (${idleMode})${on}`,
    value: idleMs,
    unit: 'ms',
    baseline: fullMs,
    ratio: idleMs / fullMs,
    target: '< 100 ms',
    met: idleMs < 100,
  });
  report({
    bench,
    metric: `incremental pass after ${NEW_OBJECTS} new objects (${afterImport.r.decided} decisions)${on}`,
    value: afterImport.ms,
    unit: 'ms',
    baseline: fullMs,
    ratio: afterImport.ms / fullMs,
    target: '< 2000 ms',
    met: afterImport.ms < 2000,
  });
  report({
    bench,
    metric: `incremental pass after ${NEW_OBJECTS} new objects, CPU time of this process${on}`,
    value: afterImport.cpuMs,
    unit: 'ms',
  });
  return { base, targets };
}
