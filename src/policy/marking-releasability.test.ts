import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tlp2MarkingId } from '../stix/markings-tlp.js';
import type { JsonObject } from '../stix/types.js';
import { parseAgreement } from './agreement-parse.js';
import type { Agreement } from './agreement-types.js';
import { CedarEngine } from './cedar-engine.js';
import { evaluateConditions } from './condition-evaluate.js';
import { PartnerDecider } from './decision.js';
import { DecisionMemo } from './decision-memo.js';
import { WhatWouldItTakeSolver } from './decision-what-would-it-take.js';
import { classifyStandardMarking, type MarkingClassifier, projectIntel } from './intel-projection.js';
import { ACS_EXTENSION_ID, parseReleasability } from './marking-releasability.js';

const statement = (text: string, n = 1): JsonObject => ({
  type: 'marking-definition',
  id: `marking-definition--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  definition_type: 'statement',
  definition: { statement: text },
});
const acs = (ext: unknown): JsonObject => ({
  type: 'marking-definition',
  id: 'marking-definition--00000000-0000-4000-8000-00000000aaaa',
  extensions: { [ACS_EXTENSION_ID]: ext as JsonObject },
});

describe('parseReleasability', () => {
  it('reads REL TO statements, ACS permitted nationalities, and leaves copyright notices alone', () => {
    expect(parseReleasability(statement('REL TO USA, GBR'))).toEqual({
      kind: 'releasable',
      to: ['GBR', 'USA'],
      label: 'REL TO USA, GBR',
    });
    expect(parseReleasability(statement('Releasable to: usa/aus and FVEY'))).toMatchObject({
      to: ['AUS', 'FVEY', 'USA'],
    });
    expect(parseReleasability(statement('Copyright 2026 the hub'))).toBeUndefined();
    const example = acs({
      control_set: { classification: 'U', permitted_nationalities: ['USA', 'AUS', 'CAN', 'GBR', 'NZL'] },
      access_privilege: [
        {
          privilege_action: 'CISAUSES',
          privilege_scope: { permitted_nationalities: ['USA', 'GBR'], entity: ['ALL'] },
          rule_effect: 'permit',
        },
      ],
    });
    expect(parseReleasability(example)).toMatchObject({ kind: 'releasable', to: ['GBR', 'USA'] });
    expect(
      parseReleasability(
        acs({
          access_privilege: [
            {
              privilege_action: 'CISAUSES',
              rule_effect: 'permit',
              privilege_scope: { permitted_nationalities: ['ALL'] },
            },
          ],
        }),
      ),
    ).toMatchObject({ kind: 'releasable', to: 'ALL' });
  });

  it('fails closed on what it cannot read: a vague REL TO, a deny rule, a malformed list', () => {
    expect(parseReleasability(statement('REL TO our friends in the region'))).toMatchObject({
      kind: 'unparsable',
    });
    expect(parseReleasability(statement('REL TO'))).toMatchObject({ kind: 'unparsable' });
    expect(
      parseReleasability(acs({ access_privilege: [{ privilege_action: 'CISAUSES', rule_effect: 'deny' }] })),
    ).toMatchObject({ kind: 'unparsable', why: expect.stringContaining('not a permit rule') });
    expect(parseReleasability(acs({ control_set: { permitted_nationalities: 'USA' } }))).toMatchObject({
      kind: 'unparsable',
    });
    expect(parseReleasability(acs('USA'))).toMatchObject({ kind: 'unparsable' });
  });
});

describe('agreement nationality and communities', () => {
  const base = 'scope: { types: [indicator] }\ntlp_ceiling: amber\napproval: none\nsanitisation: strict\n';
  it('are validated with their line', () => {
    const r = parseAgreement(`${base}nationality: afg\ncommunities: [FVEY, "no good"]\n`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.path, e.line])).toEqual([
      ['nationality', 5],
      ['communities[1]', 6],
    ]);
    const ok = parseAgreement(`${base}nationality: AFG\ncommunities: [EU-CT]\n`);
    expect(ok.ok && [ok.agreement.nationality, ok.agreement.communities]).toEqual(['AFG', ['EU-CT']]);
  });
});

// ---- property: random nationality sets --------------------------------------------------------

const engine = new CedarEngine();
const NATIONS = ['USA', 'GBR', 'AFG', 'PAK', 'FRA', 'DEU', 'AUS', 'FVEY'];
const NOW = Date.parse('2026-12-01T00:00:00Z');
const nationSet = fc.subarray(NATIONS, { minLength: 1 });

describe('releasability (property-based)', () => {
  it('withholds exactly when no marking set names the partner, naming the marking, whatever the TLP', () => {
    fc.assert(
      fc.property(
        fc.array(nationSet, { minLength: 0, maxLength: 3 }),
        fc.option(fc.constantFrom(...NATIONS.slice(0, 7)), { nil: undefined }),
        fc.subarray(['FVEY', 'NATO']),
        fc.constantFrom('clear', 'green', 'amber' as const),
        (sets, nationality, communities, tlp) => {
          const defs = sets.map((s, i) => statement(`REL TO ${s.join(', ')}`, i + 1));
          const byId = new Map(defs.map((d) => [d.id as string, parseReleasability(d)]));
          const classify: MarkingClassifier = (id) => {
            const r = byId.get(id);
            if (r?.kind === 'releasable') return { kind: 'releasability', to: r.to, label: r.label };
            return classifyStandardMarking(id);
          };
          const agreement: Agreement = {
            scope: { types: ['indicator'], types_denied: [], labels_denied: [] },
            tlp_ceiling: 'amber',
            approval: 'none',
            sanitisation: 'strict',
            conditions: [],
            ...(nationality !== undefined && { nationality }),
            ...(communities.length > 0 && { communities }),
          };
          const cf = {
            assurances: new Map(),
            feedbackReceivedMs: [],
            suspension: { on: false },
            openBreaches: [],
          };
          const facts = {
            partner: { id: 'identity--0f6b1c52-3bd6-4a4e-9a4b-6a3e7d1e2f10', name: 'p', enabled: true },
            agreement: { version: 1, body: agreement },
            conditions: evaluateConditions(agreement, cf, NOW),
            conditionFacts: cf,
            nowMs: NOW,
          };
          const intel = projectIntel(
            {
              type: 'indicator',
              id: 'indicator--3c1b1ef8-6b1a-4a39-8d3f-2a4f8a0f4a11',
              created: '2026-11-01T00:00:00Z',
              object_marking_refs: [tlp2MarkingId(tlp), ...defs.map((d) => d.id as string)],
            },
            { classify },
          );
          const d = new PartnerDecider(facts, new DecisionMemo(engine)).decide(intel);
          const who = [...(nationality ? [nationality] : []), ...communities];
          const allowed = sets.every((s) => s.some((n) => who.includes(n)));
          expect(d.outcome).toBe(allowed ? 'release' : 'withhold');
          if (!allowed) {
            expect(d.reasons[0]?.code).toBe('releasability');
            expect(d.reasons[0]?.message).toContain('REL TO');
            // No condition, approval or enabling changes it: only the agreement (or the object).
            const w = new WhatWouldItTakeSolver(facts, new DecisionMemo(engine)).solve(intel);
            expect(w).toMatchObject({ code: 'agreement-change' });
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
