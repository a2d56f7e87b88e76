import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonSplitter, type SplitItem } from './json-splitter.js';

const OPTS = { maxObjectBytes: 1024 * 1024, maxDepth: 64, maxRawBytes: 4096 };

function split(input: string | Buffer, chunkSizes: number[] = [], opts = OPTS): SplitItem[] {
  const buf = typeof input === 'string' ? Buffer.from(input) : input;
  const s = new JsonSplitter(opts);
  const out: SplitItem[] = [];
  let at = 0;
  let k = 0;
  while (at < buf.length) {
    const size = chunkSizes.length > 0 ? Math.max(1, chunkSizes[k++ % chunkSizes.length] ?? 1) : buf.length;
    out.push(...s.push(buf.subarray(at, at + size)));
    at += size;
  }
  out.push(...s.end());
  return out;
}

const texts = (items: SplitItem[]) =>
  items.map((i) => (i.kind === 'object' ? i.text : i.kind === 'error' ? `!${i.code}` : `@${i.location}`));

describe('JsonSplitter', () => {
  it('streams the objects of a bundle with their exact text and locations', () => {
    const a = '{ "type": "x", "id": "a" }';
    const b = '{"type":"y","s":"}]\\"{["}';
    const items = split(`{"type":"bundle","id":"bundle--1","objects":[${a},\n ${b}]}`);
    expect(texts(items)).toEqual([a, b]);
    expect(items.map((i) => i.location)).toEqual(['objects[0]', 'objects[1]']);
  });

  it('streams a bundle whose type comes after its objects', () => {
    expect(texts(split('{"objects":[{"a":1},{"b":2}],"id":"bundle--1","type":"bundle"}'))).toEqual([
      '{"a":1}',
      '{"b":2}',
    ]);
  });

  it('keeps a single object whole, even one with an array under the key objects', () => {
    const obj = '{"type":"x-custom","objects":[{"a":1}],"id":"x-custom--1"}';
    expect(texts(split(obj))).toEqual([obj]);
    expect(split(obj)[0]?.location).toBe('line 1');
  });

  it('reads JSON Lines and a top-level array', () => {
    const items = split('{"a":1}\n{"b":2}\n\n{"c":3}\n');
    expect(texts(items)).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
    expect(items.map((i) => i.location)).toEqual(['line 1', 'line 2', 'line 4']);
    expect(texts(split('[{"a":1}, {"b":2}]'))).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('reports truncated input, keeping what came before', () => {
    const items = split('{"type":"bundle","objects":[{"a":1},{"b":');
    expect(texts(items)).toEqual(['{"a":1}', '!truncated']);
    expect(items[1]?.location).toBe('objects[1]');
  });

  it('reports input that is not JSON and empty input', () => {
    expect(texts(split('hello world'))).toEqual(['!not-json']);
    expect(texts(split('   '))).toEqual(['!not-json']);
  });

  it('rejects non-object elements, too-deep and too-large objects, and goes on', () => {
    const deep = `${'{"a":'.repeat(100)}1${'}'.repeat(100)}`;
    const big = `{"x":"${'a'.repeat(2000)}"}`;
    const items = split(`[1, "s", [2], ${deep}, ${big}, {"ok":true}]`, [], { ...OPTS, maxObjectBytes: 1000 });
    expect(texts(items)).toEqual([
      '!not-an-object',
      '!not-an-object',
      '!not-an-object',
      '!too-deep',
      '!too-large',
      '{"ok":true}',
    ]);
    const tooLarge = items[4];
    expect(tooLarge?.kind === 'error' && tooLarge.rawBytes).toBe(big.length);
  });

  it('reports a document with an objects array that is not a bundle', () => {
    expect(texts(split('{"objects":[{"a":1}],"type":"report"}'))).toEqual(['{"a":1}', '!not-a-bundle']);
  });

  it('gives the same objects however the input is chunked (property)', () => {
    const value = fc.jsonValue({ maxDepth: 3 });
    const object = fc.dictionary(fc.string({ maxLength: 8 }), value, { maxKeys: 5 });
    fc.assert(
      fc.property(
        fc.array(object, { maxLength: 8 }),
        fc.constantFrom('bundle', 'bundle-pretty', 'lines', 'array'),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }),
        (objects, format, chunks) => {
          const elems = objects.map((o) =>
            format === 'bundle-pretty' ? JSON.stringify(o, null, 2) : JSON.stringify(o),
          );
          const doc =
            format === 'lines'
              ? elems.join('\n')
              : format === 'array'
                ? `[${elems.join(',')}]`
                : `{"type":"bundle","id":"bundle--1","objects":[${elems.join(format === 'bundle' ? ',' : ',\n')}]}`;
          if (format === 'lines' && elems.length === 0) return;
          const items = split(doc, chunks);
          expect(items.every((i) => i.kind === 'object')).toBe(true);
          expect(texts(items)).toEqual(elems);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('locates each concatenated value by the line it starts on, however chunked (property)', () => {
    const object = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
    const gap = fc.array(fc.constantFrom(' ', '\n', '\r\n', '\t'), { maxLength: 4 }).map((g) => g.join(''));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(gap, object, fc.boolean()), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }),
        (parts, chunks) => {
          let doc = '';
          const lines: string[] = [];
          for (const [g, o, pretty] of parts) {
            doc += `${g}`;
            lines.push(`line ${doc.split('\n').length}`);
            doc += `${JSON.stringify(o, null, pretty ? 2 : undefined)}\n`;
          }
          const items = split(doc, chunks);
          expect(items.map((i) => i.location)).toEqual(lines);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('counts lines after an element that spans chunks and after a line that is not JSON', () => {
    const long = JSON.stringify({ s: 'x'.repeat(100), n: [1, 2, { a: '"' }] });
    const spanning = `${long}\n\n${long}\n{"b":"\\""}`;
    for (const size of [1, 3, 16, 4096]) {
      expect(split(spanning, [size]).map((i) => [i.location, i.kind])).toEqual([
        ['line 1', 'object'],
        ['line 3', 'object'],
        ['line 4', 'object'],
      ]);
    }
    const garbage = `${long}\nnot json here\n\n${long}`;
    expect(
      split(garbage).map((i) => [
        i.location,
        i.kind === 'object' ? 'ok' : i.kind === 'error' ? i.code : i.kind,
      ]),
    ).toEqual([
      ['line 1', 'ok'],
      ['line 2', 'not-json'],
      ['line 4', 'ok'],
    ]);
  });

  it('handles escaped quotes and backslashes split across chunks', () => {
    const obj = JSON.stringify({ s: 'a\\"b\\\\', t: '\\\\\\"' });
    for (let size = 1; size < 8; size++) expect(texts(split(`[${obj},${obj}]`, [size]))).toEqual([obj, obj]);
  });

  it('skips a UTF-8 byte order mark', () => {
    expect(texts(split(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":"é"}')])))).toEqual([
      '{"a":"é"}',
    ]);
  });

  it('skips a byte order mark split over chunks; a second one or half of one is reported where it stands', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const doc = Buffer.concat([bom, Buffer.from('{"a":1}\n'), bom, Buffer.from('{"b":2}')]);
    for (const size of [1, 2, 4, 64]) {
      const items = split(doc, [size]);
      expect(texts(items)).toEqual(['{"a":1}', '!not-json']);
      const second = items[1];
      expect(second?.kind === 'error' && second.message).toBe(
        "not JSON at line 2, column 1 (byte 11): expected '{' or '[', found byte 0xef (a byte order mark? only one, at the very start of the input, is ignored)",
      );
    }
    const half = split(Buffer.concat([bom.subarray(0, 2), Buffer.from('{"a":1}')]));
    expect(half[0]?.kind === 'error' && half[0].message).toMatch(/byte 0\).*stop half-way/);
  });

  it('refuses an element that is not UTF-8 with the byte where it breaks, however chunked, and goes on', () => {
    const bad = Buffer.concat([Buffer.from('{"a":"x'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const doc = Buffer.concat([Buffer.from('[{"ok":1},\n '), bad, Buffer.from(',{"ok":2}]')]);
    for (const size of [1, 3, 7, 1024]) {
      const items = split(doc, [size]);
      expect(texts(items)).toEqual(['{"ok":1}', '!invalid-utf8', '{"ok":2}']);
      const e = items[1];
      expect(e?.location).toBe('[1]');
      expect(e?.kind === 'error' && e.message).toBe(
        'not UTF-8 at line 2, column 9 (byte 19): byte 0x28 should continue the 2-byte character started by 0xc3',
      );
    }
  });

  it('counts the colons outside strings of each element: its member count when names are unique (property)', () => {
    const object = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 });
    const members = (v: unknown): number =>
      Array.isArray(v)
        ? v.reduce((n: number, x) => n + members(x), 0)
        : typeof v === 'object' && v !== null
          ? Object.values(v).reduce((n: number, x) => n + 1 + members(x), 0)
          : 0;
    fc.assert(
      fc.property(fc.array(object, { maxLength: 5 }), fc.integer({ min: 1, max: 9 }), (objects, size) => {
        const doc = `{"type":"bundle","id":"b:1","objects":[${objects.map((o) => JSON.stringify(o, null, 1)).join(',')}]}`;
        const items = split(doc, [size]);
        expect(items.map((i) => (i.kind === 'object' ? i.colons : -1))).toEqual(objects.map(members));
      }),
      { numRuns: 300 },
    );
  });

  it('gives where each element starts (byte, line, column), however chunked (property)', () => {
    const object = fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(object, fc.constantFrom(',', ',\n', ' ,\r\n  ', ',\t')), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.integer({ min: 1, max: 9 }),
        (parts, size) => {
          let doc = '{"type":"bundle","objects":[\n';
          const starts: unknown[] = [];
          parts.forEach(([o, sep], k) => {
            const before = doc.split('\n');
            starts.push({
              offset: Buffer.byteLength(doc),
              line: before.length,
              column: Buffer.byteLength(before.at(-1) as string) + 1,
            });
            doc += JSON.stringify(o) + (k < parts.length - 1 ? sep : '');
          });
          doc += ']}';
          const items = split(doc, [size]);
          expect(
            items.map((i) => (i.kind === 'object' ? i.start : i.kind === 'error' ? i.message : i.kind)),
          ).toEqual(starts);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reports a missing comma, an extra one and a trailing one with their positions, keeping every element', () => {
    const items = split('[{"a":1} {"b":2},,{"c":3},]');
    expect(texts(items)).toEqual([
      '{"a":1}',
      '!invalid-json',
      '{"b":2}',
      '!invalid-json',
      '{"c":3}',
      '!invalid-json',
    ]);
    const messages = items.flatMap((i) => (i.kind === 'error' ? [i.message] : []));
    expect(messages).toEqual([
      "not valid JSON at line 1, column 10 (byte 9): expected ',' or ']', found \"{\"",
      "not valid JSON at line 1, column 18 (byte 17): expected an object, found ','",
      "not valid JSON at line 1, column 27 (byte 26): expected an object after ',', found ']' (JSON has no trailing commas)",
    ]);
  });

  it('positions truncation, nesting too deep and elements that are not objects', () => {
    const cut = split('{"type":"bundle","objects":[\n{"a":"x');
    expect(cut[0]?.kind === 'error' && cut[0].message).toBe(
      `the input ends at line 2, column 8 (byte 36) inside a string: expected '"' to end it; the JSON is truncated`,
    );
    const deep = split(`[\n  ${'['.repeat(70)}${']'.repeat(70)}]`);
    expect(deep[0]?.kind === 'error' && deep[0].message).toBe(
      'at line 2, column 67 (byte 68): the object nests deeper than 64 levels',
    );
    const deepObject = split(`[{"a":${'['.repeat(70)}${']'.repeat(70)}}]`);
    expect(deepObject[0]?.kind === 'error' && deepObject[0].message).toBe(
      'at line 1, column 70 (byte 69): the object nests deeper than 64 levels',
    );
  });

  it("checks a streamed bundle's envelope for duplicate names, before and after its objects", () => {
    const twice = split('{"type":"bundle","id":"bundle--1","objects":[{"a":1}],\n"id":"bundle--2"}');
    expect(texts(twice)).toEqual(['{"a":1}', '!duplicate-member']);
    expect(twice[1]?.kind === 'error' && twice[1].message).toBe(
      'the bundle\'s envelope is at line 2, column 1 (byte 55): duplicate member name "id" (I-JSON, RFC 7493: names must be unique) (first at line 1, column 18 (byte 17))',
    );
    const objectsTwice = split('{"type":"bundle","objects":[{"a":1}],"objects":[{"b":2}]}');
    expect(texts(objectsTwice)).toEqual(['{"a":1}', '!duplicate-member']);
  });
});
