import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TLP_LEVELS, type TlpLevel } from '../stix/markings-tlp.js';
import { parseAgreement } from './agreement-parse.js';
import type { Agreement, ConditionSpec } from './agreement-types.js';
import { CedarEngine } from './cedar-engine.js';
import { evaluateConditions } from './condition-evaluate.js';
import { formatImpactLine, summariseImpact } from './condition-impact.js';
import { applyRequirement, type Requirement } from './condition-requirement.js';
import type { AssuranceRecord, ConditionFacts } from './condition-types.js';
import { PartnerDecider, type PartnerFacts } from './decision.js';
import { DecisionMemo } from './decision-memo.js';
import { type WhatWouldItTake, WhatWouldItTakeSolver } from './decision-what-would-it-take.js';
import type { IntelProjection } from './intel-projection.js';

const engine = new CedarEngine();
const partner = { id: 'identity--0f6b1c52-3bd6-4a4e-9a4b-6a3e7d1e2f10', name: 'kabul', enabled: true };
const distrusted = (() => {
  const r = parseAgreement(
    readFileSync(new URL('./fixtures/agreement-distrusted.yaml', import.meta.url), 'utf8'),
  );
  if (!r.ok) throw new Error('fixture invalid');
  return r.agreement;
})();
const DAY = 86_400_000;

function factsFor(
  agreement: Agreement,
  cf: ConditionFacts,
  nowMs: number,
  enabled = true,
  hood: ReadonlySet<string> = new Set(),
): PartnerFacts {
  return {
    partner: { ...partner, enabled },
    agreement: { version: 1, body: agreement },
    conditions: evaluateConditions(agreement, cf, nowMs),
    conditionFacts: cf,
    nowMs,
    neighbourhood: hood,
  };
}

function intel(id: string, over: Partial<IntelProjection> = {}): IntelProjection {
  return {
    id,
    version: '2026-12-01T00:00:00.000Z',
    type: 'indicator',
    marking_state: 'tlp',
    tlp: 'green',
    tlp_defaulted: false,
    labels: [],
    version_time_ms: Date.parse('2026-12-01T00:00:00.000Z'),
    ...over,
  };
}

/** Decides afresh (new memo, conditions evaluated again) with `reqs` supplied: the check of an answer. */
function redecideWith(facts: PartnerFacts, reqs: readonly Requirement[], i: IntelProjection) {
  let cf = facts.conditionFacts as ConditionFacts;
  let enabled = facts.partner.enabled;
  for (const r of reqs) {
    if (r.code === 'enable-partner') enabled = true;
    else cf = applyRequirement(cf, r, facts.nowMs);
  }
  const body = facts.agreement?.body as Agreement;
  return new PartnerDecider(
    factsFor(body, cf, facts.nowMs, enabled, facts.neighbourhood),
    new DecisionMemo(engine),
  ).decide(i);
}

const lapsedAt = Date.parse('2026-12-20T00:00:00Z');
const kabulFacts: ConditionFacts = {
  assurances: new Map(),
  feedbackReceivedMs: [lapsedAt - 2 * DAY],
  lastReviewAt: '2026-11-01T00:00:00Z',
  suspension: { on: false },
  openBreaches: [],
  partnerName: 'kabul',
};
const inHood = new Set(['indicator--1', 'indicator--2', 'report--1']);

