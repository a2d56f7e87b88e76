import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { measureJsonDepth, parseEnvelope } from './taxii-envelope.js';
import { TaxiiError } from './taxii-errors.js';

function depthOf(v: unknown): number {
  if (Array.isArray(v)) return 1 + Math.max(0, ...v.map(depthOf));
  if (typeof v === 'object' && v !== null) return 1 + Math.max(0, ...Object.values(v).map(depthOf));
  return 0;
}

const LIMITS = { maxDepth: 10, maxObjects: 3 };

function errorOf(text: string): string | undefined {
  try {
    parseEnvelope(text, LIMITS);
  } catch (err) {
    return err instanceof TaxiiError ? err.code : 'other';
  }
  return undefined;
}

describe('envelope parsing', () => {
  it('measures depth as a recursive walk of the parsed value does, strings with brackets included', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (v) => {
        expect(measureJsonDepth(JSON.stringify(v))).toBe(depthOf(v));
      }),
      { numRuns: 300 },
    );
  });

  it('accepts an envelope within the limits', () => {
    expect(parseEnvelope('{"objects":[{"type":"x"}]}', LIMITS)).toEqual([{ type: 'x' }]);
  });

  it.each([
    ['[', 'bad-request'],
    ['[]', 'bad-request'],
    ['{"objects":{}}', 'bad-request'],
    ['{}', 'bad-request'],
    [`{"objects":[${'['.repeat(20)}${']'.repeat(20)}]}`, 'bad-request'],
    ['{"objects":[1,2,3,4]}', 'payload-too-large'],
  ])('refuses %s with %s', (text, code) => {
    expect(errorOf(text)).toBe(code);
  });

  it('refuses a body nested far beyond the stack without overflowing it', () => {
    expect(errorOf(`{"objects":[${'['.repeat(200_000)}]}`)).toBe('bad-request');
  });
});
