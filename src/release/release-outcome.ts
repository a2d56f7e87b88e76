import { createHash } from 'node:crypto';
import type { OutcomeRow, OutcomeState, Reason } from '../store/hub/release-store.js';
import type { ReleaseDecision } from './release-decision.js';

/** What a pass did: released, queued or withheld now, still waiting, or left as it was. */
export interface PipelineCounts {
  released: number;
  queued: number;
  withheld: number;
  waiting: number;
  unchanged: number;
}

const COUNT_KEYS = ['released', 'queued', 'withheld', 'waiting', 'unchanged'] as const;

export function zeroCounts(): PipelineCounts {
  return { released: 0, queued: 0, withheld: 0, waiting: 0, unchanged: 0 };
}

/** Adds the counts of `more` into `into` (other fields of either are left alone). */
export function addCounts(into: PipelineCounts, more: Partial<PipelineCounts>): void {
  for (const k of COUNT_KEYS) into[k] += more[k] ?? 0;
}

/**
 * The one place an outcome row is built (pass, approval and recall): what one partner was given (or not) of one object
 * version, why, under which agreement version, and the fingerprint that makes the next pass
 * leave it alone when nothing it depends on changed.
 */
export function outcomeRow(
  partnerId: string,
  objectId: string,
  objectVersion: string,
  outcome: OutcomeState,
  reasons: Reason[],
  agreementVersion: number | null,
  fingerprint: string,
  at: string,
): OutcomeRow {
  return {
    partner_id: partnerId,
    object_id: objectId,
    object_version: objectVersion,
    outcome,
    reasons,
    agreement_version: agreementVersion,
    fingerprint,
    decided_at: at,
  };
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function fingerprintOf(...parts: (string | number | null | undefined)[]): string {
  return sha256(JSON.stringify(parts));
}

// Withhold reasons are shared by every decision with the same verdict: hashed once each.
const reasonHashes = new WeakMap<readonly object[], string>();
export function reasonsHash(d: ReleaseDecision): string {
  let h = reasonHashes.get(d.reasons);
  if (h === undefined) {
    h = sha256(JSON.stringify(reasonsOf(d)));
    reasonHashes.set(d.reasons, h);
  }
  return h;
}

// Decisions with the same verdict share one reasons array: their stored form is made once.
const storedReasons = new WeakMap<readonly object[], Reason[]>();
export function reasonsOf(d: { reasons: readonly { code: string; message: string }[] }): Reason[] {
  let r = storedReasons.get(d.reasons);
  if (!r) {
    r = d.reasons.map((x) => ({ code: x.code, message: x.message }));
    storedReasons.set(d.reasons, r);
  }
  return r;
}
