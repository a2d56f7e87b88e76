import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { measureJsonText } from '../stix/json-strict.js';
import { parseEnvelope } from './taxii-envelope.js';
import { TaxiiError } from './taxii-errors.js';

function depthOf(v: unknown): number {
  if (Array.isArray(v)) return 1 + Math.max(0, ...v.map(depthOf));
  if (typeof v === 'object' && v !== null) return 1 + Math.max(0, ...Object.values(v).map(depthOf));
  return 0;
}

const LIMITS = { maxDepth: 10, maxObjects: 3 };

function failureOf(body: string | Buffer): TaxiiError | undefined {
  try {
    parseEnvelope(typeof body === 'string' ? Buffer.from(body) : body, LIMITS);
  } catch (err) {
    if (err instanceof TaxiiError) return err;
    throw err;
  }
  return undefined;
}
const errorOf = (body: string | Buffer) => failureOf(body)?.code;
const descriptionOf = (body: string | Buffer) => failureOf(body)?.description;

describe('envelope parsing', () => {
  it('measures depth as a recursive walk of the parsed value does, strings with brackets included', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (v) => {
        expect(measureJsonText(JSON.stringify(v), 64).depth).toBe(depthOf(v));
      }),
      { numRuns: 300 },
    );
  });

  it('accepts an envelope within the limits', () => {
    expect(parseEnvelope(Buffer.from('{"objects":[{"type":"x"}]}'), LIMITS)).toEqual([{ type: 'x' }]);
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

  it('says where a body breaks the rules: syntax, UTF-8, duplicate names, depth (every 400 positioned)', () => {
    expect(descriptionOf('{"objects":[{"type":"x"}')).toBe(
      "body: not valid JSON at line 1, column 25 (byte 24): expected ']' to close the array, found the end of the input (opened at line 1, column 12 (byte 11))",
    );
    expect(descriptionOf('')).toBe(
      'body: not valid JSON at line 1, column 1 (byte 0): expected a JSON value, found the end of the input',
    );
    expect(
      descriptionOf(
        Buffer.concat([Buffer.from('{"objects":[{"n":"'), Buffer.from([0xe2, 0x82]), Buffer.from('"}]}')]),
      ),
    ).toBe(
      'body: not UTF-8 at line 1, column 19 (byte 18): byte 0x22 should continue the 3-byte character started by 0xe2',
    );
    expect(descriptionOf('{"objects":[{"type":"malware","type":"indicator"}]}')).toMatch(
      /^body: at line 1, column 31 \(byte 30\): duplicate member name "type"/,
    );
    expect(descriptionOf(`{"objects":[\n${'['.repeat(20)}${']'.repeat(20)}]}`)).toBe(
      'body: at line 2, column 9 (byte 21): nesting deeper than 10 levels',
    );
  });

  it('ignores one leading byte order mark, as every surface does, and counts bytes from the true start', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(parseEnvelope(Buffer.concat([bom, Buffer.from('{"objects":[]}')]), LIMITS)).toEqual([]);
    expect(descriptionOf(Buffer.concat([bom, Buffer.from('{"objects":]}')]))).toBe(
      'body: not valid JSON at line 1, column 12 (byte 14): expected a JSON value, found "]"',
    );
    expect(descriptionOf(Buffer.concat([bom, bom, Buffer.from('{"objects":[]}')]))).toMatch(/found U\+FEFF/);
  });
});
