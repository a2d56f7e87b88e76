import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tlp2MarkingId } from '../stix/markings-tlp.js';
import type { JsonObject } from '../stix/types.js';
import { parseAgreement } from './agreement-parse.js';
import type { Agreement, ConditionSpec } from './agreement-types.js';
import { authorizeUncached, CedarEngine } from './cedar-engine.js';
import { evaluateConditions } from './condition-evaluate.js';
import type { ConditionFacts, ConditionState } from './condition-types.js';
import { PartnerDecider, type PartnerFacts } from './decision.js';
import { DecisionMemo } from './decision-memo.js';
import { redecide } from './decision-redecide.js';
import { classifyStandardMarking, type IntelProjection, projectIntel } from './intel-projection.js';

const engine = new CedarEngine();
const ISISK = 'intrusion-set--d118aebe-ee43-58e9-9939-14d533fcb970';
const distrusted = (() => {
  const r = parseAgreement(
    readFileSync(new URL('./fixtures/agreement-distrusted.yaml', import.meta.url), 'utf8'),
  );
  if (!r.ok) throw new Error('fixture invalid');
  return r.agreement;
})();
const partner = { id: 'identity--0f6b1c52-3bd6-4a4e-9a4b-6a3e7d1e2f10', name: 'distrusted', enabled: true };
const allMet: ConditionFacts = {
  assurances: new Map(),
  feedbackReceivedMs: [Date.parse('2026-11-25T00:00:00Z'), Date.parse('2026-12-20T00:00:00Z')],
  lastReviewAt: '2026-11-01T00:00:00Z',
  suspension: { on: false },
  openBreaches: [],
};

function indicator(overrides: JsonObject = {}): JsonObject {
  return {
    type: 'indicator',
    id: 'indicator--3c1b1ef8-6b1a-4a39-8d3f-2a4f8a0f4a11',
    created: '2026-12-01T00:00:00.000Z',
    modified: '2026-12-01T00:00:00.000Z',
    object_marking_refs: [tlp2MarkingId('green')],
    ...overrides,
  };
}

function deciderAt(
  agreement: Agreement,
  now: string,
  facts: ConditionFacts = allMet,
  extra: Partial<PartnerFacts> = {},
) {
  const nowMs = Date.parse(now);
  return new PartnerDecider(
    {
      partner,
      agreement: { version: 1, body: agreement },
      conditions: evaluateConditions(agreement, facts, nowMs),
      nowMs,
      neighbourhood: new Set([ISISK, 'indicator--3c1b1ef8-6b1a-4a39-8d3f-2a4f8a0f4a11']),
      ...extra,
    },
    new DecisionMemo(engine),
  );
}

const project = (o: JsonObject) => projectIntel(o, { classify: classifyStandardMarking });

describe('decide across an assurance expiry and review date', () => {
  const hr = distrusted.conditions[0] as Extract<ConditionSpec, { kind: 'assurance' }>;
  const noReview: Agreement = {
    ...distrusted,
    approval: 'none',
    conditions: [{ ...hr, review_due: '2027-06-01T00:00:00Z' }],
  };

  it('releases at valid_until - 1 s and withholds at valid_until + 1 s, naming the assurance', () => {
    const before = deciderAt(noReview, '2026-12-30T23:59:59Z').decide(project(indicator()));
    expect(before.outcome).toBe('release');
    expect(before.changes_at).toBe('2026-12-31T00:00:00.000Z');
    const after = deciderAt(noReview, '2026-12-31T00:00:01Z').decide(project(indicator()));
    expect(after.outcome).toBe('withhold');
    expect(after.reasons).toEqual([
      expect.objectContaining({
        code: 'condition-unmet',
        condition: 'hr-1',
        policy: 'agreement.forbid.condition.hr-1',
      }),
    ]);
    expect(after.reasons[0]?.message).toContain('expired at 2026-12-31T00:00:00.000Z');
  });

  it('needs two approvals before review_due and withholds after it, under the demo agreement', () => {
    const before = deciderAt(distrusted, '2026-12-14T23:59:59Z').decide(project(indicator()));
    expect(before.outcome).toBe('needs-approval');
    expect(before.approvals_required).toBe(2);
    expect(before.reasons.map((r) => r.code)).toEqual(['in-scope', 'approval-required']);
    const after = deciderAt(distrusted, '2026-12-15T00:00:01Z').decide(project(indicator()));
    expect(after.outcome).toBe('withhold');
    expect(after.reasons[0]?.message).toContain('overdue for review');
  });

  it('reports the embargo while it runs', () => {
    const d = deciderAt(distrusted, '2026-12-01T12:00:00Z').decide(project(indicator()));
    expect(d.visible_from).toBe('2026-12-02T00:00:00.000Z');
    expect(d.reasons.map((r) => r.code)).toContain('embargo');
  });

  it('an agreement saying "embargo: PT0S" releases at once, with no visible_from', () => {
    const text = readFileSync(new URL('./fixtures/agreement-distrusted.yaml', import.meta.url), 'utf8');
    const r = parseAgreement(text.replace('embargo: PT24H', 'embargo: PT0S'));
    if (!r.ok) throw new Error('PT0S refused');
    const d = deciderAt(r.agreement, '2026-12-01T12:00:00Z').decide(project(indicator()));
    expect(d.outcome).toBe('needs-approval');
    expect(d.visible_from).toBeUndefined();
    expect(d.reasons.map((r) => r.code)).not.toContain('embargo');
  });
});

