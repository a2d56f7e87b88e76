import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareTlp, tlp2MarkingId } from '../stix/markings-tlp.js';
import type { JsonObject } from '../stix/types.js';
import { parseAgreement } from './agreement-parse.js';
import type { Agreement } from './agreement-types.js';
import { CedarEngine } from './cedar-engine.js';
import { evaluateConditions } from './condition-evaluate.js';
import { PartnerDecider, type PartnerFacts } from './decision.js';
import { DecisionMemo } from './decision-memo.js';
import { classifyStandardMarking, type MarkingClassifier, projectIntel } from './intel-projection.js';
import { IEP_EXTENSION_ID, IEP_PERMITTED_ACTIONS, parseIep } from './marking-iep.js';

const IEP_ID = 'marking-definition--da05d443-ad8d-46fc-abf5-31d3d00290f1';
// The OASIS common-objects example (iep-marking-definition-762/examples), as producers emit it.
const content = {
  extension_type: 'property-extension',
  encrypt_in_transit: 'may',
  permitted_actions: 'externally-visible-direct-actions',
  affected_party_notifications: 'may',
  tlp: 'amber',
  provider_attribution: 'must-not',
  unmodified_resale: 'must-not',
  iep_id: '0224bfdf-ea3a-49c3-96f6-66d908bb1845',
  iep_version: 2.0,
  description: 'This is a TLP-AMBER Information Exchange Policy',
  start_date: '2022-10-01T00:00:00Z',
};
const iepDef = (over: Record<string, unknown> = {}, name = 'IEP data marking'): JsonObject => ({
  type: 'marking-definition',
  spec_version: '2.1',
  id: IEP_ID,
  created: '2024-01-10T14:52:41.853121Z',
  name,
  extensions: { [IEP_EXTENSION_ID]: { ...content, ...over } as JsonObject },
});

describe('parseIep', () => {
  it('reads the OASIS IEP 2.0 extension, normalising TLP white to clear', () => {
    expect(parseIep(iepDef())).toEqual({
      kind: 'iep',
      terms: {
        label: 'IEP "IEP data marking"',
        iep_id: '0224bfdf-ea3a-49c3-96f6-66d908bb1845',
        encrypt_in_transit: 'may',
        permitted_actions: 'externally-visible-direct-actions',
        affected_party_notifications: 'may',
        tlp: 'amber',
        provider_attribution: 'must-not',
        unmodified_resale: 'must-not',
        start_ms: Date.parse('2022-10-01T00:00:00Z'),
        start_date: '2022-10-01T00:00:00.000Z',
      },
    });
    expect(parseIep(iepDef({ tlp: 'WHITE', end_date: '2030-01-01T00:00:00Z' }))).toMatchObject({
      terms: { tlp: 'clear', end_date: '2030-01-01T00:00:00.000Z' },
    });
    expect(
      parseIep({ type: 'marking-definition', definition_type: 'statement', definition: { statement: 'x' } }),
    ).toBeUndefined();
  });

  it('fails closed, saying which field, on anything it cannot read', () => {
    const why = (over: Record<string, unknown>) => {
      const r = parseIep(iepDef(over));
      return r?.kind === 'unparsable' ? r.why : `parsed: ${JSON.stringify(r)}`;
    };
    expect(why({ tlp: 'amber+strict' })).toContain('tlp must be one of');
    expect(why({ permitted_actions: 'whatever' })).toContain('permitted_actions must be one of');
    expect(why({ encrypt_in_transit: undefined })).toContain('encrypt_in_transit');
    expect(why({ provider_attribution: 'should' })).toContain('provider_attribution');
    expect(why({ iep_version: 1 })).toContain('iep_version must be 2.0');
    expect(why({ iep_id: 'not-a-uuid' })).toContain('iep_id');
    expect(why({ start_date: 'yesterday' })).toContain('start_date');
    expect(why({ end_date: '2020-01-01T00:00:00Z' })).toContain('end_date must be after start_date');
    const notObject = parseIep({ type: 'marking-definition', extensions: { [IEP_EXTENSION_ID]: 'amber' } });
    expect(notObject).toMatchObject({ kind: 'unparsable' });
    // IEP 1.0's definition_type was never STIX 2.1: the hub does not guess what it allows.
    expect(parseIep({ type: 'marking-definition', definition_type: 'iep', definition: {} })).toMatchObject({
      kind: 'unparsable',
    });
  });
});

