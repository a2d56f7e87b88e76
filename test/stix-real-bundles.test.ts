import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateObject } from '../src/stix/validate.js';
import { validateBundle } from '../src/stix/validate-bundle.js';
import type { ValidationResult } from '../src/stix/validation-types.js';
import { fixturePath, readFixtureJson } from './fixture-data.js';

function load(...parts: string[]): { type?: unknown } {
  return readFixtureJson<{ type?: unknown }>(...parts);
}

function errorsOf(r: ReturnType<typeof validateBundle>): string[] {
  const out = r.errors.map((e) => `bundle ${e.path} ${e.code}`);
  for (const o of r.objects) for (const e of o.errors) out.push(`${o.id} ${e.path} ${e.code}`);
  return out;
}

describe('official STIX 2.1 examples', () => {
  const files = readdirSync(fixturePath('stix', 'examples')).filter((f) => f.endsWith('.json'));
  it('has the 8 example files', () => expect(files.length).toBe(8));
  for (const f of files) {
    const doc = load('stix', 'examples', f);
    if (doc.type !== 'bundle') continue;
    it(`${f} is a valid bundle`, () => {
      const r = validateBundle(doc);
      expect(errorsOf(r)).toEqual([]);
      expect(r.valid).toBe(true);
    });
  }

  it('interop-objectmarking-test.json (a lone campaign) is valid once its non-TLP marking is known, and fails closed before', () => {
    const doc = load('stix', 'examples', 'interop-objectmarking-test.json');
    const custom = 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ec';
    const alone: ValidationResult = validateObject(doc);
    expect(alone.errors.map((e) => `${e.path} ${e.code}`)).toEqual([
      'object_marking_refs[1] unresolved-marking',
    ]);
    const withStore = validateObject(doc, { isKnownMarking: (id) => id === custom });
    expect(withStore.errors).toEqual([]);
    expect(withStore.valid).toBe(true);
  });
});

describe('MITRE bundles', () => {
  it('the ATT&CK for ICS bundle is valid, x-mitre-* objects included', () => {
    const r = validateBundle(load('stix', 'ics-attack-18.1.json.gz'));
    expect(errorsOf(r)).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.objects.length).toBe(1826);
  });

  it('CAPEC is judged object by object: two attack-patterns carry URLs with a leading space (RFC 3986)', () => {
    const r = validateBundle(load('stix', 'capec-2.1.json.gz'));
    expect(errorsOf(r)).toEqual([
      'attack-pattern--c9b31907-c466-4325-af55-c418aea8b964 external_references[3].url invalid-url',
      'attack-pattern--ea2e5cbd-8278-4f8a-b56b-3cfb955d2366 external_references[4].url invalid-url',
    ]);
    const bad = r.objects.find((o) => o.id === 'attack-pattern--c9b31907-c466-4325-af55-c418aea8b964');
    expect(bad?.errors[0]?.message).toBe(
      "external_references[3].url: ' https://pentera.io/blog/dhcp-spoofing-101' is not a valid URL; give an absolute URL with a scheme",
    );
    expect(r.objects.filter((o) => o.valid).length).toBe(r.objects.length - 2);
  });
});
