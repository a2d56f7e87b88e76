import { createHash } from 'node:crypto';
import type { JsonObject } from '../stix/types.js';
import type { PassObjectRow } from '../store/hub/release-pass-reads.js';
import type { PassReads } from '../store/read-ports.js';
import { dependencyRefsOf } from '../tearline/tearline-batch.js';
import type { DecisionInput, ReleaseTerms } from './release-decision.js';
import type { MarkingCatalogs } from './release-facts.js';
import type { DecisionRound } from './release-terms.js';

/** Objects to decide, in store order, with what the pass records of each. */
export interface PassBatch {
  inputs: DecisionInput[];
  stored: Map<string, { version: string; author: string | null }>;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function batchOf(round: DecisionRound, rows: readonly PassObjectRow[]): PassBatch {
  const inputs: DecisionInput[] = [];
  const stored = new Map<string, { version: string; author: string | null }>();
  for (const r of rows) {
    inputs.push(round.input(JSON.parse(r.json) as JsonObject));
    stored.set(r.id, { version: r.version, author: r.imported_by });
  }
  return { inputs, stored };
}

/** Every latest object, in store order: what a full pass decides. */
export async function loadEveryObject(reads: PassReads, round: DecisionRound): Promise<PassBatch> {
  return batchOf(round, await reads.latestObjectRows());
}

/** The latest versions of `ids` (those the hub holds), in store order, and nothing they reach. */
export async function loadObjects(
  reads: PassReads,
  round: DecisionRound,
  ids: Iterable<string>,
): Promise<PassBatch> {
  const rows = await reads.latestObjectRowsOf([...new Set(ids)]);
  return batchOf(
    round,
    rows.sort((a, b) => Number(a.added_us) - Number(b.added_us)),
  );
}

/** Which of `ids` the hub holds a latest version of. */
export async function heldAmong(reads: PassReads, ids: readonly string[]): Promise<Set<string>> {
  return new Set((await reads.latestObjectRowsOf(ids)).map((r) => r.id));
}

/** The objects a batch's members reference (through dependencyRefsOf) that are not in it. */
export function referencesOutside(batch: PassBatch): string[] {
  const out = new Set<string>();
  for (const { object } of batch.inputs)
    for (const ref of dependencyRefsOf(object)) if (!batch.stored.has(ref)) out.add(ref);
  return [...out];
}

/**
 * The latest versions of `ids` and of everything they reach through the references their
 * tearline depends on (dependencyRefsOf), in store order. Deciding a set closed this way gives
 * each member the answer a pass over the whole store gives it (release-decision.ts).
 */
export async function loadClosure(
  reads: PassReads,
  round: DecisionRound,
  ids: Iterable<string>,
): Promise<PassBatch> {
  const found = new Map<string, PassObjectRow>();
  const asked = new Set<string>(ids);
  let frontier = [...asked];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const r of await reads.latestObjectRowsOf(frontier)) {
      found.set(r.id, r);
      for (const ref of dependencyRefsOf(JSON.parse(r.json) as JsonObject)) {
        if (asked.has(ref)) continue;
        asked.add(ref);
        next.push(ref);
      }
    }
    frontier = next;
  }
  const rows = [...found.values()].sort((a, b) => Number(a.added_us) - Number(b.added_us));
  return batchOf(round, rows);
}

/** Ids of objects whose latest version was stored in (afterUs, uptoUs]. */
export function objectsChangedBetween(reads: PassReads, afterUs: number, uptoUs: number): Promise<string[]> {
  return reads.latestIdsStoredBetween(afterUs, uptoUs);
}

/**
 * `ids` and every latest object whose tearline depends on one of them, directly or through
 * others (incoming references): an object's answer changes when something it reaches changes.
 */
export async function withDependents(reads: PassReads, ids: readonly string[]): Promise<Set<string>> {
  const seen = new Set(ids);
  let frontier = [...seen];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const id of await reads.directDependentIds(frontier)) {
      if (seen.has(id)) continue;
      seen.add(id);
      next.push(id);
    }
    frontier = next;
  }
  return seen;
}

/** The statement definitions the copies carry: a change re-decides every partner. */
export function catalogsKeyOf(catalogs: MarkingCatalogs): string {
  return sha256(JSON.stringify([...catalogs.statements].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

function setKey(set: ReadonlySet<string> | undefined): string {
  return set === undefined ? '-' : sha256([...set].sort().join('\n'));
}

/** The parts of a partner's pass key: its terms, and each scope set on its own. */
export interface PartnerPassKey {
  /** Hub settings, marking catalogue and the decider's state (agreement, conditions, policies). */
  terms: string;
  neighbourhood: string;
  locations: string;
}

/**
 * Everything one partner's decisions depend on besides the objects themselves: the hub settings,
 * the marking catalogue, the decider's state (agreement, conditions, policies) and the scope's
 * neighbourhood and location sets. Equal keys and unchanged objects mean unchanged decisions;
 * equal terms with a changed set mean only the objects that entered or left it changed.
 */
export function partnerPassKey(
  settingsKey: string,
  catalogsKey: string,
  terms: ReleaseTerms,
): PartnerPassKey {
  const facts = terms.decider.facts;
  return {
    terms: sha256(JSON.stringify([settingsKey, catalogsKey, terms.decider.stateKey])),
    neighbourhood: setKey(facts.neighbourhood),
    locations: setKey(facts.locations),
  };
}

// k3: outcomes carry what references to them resolve to (outcome-references.ts); a key of an
// older format makes the next pass a full one, which records them for every object.
const KEY_FORMAT = 'k3';

/** The stored form of a pass key (release_pass_state.state_key). */
export function formatPassKey(k: PartnerPassKey): string {
  return [KEY_FORMAT, k.terms, k.neighbourhood, k.locations].join('|');
}

/** A stored pass key; undefined for none or one in an older format (the pass then decides everything). */
export function parsePassKey(stored: string | undefined): PartnerPassKey | undefined {
  const parts = stored?.split('|');
  if (parts?.length !== 4 || parts[0] !== KEY_FORMAT) return undefined;
  const [, terms, neighbourhood, locations] = parts as [string, string, string, string];
  return { terms, neighbourhood, locations };
}

/** What entered and what left a set. */
export interface SetChange {
  entered: string[];
  left: string[];
}

export function setChange(before: ReadonlySet<string>, after: ReadonlySet<string>): SetChange {
  const entered: string[] = [];
  const left: string[] = [];
  for (const id of after) if (!before.has(id)) entered.push(id);
  for (const id of before) if (!after.has(id)) left.push(id);
  return { entered, left };
}

/** The earlier of two optional ISO instants. */
export function earlierOf(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Date.parse(a) <= Date.parse(b) ? a : b;
}
