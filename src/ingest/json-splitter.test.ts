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
});
