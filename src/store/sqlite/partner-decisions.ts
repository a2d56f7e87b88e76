import { evaluateConditions } from '../../policy/condition-evaluate.js';
import type { ConditionFacts } from '../../policy/condition-types.js';
import { type Decision, PartnerDecider, type PartnerFacts } from '../../policy/decision.js';
import type { DecisionMemo } from '../../policy/decision-memo.js';
import { addIsoDuration, parseIsoDuration } from '../../policy/duration-iso.js';
import {
  classifyStandardMarking,
  type IntelProjection,
  type MarkingClass,
  type MarkingClassifier,
  projectIntel,
} from '../../policy/intel-projection.js';
import type { OperatorPolicies } from '../../policy/operator-policy.js';
import type { TlpLevel } from '../../stix/markings-tlp.js';
import { isJsonObject, type JsonObject } from '../../stix/types.js';
import { SqliteAgreementStore } from './agreement-store.js';
import { deriveFacts, SqliteConditionEvents } from './condition-events.js';
import type { SqliteDatabase } from './database.js';
import { listFeedbackReceipts } from './feedback-count.js';
import { findNeighbourhood } from './neighbourhood.js';
import type { Partner } from './partner-store.js';

/**
 * Everything a decision for `partner` at `nowMs` depends on, read from the store as it stood
 * then: the agreement version in force (the latest set at or before nowMs), condition events up to
 * nowMs, feedback received, and the neighbourhood and location sets of the agreement's scope.
 */
export function loadPartnerFacts(
  db: SqliteDatabase,
  partner: Partner,
  nowMs: number,
  operator?: Extract<OperatorPolicies, { ok: true }>,
): PartnerFacts {
  const agreements = new SqliteAgreementStore(db);
  const inForce = agreements
    .list(partner.id)
    .filter((v) => Date.parse(v.set_at) <= nowMs)
    .at(-1);
  const events = new SqliteConditionEvents(db).list(partner.id).filter((e) => Date.parse(e.at) <= nowMs);
  const base = deriveFacts(events);
  const partnerRef = { id: partner.id, name: partner.name, enabled: partner.enabled };
  if (!inForce) return { partner: partnerRef, conditions: [], nowMs };
  const body = inForce.body;
  // Setting an agreement version is itself a review of it.
  const reviews = [base.lastReviewAt, inForce.set_at].filter((t): t is string => t !== undefined);
  const lastReviewAt = reviews.sort().at(-1);
  let sinceMs = nowMs;
  for (const c of body.conditions) {
    const w = c.kind === 'reciprocity' ? parseIsoDuration(c.window) : undefined;
    if (w) sinceMs = Math.min(sinceMs, addIsoDuration(nowMs, w, -1));
  }
  const facts: ConditionFacts = {
    ...base,
    ...(lastReviewAt !== undefined && { lastReviewAt }),
    feedbackReceivedMs: listFeedbackReceipts(db, partner.id, sinceMs * 1000),
  };
  const hood = body.scope.neighbourhood;
  return {
    partner: partnerRef,
    agreement: { version: inForce.version, body },
    conditions: evaluateConditions(body, facts, nowMs),
    nowMs,
    ...(hood && { neighbourhood: new Set(findNeighbourhood(db, hood.of, hood.hops).keys()) }),
    ...(body.scope.locations && {
      locations: new Set(findNeighbourhood(db, body.scope.locations, 1).keys()),
    }),
    ...(operator && { operator: { policies: operator.policies, meta: operator.meta } }),
  };
}

/**
 * Classifies markings by the hub's stored marking definitions: standard TLP ids by level, a
 * `statement` definition (a copyright or terms notice) as restricting nothing, anything else
 * (unknown ids, custom definitions, TLP look-alikes with non-standard ids) as unknown.
 */
export function loadMarkingClassifier(db: SqliteDatabase): MarkingClassifier {
  const known = new Map<string, MarkingClass>();
  const rows = db
    .prepare("SELECT id, json FROM objects WHERE type = 'marking-definition' AND is_latest = 1")
    .all() as { id: string; json: string }[];
  for (const r of rows) {
    const def = JSON.parse(r.json) as JsonObject;
    if (def.definition_type === 'statement' && isJsonObject(def.definition))
      known.set(r.id, { kind: 'statement' });
  }
  return (id) => {
    const standard = classifyStandardMarking(id);
    if (standard.kind === 'tlp') return standard;
    return known.get(id) ?? { kind: 'unknown' };
  };
}

/** Latest versions of stored objects, projected; read in store order so memory stays flat. */
export function* iterateProjections(
  db: SqliteDatabase,
  classify: MarkingClassifier,
  untaggedTlp: TlpLevel | undefined,
): Generator<IntelProjection> {
  const rows = db
    .prepare('SELECT json FROM objects WHERE is_latest = 1 ORDER BY added_us')
    .iterate() as Iterable<{
    json: string;
  }>;
  for (const r of rows) {
    yield projectIntel(JSON.parse(r.json) as JsonObject, {
      classify,
      ...(untaggedTlp !== undefined && { untaggedTlp }),
    });
  }
}

export function loadProjection(
  db: SqliteDatabase,
  objectId: string,
  classify: MarkingClassifier,
  untaggedTlp: TlpLevel | undefined,
): IntelProjection | undefined {
  const r = db.prepare('SELECT json FROM objects WHERE id = ? AND is_latest = 1').get(objectId) as
    | { json: string }
    | undefined;
  if (!r) return undefined;
  return projectIntel(JSON.parse(r.json) as JsonObject, {
    classify,
    ...(untaggedTlp !== undefined && { untaggedTlp }),
  });
}

export function decideOne(facts: PartnerFacts, memo: DecisionMemo, intel: IntelProjection): Decision {
  return new PartnerDecider(facts, memo).decide(intel);
}
