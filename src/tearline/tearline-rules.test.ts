import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../stix/canonical-json.js';
import { computeScoId } from '../stix/sco-id.js';
import { NOTHING_RELEASED, releasedSetOf } from './tearline-context.js';
import { buildTrieSource, compileForbiddenTerms, type ForbiddenTermRule } from './tearline-forbidden.js';
import { toMillisecondForm } from './tearline-precision.js';
import { ALLY_PROFILE, STANDARD_PROFILE, STRICT_PROFILE } from './tearline-profile.js';
import { sanitise } from './tearline-sanitise.js';
import {
  CAMPAIGN_ID,
  GREEN,
  HUB_IDENTITY,
  indicator,
  MALWARE_ID,
  releasedAll,
  SOURCE_ID,
  testContext,
} from './tearline-test-objects.js';
import type { TearlineResult } from './tearline-types.js';

function ok(result: TearlineResult) {
  if (!result.ok) throw new Error(`expected a tearline, got ${result.code}: ${result.message}`);
  return result;
}

describe('source protection', () => {
  it('attributes the copy to the releasing identity, never the original creator', () => {
    const result = ok(sanitise(indicator(), testContext(), NOTHING_RELEASED));
    expect(result.tearline.created_by_ref).toBe(HUB_IDENTITY);
    expect(JSON.stringify(result.tearline)).not.toContain(SOURCE_ID);
  });

  it('drops external references outside the allow-list, custom properties, extensions, confidence, internal labels', () => {
    const obj = indicator({
      confidence: 85,
      labels: ['internal:handler-7', 'ransomware', 'source:humint'],
      x_hub_case: 'CASE-2024-0042',
      external_references: [
        { source_name: 'internal-wiki', url: 'https://wiki.hub.local/op' },
        { source_name: 'capec', external_id: 'CAPEC-98', x_note: 'hidden' },
      ],
      extensions: {
        'extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e': {
          extension_type: 'property-extension',
          rank: 5,
        },
      },
    });
    const result = ok(sanitise(obj, testContext(), NOTHING_RELEASED));
    expect(result.tearline.confidence).toBeUndefined();
    expect(result.tearline.labels).toEqual(['ransomware']);
    expect(result.tearline.x_hub_case).toBeUndefined();
    expect(result.tearline.extensions).toBeUndefined();
    expect(result.tearline.external_references).toEqual([{ source_name: 'capec', external_id: 'CAPEC-98' }]);
    expect(result.removed).toEqual(
      expect.arrayContaining([
        { path: 'confidence', rule: 'confidence' },
        { path: 'labels.[0]', rule: 'internal-label' },
        { path: 'labels.[2]', rule: 'internal-label' },
        { path: 'x_hub_case', rule: 'custom-property' },
        { path: 'external_references.[0]', rule: 'external-reference' },
        { path: 'external_references.[1].x_note', rule: 'custom-property' },
        { path: 'extensions.extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e', rule: 'extension' },
      ]),
    );
  });

  it('keeps what a lighter profile allows', () => {
    const obj = indicator({
      confidence: 85,
      x_mitre_version: '1.0',
      external_references: [{ source_name: 'vendor-x', url: 'https://vendor.example/r' }],
    });
    const result = ok(sanitise(obj, testContext({ profile: ALLY_PROFILE }), NOTHING_RELEASED));
    expect(result.tearline).toMatchObject({
      confidence: 85,
      x_mitre_version: '1.0',
      external_references: [{ source_name: 'vendor-x', url: 'https://vendor.example/r' }],
    });
  });

  it('keeps the extensions STIX defines for SCOs', () => {
    const file = {
      type: 'file',
      spec_version: '2.1',
      id: 'file--4f1cbd2a-9e49-4c43-9a2d-f0b0a3f8a001',
      name: 'dropper.zip',
      extensions: { 'ntfs-ext': { sid: 'S-1-5-21' }, 'x-hub-ext': { n: 1 } },
    };
    const result = ok(sanitise(file, testContext(), NOTHING_RELEASED));
    expect(result.tearline.extensions).toEqual({ 'ntfs-ext': { sid: 'S-1-5-21' } });
  });

  it('withholds custom object types unless the profile allows them', () => {
    const tactic = {
      type: 'x-mitre-tactic',
      spec_version: '2.1',
      id: 'x-mitre-tactic--b2a67b1e-913c-46f6-b219-048a90560bb9',
      created: '2020-01-01T00:00:00.000Z',
      modified: '2020-01-01T00:00:00.000Z',
      name: 'Impact',
      x_mitre_shortname: 'impact',
    };
    expect(sanitise(tactic, testContext(), NOTHING_RELEASED)).toMatchObject({
      ok: false,
      code: 'custom-type',
    });
    const allowed = ok(sanitise(tactic, testContext({ profile: ALLY_PROFILE }), NOTHING_RELEASED));
    expect(allowed.tearline.x_mitre_shortname).toBe('impact');
  });
});