describe('withhold reasons', () => {
  const at = '2026-12-01T12:00:00Z';
  it('names RED, ceiling, missing and unknown markings, type, label and neighbourhood', () => {
    const d = deciderAt(distrusted, at);
    const codes = (o: JsonObject) => d.decide(project(o)).reasons.map((r) => r.code);
    expect(codes(indicator({ object_marking_refs: [tlp2MarkingId('red')] }))).toEqual(['tlp-red']);
    expect(codes(indicator({ object_marking_refs: [tlp2MarkingId('amber')] }))).toEqual([
      'tlp-above-ceiling',
    ]);
    expect(codes(indicator({ object_marking_refs: [] }))).toEqual(['marking-missing']);
    expect(
      codes(indicator({ object_marking_refs: ['marking-definition--00000000-0000-4000-8000-000000000000'] })),
    ).toEqual(['marking-unknown']);
    expect(codes(indicator({ type: 'malware' }))).toEqual(['out-of-scope-type']);
    expect(codes(indicator({ labels: ['internal'] }))).toEqual(['label-denied']);
    expect(codes(indicator({ id: 'indicator--9c1b1ef8-6b1a-4a39-8d3f-2a4f8a0f4a11' }))).toEqual([
      'outside-neighbourhood',
    ]);
  });

  it('names a disabled partner, an expired agreement, a missing agreement and a suspension', () => {
    const disabled = new PartnerDecider(
      { ...deciderAt(distrusted, at).facts, partner: { ...partner, enabled: false } },
      new DecisionMemo(engine),
    );
    expect(disabled.decide(project(indicator())).reasons.map((r) => r.code)).toEqual(['partner-disabled']);
    const expired = deciderAt(distrusted, '2027-01-02T00:00:00Z').decide(project(indicator()));
    expect(expired.reasons.map((r) => r.code)).toContain('agreement-expired');
    const none = new PartnerDecider({ partner, conditions: [], nowMs: 0 }, new DecisionMemo(engine));
    expect(none.decide(project(indicator()))).toMatchObject({
      outcome: 'withhold',
      reasons: [{ code: 'no-agreement' }],
    });
    const suspended = deciderAt(distrusted, at, {
      ...allMet,
      suspension: { on: true, reason: 'abuse reported' },
    });
    expect(suspended.decide(project(indicator())).reasons[0]?.message).toContain('abuse reported');
  });

  it('an operator policy that errors at run time cannot let a release through', () => {
    const ally: Agreement = {
      ...distrusted,
      approval: 'none',
      conditions: [],
      embargo: undefined,
    } as unknown as Agreement;
    delete (ally as { embargo?: string }).embargo;
    const d = deciderAt(ally, at, allMet, {
      operator: {
        // Long overflow raises an evaluation error, which Cedar answers by skipping the policy.
        policies: {
          'operator.t.0':
            '@reason("overflow") forbid (principal, action, resource) when { (resource.tlp + 1) * 9223372036854775807 > 0 };',
        },
        meta: {
          'operator.t.0': { code: 'overflow', reason: 'overflow', effect: 'forbid', source: 'operator' },
        },
      },
    });
    const out = d.decide(project(indicator()));
    expect(out.outcome).toBe('withhold');
    expect(out.reasons[0]?.code).toBe('policy-error');
  });
});

