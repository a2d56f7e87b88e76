import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { formatAgreementErrors, parseAgreement } from './agreement-parse.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseAgreement', () => {
  it('accepts the issue example shape in JSON and fills defaults and condition ids', () => {
    const r = parseAgreement(fixture('agreement-distrusted.json'));
    if (!r.ok) throw new Error(formatAgreementErrors('json', r.errors));
    expect(r.agreement.tlp_ceiling).toBe('green');
    expect(r.agreement.scope.neighbourhood).toEqual({
      of: ['intrusion-set--d118aebe-ee43-58e9-9939-14d533fcb970'],
      hops: 2,
    });
    expect(r.agreement.scope.types_denied).toEqual([]);
    expect(r.agreement.conditions.map((c) => c.id)).toEqual(['hr-1', 'reciprocity']);
  });

  it('accepts both YAML fixtures', () => {
    for (const name of ['agreement-distrusted.yaml', 'agreement-ally.yaml']) {
      const r = parseAgreement(fixture(name));
      expect(r.ok ? 'ok' : formatAgreementErrors(name, r.errors)).toBe('ok');
    }
  });

  it('names the field and its line for a bad value in YAML', () => {
    const text = fixture('agreement-distrusted.yaml').replace('hops: 2', 'hops: 12');
    const r = parseAgreement(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const line = text.split('\n').findIndex((l) => l.includes('hops: 12')) + 1;
    expect(r.errors).toEqual([
      expect.objectContaining({ code: 'agreement-invalid-field', path: 'scope.neighbourhood.hops', line }),
    ]);
    expect(formatAgreementErrors('a.yaml', r.errors)).toContain(
      `a.yaml:${line}: scope.neighbourhood.hops must be`,
    );
  });

  it('names the field and its line in JSON too', () => {
    const text = fixture('agreement-distrusted.json').replace('"P30D"', '"30 days"');
    const r = parseAgreement(text);
    if (r.ok) throw new Error('expected failure');
    const line = text.split('\n').findIndex((l) => l.includes('30 days')) + 1;
    expect(r.errors[0]).toMatchObject({ path: 'conditions[1].window', line });
  });

  it('rejects unknown fields (a typo could widen release) at the key line', () => {
    const r = parseAgreement(
      'scope:\n  types: [indicator]\n  labels_deined: [x]\ntlp_ceiling: green\napproval: none\nsanitisation: s\n',
    );
    if (r.ok) throw new Error('expected failure');
    expect(r.errors).toEqual([
      expect.objectContaining({ code: 'agreement-unknown-field', path: 'scope.labels_deined', line: 3 }),
    ]);
  });

  it('reports every missing required field, with the parent line', () => {
    const r = parseAgreement('scope: {}\n');
    if (r.ok) throw new Error('expected failure');
    expect(r.errors.map((e) => e.path).sort()).toEqual([
      'approval',
      'sanitisation',
      'scope.types',
      'tlp_ceiling',
    ]);
    expect(r.errors.every((e) => e.code === 'agreement-missing-field' && e.line === 1)).toBe(true);
  });

  it('reports syntax errors and duplicate keys with lines', () => {
    const dup = parseAgreement('tlp_ceiling: green\ntlp_ceiling: red\n');
    expect(dup.ok || dup.errors[0]).toMatchObject({ code: 'agreement-syntax', line: 2 });
    const broken = parseAgreement('{"scope": {"types": [}\n');
    expect(broken.ok || broken.errors[0]?.code).toBe('agreement-syntax');
  });

  it('rejects inverted validity, repeated condition ids, bad grades and anchors of the wrong type', () => {
    const base = JSON.parse(fixture('agreement-distrusted.json'));
    base.valid_until = '2025-01-01T00:00:00Z';
    base.conditions.push({ kind: 'reciprocity', min_items: 2, window: 'P7D' });
    base.conditions[0].grade = 'G9';
    base.scope.neighbourhood.of = ['indicator--61b02d56-da70-59e6-8cd5-5c26b36ce2bf'];
    const r = parseAgreement(JSON.stringify(base, null, 2));
    if (r.ok) throw new Error('expected failure');
    expect(r.errors.map((e) => e.path).sort()).toEqual([
      'conditions[0].grade',
      'conditions[2].id',
      'scope.neighbourhood.of[0]',
      'valid_until',
    ]);
    expect(r.errors.every((e) => typeof e.line === 'number')).toBe(true);
  });

  it('reads a zero embargo ("PT0S", "P0D") as no embargo, and still refuses a malformed one', () => {
    const text = fixture('agreement-distrusted.yaml');
    expect(text).toContain('embargo: PT24H');
    for (const zero of ['PT0S', 'P0D', 'PT0H0M0S']) {
      const r = parseAgreement(text.replace('embargo: PT24H', `embargo: ${zero}`));
      if (!r.ok) throw new Error(formatAgreementErrors(zero, r.errors));
      expect(r.agreement.embargo).toBeUndefined();
    }
    const kept = parseAgreement(text);
    expect(kept.ok && kept.agreement.embargo).toBe('PT24H');
    const bad = parseAgreement(text.replace('embargo: PT24H', 'embargo: 24 hours'));
    expect(bad).toMatchObject({ ok: false, errors: [{ path: 'embargo' }] });
    // A reciprocity window of zero still makes no sense: only the embargo has a "none".
    const window = parseAgreement(fixture('agreement-distrusted.json').replace('"P30D"', '"PT0S"'));
    expect(window).toMatchObject({ ok: false, errors: [{ path: 'conditions[1].window' }] });
  });

  it('refuses oversized files and non-mapping documents', () => {
    expect(parseAgreement(`# ${'x'.repeat(300 * 1024)}\n`)).toMatchObject({
      ok: false,
      errors: [{ code: 'agreement-too-large' }],
    });
    expect(parseAgreement('- 1\n- 2\n')).toMatchObject({ ok: false, errors: [{ path: '' }] });
  });

  it('property: a valid agreement round-trips through YAML and JSON to the same normal form', () => {
    const base = parseAgreement(fixture('agreement-distrusted.yaml'));
    if (!base.ok) throw new Error('fixture invalid');
    fc.assert(
      fc.property(
        fc.constantFrom('clear', 'green', 'amber', 'amber+strict', 'red'),
        fc.constantFrom('none', 'one', 'two'),
        fc.integer({ min: 0, max: 5 }),
        fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{1,12}[a-z0-9]$/), { maxLength: 5 }),
        (ceiling, approval, hops, denied) => {
          const a = structuredClone(base.agreement);
          a.tlp_ceiling = ceiling;
          a.approval = approval;
          a.scope.types_denied = denied;
          if (a.scope.neighbourhood) a.scope.neighbourhood.hops = hops;
          const viaYaml = parseAgreement(stringify(a));
          const viaJson = parseAgreement(JSON.stringify(a));
          expect(viaYaml).toEqual({ ok: true, agreement: a });
          expect(viaJson).toEqual({ ok: true, agreement: a });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('property: a wrong-typed value at any top-level field is an error naming that field', () => {
    const base = JSON.parse(fixture('agreement-distrusted.json'));
    fc.assert(
      fc.property(
        fc.constantFrom(
          'scope',
          'tlp_ceiling',
          'embargo',
          'approval',
          'sanitisation',
          'valid_from',
          'conditions',
        ),
        fc.oneof(fc.integer(), fc.boolean(), fc.constant('nonsense value')),
        (field, bad) => {
          const doc = { ...base, [field]: bad };
          const r = parseAgreement(JSON.stringify(doc, null, 2));
          expect(r.ok).toBe(false);
          if (!r.ok) {
            expect(r.errors.some((e) => e.path === field || e.path.startsWith(`${field}.`))).toBe(true);
            expect(r.errors.every((e) => typeof e.line === 'number' && e.line > 0)).toBe(true);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