describe('agreement tls', () => {
  const base = 'scope: { types: [indicator] }\ntlp_ceiling: amber\napproval: none\nsanitisation: strict\n';
  it('is a boolean, named with its line when it is not', () => {
    const bad = parseAgreement(`${base}tls: yes please\n`);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => [e.path, e.line])).toEqual([['tls', 5]]);
    const ok = parseAgreement(`${base}tls: true\n`);
    expect(ok.ok && ok.agreement.tls).toBe(true);
    const off = parseAgreement(`${base}tls: false\n`);
    expect(off.ok && off.agreement.tls).toBeUndefined();
  });
});

const engine = new CedarEngine();
const NOW = Date.parse('2026-12-01T00:00:00Z');
const OBJECT = {
  type: 'indicator',
  id: 'indicator--3c1b1ef8-6b1a-4a39-8d3f-2a4f8a0f4a11',
  created: '2026-11-01T00:00:00Z',
};

function decide(
  def: JsonObject,
  opts: { tls?: boolean; ceiling?: Agreement['tlp_ceiling']; refs?: string[]; now?: number },
) {
  const now = opts.now ?? NOW;
  const parsed = parseIep(def);
  const classify: MarkingClassifier = (id) => {
    if (id === IEP_ID && parsed?.kind === 'iep') return { kind: 'iep', terms: parsed.terms };
    return classifyStandardMarking(id);
  };
  const agreement: Agreement = {
    scope: { types: ['indicator'], types_denied: [], labels_denied: [] },
    tlp_ceiling: opts.ceiling ?? 'amber',
    approval: 'none',
    sanitisation: 'strict',
    conditions: [],
    ...(opts.tls === true && { tls: true }),
  };
  const cf = { assurances: new Map(), feedbackReceivedMs: [], suspension: { on: false }, openBreaches: [] };
  const facts: PartnerFacts = {
    partner: { id: 'identity--0f6b1c52-3bd6-4a4e-9a4b-6a3e7d1e2f10', name: 'p', enabled: true },
    agreement: { version: 1, body: agreement },
    conditions: evaluateConditions(agreement, cf, now),
    conditionFacts: cf,
    nowMs: now,
  };
  const intel = projectIntel({ ...OBJECT, object_marking_refs: opts.refs ?? [IEP_ID] }, { classify });
  const decider = new PartnerDecider(facts, new DecisionMemo(engine));
  return { intel, decision: decider.decide(intel), inputKey: decider.inputKeyFor(intel) };
}

