import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tlp2MarkingId } from '../src/stix/markings-tlp.js';
import { computeScoId } from '../src/stix/sco-id.js';
import { validateObject } from '../src/stix/validate.js';
import { validateBundle } from '../src/stix/validate-bundle.js';
import { VALIDATION_CODES } from '../src/stix/validation-codes.js';

const ID = (type: string) => `${type}--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061`;
const IDENTITY = 'identity--f431f809-377b-45e0-aa1c-6a4751cae5ff';
const T = '2016-05-12T08:17:27.000Z';
const common = (type: string) => ({ type, spec_version: '2.1', id: ID(type), created: T, modified: T });

/** A minimal valid instance of every SDO and SRO, built from the spec's required properties. */
const VALID: Record<string, Record<string, unknown>> = {
  'attack-pattern': { ...common('attack-pattern'), name: 'Spear Phishing' },
  campaign: { ...common('campaign'), name: 'C', first_seen: T, last_seen: '2017-01-01T00:00:00Z' },
  'course-of-action': { ...common('course-of-action'), name: 'Patch' },
  grouping: { ...common('grouping'), context: 'suspicious-activity', object_refs: [ID('indicator')] },
  identity: { ...common('identity'), name: 'ACME', identity_class: 'organization' },
  incident: { ...common('incident'), name: 'Breach' },
  indicator: {
    ...common('indicator'),
    name: 'n',
    description: 'd',
    pattern: "[ipv4-addr:value = '198.51.100.1']",
    pattern_type: 'stix',
    valid_from: T,
  },
  infrastructure: { ...common('infrastructure'), name: 'C2' },
  'intrusion-set': { ...common('intrusion-set'), name: 'ISIS-K' },
  location: { ...common('location'), region: 'southern-asia' },
  malware: { ...common('malware'), name: 'M', is_family: true },
  'malware-analysis': { ...common('malware-analysis'), product: 'p', result: 'malicious' },
  note: { ...common('note'), content: 'c', object_refs: [ID('campaign')] },
  'observed-data': {
    ...common('observed-data'),
    first_observed: T,
    last_observed: T,
    number_observed: 1,
    object_refs: ['ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd'],
  },
  opinion: { ...common('opinion'), opinion: 'agree', object_refs: [ID('report')] },
  report: { ...common('report'), name: 'R', published: T, object_refs: [ID('campaign')] },
  'threat-actor': { ...common('threat-actor'), name: 'TA' },
  tool: { ...common('tool'), name: 'nmap' },
  vulnerability: { ...common('vulnerability'), name: 'CVE-2016-1234' },
  relationship: {
    ...common('relationship'),
    relationship_type: 'uses',
    source_ref: ID('intrusion-set'),
    target_ref: ID('malware'),
  },
  sighting: { ...common('sighting'), sighting_of_ref: ID('indicator'), where_sighted_refs: [IDENTITY] },
};

const REQUIRED: Record<string, string[]> = {
  'attack-pattern': ['name'],
  grouping: ['context', 'object_refs'],
  indicator: ['pattern', 'pattern_type', 'valid_from'],
  malware: ['is_family'],
  note: ['content', 'object_refs'],
  report: ['name', 'published', 'object_refs'],
  relationship: ['relationship_type', 'source_ref', 'target_ref'],
  sighting: ['sighting_of_ref'],
  tool: ['name'],
};

