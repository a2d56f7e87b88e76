import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { findExcessiveYamlDepth } from './agreement-depth.js';
import { formatAgreementErrors, parseAgreement, parseAgreementFile } from './agreement-parse.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

/** A value nested exactly `depth` levels (maps and lists in any order), with siblings on the way. */
const nested = (depth: number) =>
  fc
    .array(
      fc.tuple(
        fc.boolean(),
        fc.string({ minLength: 1, maxLength: 5 }).filter((s) => /^\w+$/.test(s)),
      ),
      {
        minLength: depth,
        maxLength: depth,
      },
    )
    .map((levels) =>
      levels.reduceRight<unknown>(
        (inner, [isMap, key]) => (isMap ? { [key]: inner, other: 1 } : [inner, 'x']),
        'leaf',
      ),
    );

describe('agreement nesting, found before parsing', () => {
  it('counts at least the true depth of any nesting, in YAML block or flow style and in JSON (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 30 }),
        fc.constantFrom('block', 'flow', 'json'),
        (depth, style) => {
          fc.assert(
            fc.property(nested(depth), (value) => {
              const text =
                style === 'json'
                  ? JSON.stringify(value, null, 1)
                  : stringify(value, style === 'flow' ? { collectionStyle: 'flow' } : {});
              expect(findExcessiveYamlDepth(text, depth - 1), text).toBeDefined();
              expect(findExcessiveYamlDepth(text, 64), text).toBeUndefined();
            }),
            { numRuns: 5 },
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses a hundred thousand levels before the parser runs, with the line and column', () => {
    for (const text of [
      `scope: ${'['.repeat(100_000)}`,
      `${'- '.repeat(100_000)}x`,
      `{"a": ${'{"b": '.repeat(30_000)}1${'}'.repeat(30_000)}}`,
    ]) {
      const r = parseAgreement(text);
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.errors).toEqual([expect.objectContaining({ code: 'agreement-too-deep', line: 1 })]);
      expect(r.errors[0]?.message).toMatch(/^nesting deeper than 64 levels at line 1, column \d+$/);
    }
  });

  it("leaves a block scalar's text alone, however it is indented", () => {
    const text = `description: |\n${Array.from({ length: 100 }, (_, i) => `${' '.repeat(i + 2)}line ${i}`).join('\n')}\nname: x\n`;
    expect(findExcessiveYamlDepth(text, 64)).toBeUndefined();
  });
});

describe('agreement files as bytes', () => {
  it('accepts one leading byte order mark, in YAML and JSON alike', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    for (const name of ['agreement-distrusted.yaml', 'agreement-distrusted.json']) {
      const r = parseAgreementFile(Buffer.concat([bom, fixture(name)]));
      expect(r.ok ? 'ok' : formatAgreementErrors(name, r.errors)).toBe('ok');
    }
  });

  it('refuses bytes that are not UTF-8 with their line and column, rather than storing U+FFFD', () => {
    const text = fixture('agreement-distrusted.yaml');
    const at = text.indexOf('\n', 10) + 3;
    const bad = Buffer.concat([text.subarray(0, at), Buffer.from([0xff]), text.subarray(at)]);
    const r = parseAgreementFile(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([expect.objectContaining({ code: 'agreement-encoding', line: 2, column: 3 })]);
    expect(formatAgreementErrors('a.yaml', r.errors)).toBe(
      `a.yaml:2:3: not UTF-8 at line 2, column 3 (byte ${at}): byte 0xff never occurs in UTF-8`,
    );
  });

  it('gives syntax errors a column too', () => {
    const r = parseAgreement('{"a": 1,, "b": 2}');
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors[0]).toMatchObject({ code: 'agreement-syntax', line: 1, column: expect.any(Number) });
  });
});
