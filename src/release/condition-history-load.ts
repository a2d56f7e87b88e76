import type { Agreement } from '../policy/agreement-types.js';
import { buildConditionHistory, type ConditionInterval } from '../policy/condition-history.js';
import { deriveFacts } from '../policy/condition-replay.js';
import type { ConditionFacts } from '../policy/condition-types.js';
import type { ConditionReader } from '../store/condition-ports.js';
import type { Reason } from '../store/hub/release-store.js';
import type { ConditionHistoryReads } from '../store/read-ports.js';
import type { AgreementVersions } from '../store/release-ports.js';

/** One stretch of a condition's history with what it meant for the partner's items. */
export interface ConditionHistoryInterval extends ConditionInterval {
  /** Items released to the partner during the stretch (release records, as the ledger has them). */
  released: number;
  /**
   * For the unmet stretch still running: the items the pipeline last recorded withheld for this
   * partner with this condition among the reasons. Past stretches: not recorded (absent).
   */
  gated?: number;
}

export interface PartnerConditionHistory {
  partner: { id: string; name: string };
  at: string;
  intervals: ConditionHistoryInterval[];
  truncated: boolean;
}

export interface ConditionHistoryStores {
  agreements: AgreementVersions;
  conditions: ConditionReader;
  reads: ConditionHistoryReads;
}

/**
 * A partner's conditions met and lapsed over time (src/policy/condition-history.ts), from its
 * agreement versions, condition events and feedback received, each stretch with the releases made
 * in it and, for a condition unmet now, the withheld items it gates.
 */
export async function loadConditionHistory(
  stores: ConditionHistoryStores,
  partner: { id: string; name: string },
  now: Date,
): Promise<PartnerConditionHistory> {
  const nowMs = now.getTime();
  const versions = (await stores.agreements.list(partner.id)).map((v) => ({
    set_at: v.set_at,
    body: v.body as Agreement,
  }));
  const events = await stores.conditions.list(partner.id);
  const feedback = await stores.reads.listFeedbackReceipts(partner.id, 0);
  const factsAt = (ms: number, setAtMs: number): ConditionFacts => {
    const base = deriveFacts(events.filter((e) => Date.parse(e.at) <= ms));
    const reviews = [base.lastReviewAt, new Date(setAtMs).toISOString()].filter(
      (r): r is string => r !== undefined,
    );
    return {
      ...base,
      partnerName: partner.name,
      lastReviewAt: reviews.sort().at(-1) as string,
      feedbackReceivedMs: feedback.filter((f) => f <= ms),
    };
  };
  const { intervals, truncated } = buildConditionHistory({
    versions,
    changesMs: [...events.map((e) => Date.parse(e.at)), ...feedback],
    factsAt,
    toMs: nowMs,
  });
  const releasedAt = (await stores.reads.releaseTimesOf(partner.id)).map((at) => Date.parse(at));
  const gated = gatedNow(await stores.reads.withheldReasonsOf(partner.id));
  return {
    partner,
    at: now.toISOString(),
    truncated,
    intervals: intervals.map((i) => {
      const from = Date.parse(i.from);
      const to = i.to === undefined ? Number.POSITIVE_INFINITY : Date.parse(i.to);
      const released = releasedAt.filter((r) => r >= from && r < to).length;
      const open = i.to === undefined && i.status !== 'met';
      return { ...i, released, ...(open && { gated: gated.get(i.condition) ?? 0 }) };
    }),
  };
}

/**
 * Withheld items per condition id among their recorded reasons. The recorded reasons carry the
 * condition in their message only ("condition hr-1 (title) is not met", cedar-policy-generate.ts),
 * so the id is read from there.
 */
function gatedNow(withheld: readonly Reason[][]): Map<string, number> {
  const out = new Map<string, number>();
  for (const recorded of withheld) {
    const reasons = recorded as readonly { code?: string; condition?: string; message?: string }[];
    const ids = new Set<string>();
    for (const x of reasons) {
      if (x.code !== 'condition-unmet') continue;
      const id = x.condition ?? /^condition (\S+) /.exec(x.message ?? '')?.[1];
      if (id !== undefined) ids.add(id);
    }
    for (const id of ids) out.set(id, (out.get(id) ?? 0) + 1);
  }
  return out;
}
