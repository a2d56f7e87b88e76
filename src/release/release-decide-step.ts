import type { OutcomeRow } from '../store/hub/release-store.js';
import type { OutcomeKey } from '../store/release-ports.js';
import { NOTHING_RELEASED } from '../tearline/tearline-context.js';
import type { ReleasedSet } from '../tearline/tearline-types.js';
import {
  type DecisionTally,
  decideReleases,
  emptyTally,
  type ReleaseTerms,
  tallyDecision,
} from './release-decision.js';
import { fingerprintOf, outcomeRow, reasonsHash, reasonsOf } from './release-outcome.js';
import type { PassBatch } from './release-pass-plan.js';
import type { Candidate } from './release-pipeline-steps.js';

/** What a pass already recorded for each object of one partner: enough to tell "unchanged". */
export type OutcomeKeys = ReadonlyMap<string, OutcomeKey>;

/** One partner's batch decided: withholds to record, copies to release or queue, and what stays as it was. */
export interface DecideStepResult {
  tally: DecisionTally;
  /** New or changed withholds (by the policy or by the tearline), as outcome rows. */
  withheld: OutcomeRow[];
  /** Objects the policy lets through with a tearline copy: the publish step's input. */
  candidates: Candidate[];
  /** Withholds whose recorded outcome already says the same. */
  unchanged: number;
  /**
   * What references to the batch's objects now resolve to (the copy's id, or '' when withheld),
   * where the recorded one differs and no row in `withheld` carries it: the next incremental pass
   * reads them (release-pass-plan.ts).
   */
  references: [string, string][];
}

/**
 * Decides a batch for one partner (policy, then the tearline of what it lets through, as
 * decideReleases does for every surface) and sorts the answers: withholds become outcome rows
 * unless the recorded one has the same fingerprint, or the policy withholds an object version the
 * partner already was given or had recalled (a pass never turns those into withholds).
 * `context`: what references to objects outside the batch resolve to (decideReleases). No I/O.
 */
export function decideStep(
  terms: ReleaseTerms,
  partnerId: string,
  batch: PassBatch,
  outcomes: OutcomeKeys,
  at: string,
  context: ReleasedSet = NOTHING_RELEASED,
): DecideStepResult {
  const tally = emptyTally();
  const withheld: OutcomeRow[] = [];
  const candidates: Candidate[] = [];
  const references: [string, string][] = [];
  let unchanged = 0;
  const agreement = terms.decider.facts.agreement;
  const { inputs, stored } = batch;
  for (const d of decideReleases(inputs, terms, context)) {
    tallyDecision(tally, d);
    const reference = d.outcome === 'withhold' ? '' : (d.tearline?.partnerObjectId ?? '');
    const recorded = outcomes.get(d.object_id)?.reference_id === reference;
    const o = stored.get(d.object_id) as { version: string; author: string | null };
    if (d.outcome === 'withhold' || !d.tearline) {
      // The policy's and the tearline's withholds keep their own fingerprints, as recorded before.
      const fp =
        d.stage === 'policy'
          ? fingerprintOf('withhold', o.version, agreement?.version, reasonsHash(d))
          : fingerprintOf('tearline-withheld', o.version, agreement?.version, d.reasons[0]?.code);
      const prev = outcomes.get(d.object_id);
      const settled = prev?.outcome === 'released' || prev?.outcome === 'recalled';
      if (
        prev?.fingerprint === fp ||
        (d.stage === 'policy' && settled && prev.object_version === o.version)
      ) {
        unchanged++;
        if (!recorded) references.push([d.object_id, reference]);
        continue;
      }
      // The row carries what references to the object resolve to: one write, not two.
      withheld.push({
        ...outcomeRow(
          partnerId,
          d.object_id,
          o.version,
          'withheld',
          reasonsOf(d),
          agreement?.version ?? null,
          fp,
          at,
        ),
        reference_id: reference,
      });
      continue;
    }
    if (!recorded) references.push([d.object_id, reference]);
    candidates.push({ version: o.version, author: o.author, decision: d, copy: d.tearline });
  }
  return { tally, withheld, candidates, unchanged, references };
}
