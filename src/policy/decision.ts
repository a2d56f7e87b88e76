import { createHash } from 'node:crypto';
import { TLP_LEVELS } from '../stix/markings-tlp.js';
import type { Agreement, Approval } from './agreement-types.js';
import type { CedarAnswer, CedarDiagnostic, CedarRequest, IntelAttrs } from './cedar-engine.js';
import {
  type GeneratedPolicies,
  generateAgreementPolicies,
  type PolicyMeta,
} from './cedar-policy-generate.js';
import type { ConditionFacts, ConditionState } from './condition-types.js';
import { type DecisionMemo, formatMemoKey, formatMemoPrefix } from './decision-memo.js';
import type { DecisionReason } from './decision-reasons.js';
import { addIsoDuration, parseIsoDuration } from './duration-iso.js';
import type { IntelProjection } from './intel-projection.js';
import { iepBlocks } from './marking-iep.js';
import { isReleasableTo } from './marking-releasability.js';

export type Outcome = 'release' | 'needs-approval' | 'withhold';

export interface Decision {
  partner_id: string;
  object_id: string;
  object_version: string;
  outcome: Outcome;
  /** Never empty: a release says which policy permitted it, a withhold says every reason it is withheld. */
  reasons: DecisionReason[];
  /** Cedar policies that determined the outcome. */
  policies: string[];
  failing_conditions: ConditionState[];
  agreement_version?: number;
  approvals_required: 0 | 1 | 2;
  /** For release/needs-approval under an embargo: when the partner may see it. */
  visible_from?: string;
  decided_at: string;
  /** The earliest time the outcome may change with no further event: re-decide then. */
  changes_at?: string;
}

export interface PartnerFacts {
  partner: { id: string; name: string; enabled: boolean };
  agreement?: { version: number; body: Agreement };
  /** The agreement's conditions evaluated at `nowMs` (see condition-evaluate.ts). */
  conditions: readonly ConditionState[];
  /** The facts `conditions` were evaluated from, when known: what-would-it-take varies them. */
  conditionFacts?: ConditionFacts;
  nowMs: number;
  /** Ids within the agreement's neighbourhood and location filter; undefined means not computed (fail closed). */
  neighbourhood?: ReadonlySet<string>;
  locations?: ReadonlySet<string>;
  /** Operator policies, already validated (operator-policy.ts). */
  operator?: { policies: Record<string, string>; meta: Record<string, PolicyMeta> };
  /** Ends every `marking-missing` reason: where the hub's default level is set. */
  markingHint?: string;
  /** The earliest agreement version or condition event dated after nowMs: decisions change then. */
  nextDatedAt?: string;
}

/** Outcome, reasons and policies shared by every decision with the same Cedar answer; read-only. */
interface Verdict {
  outcome: Outcome;
  reasons: DecisionReason[];
  policies: string[];
}

const APPROVALS_REQUIRED: Record<Approval, 0 | 1 | 2> = { none: 0, one: 1, two: 2 };

/**
 * Decides for one partner at one instant. Built once per (partner state, time) and then asked
 * about each intel version; the Cedar work is shared through the memo.
 */
export class PartnerDecider {
  readonly policies: GeneratedPolicies;
  readonly #handle: string | undefined;
  readonly #setupErrors: CedarDiagnostic[];
  readonly #unmet: ConditionState[];
  readonly #agreementState: CedarRequest['agreementState'];
  readonly #changesAt: string | undefined;
  readonly #labelFilter: ReadonlySet<string> | undefined;
  readonly #principal: Omit<CedarRequest, 'intel'>;
  readonly #decidedAt: string;
  // Verdicts per memoised answer object: a memo hit costs no re-explanation.
  readonly #verdicts = new WeakMap<CedarAnswer, Verdict>();
  readonly #fixed = new Map<string, Verdict>();
  readonly #stateKey: string;
  #memoPrefix: string | undefined;