// ---- properties ----------------------------------------------------------------------------

const TYPES = ['indicator', 'malware', 'report', 'relationship', 'location', 'intrusion-set'];
const LABELS = ['internal', 'public', 'ct', 'sources-and-methods'];
const LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;

const agreementArb: fc.Arbitrary<Agreement> = fc
  .record({
    types: fc.subarray(TYPES),
    types_denied: fc.subarray(TYPES, { maxLength: 2 }),
    labels: fc.option(fc.subarray(LABELS, { minLength: 1 }), { nil: undefined }),
    labels_denied: fc.subarray(LABELS, { maxLength: 2 }),
    hood: fc.boolean(),
    tlp_ceiling: fc.constantFrom(...LEVELS),
    approval: fc.constantFrom('none', 'one', 'two'),
    nConditions: fc.integer({ min: 0, max: 3 }),
  })
  .map((r) => ({
    scope: {
      types: r.types,
      types_denied: r.types_denied,
      ...(r.labels !== undefined && { labels: r.labels }),
      labels_denied: r.labels_denied,
      ...(r.hood && { neighbourhood: { of: [ISISK], hops: 2 } }),
    },
    tlp_ceiling: r.tlp_ceiling,
    approval: r.approval as Agreement['approval'],
    sanitisation: 'strict',
    valid_from: '2026-01-01T00:00:00Z',
    valid_until: '2027-01-01T00:00:00Z',
    conditions: Array.from({ length: r.nConditions }, (_, i) => ({
      kind: 'assurance' as const,
      id: `a-${i}`,
      title: `Assurance ${i}`,
      evidence: [],
    })),
  }));

const intelArb: fc.Arbitrary<IntelProjection> = fc
  .record({
    n: fc.integer({ min: 0, max: 3 }),
    type: fc.constantFrom(...TYPES),
    marking_state: fc.constantFrom('tlp', 'tlp', 'tlp', 'unmarked', 'unknown'),
    tlp: fc.constantFrom(...LEVELS),
    labels: fc.subarray([...LABELS, 'unlisted', 'NIST SP 800-53 Rev. 5 - SI-3']),
  })
  .map((r) => ({
    id: `${r.type}--00000000-0000-4000-8000-00000000000${r.n}`,
    version: '2026-06-01T00:00:00.000Z',
    type: r.type,
    marking_state: r.marking_state as IntelProjection['marking_state'],
    ...(r.marking_state === 'tlp' && { tlp: r.tlp }),
    tlp_defaulted: false,
    labels: [...r.labels].sort(),
    version_time_ms: Date.parse('2026-06-01T00:00:00Z'),
  }));

