import type { Agreement } from '../src/policy/agreement-types.js';
import { CedarEngine } from '../src/policy/cedar-engine.js';
import { evaluateConditions } from '../src/policy/condition-evaluate.js';
import type { AssuranceRecord, ConditionFacts } from '../src/policy/condition-types.js';
import { PartnerDecider, type PartnerFacts } from '../src/policy/decision.js';
import { DecisionMemo } from '../src/policy/decision-memo.js';
import { WhatWouldItTakeSolver } from '../src/policy/decision-what-would-it-take.js';
import { type IntelProjection, projectIntel } from '../src/policy/intel-projection.js';
import type { TlpLevel } from '../src/stix/markings-tlp.js';
import { bundleMarkingClassifier, loadMitreObjects } from './bench-data.js';
import { medianMs, report } from './report.js';

// What would it take for the whole table (every object x 20 partners), against a plain decide of
// the same table in the same run. Partners have up to five conditions with 0-4 of them unmet, so
// the search runs over up to 16 subsets per withheld object.
const BENCH = 'what-would-it-take';
const objects = loadMitreObjects();
const classify = bundleMarkingClassifier(objects);
const untaggedTlp: TlpLevel = 'clear';
const projections: IntelProjection[] = objects.map((o) => projectIntel(o, { classify, untaggedTlp }));

const NOW = Date.parse('2026-06-01T00:00:00Z');
const DAY = 86_400_000;
const TYPE_SETS = [
  ['attack-pattern', 'relationship', 'intrusion-set', 'malware', 'campaign'],
  ['attack-pattern', 'course-of-action', 'relationship'],
  ['intrusion-set', 'malware', 'relationship', 'x-mitre-tactic', 'x-mitre-asset'],
];
const CEILINGS: TlpLevel[] = ['clear', 'green', 'amber', 'amber+strict'];

function partnerFacts(i: number): PartnerFacts {
  const agreement: Agreement = {
    scope: {
      types: TYPE_SETS[i % TYPE_SETS.length] as string[],
      types_denied: [],
      labels_denied: ['internal'],
    },
    tlp_ceiling: CEILINGS[i % CEILINGS.length] as TlpLevel,
    approval: (['none', 'one', 'two'] as const)[i % 3] as Agreement['approval'],
    sanitisation: 'standard',
    conditions: [
      { kind: 'assurance', id: 'hr-1', title: 'Human rights', evidence: [] },
      { kind: 'reciprocity', id: 'rc', min_items: 3, window: 'P30D' },
      { kind: 'review', id: 'rv', days: 90 },
    ],
  };
  const lapsed = (bit: number) => ((i >> bit) & 1) === 1;
  const hr: AssuranceRecord = {
    state: 'attested',
    at: '2026-01-01T00:00:00Z',
    actor: 'bench',
    valid_from: '2026-01-01T00:00:00Z',
    valid_until: lapsed(0) ? '2026-05-01T00:00:00Z' : '2027-01-01T00:00:00Z',
  };
  const cf: ConditionFacts = {
    assurances: new Map([['hr-1', hr]]),
    feedbackReceivedMs: lapsed(1) ? [NOW - DAY] : [NOW - DAY, NOW - 2 * DAY, NOW - 3 * DAY],
    lastReviewAt: new Date(NOW - (lapsed(2) ? 120 : 10) * DAY).toISOString(),
    suspension: { on: lapsed(3) },
    openBreaches: [],
  };
  return {
    partner: {
      id: `identity--00000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`,
      name: `p${i}`,
      enabled: true,
    },
    agreement: { version: 1, body: agreement },
    conditions: evaluateConditions(agreement, cf, NOW),
    conditionFacts: cf,
    nowMs: NOW,
  };
}
const facts = Array.from({ length: 20 }, (_, i) => partnerFacts(i));
const engine = new CedarEngine();
const decisions = projections.length * facts.length;

function decideTable(): number {
  const memo = new DecisionMemo(engine);
  let withheld = 0;
  for (const f of facts) {
    const d = new PartnerDecider(f, memo);
    for (const p of projections) if (d.decide(p).outcome === 'withhold') withheld++;
  }
  return withheld;
}

const counts = { 'nothing-needed': 0, approval: 0, facts: 0, 'agreement-change': 0, answers: 0 };
function solveTable(tally = false): void {
  const memo = new DecisionMemo(engine);
  for (const f of facts) {
    const s = new WhatWouldItTakeSolver(f, memo);
    for (const p of projections) {
      const w = s.solve(p);
      if (!tally) continue;
      counts[w.code]++;
      if (w.code === 'facts') counts.answers += w.answers.length;
    }
  }
}

decideTable(); // warm-up: registers the policy sets once per process
solveTable(true);
const rounds = { decide: [] as number[], solve: [] as number[] };
for (let round = 0; round < 5; round++) {
  rounds.decide.push(medianMs(1, decideTable));
  rounds.solve.push(medianMs(1, () => solveTable()));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const decideMs = median(rounds.decide);
const solveMs = median(rounds.solve);
report({ bench: BENCH, metric: 'objects x partners', value: decisions, unit: 'decisions' });
report({ bench: BENCH, metric: 'withheld with a fact answer', value: counts.facts, unit: 'items' });
report({
  bench: BENCH,
  metric: 'needing a change of agreement',
  value: counts['agreement-change'],
  unit: 'items',
});
report({
  bench: BENCH,
  metric: 'what would it take, whole table',
  value: solveMs,
  unit: 'ms',
  baseline: decideMs,
  ratio: solveMs / decideMs,
  target: '< 5000 ms for 4,500 x 20',
  met: solveMs < 5000 * (decisions / 90_000),
});