describe('what would it take (distrusted agreement, hr-1 past review)', () => {
  const facts = factsFor(distrusted, kabulFacts, lapsedAt, true, inHood);
  const solver = new WhatWouldItTakeSolver(facts, new DecisionMemo(engine));

  it('names the assurance as the one fact, and says the release would still need two approvals', () => {
    const out = solver.solve(intel('indicator--1'));
    expect(out.code).toBe('facts');
    if (out.code !== 'facts') return;
    expect(out.answers).toHaveLength(1);
    const [a] = out.answers;
    expect(a?.requirements.map((r) => r.code)).toEqual(['attest-assurance']);
    expect(a?.requirements[0]?.message).toContain('hr-1');
    expect(a?.outcome).toBe('needs-approval');
    expect(a?.approvals_required).toBe(2);
    expect(redecideWith(facts, a?.requirements ?? [], intel('indicator--1')).outcome).toBe('needs-approval');
  });

  it('TLP:RED, an out-of-scope type and a denied label need a change of agreement, naming why', () => {
    const red = solver.solve(intel('indicator--2', { tlp: 'red' }));
    expect(red).toMatchObject({ code: 'agreement-change' });
    if (red.code === 'agreement-change') expect(red.blockers.map((b) => b.code)).toEqual(['tlp-red']);
    const malware = solver.solve(intel('indicator--2', { type: 'malware' }));
    if (malware.code !== 'agreement-change') throw new Error('expected agreement-change');
    expect(malware.blockers.map((b) => b.code)).toContain('out-of-scope-type');
    const label = solver.solve(intel('indicator--2', { labels: ['internal'] }));
    if (label.code !== 'agreement-change') throw new Error('expected agreement-change');
    expect(label.blockers.map((b) => b.code)).toEqual(['label-denied']);
  });

  it('counts the feedback items still owed and lists every unmet fact when several are', () => {
    const cf: ConditionFacts = {
      ...kabulFacts,
      feedbackReceivedMs: [],
      suspension: { on: true, reason: 'abuse' },
    };
    const f = factsFor(distrusted, cf, lapsedAt, false, inHood);
    const s = new WhatWouldItTakeSolver(f, new DecisionMemo(engine));
    expect(s.requirements.map((r) => r.code)).toEqual([
      'attest-assurance',
      'feedback-items',
      'resume-partner',
      'enable-partner',
    ]);
    const fb = s.requirements[1];
    expect(fb?.code === 'feedback-items' && fb.items).toBe(1);
    const out = s.solve(intel('indicator--1'));
    if (out.code !== 'facts') throw new Error('expected facts');
    expect(out.answers).toHaveLength(1);
    expect(out.answers[0]?.requirements).toHaveLength(4);
  });

  it('a queued object needs approvals only; a released one needs nothing', () => {
    const ok = factsFor(
      distrusted,
      {
        ...kabulFacts,
        assurances: new Map<string, AssuranceRecord>([
          [
            'hr-1',
            {
              state: 'attested',
              at: '2026-12-19T00:00:00Z',
              actor: 'o',
              valid_until: '2027-06-01T00:00:00Z',
              review_due: '2027-03-01T00:00:00Z',
            },
          ],
        ]),
      },
      lapsedAt,
      true,
      inHood,
    );
    const s = new WhatWouldItTakeSolver(ok, new DecisionMemo(engine));
    expect(s.solve(intel('indicator--1'))).toEqual({ code: 'approval', approvals_required: 2 });
    const none = factsFor({ ...distrusted, approval: 'none' }, ok.conditionFacts as ConditionFacts, lapsedAt);
    const s2 = new WhatWouldItTakeSolver({ ...none, neighbourhood: inHood }, new DecisionMemo(engine));
    expect(s2.solve(intel('indicator--1'))).toEqual({ code: 'nothing-needed' });
  });

  it('summarises per condition: "restoring hr-1 releases N item(s)"', () => {
    const all = (1 << solver.requirements.length) - 1;
    const items = ['indicator--1', 'indicator--2', 'report--1', 'indicator--9'].map((id) => {
      const i = intel(id, { type: id.split('--')[0] as string });
      return {
        object_id: id,
        type: i.type,
        answer: solver.solve(i),
        alone: solver.requirements.map((_, k) => solver.deciderFor(1 << k).decide(i).outcome),
        all: solver.deciderFor(all).decide(i).outcome,
      };
    });
    const impact = summariseImpact(solver.requirements, items);
    expect(impact.withheld).toBe(4);
    expect(impact.agreement_change).toBe(1); // indicator--9 is outside the neighbourhood
    expect(impact.all_met).toEqual({ release: 0, 'needs-approval': 3 });
    const hr = impact.conditions.find((c) => c.key === 'hr-1');
    expect(hr?.alone['needs-approval']).toBe(3);
    expect(hr?.alone_by_type).toEqual({ indicator: 2, report: 1 });
    expect(formatImpactLine(hr as NonNullable<typeof hr>)).toBe(
      'restoring hr-1 releases 3 item(s) (3 to the approval queue); it gates 3 withheld item(s)',
    );
  });
});

// ---- property: every answer works when applied, and no strictly smaller set does ----------

const NOW = Date.parse('2026-12-20T00:00:00Z');
const LEVELS = TLP_LEVELS as readonly TlpLevel[];

const conditionsArb: fc.Arbitrary<ConditionSpec[]> = fc
  .record({
    hr: fc.boolean(),
    hr2: fc.boolean(),
    rc: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    rv: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
  })
  .map(({ hr, hr2, rc, rv }) => {
    const out: ConditionSpec[] = [];
    for (const [on, id] of [
      [hr, 'hr-1'],
      [hr2, 'hr-2'],
    ] as const) {
      if (on)
        out.push({
          kind: 'assurance',
          id,
          title: id,
          evidence: [],
          valid_from: '2026-11-01T00:00:00Z',
          valid_until: '2026-12-31T00:00:00Z',
          review_due: '2026-12-15T00:00:00Z',
        });
    }
    if (rc !== undefined) out.push({ kind: 'reciprocity', id: 'rc', min_items: rc, window: 'P30D' });
    if (rv !== undefined) out.push({ kind: 'review', id: 'rv', days: rv });
    return out;
  });

