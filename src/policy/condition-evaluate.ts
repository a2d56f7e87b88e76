import type {
  Agreement,
  AssuranceSpec,
  ConditionSpec,
  ReciprocitySpec,
  ReviewSpec,
} from './agreement-types.js';
import type { ConditionFacts, ConditionState } from './condition-types.js';
import { addIsoDuration, parseIsoDuration } from './duration-iso.js';

const DAY_MS = 86_400_000;

/**
 * The conditions in force for an agreement: those it lists, plus a suspension switch and a
 * breach check for every partner, whether or not the agreement lists them: an officer must
 * always be able to stop the flow, and an open breach always stops it.
 */
export function listEffectiveConditions(agreement: Agreement): ConditionSpec[] {
  const out = [...agreement.conditions];
  if (!out.some((c) => c.kind === 'suspension')) out.push({ kind: 'suspension', id: 'suspension' });
  if (!out.some((c) => c.kind === 'breach')) out.push({ kind: 'breach', id: 'breach' });
  return out;
}

/** Evaluates one condition at `nowMs`; a pure function of the condition, the facts and the time. */
export function evaluateCondition(spec: ConditionSpec, facts: ConditionFacts, nowMs: number): ConditionState {
  switch (spec.kind) {
    case 'assurance':
      return evaluateAssurance(spec, facts, nowMs);
    case 'reciprocity':
      return evaluateReciprocity(spec, facts, nowMs);
    case 'review':
      return evaluateReview(spec, facts, nowMs);
    case 'suspension': {
      const base = { id: spec.id, kind: spec.kind, title: 'Not suspended' };
      const s = facts.suspension;
      if (s === undefined)
        return { ...base, status: 'unknown', reason: 'suspension state could not be read' };
      if (s.on) {
        return {
          ...base,
          status: 'unmet',
          reason: `suspended by ${s.actor ?? 'an officer'}${s.at ? ` at ${s.at}` : ''}: ${s.reason ?? 'no reason given'}`,
        };
      }
      return { ...base, status: 'met', reason: 'no suspension is in force' };
    }
    case 'breach': {
      const base = { id: spec.id, kind: spec.kind, title: 'No open breach' };
      const open = facts.openBreaches;
      if (open === undefined)
        return { ...base, status: 'unknown', reason: 'breach reports could not be read' };
      if (open.length > 0) {
        const list = open.map((b) => `${b.id} (opened ${b.opened_at}: ${b.reason})`).join('; ');
        return {
          ...base,
          status: 'unmet',
          reason: `open breach report${open.length > 1 ? 's' : ''}: ${list}`,
        };
      }
      return { ...base, status: 'met', reason: 'no breach report is open' };
    }
  }
}

/** The partner as a shell argument in a suggested command: its name, quoted when it has spaces. */
function partnerArg(facts: ConditionFacts): string {
  const name = facts.partnerName;
  if (name === undefined || name === '') return 'PARTNER';
  return /^[A-Za-z0-9._-]+$/.test(name) ? name : `'${name.replaceAll("'", "'\\''")}'`;
}

export function evaluateConditions(
  agreement: Agreement,
  facts: ConditionFacts,
  nowMs: number,
): ConditionState[] {
  return listEffectiveConditions(agreement).map((c) => evaluateCondition(c, facts, nowMs));
}

