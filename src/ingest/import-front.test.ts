import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FrontBatch, type FrontOptions, ImportFront, UNRESOLVED_MARKING } from './import-front.js';

const OPTS: FrontOptions = {
  source: 'file:t.json',
  maxObjectBytes: 1024 * 1024,
  strict: false,
  batchSize: 3,
  listLimit: 100,
  knownMarkings: [],
};

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const identity = (n: number, extra: Record<string, unknown> = {}) => ({
  type: 'identity',
  spec_version: '2.1',
  id: `identity--${uuid(n)}`,
  created: '2024-01-01T00:00:00.000Z',
  modified: '2024-01-01T00:00:00.000Z',
  name: `org ${n}`,
  ...extra,
});
const marking = (n: number) => ({
  type: 'marking-definition',
  spec_version: '2.1',
  id: `marking-definition--${uuid(n)}`,
  created: '2024-01-01T00:00:00.000Z',
  definition_type: 'statement',
  definition: { statement: `statement ${n}` },
});

function run(doc: string, chunkSizes: number[], opts = OPTS): FrontBatch[] {
  const front = new ImportFront(opts, (a) => a);
  const buf = Buffer.from(doc);
  const out: FrontBatch[] = [];
  for (let at = 0, k = 0; at < buf.length; k++) {
    const size = chunkSizes[k % chunkSizes.length] ?? buf.length;
    out.push(...front.push(buf.subarray(at, at + size)));
    at += size;
  }
  out.push(...front.finish());
  return out;
}

const bundle = (objects: unknown[]) =>
  `{"type":"bundle","id":"bundle--${uuid(999)}","objects":[${objects.map((o) => JSON.stringify(o)).join(',\n')}]}`;