const recordArb: fc.Arbitrary<AssuranceRecord | undefined> = fc.constantFrom(
  undefined,
  { state: 'revoked', at: '2026-12-01T00:00:00Z', actor: 'o', reason: 'abuse' } as const,
  {
    state: 'attested',
    at: '2026-12-01T00:00:00Z',
    actor: 'o',
    valid_until: '2027-03-01T00:00:00Z',
    review_due: '2027-02-01T00:00:00Z',
  } as const,
);

const scenarioArb = fc.record({
  conditions: conditionsArb,
  approval: fc.constantFrom('none', 'one', 'two' as const),
  ceiling: fc.constantFrom(...LEVELS),
  enabled: fc.boolean(),
  hr1: recordArb,
  hr2: recordArb,
  feedbackDaysAgo: fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 5 }),
  reviewDaysAgo: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
  suspended: fc.boolean(),
  breaches: fc.integer({ min: 0, max: 2 }),
  intel: fc.array(
    fc.record({
      type: fc.constantFrom('indicator', 'malware', 'report'),
      marking_state: fc.constantFrom('tlp', 'tlp', 'tlp', 'unmarked', 'unknown' as const),
      tlp: fc.constantFrom(...LEVELS),
      labels: fc.subarray(['internal', 'ct']),
    }),
    { minLength: 1, maxLength: 6 },
  ),
});

describe('what would it take (property-based)', () => {
  it('applying any answer changes the withhold as it says; no strictly smaller set does; no fact changes an agreement-change', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const agreement: Agreement = {
          scope: { types: ['indicator', 'report'], types_denied: [], labels_denied: ['internal'] },
          tlp_ceiling: s.ceiling,
          approval: s.approval,
          sanitisation: 'strict',
          conditions: s.conditions,
        };
        const assurances = new Map<string, AssuranceRecord>();
        if (s.hr1) assurances.set('hr-1', s.hr1);
        if (s.hr2) assurances.set('hr-2', s.hr2);
        const cf: ConditionFacts = {
          assurances,
          feedbackReceivedMs: s.feedbackDaysAgo.map((d) => NOW - d * DAY),
          ...(s.reviewDaysAgo !== undefined && {
            lastReviewAt: new Date(NOW - s.reviewDaysAgo * DAY).toISOString(),
          }),
          suspension: { on: s.suspended },
          openBreaches: Array.from({ length: s.breaches }, (_, i) => ({
            id: `b${i}`,
            reason: 'leak',
            opened_at: '2026-12-01T00:00:00Z',
          })),
        };
        const facts = factsFor(agreement, cf, NOW, s.enabled);
        const solver = new WhatWouldItTakeSolver(facts, new DecisionMemo(engine));
        // Each requirement, supplied alone, makes its own condition met.
        for (const r of solver.requirements) {
          if (r.code === 'enable-partner') continue;
          const after = evaluateConditions(agreement, applyRequirement(cf, r, NOW), NOW);
          expect(after.find((c) => c.id === r.condition)?.status).toBe('met');
        }
        s.intel.forEach((x, n) => {
          const i = intel(`indicator--${n}`, {
            type: x.type,
            marking_state: x.marking_state,
            labels: x.labels,
            ...(x.marking_state === 'tlp' && { tlp: x.tlp }),
          });
          if (x.marking_state !== 'tlp') delete i.tlp;
          const base = redecideWith(facts, [], i);
          const out: WhatWouldItTake = solver.solve(i);
          if (base.outcome === 'release') expect(out.code).toBe('nothing-needed');
          if (base.outcome === 'needs-approval') expect(out.code).toBe('approval');
          if (out.code === 'agreement-change') {
            expect(out.blockers.length).toBeGreaterThan(0);
            expect(redecideWith(facts, solver.requirements, i).outcome).toBe('withhold');
          }
          if (out.code !== 'facts') return;
          expect(base.outcome).toBe('withhold');
          expect(out.answers.length).toBeGreaterThan(0);
          for (const a of out.answers) {
            const d = redecideWith(facts, a.requirements, i);
            expect(d.outcome).toBe(a.outcome);
            expect(a.outcome).toBe(s.approval === 'none' ? 'release' : 'needs-approval');
            // Every strict subset (the empty set included) still withholds.
            const n = a.requirements.length;
            for (let m = 0; m < (1 << n) - 1; m++) {
              const sub = a.requirements.filter((_, k) => (m & (1 << k)) !== 0);
              expect(redecideWith(facts, sub, i).outcome).toBe('withhold');
            }
          }
        });
      }),
      { numRuns: 120 },
    );
  });
});
