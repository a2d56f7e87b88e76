import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareTimestamps,
  isIpv6OrCidr,
  isStixTimestamp,
  isTypeName,
  typeOfIdentifier,
  uuidVersionOf,
} from './stix-formats.js';

const date = fc.date({
  min: new Date('0001-01-01T00:00:00Z'),
  max: new Date('9999-12-31T23:59:59Z'),
  noInvalidDate: true,
});

describe('timestamps', () => {
  it('every real instant in RFC 3339 UTC form is a STIX timestamp, with or without fraction (property-based)', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 0, max: 9 }), (d, digits) => {
        const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
        const base = iso.slice(0, 19);
        const frac = digits === 0 ? '' : `.${iso.slice(20, 23).padEnd(digits, '7').slice(0, digits)}`;
        expect(isStixTimestamp(`${base}${frac}Z`)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('compareTimestamps orders like the instants, however many fraction digits (property-based)', () => {
    fc.assert(
      fc.property(date, date, (a, b) => {
        const sa = a.toISOString();
        const sb = b.toISOString().replace('Z', '000Z');
        expect(Math.sign(compareTimestamps(sa, sb))).toBe(Math.sign(a.getTime() - b.getTime()));
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    '2016-13-12T08:17:27.000Z',
    '2016-03-42T08:17:27.000Z',
    '2016-11-31T08:17:27Z',
    '2017-02-29T08:17:27Z',
    '2016-03-12T24:00:00Z',
    '2016-03-12T08:17:27.Z',
    '2016-03-12T08:17:27+00:00',
    '2016-03-12 08:17:27Z',
  ])('rejects %s', (s) => expect(isStixTimestamp(s)).toBe(false));

  it('accepts leap days and leap seconds', () => {
    expect(isStixTimestamp('2016-02-29T08:17:27Z')).toBe(true);
    expect(isStixTimestamp('2016-12-31T23:59:60Z')).toBe(true);
  });
});

describe('identifiers', () => {
  it('accepts type--UUID for RFC 4122 UUIDs of any case and gives the type and version (property-based)', () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.constantFrom('indicator', 'x-acme-thing', 'ipv4-addr'),
        fc.boolean(),
        (uuid, type, upper) => {
          const u = upper ? uuid.toUpperCase() : uuid;
          const version = Number.parseInt(uuid[14] as string, 16);
          const variantOk = /[89ab]/i.test(uuid[19] as string);
          const expected = version >= 1 && version <= 5 && variantOk ? type : undefined;
          expect(typeOfIdentifier(`${type}--${u}`)).toBe(expected);
          if (expected) expect(uuidVersionOf(`${type}--${u}`)).toBe(version);
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each([
    'ipv4-addr--e42c19c8-f9fe-5ae9-9fc8-22c398f78fb',
    'Indicator--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',
    'a--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',
    'a--b--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',
    'indicator-0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',
    'indicator--0c7b5b88-8ff7-4a4d-7a9d-feb398cd0061',
  ])('rejects %s', (id) => expect(typeOfIdentifier(id)).toBeUndefined());

  it('type names follow section 2.9', () => {
    expect(isTypeName('x-mitre-tactic')).toBe(true);
    for (const bad of ['ab', 'X-thing', 'a--b', '-ab', 'ab-', 'a_b_c']) expect(isTypeName(bad)).toBe(false);
  });
});

describe('IPv6', () => {
  it.each([
    '::1',
    '2001:db8::',
    'fe80:0000:0000:0000:0204:61ff:fe9d:f156/6',
    '::ffff:192.0.2.1',
    '1:2:3:4:5:6:7:8',
  ])('accepts %s', (v) => expect(isIpv6OrCidr(v)).toBe(true));
  it.each(['foo', '1:2:3:4:5:6:7:8:9', '1::2::3', 'fe80::1/129', 'fe80::1/03', '12345::1'])(
    'rejects %s',
    (v) => expect(isIpv6OrCidr(v)).toBe(false),
  );
});