describe('IEP decisions (the hub as a recipient re-sharing)', () => {
  it("the IEP's TLP is the object's level, and never lowers a stricter TLP marking", () => {
    const { intel, decision } = decide(iepDef(), {});
    expect(intel).toMatchObject({ marking_state: 'tlp', tlp: 'amber' });
    expect(decision.outcome).toBe('release');
    expect(decide(iepDef(), { ceiling: 'green' }).decision.reasons[0]?.code).toBe('tlp-above-ceiling');
    const red = decide(iepDef({ tlp: 'white' }), { refs: [IEP_ID, tlp2MarkingId('red')] });
    expect(red.intel.tlp).toBe('red');
    expect(red.decision.outcome).toBe('withhold');
  });

  it('withholds, naming the marking, outside its dates, and says when it starts', () => {
    const ahead = decide(iepDef({ start_date: '2027-01-01T00:00:00Z' }), {}).decision;
    expect(ahead.outcome).toBe('withhold');
    expect(ahead.reasons[0]).toEqual({
      code: 'iep',
      message:
        'the object is marked IEP "IEP data marking", which is in force only from 2027-01-01T00:00:00.000Z',
      changes_at: '2027-01-01T00:00:00.000Z',
    });
    expect(ahead.changes_at).toBe('2027-01-01T00:00:00.000Z');
    const ended = decide(iepDef({ end_date: '2026-06-01T00:00:00Z' }), {}).decision;
    expect(ended.outcome).toBe('withhold');
    expect(ended.reasons[0]?.message).toContain('ended on 2026-06-01');
    // Released while in force: the decision changes by itself when the IEP ends.
    const running = decide(iepDef({ end_date: '2027-06-01T00:00:00Z' }), {}).decision;
    expect(running.outcome).toBe('release');
    expect(running.changes_at).toBe('2027-06-01T00:00:00.000Z');
  });

  it('re-decision sees the IEP start and end pass: the input key changes across them', () => {
    const def = iepDef({ start_date: '2027-01-01T00:00:00Z', end_date: '2027-06-01T00:00:00Z' });
    const at = (iso: string) => decide(def, { now: Date.parse(iso) });
    const before = [at('2026-12-01T00:00:00Z'), at('2026-12-31T00:00:00Z')];
    const during = at('2027-02-01T00:00:00Z');
    const after = at('2027-07-01T00:00:00Z');
    expect(before.map((b) => b.decision.outcome)).toEqual(['withhold', 'withhold']);
    expect(during.decision.outcome).toBe('release');
    expect(after.decision.outcome).toBe('withhold');
    expect(new Set([before[0]?.inputKey, during.inputKey, after.inputKey]).size).toBe(3);
  });

  it('withholds what the hub cannot pass on: no actions, contact first, attribution required', () => {
    for (const [over, text] of [
      [{ permitted_actions: 'none' }, 'permitted_actions: none'],
      [{ permitted_actions: 'contact-for-instruction' }, 'contact-for-instruction'],
      [{ provider_attribution: 'must' }, 'provider_attribution: must'],
    ] as const) {
      const d = decide(iepDef(over), {}).decision;
      expect(d.outcome).toBe('withhold');
      expect(d.reasons[0]?.code).toBe('iep');
      expect(d.reasons[0]?.message).toContain(text);
    }
  });

  it('encrypt in transit MUST goes only to a partner served over TLS', () => {
    const plain = decide(iepDef({ encrypt_in_transit: 'must' }), {}).decision;
    expect(plain.outcome).toBe('withhold');
    expect(plain.reasons[0]?.message).toContain('tls: true');
    expect(decide(iepDef({ encrypt_in_transit: 'must' }), { tls: true }).decision.outcome).toBe('release');
  });
});

describe('IEP decisions (property-based)', () => {
  const date = fc
    .integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2028-01-01T00:00:00Z') })
    .map((ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z'));
  it('never releases what the IEP forbids the hub, whatever its fields, ceiling and TLS', () => {
    fc.assert(
      fc.property(
        fc.record({
          encrypt_in_transit: fc.constantFrom('must', 'may'),
          permitted_actions: fc.constantFrom(...IEP_PERMITTED_ACTIONS),
          affected_party_notifications: fc.constantFrom('may', 'must-not'),
          tlp: fc.constantFrom('white', 'green', 'amber', 'red'),
          provider_attribution: fc.constantFrom('may', 'must', 'must-not'),
          unmodified_resale: fc.constantFrom('may', 'must-not'),
          start_date: date,
        }),
        fc.option(date, { nil: undefined }),
        fc.boolean(),
        fc.constantFrom('clear', 'green', 'amber', 'red' as const),
        (fields, end, tls, ceiling) => {
          const over = { ...fields, ...(end !== undefined && { end_date: end }) };
          const def = iepDef(over);
          const { decision } = decide(def, { tls, ceiling });
          const parsed = parseIep(def);
          if (parsed?.kind !== 'iep') {
            // Only an end before the start makes it unreadable here: then it is unknown, withheld.
            expect(decision.outcome).toBe('withhold');
            expect(decision.reasons.map((r) => r.code)).toContain('marking-unknown');
            return;
          }
          const start = Date.parse(fields.start_date);
          const forbidden =
            NOW < start ||
            (end !== undefined && NOW >= Date.parse(end)) ||
            fields.permitted_actions === 'none' ||
            fields.permitted_actions === 'contact-for-instruction' ||
            fields.provider_attribution === 'must' ||
            (fields.encrypt_in_transit === 'must' && !tls) ||
            fields.tlp === 'red' ||
            compareTlp(parsed.terms.tlp, ceiling) > 0;
          expect(decision.outcome).toBe(forbidden ? 'withhold' : 'release');
          if (forbidden && fields.tlp !== 'red' && compareTlp(parsed.terms.tlp, ceiling) <= 0)
            expect(decision.reasons.some((r) => r.code === 'iep' && r.message.includes('IEP "'))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
