import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { numberPlaceholders } from './sql-placeholders.js';

describe('numberPlaceholders', () => {
  it('numbers placeholders and leaves quoted text and comments alone', () => {
    expect(
      numberPlaceholders(
        `SELECT '?', "a?b", x FROM t -- why?\nWHERE a = ? AND b = ? /* c? */ AND d = 'it''s?' OR e = ?`,
      ),
    ).toBe(
      `SELECT '?', "a?b", x FROM t -- why?\nWHERE a = $1 AND b = $2 /* c? */ AND d = 'it''s?' OR e = $3`,
    );
  });

  it('turns n placeholders into $1..$n in order whatever surrounds them', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z =,()]*$/), { maxLength: 12 }), (parts) => {
        const out = numberPlaceholders(parts.join('?'));
        expect(out).toBe(parts.map((p, i) => (i === 0 ? p : `$${i}${p}`)).join(''));
      }),
    );
  });
});