function evaluateAssurance(spec: AssuranceSpec, facts: ConditionFacts, nowMs: number): ConditionState {
  const base = { id: spec.id, kind: spec.kind, title: spec.title };
  if (facts.assurances === undefined) {
    return { ...base, status: 'unknown', reason: `${spec.id}: attestations could not be read` };
  }
  const record = facts.assurances.get(spec.id);
  if (record?.state === 'revoked') {
    return {
      ...base,
      status: 'unmet',
      reason: `${spec.id} revoked by ${record.actor} at ${record.at}: ${record.reason}`,
    };
  }
  // An attestation renews what the agreement states; its fields win.
  const eff = { ...spec, ...(record ?? {}) };
  const from = parseTime(eff.valid_from);
  const until = parseTime(eff.valid_until);
  const review = parseTime(eff.review_due);
  const attest = `attest it with: tearline condition attest ${partnerArg(facts)} assurance --id ${spec.id} --valid-from ... --valid-until ...`;
  if (from === undefined || until === undefined) {
    const missing = from === undefined ? 'valid_from' : 'valid_until';
    return {
      ...base,
      status: 'unmet',
      reason: `${spec.id} is missing: no ${missing} is recorded; ${attest}`,
    };
  }
  if (eff.review_due !== undefined && review === undefined) {
    return {
      ...base,
      status: 'unmet',
      reason: `${spec.id}: review_due "${eff.review_due}" is not a timestamp`,
    };
  }
  if (nowMs < from) {
    return {
      ...base,
      status: 'unmet',
      reason: `${spec.id} is not valid until ${iso(from)}`,
      changes_at: iso(from),
    };
  }
  if (nowMs >= until) {
    return { ...base, status: 'unmet', reason: `${spec.id} expired at ${iso(until)}; ${attest}` };
  }
  if (review !== undefined && nowMs >= review) {
    return {
      ...base,
      status: 'unmet',
      reason: `${spec.id} is overdue for review since ${iso(review)}; renew it with a new --review-due`,
    };
  }
  const lapse = review !== undefined && review < until ? review : until;
  const lapseWord = lapse === until ? 'expires' : 'review due';
  return {
    ...base,
    status: 'met',
    reason: `${spec.id} holds; ${lapseWord} ${iso(lapse)}`,
    changes_at: iso(lapse),
  };
}

function evaluateReciprocity(spec: ReciprocitySpec, facts: ConditionFacts, nowMs: number): ConditionState {
  const base = {
    id: spec.id,
    kind: spec.kind,
    title: `Reciprocity: ${spec.min_items} item(s) per ${spec.window}`,
  };
  const window = parseIsoDuration(spec.window);
  if (window === undefined) {
    return { ...base, status: 'unknown', reason: `${spec.id}: window "${spec.window}" is not a duration` };
  }
  if (facts.feedbackReceivedMs === undefined) {
    return { ...base, status: 'unknown', reason: `${spec.id}: partner feedback could not be counted` };
  }
  // An item counts while it is younger than the window; items dated in the future do not count.
  const start = addIsoDuration(nowMs, window, -1);
  const inWindow = facts.feedbackReceivedMs.filter((t) => t > start && t <= nowMs).sort((a, b) => b - a);
  const have = `${inWindow.length} feedback item(s) received in the last ${spec.window}, ${spec.min_items} required`;
  if (inWindow.length < spec.min_items) return { ...base, status: 'unmet', reason: `${spec.id}: ${have}` };
  // The status lapses at the first moment fewer than min_items items lie in the window. Items
  // leave it one window after they arrived; items dated later than now join it when due, so
  // the count only changes at those times: check each in order.
  const countAt = (t: number) => {
    const from = addIsoDuration(t, window, -1);
    return facts.feedbackReceivedMs?.filter((x) => x > from && x <= t).length ?? 0;
  };
  const events = [
    ...(facts.feedbackReceivedMs ?? []).map((x) => addIsoDuration(x, window)),
    ...(facts.feedbackReceivedMs ?? []),
  ]
    .filter((t) => t > nowMs)
    .sort((a, b) => a - b);
  const lapse =
    events.find((t) => countAt(t) < spec.min_items) ?? addIsoDuration(inWindow[0] as number, window);
  return {
    ...base,
    status: 'met',
    reason: `${spec.id}: ${have}; lapses ${iso(lapse)}`,
    changes_at: iso(lapse),
  };
}

function evaluateReview(spec: ReviewSpec, facts: ConditionFacts, nowMs: number): ConditionState {
  const base = { id: spec.id, kind: spec.kind, title: `Agreement reviewed within ${spec.days} days` };
  const last = parseTime(facts.lastReviewAt);
  if (last === undefined) {
    return { ...base, status: 'unmet', reason: `${spec.id}: the agreement has never been reviewed` };
  }
  const lapse = last + spec.days * DAY_MS;
  if (nowMs >= lapse) {
    return {
      ...base,
      status: 'unmet',
      reason: `${spec.id}: last reviewed ${iso(last)}, more than ${spec.days} days ago; record a review with: tearline condition attest ${partnerArg(facts)} review`,
    };
  }
  return {
    ...base,
    status: 'met',
    reason: `${spec.id}: reviewed ${iso(last)}; due again ${iso(lapse)}`,
    changes_at: iso(lapse),
  };
}

function parseTime(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