  constructor(
    readonly facts: PartnerFacts,
    readonly memo: DecisionMemo,
  ) {
    const a = facts.agreement?.body;
    const generated = a ? generateAgreementPolicies(facts.partner.id, a) : { policies: {}, meta: {} };
    this.policies = {
      policies: { ...generated.policies, ...facts.operator?.policies },
      meta: { ...generated.meta, ...facts.operator?.meta },
    };
    this.#unmet = facts.conditions.filter((c) => c.status !== 'met');
    // Generated policies read labels only as `resource.labels.containsAny(<literal set>)`, whose
    // value depends only on the labels in those literal sets: dropping every other label keeps
    // the answer and lets objects that differ only in irrelevant labels share one memo entry.
    // Operator policies may read labels any way (isEmpty, ==), so with them nothing is dropped.
    const hasOperator = Object.keys(facts.operator?.policies ?? {}).length > 0;
    this.#labelFilter =
      a && !hasOperator ? new Set([...(a.scope.labels ?? []), ...a.scope.labels_denied]) : undefined;
    this.#agreementState = stateOfAgreement(a, facts.nowMs);
    this.#decidedAt = new Date(facts.nowMs).toISOString();
    this.#principal = {
      partnerId: facts.partner.id,
      enabled: facts.partner.enabled,
      unmetConditions: this.#unmet.map((c) => c.id).sort(),
      agreementState: this.#agreementState,
    };
    // Hashed once: the policy text is kilobytes, and the key is stored per object by re-decision.
    this.#stateKey = hashText(
      JSON.stringify([
        facts.partner.id,
        facts.partner.enabled,
        facts.agreement?.version ?? null,
        this.#agreementState,
        facts.conditions.map((c) => [c.id, c.status, c.reason]),
        this.policies.policies,
        facts.markingHint ?? null,
        a?.nationality ?? null,
        a?.communities ?? null,
      ]),
    );
    this.#changesAt = earliest([
      ...facts.conditions.map((c) => c.changes_at),
      facts.nextDatedAt,
      ...[a?.valid_from, a?.valid_until].filter((t) => t !== undefined && Date.parse(t) > facts.nowMs),
    ]);
    if (a) {
      const reg = memo.engine.register(this.policies.policies);
      this.#handle = reg.ok ? reg.handle : undefined;
      this.#setupErrors = reg.ok ? [] : reg.diagnostics;
    } else {
      this.#handle = undefined;
      this.#setupErrors = [];
    }
  }

  /**
   * Everything partner-wide a decision depends on besides the objects and the scope sets (partner,
   * agreement version and state, condition states and reasons, policies): an equal key with equal
   * objects means equal decisions, so an incremental pass re-decides only objects that changed.
   */
  get stateKey(): string {
    return this.#stateKey;
  }

  /** The earliest instant (ISO) the partner-wide state changes with no further event. */
  get changesAt(): string | undefined {
    return this.#changesAt;
  }

  /** The Cedar request for an intel projection: exposed so tests can check memo against uncached Cedar. */
  requestFor(intel: IntelProjection): CedarRequest {
    return { ...this.#principal, intel: this.#attrsFor(intel) };
  }

  #attrsFor(intel: IntelProjection): IntelAttrs {
    const scope = this.facts.agreement?.body.scope;
    const filter = this.#labelFilter;
    return {
      stix_type: intel.type,
      marking_state: intel.marking_state,
      tlp: intel.tlp === undefined ? 5 : TLP_LEVELS.indexOf(intel.tlp),
      labels: filter ? intel.labels.filter((l) => filter.has(l)) : intel.labels,
      in_neighbourhood:
        scope?.neighbourhood === undefined || (this.facts.neighbourhood?.has(intel.id) ?? false),
      in_location: scope?.locations === undefined || (this.facts.locations?.has(intel.id) ?? false),
    };
  }

  /**
   * Everything a decision's content depends on besides the clock's exact value: partner state,
   * agreement, condition states and their reasons, policies, the object's projection and version,
   * and whether an embargo still runs. Equal keys mean an equal decision (re-decision may skip it).
   */
  inputKeyFor(intel: IntelProjection): string {
    const agreement = this.facts.agreement?.body;
    const end = agreement?.embargo !== undefined ? embargoEnd(agreement, intel, this.facts.nowMs) : undefined;
    const embargoRunning = end !== undefined && Date.parse(end) > this.facts.nowMs;
    return [
      this.#stateKey,
      formatMemoKey(this.#handle ?? '', this.#principal, this.#attrsFor(intel)),
      intel.id,
      intel.version,
      embargoRunning ? end : '',
      // An IEP's outcome turns at its start and end dates: which side of them now is part of it.
      (intel.iep ?? [])
        .map((t) => {
          const now = this.facts.nowMs;
          const phase =
            now < t.start_ms ? 'before' : t.end_ms !== undefined && now >= t.end_ms ? 'after' : 'in';
          return `${t.label}\u0004${t.start_date}\u0004${t.end_date ?? ''}\u0004${phase}`;
        })
        .join('\u0005'),
    ].join('\u0003');
  }

  decide(intel: IntelProjection): Decision {
    const f = this.facts;
    const agreement = f.agreement?.body;
    let verdict: Verdict;
    if (!agreement) {
      verdict = this.#fixedVerdict('no-agreement', [
        {
          code: 'no-agreement',
          message: `partner ${f.partner.name} has no agreement; set one with: tearline agreement set`,
        },
      ]);
    } else if (this.#handle === undefined) {
      verdict = this.#fixedVerdict(
        'policy-error',
        this.#setupErrors.map((d) => ({
          code: 'policy-error',
          message: `the policy set does not validate: ${d.policyId ? `${d.policyId}: ` : ''}${d.message}`,
        })),
      );
    } else {
      const handle = this.#handle;
      this.#memoPrefix ??= formatMemoPrefix(handle, this.#principal);
      const answer = this.memo.authorizeKeyed(
        handle,
        this.#principal,
        this.#attrsFor(intel),
        this.#memoPrefix,
      );
      verdict = this.#verdicts.get(answer) ?? this.#explain(answer, agreement);
      this.#verdicts.set(answer, verdict);
      if (intel.releasable_to !== undefined) verdict = this.#releasability(verdict, agreement, intel);
    }
    let iepChangesAt: string | undefined;
    if (agreement && intel.iep !== undefined) {
      const iep = this.#iep(verdict, agreement, intel);
      verdict = iep.verdict;
      iepChangesAt = iep.changesAt;
    }
    const decision: Decision = {
      partner_id: f.partner.id,
      object_id: intel.id,
      object_version: intel.version,
      outcome: verdict.outcome,
      reasons: verdict.reasons,
      policies: verdict.policies,
      failing_conditions: this.#unmet,
      approvals_required: agreement ? APPROVALS_REQUIRED[agreement.approval] : 0,
      decided_at: this.#decidedAt,
    };
    if (f.agreement) decision.agreement_version = f.agreement.version;
    // #changesAt is already one earliest() gave: most objects carry no dated IEP terms.
    const changesAt =
      iepChangesAt === undefined ? this.#changesAt : earliest([this.#changesAt, iepChangesAt]);
    if (changesAt !== undefined) decision.changes_at = changesAt;
    if (verdict.outcome !== 'withhold' && agreement?.embargo !== undefined)
      this.#applyEmbargo(decision, agreement, intel);
    return decision;
  }

  /**
   * A releasability marking (REL TO, ACS) that does not name the partner's nationality or a
   * community of it withholds the object whatever its TLP; outside Cedar because operator
   * policies must not be able to permit past it.
   */
  #releasability(verdict: Verdict, agreement: Agreement, intel: IntelProjection): Verdict {
    const who = [
      ...(agreement.nationality !== undefined ? [agreement.nationality] : []),
      ...(agreement.communities ?? []),
    ];
    const to = intel.releasable_to ?? [];
    if (isReleasableTo(to, who)) return verdict;
    const marked = (intel.releasability ?? []).join('; ');
    const reason: DecisionReason = {
      code: 'releasability',
      message:
        who.length > 0
          ? `the object is marked ${marked}, which does not include ${who.join(', ')}`
          : `the object is marked ${marked} and the agreement names no nationality or community for the partner`,
    };
    if (verdict.outcome !== 'withhold') return { outcome: 'withhold', reasons: [reason], policies: [] };
    return { ...verdict, reasons: [reason, ...verdict.reasons] };
  }

  /**
   * IEP 2.0 terms the hub, as a recipient passing the object on, cannot meet (marking-iep.ts)
   * withhold it, naming the IEP; after Cedar, like releasability, so no operator policy permits
   * past them. The IEP's start and end dates are when the outcome changes by itself.
   */
  #iep(
    verdict: Verdict,
    agreement: Agreement,
    intel: IntelProjection,
  ): { verdict: Verdict; changesAt: string | undefined } {
    const reasons: DecisionReason[] = [];
    const dates: (string | undefined)[] = [];
    for (const terms of intel.iep ?? []) {
      for (const b of iepBlocks(terms, this.facts.nowMs, agreement.tls === true)) {
        reasons.push({
          code: 'iep',
          message: `the object is marked ${terms.label}, which ${b.why}`,
          ...(b.changes_at !== undefined && { changes_at: b.changes_at }),
        });
      }
      if (terms.start_ms > this.facts.nowMs) dates.push(terms.start_date);
      if (terms.end_ms !== undefined && terms.end_ms > this.facts.nowMs) dates.push(terms.end_date);
    }
    const changesAt = earliest(dates);
    if (reasons.length === 0) return { verdict, changesAt };
    if (verdict.outcome !== 'withhold')
      return { verdict: { outcome: 'withhold', reasons, policies: [] }, changesAt };
    return { verdict: { ...verdict, reasons: [...reasons, ...verdict.reasons] }, changesAt };
  }

  #fixedVerdict(key: string, reasons: DecisionReason[]): Verdict {
    const found = this.#fixed.get(key);
    if (found) return found;
    const v: Verdict = {
      outcome: 'withhold',
      reasons: Object.freeze(reasons) as DecisionReason[],
      policies: [],
    };
    this.#fixed.set(key, v);
    return v;
  }

  #applyEmbargo(decision: Decision, agreement: Agreement, intel: IntelProjection): void {
    const visibleFrom = embargoEnd(agreement, intel, this.facts.nowMs);
    if (visibleFrom === undefined) return;
    decision.visible_from = visibleFrom;
    if (Date.parse(visibleFrom) > this.facts.nowMs) {
      decision.reasons = [
        ...decision.reasons,
        {
          code: 'embargo',
          message: `embargo ${agreement.embargo}: visible to the partner from ${visibleFrom}`,
          changes_at: visibleFrom,
        },
      ];
    }
  }

  /** Turns a Cedar answer into outcome and reasons; the same answer always gives the same verdict. */
  #explain(answer: CedarAnswer, agreement: Agreement): Verdict {
    const meta = this.policies.meta;
    // Cedar skips a policy that errors; a skipped forbid must not let a permit through.
    if (answer.errors.length > 0 || answer.decision === 'deny') {
      const reasons: DecisionReason[] = answer.errors.map((e) => ({
        code: 'policy-error',
        message: `policy failed: ${e}`,
      }));
      for (const id of answer.policies) reasons.push(this.#reasonFor(id, meta[id]));
      if (reasons.length === 0) {
        reasons.push({ code: 'no-permit', message: 'no policy permits this release (deny by default)' });
      }
      return {
        outcome: 'withhold',
        reasons: Object.freeze(reasons) as DecisionReason[],
        policies: answer.policies,
      };
    }
    const reasons: DecisionReason[] = answer.policies.map((id) => this.#reasonFor(id, meta[id]));
    if (agreement.approval !== 'none') {
      reasons.push({
        code: 'approval-required',
        message: `the agreement requires approval by ${agreement.approval === 'two' ? 'two officers' : 'one officer'}`,
      });
    }
    return {
      outcome: agreement.approval === 'none' ? 'release' : 'needs-approval',
      reasons: Object.freeze(reasons) as DecisionReason[],
      policies: answer.policies,
    };
  }

  #reasonFor(policyId: string, meta: PolicyMeta | undefined): DecisionReason {
    if (!meta)
      return { code: 'operator-policy', message: `determined by policy ${policyId}`, policy: policyId };
    if (meta.condition !== undefined) {
      const state = this.#unmet.find((c) => c.id === meta.condition);
      return {
        code: meta.code,
        message: state ? `${meta.reason}: ${state.reason}` : meta.reason,
        policy: policyId,
        condition: meta.condition,
        ...(state?.changes_at !== undefined && { changes_at: state.changes_at }),
      };
    }
    if (meta.code === 'marking-missing' && meta.source === 'agreement' && this.facts.markingHint) {
      return { code: meta.code, message: `${meta.reason}: ${this.facts.markingHint}`, policy: policyId };
    }
    return { code: meta.code, message: meta.reason, policy: policyId };
  }
}

function stateOfAgreement(a: Agreement | undefined, nowMs: number): CedarRequest['agreementState'] {
  if (a?.valid_from !== undefined && nowMs < Date.parse(a.valid_from)) return 'not-yet-valid';
  if (a?.valid_until !== undefined && nowMs >= Date.parse(a.valid_until)) return 'expired';
  return 'active';
}

/** The embargo runs from the version's own time; with no usable time it runs from now (fail closed). */
function embargoEnd(a: Agreement, intel: IntelProjection, nowMs: number): string | undefined {
  if (a.embargo === undefined) return undefined;
  const d = parseIsoDuration(a.embargo);
  if (d === undefined) return undefined;
  return new Date(addIsoDuration(intel.version_time_ms ?? nowMs, d)).toISOString();
}

function earliest(times: readonly (string | undefined)[]): string | undefined {
  let best: number | undefined;
  for (const t of times) {
    if (t === undefined) continue;
    const ms = Date.parse(t);
    if (!Number.isNaN(ms) && (best === undefined || ms < best)) best = ms;
  }
  return best === undefined ? undefined : new Date(best).toISOString();
}

function hashText(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
