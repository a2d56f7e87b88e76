import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TaxiiError } from './taxii-errors.js';
import { encodeNext, type FilterOptions, parseFeedQuery } from './taxii-filters.js';
import { formatMicros, parseMicros } from './taxii-timestamp.js';

const ALL: FilterOptions = { maxPageSize: 1000, allow: new Set(['id', 'type', 'version', 'spec_version']) };
const ID = 'indicator--00000000-0000-4000-8000-000000000001';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof TaxiiError ? `${err.code}: ${err.description}` : 'not a TaxiiError';
  }
  return undefined;
}

describe('TAXII filters', () => {
  it('defaults to the latest versions and the page size cap', () => {
    expect(parseFeedQuery({}, ALL)).toEqual({
      version: { all: false, first: false, last: true, timestamps: [] },
      limit: 1000,
    });
  });

  it('parses every filter, lists and repeated keys', () => {
    const q = parseFeedQuery(
      {
        added_after: '2026-01-01T00:00:00.123456Z',
        limit: '5000',
        'match[id]': [ID, ID],
        'match[type]': 'indicator,malware',
        'match[version]': 'first,2026-02-01T00:00:00Z',
        'match[spec_version]': '2.1',
      },
      ALL,
    );
    expect(q).toEqual({
      afterUs: Date.parse('2026-01-01T00:00:00Z') * 1000 + 123456,
      limit: 1000,
      ids: [ID, ID],
      types: ['indicator', 'malware'],
      version: { all: false, first: true, last: false, timestamps: ['2026-02-01T00:00:00.000000000Z'] },
      specVersions: ['2.1'],
    });
  });

  it('continues after the position a next token carries', () => {
    expect(parseFeedQuery({ next: encodeNext(42) }, ALL).afterUs).toBe(42);
    expect(parseFeedQuery({ next: encodeNext(42), added_after: formatMicros(99) }, ALL).afterUs).toBe(99);
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ added_after: 'yesterday' }, 'added_after'],
    [{ next: 'bm90IG91cnM' }, 'next'],
    [{ 'match[id]': 'not-an-id' }, 'match[id]'],
    [{ 'match[version]': 'newest' }, 'match[version]'],
    [{ 'match[spec_version]': 'two' }, 'match[spec_version]'],
    [{ 'match[colour]': 'red' }, 'match[colour]'],
    [{ addedafter: '2026-01-01T00:00:00Z' }, 'addedafter'],
    [{ limit: ['1', '2'] }, 'limit'],
  ])('refuses %j naming %s', (params, name) => {
    const message = codeOf(() => parseFeedQuery(params, ALL));
    expect(message).toMatch(/^bad-request: /);
    expect(message).toContain(name);
  });

  it('refuses filters the endpoint does not take', () => {
    const versionsOnly: FilterOptions = { maxPageSize: 10, allow: new Set(['spec_version']) };
    expect(codeOf(() => parseFeedQuery({ 'match[type]': 'indicator' }, versionsOnly))).toMatch(
      /not a filter/,
    );
  });

  it('round-trips microsecond timestamps and next tokens', () => {
    fc.assert(
      // Positions are epoch microseconds; up to 2100 they stay well inside safe integers.
      fc.property(
        fc.integer({ min: 0, max: 4102444800000 }),
        fc.integer({ min: 0, max: 999 }),
        (ms, micro) => {
          const us = ms * 1000 + micro;
          expect(parseMicros(formatMicros(us))).toBe(us);
          expect(parseFeedQuery({ next: encodeNext(us) }, ALL).afterUs).toBe(us);
        },
      ),
      { numRuns: 300 },
    );
  });
});
