import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseQueueFilter } from './queue-filter.js';

describe('parseQueueFilter', () => {
  it('reads clauses and options alike', () => {
    expect(parseQueueFilter('type=indicator,relationship label=isis-k', {})).toEqual({
      types: ['indicator', 'relationship'],
      labels: ['isis-k'],
    });
    expect(parseQueueFilter('report=report--1;type=malware', {})).toEqual({
      group: 'report--1',
      types: ['malware'],
    });
    expect(parseQueueFilter(undefined, { type: 'tool', group: 'x' })).toEqual({
      types: ['tool'],
      group: 'x',
    });
    expect(parseQueueFilter('label=a', { type: 'tool' })).toEqual({ types: ['tool'], labels: ['a'] });
  });

  it('names what is wrong', () => {
    expect(() => parseQueueFilter('colour=red', {})).toThrow(/"colour=red" is not KEY=VALUE/);
    expect(() => parseQueueFilter('type', {})).toThrow(/"type" is not KEY=VALUE/);
    expect(() => parseQueueFilter('type=', {})).toThrow(/gives type no value/);
    expect(() => parseQueueFilter('  ', {})).toThrow(/--filter is empty/);
    expect(() => parseQueueFilter('type=a', { type: 'b' })).toThrow(
      /type is given twice \(--type and "type=a"\)/,
    );
    expect(() => parseQueueFilter('type=a type=b', {})).toThrow(/given twice/);
    expect(() => parseQueueFilter('group=a report=b', {})).toThrow(/a group or a report, not both/);
    expect(() => parseQueueFilter('x'.repeat(3000), {})).toThrow(/at most 2000/);
  });

  it('property: a filter built from clauses reads back as those clauses', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/);
    fc.assert(
      fc.property(
        fc.option(fc.uniqueArray(word, { minLength: 1, maxLength: 4 }), { nil: undefined }),
        fc.option(fc.uniqueArray(word, { minLength: 1, maxLength: 4 }), { nil: undefined }),
        fc.option(word, { nil: undefined }),
        fc.constantFrom(' ', ';', ' ; '),
        (types, labels, group, sep) => {
          const clauses = [
            types && `type=${types.join(',')}`,
            labels && `label=${labels.join(',')}`,
            group && `group=${group}`,
          ].filter((c): c is string => c !== undefined);
          if (clauses.length === 0) return;
          expect(parseQueueFilter(clauses.join(sep), {})).toEqual({
            ...(types && { types }),
            ...(labels && { labels }),
            ...(group && { group }),
          });
        },
      ),
    );
  });
});