describe('precision', () => {
  const location = {
    type: 'location',
    spec_version: '2.1',
    id: 'location--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64',
    created: '2024-01-03T10:00:00.000Z',
    modified: '2024-01-03T10:00:00.000Z',
    latitude: 30.283_947,
    longitude: 57.078_812,
    precision: 10,
    object_marking_refs: [GREEN],
  };

  it.each([
    [STRICT_PROFILE, 30.3, 57.1, 11_132],
    [STANDARD_PROFILE, 30.28, 57.08, 1114],
    [ALLY_PROFILE, 30.2839, 57.0788, 12],
  ])('rounds coordinates to the profile decimals and updates precision', (profile, lat, lon, precision) => {
    const result = ok(sanitise(location, testContext({ profile }), NOTHING_RELEASED));
    expect(result.tearline).toMatchObject({ latitude: lat, longitude: lon, precision });
  });

  it('coarsens starts down and ends up to the day, keeping their order', () => {
    const campaign = {
      type: 'campaign',
      spec_version: '2.1',
      id: CAMPAIGN_ID,
      created: '2024-01-03T10:00:00.000Z',
      modified: '2024-01-03T10:00:00.000Z',
      name: 'Kerman',
      first_seen: '2024-01-03T14:21:07.123Z',
      last_seen: '2024-01-03T14:21:08Z',
      object_marking_refs: [GREEN],
    };
    const result = ok(sanitise(campaign, testContext(), NOTHING_RELEASED));
    expect(result.tearline.first_seen).toBe('2024-01-03T00:00:00Z');
    expect(result.tearline.last_seen).toBe('2024-01-04T00:00:00Z');
    expect(result.tearline.created).toBe(campaign.created);
  });

  it('writes created and modified to the millisecond, so a version stored with seconds still makes a valid copy', () => {
    const campaign = {
      type: 'campaign',
      spec_version: '2.1',
      id: CAMPAIGN_ID,
      created: '2024-01-03T10:00:00Z',
      modified: '2024-01-03T10:00:07.5Z',
      name: 'Kerman',
      object_marking_refs: [GREEN],
    };
    const result = ok(sanitise(campaign, testContext(), NOTHING_RELEASED));
    expect(result.tearline.created).toBe('2024-01-03T10:00:00.000Z');
    expect(result.tearline.modified).toBe('2024-01-03T10:00:07.500Z');
    // A profile that coarsens created to the day keeps the three digits too.
    const dayProfile = { ...STRICT_PROFILE, coarsen_to_day: ['created', 'modified'] };
    const coarse = ok(sanitise(campaign, testContext({ profile: dayProfile }), NOTHING_RELEASED));
    expect(coarse.tearline.created).toBe('2024-01-03T00:00:00.000Z');
    expect(coarse.tearline.modified).toBe('2024-01-03T00:00:00.000Z');
  });

  it('property: toMillisecondForm keeps the instant and leaves finer or malformed values alone', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 3 }),
        (d, digits) => {
          const full = d.toISOString();
          const text =
            digits === 3
              ? full
              : full.replace(/\.(\d{3})Z$/, (_, f: string) => (digits ? `.${f.slice(0, digits)}Z` : 'Z'));
          const out = toMillisecondForm(text);
          expect(out).toMatch(/\.\d{3}Z$/);
          expect(Date.parse(out)).toBe(Date.parse(text));
        },
      ),
    );
    expect(toMillisecondForm('2024-01-03T10:00:00.123456Z')).toBe('2024-01-03T10:00:00.123456Z');
    expect(toMillisecondForm('yesterday')).toBe('yesterday');
  });
});

