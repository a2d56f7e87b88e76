import { evaluateConditions } from '../policy/condition-evaluate.js';
import { deriveFacts } from '../policy/condition-replay.js';
import type { ConditionFacts } from '../policy/condition-types.js';
import { type Decision, PartnerDecider, type PartnerFacts } from '../policy/decision.js';
import type { DecisionMemo } from '../policy/decision-memo.js';
import { addIsoDuration, parseIsoDuration } from '../policy/duration-iso.js';
import {
  classifyStandardMarking,
  type IntelProjection,
  type MarkingClass,
  type MarkingClassifier,
} from '../policy/intel-projection.js';
import { parseIep } from '../policy/marking-iep.js';
import { parseReleasability } from '../policy/marking-releasability.js';
import type { OperatorPolicies } from '../policy/operator-policy.js';
import { isJsonObject, type JsonObject } from '../stix/types.js';
import type { ConditionReader } from '../store/condition-ports.js';
import type { Partner } from '../store/hub/partner-store.js';
import type { FeedbackReceipts, MarkingDefinitions } from '../store/read-ports.js';
import type { AgreementVersions, NeighbourhoodFinder } from '../store/release-ports.js';

/*
 * The facts a decision is made from, assembled from what the store holds: a partner's agreement
 * in force, its conditions evaluated, feedback, scope sets, and the hub's marking catalogues.
 */

/** What partner facts are read from: the hub state's ports. */
export interface PartnerFactStores {
  agreements: AgreementVersions;
  conditions: ConditionReader;
  /** The agreement scope's neighbourhood and location sets. */
  neighbourhoods: NeighbourhoodFinder;
  /** The feedback reciprocity conditions count. */
  reads: FeedbackReceipts;
}

/**
 * Everything a decision for `partner` at `nowMs` depends on, read from the store as it stood
 * then: the agreement version in force (the latest set at or before nowMs), condition events up to
 * nowMs, feedback received, and the neighbourhood and location sets of the agreement's scope.
 */
export async function loadPartnerFacts(
  stores: PartnerFactStores,
  partner: Partner,
  nowMs: number,
  operator?: Extract<OperatorPolicies, { ok: true }>,
  markingHint?: string,
): Promise<PartnerFacts> {
  const versions = await stores.agreements.list(partner.id);
  const inForce = versions.filter((v) => Date.parse(v.set_at) <= nowMs).at(-1);
  const allEvents = await stores.conditions.list(partner.id);
  const events = allEvents.filter((e) => Date.parse(e.at) <= nowMs);
  const base = deriveFacts(events);
  const partnerRef = { id: partner.id, name: partner.name, enabled: partner.enabled };
  // A version or event dated after nowMs changes the decisions when its time comes, with no
  // further event: the pass's time index must wake then.
  const next = nextDated([...versions.map((v) => v.set_at), ...allEvents.map((e) => e.at)], nowMs);
  const hint = {
    ...(markingHint !== undefined && { markingHint }),
    ...(next !== undefined && { nextDatedAt: next }),
  };
  if (!inForce) return { partner: partnerRef, conditions: [], nowMs, ...hint };
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
    partnerName: partner.name,
    ...(lastReviewAt !== undefined && { lastReviewAt }),
    feedbackReceivedMs: await stores.reads.listFeedbackReceipts(partner.id, sinceMs * 1000),
  };
  const walk = (seeds: readonly string[], hops: number) => stores.neighbourhoods.find(seeds, hops);
  const hood = body.scope.neighbourhood;
  const neighbourhood = hood && (await walk(hood.of, hood.hops));
  const locations = body.scope.locations && (await walk(body.scope.locations, 1));
  return {
    partner: partnerRef,
    agreement: { version: inForce.version, body },
    conditions: evaluateConditions(body, facts, nowMs),
    conditionFacts: facts,
    nowMs,
    ...(neighbourhood && { neighbourhood: new Set(neighbourhood.keys()) }),
    ...(locations && { locations: new Set(locations.keys()) }),
    ...(operator && { operator: { policies: operator.policies, meta: operator.meta } }),
    ...hint,
  };
}

/** The earliest of `times` after nowMs (ISO), if any. */
function nextDated(times: readonly string[], nowMs: number): string | undefined {
  let best: number | undefined;
  for (const t of times) {
    const ms = Date.parse(t);
    if (ms > nowMs && (best === undefined || ms < best)) best = ms;
  }
  return best === undefined ? undefined : new Date(best).toISOString();
}

/** The hub's markings: how each id classifies, and the statement definitions it holds. */
export interface MarkingCatalogs {
  classify: MarkingClassifier;
  /** Statement marking definitions by id (a copy carries them; see src/tearline). */
  statements: Map<string, JsonObject>;
}

/**
 * Classifies markings by the hub's stored marking definitions: standard TLP ids by level, a
 * `statement` definition (a copyright or terms notice) as restricting nothing, anything else
 * (unknown ids, custom definitions, TLP look-alikes with non-standard ids) as unknown.
 */
export async function loadMarkingCatalogs(reads: MarkingDefinitions): Promise<MarkingCatalogs> {
  const known = new Map<string, MarkingClass>();
  const statements = new Map<string, JsonObject>();
  for (const r of await reads.markingDefinitions()) {
    const def = r.definition;
    if (classifyStandardMarking(r.id).kind === 'tlp') continue;
    // An IEP 2.0 policy: the decision enforces it and the copy carries it; unreadable is unknown.
    const iep = parseIep(def);
    if (iep?.kind === 'iep') {
      known.set(r.id, { kind: 'iep', terms: iep.terms });
      statements.set(r.id, def);
      continue;
    }
    if (iep?.kind === 'unparsable') continue;
    // A releasability marking limits who may receive; one the hub cannot read is unknown (fail closed).
    const rel = parseReleasability(def);
    if (rel?.kind === 'releasable') {
      known.set(r.id, { kind: 'releasability', to: rel.to, label: rel.label });
      // The decision enforces it; a copy released to a partner it permits carries it, as a statement.
      statements.set(r.id, def);
      continue;
    }
    if (rel?.kind === 'unparsable') continue;
    if (def.definition_type === 'statement' && isJsonObject(def.definition)) {
      known.set(r.id, { kind: 'statement' });
      statements.set(r.id, def);
    }
  }
  const classify: MarkingClassifier = (id) => {
    const standard = classifyStandardMarking(id);
    if (standard.kind === 'tlp') return standard;
    return known.get(id) ?? { kind: 'unknown' };
  };
  return { classify, statements };
}

export async function loadMarkingClassifier(reads: MarkingDefinitions): Promise<MarkingClassifier> {
  return (await loadMarkingCatalogs(reads)).classify;
}

export function decideOne(facts: PartnerFacts, memo: DecisionMemo, intel: IntelProjection): Decision {
  return new PartnerDecider(facts, memo).decide(intel);
}
