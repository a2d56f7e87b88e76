import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePattern } from './pattern-check.js';
import { printPattern } from './pattern-printer.js';

function errorsOf(text: string) {
  const r = parsePattern(text);
  return r.ok ? [] : r.errors;
}

describe('parsePattern', () => {
  it('parses every operator, literal kind and qualifier', () => {
    const text = [
      "[file:size > 10 AND file:size <= 20 AND file:name != 'a' AND file:name NOT LIKE 'b%'",
      "AND file:name MATCHES '^x' AND ipv4-addr:value ISSUBSET '10.0.0.0/8' AND ipv4-addr:value NOT ISSUPERSET '10.1.0.0/16'",
      "AND file:size IN (1, 2.5, -3) AND EXISTS file:hashes AND file:hashes.'SHA-256' = '" +
        'a'.repeat(64) +
        "'",
      "AND artifact:payload_bin = b'aGVsbG8=' AND file:magic_number_hex = h'ffd8' AND file:is_encrypted = true",
      "AND file:ctime < t'2016-01-01T00:00:00Z' AND process:environment_variables[*] = 'x' AND x-acme-thing:list_items[0].'a key' = 'v']",
      "REPEATS 2 TIMES WITHIN 10 SECONDS FOLLOWEDBY ([url:value = 'http://a'] OR [url:value = 'http://b'])",
      "START t'2016-06-01T01:30:00.123Z' STOP t'2016-06-01T02:20:00Z'",
    ].join('\n');
    expect(errorsOf(text)).toEqual([]);
  });

  it('reports line:column of the offending token', () => {
    expect(errorsOf("[file:name = 'a']\nAND\n  [file:size = ]")).toEqual([
      {
        line: 3,
        column: 16,
        message: "expected a literal (quoted string, number, boolean, b'', h'' or t''), found ']'",
      },
    ]);
    expect(errorsOf('[file:hashes.MD5 = cead3f77f6cda6ec00f57d76c9a6879f]')[0]).toMatchObject({
      line: 1,
      column: 20,
    });
    expect(errorsOf('[foo:bar=1] within 2 seconds')[0]).toMatchObject({ line: 1, column: 13 });
  });

  it('rejects bad literals, qualifiers and names with a message naming the fix', () => {
    expect(errorsOf("[x:detected = t'2457-73-22T32:81:84.1Z']")[0]?.message).toContain(
      'not a valid RFC 3339',
    );
    expect(errorsOf("[artifact:payload_bin = b'====']")[0]?.message).toContain('base64');
    expect(errorsOf("[file:hashes.'SHA-256' = 'f00']")[0]?.message).toContain('SHA-256');
    expect(errorsOf('[a:b = 1] WITHIN 5 SECONDS WITHIN 6 SECONDS')[0]?.message).toContain('duplicate WITHIN');
    expect(errorsOf('([aaa:bbb = 1]) WITHIN 5 SECONDS WITHIN 6 SECONDS')).toEqual([]);
    expect(errorsOf("[file:n = 'x']")[0]?.message).toContain("'n' is not a valid property name");
    expect(errorsOf("[indicator:name = 'x']")[0]?.message).toContain('not a cyber-observable type');
    expect(
      errorsOf("[file:name = 'x'] START t'2016-01-02T00:00:00Z' STOP t'2016-01-01T00:00:00Z'")[0]?.message,
    ).toContain('must be later than START');
  });

  it('gives an error, not a stack overflow, for absurd nesting', () => {
    const deep = `${'('.repeat(5000)}[file:name = 'x']${')'.repeat(5000)}`;
    expect(errorsOf(deep)[0]?.message).toContain('nesting deeper');
  });

  const ident = fc.stringMatching(/^[a-z][a-z0-9_]{2,8}$/);
  const type = fc.stringMatching(/^[a-z][a-z0-9]{2,6}(-[a-z0-9]{1,5})?$/);
  const literal = fc.oneof(
    fc.string({ maxLength: 12 }).map((s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`),
    fc.integer({ min: -1000, max: 1000 }).map(String),
    fc.constantFrom('true', 'false', "h'ab01'", "b'aGk='", "t'2020-02-29T12:00:00.5Z'"),
  );
  const comparison = fc
    .tuple(type, ident, fc.constantFrom('=', '!=', 'NOT ='), literal)
    .map(([t, p, op, v]) => `${t}:${p} ${op} ${v}`);
  const observation = fc
    .array(comparison, { minLength: 1, maxLength: 3 })
    .chain((cs) => fc.constantFrom(' AND ', ' OR ').map((j) => `[${cs.join(j)}]`));
  const pattern = fc
    .array(observation, { minLength: 1, maxLength: 3 })
    .chain((os) => fc.constantFrom(' AND ', ' OR ', ' FOLLOWEDBY ').map((j) => os.join(j)));

  it('generated valid patterns parse, and print/parse round-trips (property-based)', () => {
    fc.assert(
      fc.property(pattern, (text) => {
        const r = parsePattern(text);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const printed = printPattern(r.ast);
        const again = parsePattern(printed);
        expect(again.ok).toBe(true);
        if (again.ok) expect(printPattern(again.ast)).toBe(printed);
      }),
      { numRuns: 200 },
    );
  });

  it('dropping the closing bracket of a generated pattern is always an error (property-based)', () => {
    fc.assert(
      fc.property(pattern, (text) => {
        const cut = text.slice(0, text.lastIndexOf(']'));
        expect(parsePattern(cut).ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