const scenarioArb = fc.record({
  agreement: agreementArb,
  statuses: fc.array(fc.constantFrom('met', 'met', 'unmet', 'unknown'), { minLength: 5, maxLength: 5 }),
  enabled: fc.boolean(),
  nowMs: fc.constantFrom(
    Date.parse('2025-06-01T00:00:00Z'),
    Date.parse('2026-06-02T00:00:00Z'),
    Date.parse('2027-06-01T00:00:00Z'),
  ),
  hoodSize: fc.integer({ min: 0, max: 4 }),
  intel: fc.array(intelArb, { minLength: 1, maxLength: 12 }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function buildDecider(s: Scenario, memo: DecisionMemo) {
  const conditions: ConditionState[] = [
    ...s.agreement.conditions.map((c) => ({ id: c.id, kind: c.kind, title: c.id })),
    { id: 'suspension', kind: 'suspension' as const, title: 'x' },
    { id: 'breach', kind: 'breach' as const, title: 'x' },
  ].map((c, i) => ({ ...c, status: s.statuses[i] ?? 'unknown', reason: `${c.id} is ${s.statuses[i]}` }));
  const hood = new Set(
    TYPES.flatMap((t) =>
      Array.from({ length: s.hoodSize }, (_, n) => `${t}--00000000-0000-4000-8000-00000000000${n}`),
    ),
  );
  return new PartnerDecider(
    {
      partner: { ...partner, enabled: s.enabled },
      agreement: { version: 3, body: s.agreement },
      conditions,
      nowMs: s.nowMs,
      neighbourhood: hood,
    },
    memo,
  );
}

describe('decision invariants (property-based)', () => {
  it('no release or approval request while a condition is unmet; RED never released; withholds have reasons', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const decider = buildDecider(s, new DecisionMemo(engine));
        const anyUnmet = decider.facts.conditions.some((c) => c.status !== 'met');
        for (const intel of s.intel) {
          const d = decider.decide(intel);
          if (anyUnmet) expect(d.outcome).toBe('withhold');
          if (intel.marking_state !== 'tlp' || intel.tlp === 'red') expect(d.outcome).toBe('withhold');
          if (!s.enabled) expect(d.outcome).toBe('withhold');
          expect(d.reasons.length).toBeGreaterThan(0);
          for (const r of d.reasons) {
            expect(r.code).toMatch(/^[a-z-]+$/);
            expect(r.message.length).toBeGreaterThan(0);
          }
          if (d.outcome === 'withhold' && anyUnmet) {
            expect(d.reasons.some((r) => r.code === 'condition-unmet')).toBe(true);
          }
          if (d.outcome === 'release') expect(s.agreement.approval).toBe('none');
        }
      }),
      { numRuns: 80 },
    );
  });

  it('the memoised Cedar answer always equals the uncached Cedar answer', () => {
    const shared = new DecisionMemo(engine);
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const decider = buildDecider(s, shared);
        for (const intel of [...s.intel, ...s.intel]) {
          const req = decider.requestFor(intel);
          const reg = engine.register(decider.policies.policies);
          if (!reg.ok) throw new Error(JSON.stringify(reg.diagnostics));
          // Against Cedar on the unreduced projection: all labels, not only those policies name.
          const full = { ...req, intel: { ...req.intel, labels: intel.labels } };
          expect(shared.authorize(reg.handle, req)).toEqual(
            authorizeUncached(decider.policies.policies, full),
          );
        }
      }),
      { numRuns: 25 },
    );
    expect(shared.hits).toBeGreaterThan(0);
  });

  it('deciding twice gives the same decision (deterministic)', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const a = buildDecider(s, new DecisionMemo(engine));
        const b = buildDecider(s, new DecisionMemo(engine));
        for (const intel of s.intel) expect(a.decide(intel)).toEqual(b.decide(intel));
      }),
      { numRuns: 25 },
    );
  });
});

describe('re-decision (property-based)', () => {
  const reasonsOf = (d: { outcome: string; reasons: { code: string; message: string }[] }) =>
    JSON.stringify([d.outcome, d.reasons.map((r) => [r.code, r.message])]);

  it('is idempotent: a second pass over its own marks changes nothing and asks no one', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        // One projection per object id, as the store yields them.
        const intels = [...new Map(s.intel.map((i) => [i.id, i])).values()];
        const decider = buildDecider(s, new DecisionMemo(engine));
        const first = redecide(decider, intels, new Map());
        expect(first.changed.length).toBe(intels.length);
        const second = redecide(decider, intels, first.marks);
        expect(second.changed).toEqual([]);
        expect(second.skipped).toBe(intels.length);
      }),
      { numRuns: 30 },
    );
  });

  it('is incremental and misses nothing: every decision that differs after a change is reported', () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.array(fc.constantFrom('met', 'unmet', 'unknown'), { minLength: 5, maxLength: 5 }),
        fc.boolean(),
        (s, statuses, enabled) => {
          const intels = [...new Map(s.intel.map((i) => [i.id, i])).values()];
          const before = buildDecider(s, new DecisionMemo(engine));
          const first = redecide(before, intels, new Map());
          const after = buildDecider({ ...s, statuses, enabled }, new DecisionMemo(engine));
          const second = redecide(after, intels, first.marks);
          const changedIds = new Set(second.changed.map((d) => d.object_id));
          for (const intel of intels) {
            const differs = reasonsOf(before.decide(intel)) !== reasonsOf(after.decide(intel));
            expect(changedIds.has(intel.id)).toBe(differs);
          }
          expect(second.skipped + second.unchanged + second.changed.length).toBe(intels.length);
        },
      ),
      { numRuns: 30 },
    );
  });
});