describe('ImportFront', () => {
  it('yields every valid object once, in input order, however the input is chunked (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12 }),
        fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 4 }),
        (n, chunks) => {
          const objects = Array.from({ length: n }, (_, i) => identity(i + 1));
          const batches = run(bundle(objects), chunks);
          const accepted = batches.flatMap((b) => b.accepted.map((a) => a.json));
          expect(accepted).toEqual(objects.map((o) => JSON.stringify(o)));
          expect(batches.at(-1)?.read).toBe(n);
          // Running totals never go down; a batch holds at most what one chunk adds past the size.
          for (const [i, b] of batches.entries())
            expect(b.read).toBeGreaterThanOrEqual(batches[i - 1]?.read ?? 0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('holds back an object whose marking comes later, and rejects one whose marking never comes', () => {
    const early = identity(1, { object_marking_refs: [`marking-definition--${uuid(50)}`] });
    const orphan = identity(2, { object_marking_refs: [`marking-definition--${uuid(51)}`] });
    const batches = run(bundle([early, orphan, identity(3), marking(50)]), [64]);
    const accepted = batches.flatMap((b) => b.accepted.map((a) => a.object.id));
    expect(accepted).toEqual([identity(3).id, marking(50).id, early.id]);
    const rejected = batches.flatMap((b) => b.rejected);
    expect(rejected.map((r) => [r.location, r.objectId, r.errors.map((e) => e.code)])).toEqual([
      ['objects[1]', orphan.id, [UNRESOLVED_MARKING]],
    ]);
    expect(batches.at(-1)).toMatchObject({ read: 4, rejectedCount: 1 });
  });

  it('rejects what is not JSON or not an object with its location, and goes on', () => {
    const doc = `${JSON.stringify(identity(1))}\n{"type": oops}\n[1]\n${JSON.stringify(identity(2))}\n`;
    const batches = run(doc, [7]);
    expect(batches.flatMap((b) => b.accepted.map((a) => a.location))).toEqual(['line 1', 'line 4']);
    expect(batches.flatMap((b) => b.rejections.map((r) => [r.location, r.errors[0]?.code]))).toEqual([
      ['line 2', 'invalid-json'],
      ['line 3 [0]', 'not-an-object'],
    ]);
    const line1 = JSON.stringify(identity(1)).length + 1;
    expect(batches.flatMap((b) => b.rejections.map((r) => r.errors[0]?.message))).toEqual([
      `not valid JSON at line 2, column 10 (byte ${line1 + 9}): expected a JSON value (JSON has no NaN, Infinity, undefined, comments or unquoted names), found "oops"`,
      `at line 3, column 2 (byte ${line1 + 16}): expected a STIX object '{…}', found 1`,
    ]);
    expect(batches.flatMap((b) => b.rejected).every((r) => r.source === 'file:t.json')).toBe(true);
  });

  it('lists at most listLimit rejections but counts them all', () => {
    const doc = Array.from({ length: 5 }, () => '{"x": }').join('\n');
    const batches = run(doc, [1000], { ...OPTS, listLimit: 2 });
    expect(batches.flatMap((b) => b.rejections)).toHaveLength(2);
    expect(batches.flatMap((b) => b.rejected)).toHaveLength(5);
    expect(batches.at(-1)?.rejectedCount).toBe(5);
  });

  it('cuts a batch once the text it holds reaches batchChars, however few objects it has', () => {
    const big = (n: number) => identity(n, { description: 'd'.repeat(5000) });
    const text = bundle([1, 2, 3, 4, 5].map(big));
    const one = JSON.stringify(big(1)).length;
    // Chunks of one object each: the front can cut after every one.
    const batches = run(text, [one + 2], { ...OPTS, batchSize: 1000, batchChars: 2 * one });
    const sizes = batches.map((b) => b.accepted.length).filter((n) => n > 0);
    expect(sizes.every((n) => n <= 3)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(5);
    const unbounded = run(text, [one + 2], { ...OPTS, batchSize: 1000 });
    expect(unbounded.map((b) => b.accepted.length).filter((n) => n > 0)).toEqual([5]);
  });

  it('counts warnings either way, and keeps their reports only when asked', () => {
    // A custom property draws a warning (deprecated in STIX 2.1 without an extension).
    const text = bundle([1, 2, 3].map((n) => identity(n, { x_custom: 'v' })));
    const kept = run(text, [50], { ...OPTS, keepWarnings: true });
    const counted = run(text, [50], { ...OPTS, keepWarnings: false });
    const total = (bs: FrontBatch[]) => bs.at(-1)?.warningCount;
    expect(total(kept)).toBeGreaterThanOrEqual(3);
    expect(total(counted)).toBe(total(kept));
    expect(kept.flatMap((b) => b.warningReports).map((w) => w.id)).toEqual(
      [1, 2, 3].map((n) => `identity--${uuid(n)}`),
    );
    expect(counted.flatMap((b) => b.warningReports)).toEqual([]);
  });

  it('refuses duplicate member names and numbers beyond a double, naming where, which JSON.parse lets through', () => {
    const dup = JSON.stringify(identity(1)).replace('"name":', '"name":"first","name":');
    const huge = JSON.stringify(identity(2, { x_n: 1 })).replace('"x_n":1', '"x_n":1e999');
    const batches = run(bundle([]).replace('[]', `[\n${dup},\n${huge}]`), [13]);
    expect(batches.flatMap((b) => b.accepted)).toEqual([]);
    const messages = batches.flatMap((b) =>
      b.rejections.map((r) => [r.location, r.errors.map((e) => e.message)]),
    );
    expect(messages).toEqual([
      [
        'objects[0]',
        [
          `at line 2, column ${dup.lastIndexOf('"name"') + 1} (byte ${bundle([]).indexOf('[') + 2 + dup.lastIndexOf('"name"')}): duplicate member name "name" (I-JSON, RFC 7493: names must be unique) (first at line 2, column ${dup.indexOf('"name"') + 1} (byte ${bundle([]).indexOf('[') + 2 + dup.indexOf('"name"')}))`,
        ],
      ],
      [
        'objects[1]',
        [
          expect.stringMatching(
            /^at line 3, column \d+ \(byte \d+\): number 1e999 is beyond what a double holds/,
          ),
        ],
      ],
    ]);
  });

  it('cuts batches as rejections come, however many one chunk brings, and keeps at most 100 errors per object', () => {
    const doc = `[${Array.from({ length: 5000 }, () => '{}').join(',')}]`;
    const batches = run(doc, [doc.length], { ...OPTS, batchSize: 1000 });
    expect(batches.every((b) => b.rejected.length <= 1000)).toBe(true);
    expect(batches.at(-1)?.rejectedCount).toBe(5000);
    const many = identity(3, Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`P${i}`, i])));
    const [rejected] = run(JSON.stringify(many), [1 << 20]).flatMap((b) => b.rejected);
    expect(rejected?.errors).toHaveLength(101);
    expect(rejected?.errors.at(-1)).toEqual({
      path: '',
      code: 'too-many-errors',
      message: '… and 200 more errors in this object',
    });
  });
});
