import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locateJsonProblem } from './json-locate.js';
import { auditJsonValue, measureJsonText, parseJsonStrict } from './json-strict.js';
import { decodeUtf8Document, findInvalidUtf8, positionInText } from './json-text.js';

const DEPTH = 64;

/** What JSON.parse alone says, and whether the value keeps I-JSON's rules. */
function reference(text: string): 'syntax' | 'ok' | 'not-i-json' {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'syntax';
  }
  const audit = auditJsonValue(value);
  return audit.nonFinite || audit.members !== measureJsonText(text, DEPTH).colons ? 'not-i-json' : 'ok';
}

/** A JSON text, then damaged: cut, a character replaced or inserted, or left alone. */
const damagedJson = fc
  .tuple(
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v, null, 1)),
    fc.nat(),
    fc.constantFrom('cut', 'replace', 'insert', 'none'),
    fc.constantFrom('"', ',', ':', '{', '}', '[', ']', '\\', 'x', '\n', '\u0001', '-', '0', ' ', 'N', '/'),
  )
  .map(([text, at, how, c]) => {
    const i = text.length === 0 ? 0 : at % text.length;
    if (how === 'cut') return text.slice(0, i);
    if (how === 'replace') return text.slice(0, i) + c + text.slice(i + 1);
    if (how === 'insert') return text.slice(0, i) + c + text.slice(i);
    return text;
  });

describe('strict JSON reading', () => {
  it('accepts exactly what JSON.parse accepts (and I-JSON allows), with the same value', () => {
    fc.assert(
      fc.property(fc.oneof(damagedJson, fc.string({ maxLength: 40 })), (text) => {
        const r = parseJsonStrict(text, DEPTH);
        const ref = reference(text);
        expect(r.ok).toBe(ref === 'ok');
        if (r.ok) expect(r.value).toEqual(JSON.parse(text));
        else {
          // Always positioned by the second reading, never the fallback text.
          expect(r.error.message).toMatch(/^(not valid JSON at |at )line \d+, column \d+ \(byte \d+\): /);
          expect(r.error.message).not.toContain('duplicate member names or numbers out of range');
          expect(r.error.position.offset).toBeLessThanOrEqual(Buffer.byteLength(text));
          // A syntax error may come after a duplicate name or a huge number: the first is reported.
          if (ref === 'syntax') expect(r.error.code).not.toBe('too-deep');
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('names a duplicate member and points at its second occurrence', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
          minKeys: 1,
          maxKeys: 6,
        }),
        fc.jsonValue({ maxDepth: 1 }),
        (obj, extra) => {
          const keys = Object.keys(obj);
          const dup = keys[keys.length - 1] as string;
          const text = `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(obj[k])}`).join(',')},${JSON.stringify(dup)}:${JSON.stringify(extra)}}`;
          const r = parseJsonStrict(text, DEPTH);
          expect(r.ok).toBe(false);
          if (r.ok) return;
          expect(r.error.code).toBe('duplicate-member');
          expect(r.error.message).toContain(`duplicate member name ${JSON.stringify(dup)}`);
          const at = r.error.position.column - 1;
          expect(text.slice(at).startsWith(JSON.stringify(dup)), text).toBe(true);
          expect(at).toBeGreaterThan(text.indexOf(JSON.stringify(dup)));
        },
      ),
    );
  });

  it('refuses the cases JSON.parse lets through, each with a position', () => {
    const cases: [string, string, RegExp][] = [
      [
        '{"type":"malware","type":"indicator"}',
        'duplicate-member',
        /column 19 .*"type".*first at line 1, column 2/,
      ],
      ['{"a":{"b":1,"b":2}}', 'duplicate-member', /column 13/],
      ['{"n":1e400}', 'number-out-of-range', /column 6 .*1e400/],
      ['[-1e999]', 'number-out-of-range', /column 2/],
      ['', 'invalid-json', /line 1, column 1 \(byte 0\): expected a JSON value, found the end of the input/],
      [
        '{"a":1',
        'invalid-json',
        /column 7 .*expected '}' to close the object, found the end of the input \(opened at line 1, column 1/,
      ],
      ['{"a":NaN}', 'invalid-json', /column 6 .*found "NaN"/],
      ['[1,]', 'invalid-json', /column 4/],
      ['{"a":1}\n{"b":2}', 'invalid-json', /line 2, column 1 .*expected the end of the input/],
      ['{"a":"\\q"}', 'invalid-json', /column 7 .*expected an escape: .*, found "\\\\q"/],
      ['{"a":"\\u12"}', 'invalid-json', /column 7 .*four hex digits/],
      ['{"a":"x', 'invalid-json', /column 8 .*expected '"' to end the string, found the end of the input/],
      ['[1.]', 'invalid-json', /column 4 .*expected a digit/],
      [
        '{"é":"x\u0001"}',
        'invalid-json',
        /column 8 \(byte 8\).*control character in a string, found U\+0001/,
      ],
    ];
    for (const [text, code, message] of cases) {
      const r = parseJsonStrict(text, DEPTH);
      expect(r.ok, text).toBe(false);
      if (r.ok) continue;
      expect(r.error.code, text).toBe(code);
      expect(r.error.message, text).toMatch(message);
    }
  });

  it('refuses deep nesting before parsing, and its positioned reading never recurses past the limit', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const r = parseJsonStrict(deep, DEPTH);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe('at line 1, column 65 (byte 64): nesting deeper than 64 levels');
    expect(locateJsonProblem(`{"a":${deep}}`, DEPTH)?.code).toBe('too-deep');
  });

  it('counts lines and columns as an editor does', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'é', '\n', '😀', ' ') }), fc.nat(), (text, n) => {
        const i = text.length === 0 ? 0 : n % (text.length + 1);
        const before = text.slice(0, i).split('\n');
        expect(positionInText(text, i)).toEqual({
          offset: Buffer.byteLength(text.slice(0, i)),
          line: before.length,
          column: (before.at(-1) as string).length + 1,
        });
      }),
    );
  });
});

describe('UTF-8', () => {
  it('finds an invalid byte exactly when the native validator says no, and the bytes before it are UTF-8', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        const fault = findInvalidUtf8(bytes);
        expect(fault === undefined).toBe(isUtf8(bytes));
        if (fault) expect(isUtf8(bytes.subarray(0, fault.offset))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('skips one leading byte order mark, refuses invalid bytes with their offset, and names UTF-16', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(decodeUtf8Document(Buffer.concat([bom, Buffer.from('{"a":"é"}')]))).toEqual({
      ok: true,
      text: '{"a":"é"}',
      bom: true,
    });
    const twice = decodeUtf8Document(Buffer.concat([bom, bom, Buffer.from('{}')]));
    // A second mark decodes to U+FEFF, which the JSON reading then refuses with its position.
    expect(twice.ok && twice.text.charCodeAt(0)).toBe(0xfeff);
    const bad = decodeUtf8Document(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]));
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.error.message).toBe(
        'not UTF-8 at line 1, column 7 (byte 6): byte 0x28 should continue the 2-byte character started by 0xc3',
      );
    const utf16 = decodeUtf8Document(Buffer.from('\ufeff{}', 'utf16le'));
    expect(!utf16.ok && utf16.error.message).toMatch(/byte 0\): byte 0xff never occurs in UTF-8 \(.*UTF-16/);
  });
});
