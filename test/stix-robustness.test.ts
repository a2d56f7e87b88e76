import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePattern } from '../src/stix/pattern-check.js';
import { validateObject } from '../src/stix/validate.js';
import { validateBundle } from '../src/stix/validate-bundle.js';

const NASTY_KEYS = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'type',
  'id',
  'extensions',
];
const key = fc.oneof(fc.constantFrom(...NASTY_KEYS), fc.string({ maxLength: 12 }));
const TYPES = [
  'constructor',
  '__proto__',
  'file',
  'indicator',
  'relationship',
  'marking-definition',
  'x-acme-thing',
  'url',
];

/** JSON as JSON.parse makes it: own keys only, `__proto__` included as a plain key. */
const json = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ maxLength: 20 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc
      .array(fc.tuple(key, tie('value')), { maxLength: 5 })
      .map((entries) => JSON.parse(JSON.stringify(Object.fromEntries(entries))) as unknown),
  ),
})).value;

const stixish = fc
  .tuple(fc.constantFrom(...TYPES), fc.array(fc.tuple(key, json), { maxLength: 8 }), fc.boolean())
  .map(([type, entries, withExt]) => {
    const text = JSON.stringify({
      type,
      id: `${type}--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061`,
      ...Object.fromEntries(entries),
    });
    const o = JSON.parse(text) as Record<string, unknown>;
    if (withExt) o.extensions = JSON.parse('{"__proto__": {"extension_type": "new-sco"}, "constructor": {}}');
    return o;
  });

describe('the validator never throws on JSON input (property-based)', () => {
  it('validateObject returns a result for any JSON value or STIX-shaped object, __proto__ keys included', () => {
    fc.assert(
      fc.property(fc.oneof(json, stixish), (value) => {
        const r = validateObject(value, { strict: true });
        expect(r.valid).toBe(r.errors.length === 0);
        for (const e of [...r.errors, ...r.warnings]) expect(typeof e.message).toBe('string');
      }),
      { numRuns: 300 },
    );
  });

  it('__proto__ and constructor keys are plain (custom) properties, not Object.prototype members', () => {
    const o = JSON.parse(
      '{"type":"tool","spec_version":"2.1","id":"tool--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061","created":"2016-05-12T08:17:27.000Z","modified":"2016-05-12T08:17:27.000Z","name":"x","__proto__":1,"constructor":2}',
    ) as unknown;
    const r = validateObject(o);
    // Section 3.1: a property name begins with a letter, so __proto__ is refused as a name (and is
    // seen at all, not swallowed as the prototype); constructor is a well-formed custom property.
    expect(r.errors.map((e) => `${e.path} ${e.code}`)).toEqual(['__proto__ invalid-property-name']);
    expect(r.warnings.map((e) => `${e.path} ${e.code}`)).toEqual(['constructor custom-property']);
    const custom = JSON.parse(
      '{"type":"constructor","id":"constructor--0c7b5b88-4ff7-4a4d-aa9d-feb398cd0061","name":"n"}',
    ) as unknown;
    expect(validateObject(custom).valid).toBe(true);
  });

  it('validateBundle and parsePattern return results for any input', () => {
    fc.assert(
      fc.property(json, fc.string({ maxLength: 60 }), (value, text) => {
        expect(typeof validateBundle({ type: 'bundle', id: 'bundle--x', objects: [value] }).valid).toBe(
          'boolean',
        );
        expect(typeof parsePattern(text).ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});
