import type { Decision, Outcome, PartnerDecider } from './decision.js';
import type { IntelProjection } from './intel-projection.js';

/** What re-decision remembers of the last decision for one object and partner. */
export interface DecisionMark {
  input_key: string;
  outcome: Outcome;
  /** The reasons' codes, messages and conditions, as one comparable string. */
  reasons_key: string;
}

export interface Redecision {
  /** Decisions whose outcome or reasons differ from the previous mark (or that had none). */
  changed: Decision[];
  /** Decided again, same outcome and reasons. */
  unchanged: number;
  /** Not decided again: nothing they depend on changed. */
  skipped: number;
  /** The marks to keep for next time, by object id. */
  marks: Map<string, DecisionMark>;
}

function formatReasonsKey(d: Decision): string {
  return JSON.stringify(d.reasons.map((r) => [r.code, r.message, r.condition ?? null]));
}

/**
 * Re-decides after a condition, agreement or object changed. Incremental: an object whose inputs
 * (see PartnerDecider.inputKeyFor) are unchanged is skipped without asking Cedar. Idempotent:
 * running it again over its own marks reports no change. The caller acts on `changed` (the
 * release pipeline publishes or recalls) and stores `marks`.
 */
export function redecide(
  decider: PartnerDecider,
  intels: Iterable<IntelProjection>,
  previous: ReadonlyMap<string, DecisionMark>,
): Redecision {
  const out: Redecision = { changed: [], unchanged: 0, skipped: 0, marks: new Map() };
  for (const intel of intels) {
    const inputKey = decider.inputKeyFor(intel);
    const prev = previous.get(intel.id);
    if (prev?.input_key === inputKey) {
      out.skipped++;
      out.marks.set(intel.id, prev);
      continue;
    }
    const d = decider.decide(intel);
    const mark: DecisionMark = { input_key: inputKey, outcome: d.outcome, reasons_key: formatReasonsKey(d) };
    out.marks.set(intel.id, mark);
    if (prev && prev.outcome === mark.outcome && prev.reasons_key === mark.reasons_key) out.unchanged++;
    else out.changed.push(d);
  }
  return out;
}