describe('partner-specific ids', () => {
  it('derives a stable id per partner under the original type prefix', () => {
    const a1 = ok(sanitise(indicator(), testContext(), NOTHING_RELEASED));
    const a2 = ok(sanitise(indicator(), testContext(), NOTHING_RELEASED));
    const b = ok(sanitise(indicator(), testContext({ partnerId: 'partner-b' }), NOTHING_RELEASED));
    const otherHub = ok(
      sanitise(indicator(), testContext({ hubSecret: 'another secret' }), NOTHING_RELEASED),
    );
    expect(a1.partnerObjectId).toMatch(
      /^indicator--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(a1.partnerObjectId).toBe(a2.partnerObjectId);
    expect(b.partnerObjectId).not.toBe(a1.partnerObjectId);
    expect(otherHub.partnerObjectId).not.toBe(a1.partnerObjectId);
    expect(a1.tearline.id).toBe(a1.partnerObjectId);
  });

  it('gives a new version of the original a new version of the same derived object', () => {
    const v1 = ok(sanitise(indicator(), testContext(), NOTHING_RELEASED));
    const v2 = ok(
      sanitise(
        indicator({ modified: '2024-02-01T00:00:00.000Z', name: 'renamed' }),
        testContext(),
        NOTHING_RELEASED,
      ),
    );
    expect(v2.partnerObjectId).toBe(v1.partnerObjectId);
    expect(v2.tearline.modified).toBe('2024-02-01T00:00:00.000Z');
    expect(v2.digest).not.toBe(v1.digest);
  });

  it('recomputes an SCO id from the sanitised copy', () => {
    const ip = {
      type: 'ipv4-addr',
      spec_version: '2.1',
      id: 'ipv4-addr--1b3a5e8c-3a5c-4f36-9d3e-7a1f0b2c3d4e',
      value: '198.51.100.7',
      object_marking_refs: [GREEN],
    };
    const result = ok(sanitise(ip, testContext(), NOTHING_RELEASED));
    expect(result.partnerObjectId).toBe(computeScoId({ type: 'ipv4-addr', value: '198.51.100.7' }));
    expect(result.tearline.created_by_ref).toBeUndefined();
  });

  it('gives an SCO without ID-contributing properties a stable UUIDv4-form id (STIX 2.1 section 2.9)', () => {
    const process = {
      type: 'process',
      spec_version: '2.1',
      id: 'process--4f1cbd2a-9e49-4c43-9a2d-f0b0a3f8a001',
      pid: 7,
    };
    const a = ok(sanitise(process, testContext(), NOTHING_RELEASED));
    const again = ok(sanitise({ ...process, pid: 8 }, testContext(), NOTHING_RELEASED));
    const b = ok(sanitise(process, testContext({ partnerId: 'partner-b' }), NOTHING_RELEASED));
    expect(a.partnerObjectId).toMatch(
      /^process--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(again.partnerObjectId).toBe(a.partnerObjectId);
    expect(b.partnerObjectId).not.toBe(a.partnerObjectId);
  });

  it('releases the standard TLP marking definitions under their own ids', () => {
    const result = ok(sanitise({ type: 'marking-definition', id: GREEN }, testContext(), NOTHING_RELEASED));
    expect(result.tearline.id).toBe(GREEN);
    expect(
      sanitise(
        { type: 'marking-definition', id: 'marking-definition--3a0f5f1c-1c8d-4c9a-9a43-6b1f1e4d2c11' },
        testContext(),
        NOTHING_RELEASED,
      ),
    ).toMatchObject({ ok: false, code: 'internal-marking' });
  });

  it('withholds a copy whose free text mentions an id the partner was not given', () => {
    const obj = indicator({ description: `linked to ${MALWARE_ID}` });
    expect(sanitise(obj, testContext(), NOTHING_RELEASED)).toMatchObject({ ok: false, code: 'internal-id' });
  });
});

describe('reference closure', () => {
  const relationship = {
    type: 'relationship',
    spec_version: '2.1',
    id: 'relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad',
    created: '2024-01-03T10:00:00.000Z',
    modified: '2024-01-03T10:00:00.000Z',
    relationship_type: 'uses',
    source_ref: CAMPAIGN_ID,
    target_ref: MALWARE_ID,
    object_marking_refs: [GREEN],
  };

  it('rewrites references to released objects to their partner ids', () => {
    const ctx = testContext();
    const result = ok(sanitise(relationship, ctx, releasedAll(ctx, [CAMPAIGN_ID, MALWARE_ID])));
    expect(result.tearline.source_ref).toBe(ctx.partner.deriveId(CAMPAIGN_ID));
    expect(result.tearline.target_ref).toBe(ctx.partner.deriveId(MALWARE_ID));
  });

  it('withholds a relationship whose target is not released', () => {
    const ctx = testContext();
    expect(sanitise(relationship, ctx, releasedAll(ctx, [CAMPAIGN_ID]))).toMatchObject({
      ok: false,
      code: 'dangling-reference',
    });
  });

  it('withholds a sighting of something not released', () => {
    const sighting = {
      ...relationship,
      type: 'sighting',
      id: 'sighting--ee20065d-2555-424f-ad9e-0f8428623c75',
      sighting_of_ref: MALWARE_ID,
    };
    delete (sighting as Record<string, unknown>).relationship_type;
    delete (sighting as Record<string, unknown>).source_ref;
    delete (sighting as Record<string, unknown>).target_ref;
    expect(sanitise(sighting, testContext(), NOTHING_RELEASED)).toMatchObject({
      ok: false,
      code: 'dangling-reference',
    });
  });

  it('drops optional references and keeps a report while some object_refs remain', () => {
    const ctx = testContext();
    const report = {
      type: 'report',
      spec_version: '2.1',
      id: 'report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3',
      created: '2024-01-03T10:00:00.000Z',
      modified: '2024-01-03T10:00:00.000Z',
      name: 'ISIS-K weekly',
      published: '2024-01-05T08:00:00.000Z',
      object_refs: [MALWARE_ID, CAMPAIGN_ID],
      object_marking_refs: [GREEN],
    };
    const some = ok(sanitise(report, ctx, releasedAll(ctx, [CAMPAIGN_ID])));
    expect(some.tearline.object_refs).toEqual([ctx.partner.deriveId(CAMPAIGN_ID)]);
    expect(some.removed).toContainEqual({ path: 'object_refs.[0]', rule: 'reference-closure' });
    expect(sanitise(report, ctx, NOTHING_RELEASED)).toMatchObject({ ok: false, code: 'dangling-reference' });
  });

  it('accepts references the caller resolves to an SCO id', () => {
    const ctx = testContext();
    const sco = 'file--1b3a5e8c-3a5c-4f36-9d3e-7a1f0b2c3d4e';
    const public_id = 'file--ff6a3e0c-4b2a-5b7e-9c0d-1e2f3a4b5c6d';
    const { pattern: _p, pattern_type: _t, valid_from: _v, ...rest } = indicator();
    const malware = { ...rest, type: 'malware', id: MALWARE_ID, is_family: false, sample_refs: [sco] };
    const result = ok(sanitise(malware, ctx, releasedSetOf(new Map([[sco, public_id]]))));
    expect(result.tearline.sample_refs).toEqual([public_id]);
  });
});

describe('forbidden terms', () => {
  const rules: ForbiddenTermRule[] = [
    { name: 'source-codename', source: 'hub', term: 'NIGHTJAR' },
    { name: 'internal-case-number', source: 'agreement', regex: 'CASE-\\d{4}-\\d{4}' },
    { name: 'quoted', source: 'hub', term: 'say "when"' },
  ];
  const compiled = compileForbiddenTerms(rules);
  if (!compiled.ok) throw new Error('rules must compile');
  const ctx = testContext({ forbidden: compiled.filter, profile: ALLY_PROFILE });

  it.each([
    ['a term in any case', { description: 'met nightjar at dawn' }, 'source-codename'],
    ['a term in full-width letters', { description: 'ＮＩＧＨＴＪＡＲ' }, 'source-codename'],
    ['a regex in a kept custom property', { x_mitre_note: 'see CASE-2024-0042' }, 'internal-case-number'],
    ['a term with quotes', { name: 'say "when"' }, 'quoted'],
  ])('withholds %s, naming the rule and never the term', (_name, extra, rule) => {
    const result = sanitise(indicator(extra), ctx, NOTHING_RELEASED);
    expect(result).toMatchObject({ ok: false, code: 'forbidden-term', rule: { name: rule } });
    expect(result.ok ? '' : result.message.toLowerCase()).not.toMatch(/nightjar|case-2024|when/);
  });

  it('does not depend on markings: a term in content marked green still withholds', () => {
    const obj = indicator({
      description: 'Nightjar',
      granular_markings: [{ marking_ref: GREEN, selectors: ['description'] }],
    });
    expect(sanitise(obj, ctx, NOTHING_RELEASED)).toMatchObject({ ok: false, code: 'forbidden-term' });
  });

  it('reports rules that cannot be compiled, naming the field', () => {
    const bad = compileForbiddenTerms([
      { name: 'broken', source: 'hub', regex: '(' },
      { name: 'both', source: 'hub', term: 'ab', regex: 'x' },
      { name: 'short', source: 'hub', term: 'a' },
    ]);
    expect(bad.ok).toBe(false);
    expect(bad.ok ? [] : bad.errors.map((e) => e.field)).toEqual([
      'rules[0].regex',
      'rules[1]',
      'rules[2].term',
    ]);
  });
});

describe('digest', () => {
  it('is the SHA-256 of the canonical JSON, also when keys look like array indices', () => {
    const process = {
      type: 'process',
      spec_version: '2.1',
      id: 'process--4f1cbd2a-9e49-4c43-9a2d-f0b0a3f8a001',
      pid: 4242,
      environment_variables: { '10': 'x', '9': 'y', PATH: '/bin' },
    };
    const result = ok(sanitise(process, testContext(), NOTHING_RELEASED));
    const expected = createHash('sha256').update(canonicalJson(result.tearline)).digest('hex');
    expect(result.digest).toBe(expected);
  });
});

describe('validity', () => {
  it('withholds an original that lacks a required property rather than release invalid STIX', () => {
    const obj = indicator();
    delete obj.pattern_type;
    expect(sanitise(obj, testContext(), NOTHING_RELEASED)).toMatchObject({
      ok: false,
      code: 'invalid-tearline',
    });
  });

  it('withholds what the validator rejects', () => {
    expect(sanitise(indicator({ modified: 'yesterday' }), testContext(), NOTHING_RELEASED)).toMatchObject({
      ok: false,
      code: 'invalid-tearline',
    });
  });
});

describe('forbidden terms at scale', () => {
  it('names the one rule that matches among many', () => {
    const rules: ForbiddenTermRule[] = Array.from({ length: 2000 }, (_, i) => ({
      name: `officer-${i}`,
      source: 'hub',
      term: `Officer Name ${i}x`,
    }));
    const compiled = compileForbiddenTerms(rules);
    if (!compiled.ok) throw new Error('rules must compile');
    expect(compiled.filter.scan('{"description":"met officer name 1234x at the border"}')).toEqual({
      name: 'officer-1234',
      source: 'hub',
    });
    expect(compiled.filter.scan('{"description":"met officer name 1234 at the border"}')).toBeUndefined();
  });
});

describe('the combined term regex', () => {
  it('matches exactly where one of its terms occurs', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.string({ unit: fc.constantFrom('a', 'b', 'c', '.', '(', '*'), minLength: 1, maxLength: 4 }),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
        fc.string({ unit: fc.constantFrom('a', 'b', 'c', '.', '(', '*', 'x'), maxLength: 12 }),
        (terms, text) => {
          const re = new RegExp(buildTrieSource(terms), 'iu');
          expect(re.test(text)).toBe(terms.some((t) => text.includes(t)));
        },
      ),
      { numRuns: 300 },
    );
  });
});
