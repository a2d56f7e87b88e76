import type { Agreement, ConditionKind } from './agreement-types.js';
import { evaluateConditions } from './condition-evaluate.js';
import type { ConditionFacts, ConditionStatus } from './condition-types.js';

/** One stretch of time over which a condition kept one status. */
export interface ConditionInterval {
  condition: string;
  kind: ConditionKind;
  title: string;
  status: ConditionStatus;
  /** ISO 8601; `to` is absent for the stretch still running at the end of the history. */
  from: string;
  to?: string;
  /** Why, at the start of the stretch (the evaluator's words). */
  reason: string;
  /**
   * For a stretch still running and met: when it lapses with no further event (an assurance's
   * expiry, a review falling due), as the conditions stand at the end of the history.
   */
  lapses_at?: string;
}

export interface ConditionHistoryInput {
  /** The partner's agreement versions, oldest first, each with when it was set. */
  versions: readonly { set_at: string; body: Agreement }[];
  /** When anything the facts are made of changed (condition events, feedback received), epoch ms. */
  changesMs: readonly number[];
  /** The facts as they stood at `ms`, for an agreement version set at `setAtMs`. */
  factsAt(ms: number, setAtMs: number): ConditionFacts;
  /** The end of the history (now), epoch ms. */
  toMs: number;
}

/** Most evaluations one history makes: a guard against a pathological list of changes. */
export const MAX_HISTORY_STEPS = 20_000;

/**
 * Every condition's status over time, from the first agreement version to `toMs`: the
 * conditions are evaluated at each instant something changed (a version set, an event, feedback)
 * and wherever the evaluator says a status changes by itself (an assurance expiring, a review
 * falling due, a reciprocity window lapsing). A pure function of its input; adjacent stretches
 * with one status are merged. `truncated` is true when MAX_HISTORY_STEPS ran out first.
 */
export function buildConditionHistory(input: ConditionHistoryInput): {
  intervals: ConditionInterval[];
  truncated: boolean;
} {
  const versions = input.versions.map((v) => ({ at: Date.parse(v.set_at), body: v.body }));
  const first = versions[0];
  if (!first) return { intervals: [], truncated: false };
  const breaks = [...new Set([...versions.map((v) => v.at), ...input.changesMs])]
    .filter((ms) => ms > first.at && ms <= input.toMs)
    .sort((a, b) => a - b);
  const open = new Map<string, ConditionInterval>();
  const done: ConditionInterval[] = [];
  let t = first.at;
  let b = 0;
  let steps = 0;
  while (t < input.toMs && steps++ < MAX_HISTORY_STEPS) {
    const version = versions.filter((v) => v.at <= t).at(-1) ?? first;
    const states = evaluateConditions(version.body, input.factsAt(t, version.at), t);
    const seen = new Set<string>();
    let next = input.toMs;
    for (const s of states) {
      seen.add(s.id);
      const current = open.get(s.id);
      if (!current || current.status !== s.status || current.kind !== s.kind) {
        if (current) done.push({ ...current, to: iso(t) });
        open.set(s.id, {
          condition: s.id,
          kind: s.kind,
          title: s.title,
          status: s.status,
          from: iso(t),
          reason: s.reason,
        });
      }
      const changes = s.changes_at === undefined ? Number.NaN : Date.parse(s.changes_at);
      if (changes > t && changes < next) next = changes;
    }
    // A condition a new agreement version dropped ends where the version begins.
    for (const [id, current] of open) {
      if (seen.has(id)) continue;
      done.push({ ...current, to: iso(t) });
      open.delete(id);
    }
    while (b < breaks.length && (breaks[b] as number) <= t) b++;
    const nextBreak = breaks[b];
    if (nextBreak !== undefined && nextBreak < next) next = nextBreak;
    t = next;
  }
  // What the stretches still running will do by themselves: a met one that lapses on a known date.
  if (t >= input.toMs) {
    const version = versions.filter((v) => v.at <= input.toMs).at(-1) ?? first;
    for (const s of evaluateConditions(version.body, input.factsAt(input.toMs, version.at), input.toMs)) {
      const current = open.get(s.id);
      if (
        current?.status === 'met' &&
        s.status === 'met' &&
        s.changes_at &&
        Date.parse(s.changes_at) > input.toMs
      )
        current.lapses_at = s.changes_at;
    }
  }
  const intervals = [...done, ...open.values()].sort(
    (x, y) => x.condition.localeCompare(y.condition) || x.from.localeCompare(y.from),
  );
  return { intervals, truncated: steps > MAX_HISTORY_STEPS };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