describe('validateObject: every SDO and SRO', () => {
  it.each(Object.keys(VALID))('a minimal %s is valid, even strictly', (type) => {
    const r = validateObject(VALID[type], { strict: true });
    expect(r.errors).toEqual([]);
    expect(r.valid).toBe(true);
  });

  it('removing any common required property is caught with its path (property-based)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(VALID)),
        fc.constantFrom('type', 'spec_version', 'id', 'created', 'modified'),
        (type, prop) => {
          const o = { ...VALID[type] };
          delete o[prop];
          const r = validateObject(o);
          expect(r.valid).toBe(false);
          expect(r.errors.some((e) => e.path === prop && e.code === 'missing-required')).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it.each(Object.entries(REQUIRED).flatMap(([t, ps]) => ps.map((p) => [t, p] as const)))(
    'removing %s.%s is a missing-required error',
    (type, prop) => {
      const o = { ...VALID[type] };
      delete o[prop];
      const r = validateObject(o);
      expect(r.errors.map((e) => `${e.path} ${e.code}`)).toContain(`${prop} missing-required`);
    },
  );

  it('adding any valid optional common properties keeps every type valid (property-based)', () => {
    const text = fc.string({ minLength: 1, maxLength: 20 });
    const optional = fc.record(
      {
        labels: fc.array(text, { minLength: 1, maxLength: 3 }),
        confidence: fc.integer({ min: 0, max: 100 }),
        lang: fc.constantFrom('en', 'fr-CA', 'ar'),
        revoked: fc.boolean(),
        created_by_ref: fc.constant(IDENTITY),
        external_references: fc.array(
          fc.record(
            {
              source_name: text,
              url: fc.webUrl(),
              // section 2.5.1: hashes SHOULD accompany a url (strict mode makes that an error).
              hashes: fc.constant({ 'SHA-256': 'a'.repeat(64) }),
              external_id: text,
            },
            { requiredKeys: ['source_name', 'url', 'hashes'] },
          ),
          { minLength: 1, maxLength: 3 },
        ),
        object_marking_refs: fc.constant([tlp2MarkingId('amber')]),
        granular_markings: fc.constant([{ marking_ref: tlp2MarkingId('red'), selectors: ['id'] }]),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(VALID)), optional, (type, extra) => {
        const r = validateObject({ ...VALID[type], ...extra }, { strict: true });
        expect(r.errors).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('any wrong JSON type for name is caught (property-based)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string())), (bad) => {
        const r = validateObject({ ...VALID.tool, name: bad });
        expect(r.errors.some((e) => e.path === 'name' && e.code === 'invalid-property-type')).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('every code used is in the one catalog', () => {
    const seen = new Set<string>();
    for (const type of Object.keys(VALID)) {
      const o = {
        ...VALID[type],
        created: 'x',
        confidence: 500,
        labels: [],
        lang: '!!',
        extensions: { foo: {} },
      };
      for (const e of [...validateObject(o).errors, ...validateObject(o).warnings]) seen.add(e.code);
    }
    for (const c of seen) expect(Object.keys(VALIDATION_CODES)).toContain(c);
    expect(seen.size).toBeGreaterThan(4);
  });
});

describe('validateObject: paths, codes and messages', () => {
  it('rejects non-objects and bundles with a pointer to the right call', () => {
    expect(validateObject([1]).errors[0]?.code).toBe('not-an-object');
    expect(
      validateObject({ type: 'bundle', id: 'bundle--44af6c39-c09b-49c5-9de2-394224b04982' }).errors[0]?.code,
    ).toBe('bundle-not-an-object');
    expect(validateObject({ type: 'Indicator' }).errors[0]?.code).toBe('invalid-type-name');
  });

  it('names the field and the fix for a bad URL', () => {
    const o = { ...VALID.tool, external_references: [{ source_name: 'a', url: ' https://x.org' }] };
    const e = validateObject(o).errors[0];
    expect(e).toEqual({
      path: 'external_references[0].url',
      code: 'invalid-url',
      message:
        "external_references[0].url: ' https://x.org' is not a valid URL; give an absolute URL with a scheme",
    });
  });

  it('checks timestamps by the calendar and orders created/modified at sub-millisecond precision', () => {
    expect(validateObject({ ...VALID.tool, modified: '2017-02-29T08:17:27.000Z' }).errors[0]?.code).toBe(
      'invalid-timestamp',
    );
    const r = validateObject({ ...VALID.tool, created: '2016-05-12T08:17:27.000123Z', modified: T });
    expect(r.errors.map((e) => e.code)).toEqual(['timestamp-order']);
  });

  it('enforces co-constraints', () => {
    const loc = validateObject({ ...common('location'), latitude: 10 });
    expect(loc.errors.map((e) => e.code)).toEqual(['co-constraint', 'missing-required']);
    const ind = validateObject({ ...VALID.indicator, valid_until: T });
    expect(ind.errors.map((e) => `${e.path} ${e.code}`)).toEqual(['valid_until timestamp-order']);
    const ma = validateObject({ ...common('malware-analysis'), product: 'p' });
    expect(ma.errors.map((e) => e.code)).toEqual(['co-constraint']);
    const od = validateObject({ ...VALID['observed-data'], objects: { 0: { type: 'url' } } });
    expect(od.errors.map((e) => e.code)).toContain('co-constraint');
    const onlyRels = validateObject({ ...VALID['observed-data'], object_refs: [ID('relationship')] });
    expect(onlyRels.errors.map((e) => `${e.path} ${e.code}`)).toEqual(['object_refs co-constraint']);
    const sig = validateObject({ ...VALID.sighting, count: 1_000_000_000 });
    expect(sig.errors.map((e) => `${e.path} ${e.code}`)).toEqual(['count out-of-range']);
  });

  it('relationship_type: characters outside a-z, 0-9 and hyphen are an error, odd hyphens a warning (5.1.2)', () => {
    const rel = (relationship_type: string) => validateObject({ ...VALID.relationship, relationship_type });
    for (const bad of ['Uses', 'located_at', 'uses it']) {
      expect(rel(bad).errors.map((e) => `${e.path} ${e.code}`)).toEqual(['relationship_type invalid-format']);
    }
    const odd = rel('uses--');
    expect(odd.valid).toBe(true);
    expect(odd.warnings.map((e) => `${e.path} ${e.code}`)).toContain('relationship_type format-advice');
  });

  it('malware-analysis product: lowercase words and dashes are advised (4.12.1), a warning otherwise', () => {
    const ma = (product: string) =>
      validateObject({ ...common('malware-analysis'), product, result: 'malicious' });
    expect(ma('test-product').warnings).toEqual([]);
    expect(ma('anonymized').warnings).toEqual([]);
    const bad = ma('testinValid');
    expect(bad.valid).toBe(true);
    expect(bad.warnings.map((w) => `${w.path} ${w.code}`)).toEqual(['product format-advice']);
  });

  it('checks reference targets', () => {
    const r = validateObject({ ...VALID.malware, sample_refs: [ID('indicator')] });
    expect(r.errors.map((e) => `${e.path} ${e.code}`)).toEqual(['sample_refs[0] ref-wrong-type']);
    const s = validateObject({
      ...VALID.sighting,
      sighting_of_ref: 'file--ff1e0780-358c-5808-a8c7-d0fca4ef6ef4',
    });
    expect(s.errors.map((e) => e.code)).toEqual(['ref-wrong-type']);
    const c = validateObject({ ...VALID.tool, created_by_ref: ID('indicator') });
    expect(c.valid).toBe(true);
    expect(c.warnings.map((e) => e.code)).toEqual(['created-by-ref-not-identity']);
  });

  it('open vocabularies warn, closed enumerations fail, --strict turns warnings into errors', () => {
    const o = { ...VALID.tool, tool_types: ['lockpick'] };
    expect(validateObject(o).valid).toBe(true);
    expect(validateObject(o).warnings[0]?.code).toBe('not-in-vocab');
    expect(validateObject(o, { strict: true }).valid).toBe(false);
    expect(validateObject({ ...VALID.opinion, opinion: 'meh' }).errors[0]?.code).toBe('not-in-enum');
  });

  it('checks hashes by algorithm', () => {
    const file = { type: 'file', id: 'file--ff1e0780-358c-5808-a8c7-d0fca4ef6ef4', name: 'a' };
    const bad = validateObject({ ...file, hashes: { 'SHA-256': 'abc' } });
    expect(bad.errors.map((e) => `${e.path} ${e.code}`)).toEqual(['hashes.SHA-256 invalid-hash-value']);
    const odd = validateObject({ ...file, hashes: { sha256: 'a'.repeat(64) } });
    expect(odd.warnings.map((e) => e.code)).toContain('hash-algorithm-unknown');
  });

  it('warns when an SCO id is not its deterministic UUIDv5 (the computed id passes)', () => {
    const url = {
      type: 'url',
      id: 'url--ff1e0780-358c-5808-a8c7-d0fca4ef6ef4',
      value: 'https://example.org/',
    };
    expect(validateObject(url).warnings.map((e) => e.code)).toEqual(['sco-id-mismatch']);
    const fixed = { ...url, id: computeScoId(url) };
    expect(validateObject(fixed, { strict: true }).valid).toBe(true);
  });
});

describe('markings (fail closed)', () => {
  const green = tlp2MarkingId('green');
  const custom = 'marking-definition--3478bf48-9af2-4afa-9fc5-7075f6af04af';

  it('standard TLP is always known; any other marking needs a resolver', () => {
    expect(validateObject({ ...VALID.tool, object_marking_refs: [green] }).valid).toBe(true);
    const r = validateObject({ ...VALID.tool, object_marking_refs: [custom] });
    expect(r.errors.map((e) => `${e.path} ${e.code}`)).toEqual(['object_marking_refs[0] unresolved-marking']);
    expect(
      validateObject(
        { ...VALID.tool, object_marking_refs: [custom] },
        { isKnownMarking: (id) => id === custom },
      ).valid,
    ).toBe(true);
  });

  it('granular selectors must resolve to something present; marking_ref xor lang', () => {
    const o = {
      ...VALID.tool,
      external_references: [{ source_name: 'a', external_id: 'b' }],
      granular_markings: [
        {
          marking_ref: green,
          selectors: [
            'name',
            'external_references.[3]',
            'external_references.[0].external_id',
            'external_references[0]',
          ],
        },
        { marking_ref: green, lang: 'en', selectors: ['external_references.[1]'] },
      ],
    };
    const r = validateObject(o);
    expect(r.errors.map((e) => `${e.path} ${e.code}`)).toEqual([
      'granular_markings[0].selectors[1] unresolved-selector',
      'granular_markings[0].selectors[3] unresolved-selector',
      'granular_markings[1] invalid-granular-marking',
      'granular_markings[1].selectors[0] unresolved-selector',
    ]);
  });

  it('a bundle makes its own marking definitions known', () => {
    const md = {
      type: 'marking-definition',
      spec_version: '2.1',
      id: custom,
      created: T,
      definition_type: 'statement',
      definition: { statement: 'Copyright 2026' },
    };
    const bundle = {
      type: 'bundle',
      id: 'bundle--44af6c39-c09b-49c5-9de2-394224b04982',
      objects: [md, { ...VALID.tool, object_marking_refs: [custom] }],
    };
    const r = validateBundle(bundle);
    expect(r.valid).toBe(true);
    expect(r.objects.map((o) => o.index)).toEqual([0, 1]);
  });

  it('a TLP marking with a non-standard id is rejected', () => {
    const r = validateObject({
      type: 'marking-definition',
      spec_version: '2.1',
      id: custom,
      created: T,
      definition_type: 'tlp',
      definition: { tlp: 'green' },
    });
    expect(r.errors.map((e) => `${e.path} ${e.code}`)).toEqual(['id invalid-tlp']);
  });
});

describe('customisation', () => {
  const ext = 'extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e';
  it('custom objects declared by a new-sdo extension are valid; custom property names are checked', () => {
    const o = {
      ...common('x-acme-thing'),
      id: ID('x-acme-thing'),
      extensions: { [ext]: { extension_type: 'new-sdo' } },
      acme_score: 3,
    };
    expect(validateObject(o, { strict: true }).errors).toEqual([]);
    const bad = validateObject({ ...o, 'Bad-Name': 1 });
    expect(bad.errors.map((e) => e.code)).toEqual(['invalid-property-name']);
  });
  it("an object created by a new-sdo or new-sro extension must carry that category's common properties (7.3)", () => {
    const o = {
      ...common('x-acme-thing'),
      id: ID('x-acme-thing'),
      extensions: { [ext]: { extension_type: 'new-sdo' } },
    };
    const { created, modified, spec_version, ...bare } = o;
    const r = validateObject(bare);
    expect(r.errors.map((e) => `${e.path} ${e.code}`).sort()).toEqual([
      'created missing-required',
      'modified missing-required',
      'spec_version missing-required',
    ]);
    const sro = validateObject({
      ...bare,
      created,
      spec_version,
      extensions: { [ext]: { extension_type: 'new-sro' } },
    });
    expect(sro.errors.map((e) => `${e.path} ${e.code}`)).toEqual(['modified missing-required']);
  });
  it('new-sdo on a spec type, or a bad extension_type, is an error', () => {
    const r = validateObject({ ...VALID.tool, extensions: { [ext]: { extension_type: 'new-sdo' } } });
    expect(r.errors.map((e) => e.code)).toEqual(['invalid-extension']);
    const t = validateObject({ ...VALID.tool, extensions: { [ext]: { extension_type: 'sideways' } } });
    expect(t.errors.map((e) => e.code)).toEqual(['not-in-enum']);
  });
  it('property-extension properties follow the naming rules', () => {
    const r = validateObject({
      ...VALID.tool,
      extensions: { [ext]: { extension_type: 'property-extension', rank: 1, 'Bad Key': 2 } },
    });
    expect(r.errors.map((e) => `${e.path} ${e.code}`)).toEqual([
      `extensions.${ext}.Bad Key invalid-property-name`,
    ]);
  });
  it('toplevel-property-extension makes custom properties fine; without it they warn', () => {
    expect(validateObject({ ...VALID.tool, x_acme_rank: 1 }).warnings.map((w) => w.code)).toEqual([
      'custom-property',
    ]);
    const withExt = {
      ...VALID.tool,
      rank: 1,
      extensions: { [ext]: { extension_type: 'toplevel-property-extension' } },
    };
    expect(validateObject(withExt, { strict: true }).valid).toBe(true);
  });
  it('predefined SCO extensions are validated by their own rules', () => {
    const nt = {
      type: 'network-traffic',
      id: 'network-traffic--280d1c0d-51d1-4ee8-951f-1fb434a38686',
      src_ref: 'ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd',
      protocols: ['tcp'],
      extensions: { 'socket-ext': { address_family: 'AF_WHATEVER' }, 'bogus-ext': {} },
    };
    const r = validateObject(nt);
    expect(r.errors.map((e) => `${e.path} ${e.code}`)).toEqual([
      'extensions.socket-ext.address_family not-in-enum',
      'extensions.bogus-ext invalid-extension',
    ]);
  });
});

describe('validateBundle envelope', () => {
  const v2 = { ...VALID.tool, modified: '2017-01-01T00:00:00.000Z' };
  it('flags a repeated (id, version) once per copy, not other versions of the same id', () => {
    const r = validateBundle({
      type: 'bundle',
      id: 'bundle--44af6c39-c09b-49c5-9de2-394224b04982',
      objects: [VALID.tool, v2, VALID.tool, v2, VALID.identity],
    });
    expect(r.warnings.map((w) => w.message)).toEqual([
      `objects[2]: repeats ${ID('tool')} of objects[0] with the same version; remove one copy`,
      `objects[3]: repeats ${ID('tool')} of objects[1] with the same version; remove one copy`,
    ]);
    expect(r.valid).toBe(true);
  });
  it('rejects properties a bundle does not have and non-list objects', () => {
    const r = validateBundle({
      type: 'bundle',
      id: 'bundle--44af6c39-c09b-49c5-9de2-394224b04982',
      spec_version: '2.0',
      objects: {},
    });
    expect(r.errors.map((e) => `${e.path} ${e.code}`)).toEqual([
      'spec_version bundle-unknown-property',
      'objects invalid-property-type',
    ]);
  });
});
