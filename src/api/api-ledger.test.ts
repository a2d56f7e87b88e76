import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField } from './api-ledger.js';

/** Reads one RFC 4180 field back (quoted or not). */
function parseField(text: string): string {
  if (!text.startsWith('"')) return text;
  return text.slice(1, -1).replace(/""/g, '"');
}

describe('csvField', () => {
  it('round-trips any text, with formulas defused by a leading quote', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const field = csvField(s);
        const back = parseField(field);
        expect(back).toBe(/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
        // Unquoted fields never contain a separator, quote or line break.
        if (!field.startsWith('"')) expect(field).not.toMatch(/[",\r\n]/);
      }),
      { numRuns: 300 },
    );
  });

  it('writes nothing for null and numbers as they are', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(42)).toBe('42');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  });
});
