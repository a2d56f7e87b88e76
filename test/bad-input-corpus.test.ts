import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DryRunTarget } from '../src/ingest/dry-run-target.js';
import { importStream } from '../src/ingest/import-stream.js';
import type { ImportSummary } from '../src/ingest/import-summary.js';
import { parseAgreementFile } from '../src/policy/agreement-parse.js';
import { as, initHub, runTearline, tempDir } from './run-cli.js';
import { addPartner, basic, memoryHub, TAXII, type TestPartner, testServer } from './taxii-fixture.js';

// The bad-input corpus of issue 20: a fixed list of hostile and broken inputs, and random damage
// to good ones (fast-check), over validate, import, agreement check and both TAXII POSTs
// (a partner's submissions, an analyst's intel). Everywhere: nothing throws, no 5xx, no stack
// trace, every error says where (line, column and byte for the text, the element otherwise),
// nothing altered is stored.

const ID = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const indicator = (n: number) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${ID(n)}`,
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  name: `indicator ${n} é ✓`,
  pattern: "[ipv4-addr:value = '198.51.100.7']",
  pattern_type: 'stix',
  valid_from: '2026-01-01T00:00:00Z',
});
const BUNDLE = JSON.stringify({
  type: 'bundle',
  id: `bundle--${ID(0)}`,
  objects: [indicator(1), indicator(2)],
});
const ENVELOPE = JSON.stringify({ objects: [indicator(3), indicator(4)] });
const AGREEMENT = JSON.stringify({
  scope: { types: ['indicator'] },
  tlp_ceiling: 'green',
  approval: 'none',
  sanitisation: 'standard',
  valid_from: '2026-01-01T00:00:00Z',
  conditions: [],
});

const b = (s: string) => Buffer.from(s, 'utf8');
const at = (s: string, needle: string) => {
  // Texts without the needle (an agreement has no name) take the damage in their middle.
  const i = s.indexOf(needle);
  return i < 0 ? Math.floor(s.length / 2) : i;
};
/** The base text with bytes put in at the place of `needle`. */
const spliceBytes = (s: string, needle: string, bytes: number[]) => {
  const i = Buffer.byteLength(s.slice(0, at(s, needle)));
  const whole = b(s);
  return Buffer.concat([whole.subarray(0, i), Buffer.from(bytes), whole.subarray(i)]);
};

/** The fixed list: every case applied to a text of each surface (bundle, envelope, agreement). */
function fixedCases(base: string): [string, Buffer][] {
  const mid = Math.floor(base.length / 2);
  const props = `{${Array.from({ length: 100_000 }, (_, i) => `"x_p${i}":1`).join(',')}}`;
  return [
    ['empty', b('')],
    ['whitespace only', b('  \n\t ')],
    ['truncated half way', b(base.slice(0, mid))],
    ['truncated by one byte', b(base.slice(0, -1))],
    ['truncated inside a string', b(base.slice(0, at(base, 'indicator ') + 4))],
    [
      'a bit flipped in a brace',
      (() => {
        const x = b(base);
        x[0] = (x[0] as number) ^ 0x04;
        return x;
      })(),
    ],
    [
      'a bit flipped in the middle',
      (() => {
        const x = b(base);
        x[mid] = (x[mid] as number) ^ 0x40;
        return x;
      })(),
    ],
    ['invalid UTF-8: a lone continuation byte', spliceBytes(base, 'é', [0x80])],
    ['invalid UTF-8: 0xff', spliceBytes(base, 'é', [0xff])],
    ['invalid UTF-8: an overlong slash', spliceBytes(base, 'é', [0xc0, 0xaf])],
    ['invalid UTF-8: an encoded surrogate', spliceBytes(base, 'é', [0xed, 0xa0, 0x80])],
    [
      'invalid UTF-8: a cut multibyte character',
      b(base).subarray(0, Buffer.byteLength(base.slice(0, at(base, '✓'))) + 1),
    ],
    ['latin-1 text', Buffer.from(base, 'latin1')],
    ['UTF-16 with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(base, 'utf16le')])],
    ['one BOM (accepted on every surface)', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b(base)])],
    ['two BOMs', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]), b(base)])],
    ['a BOM in the middle', spliceBytes(base, '"type"', [0xef, 0xbb, 0xbf])],
    ['deep arrays', b(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)],
    ['deep objects', b(`${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`)],
    [
      'deep inside an object',
      b(base.replace('"name":', `"x_deep":${'['.repeat(5000)}${']'.repeat(5000)},"name":`)),
    ],
    ['deep YAML', b(`${'- '.repeat(5000)}x\n`)],
    [
      'a huge string (over the 16 MiB object limit)',
      b(base.replace('"name":"', `"name":"${'A'.repeat(17 * 1024 * 1024)}`)),
    ],
    ['a huge number', b(base.replace('"name":', `"x_n":${'9'.repeat(100_000)},"name":`))],
    ['a number beyond a double', b(base.replace('"name":', '"x_n":1e400,"name":'))],
    ['NaN', b(base.replace('"name":', '"x_n":NaN,"name":'))],
    ['Infinity', b(base.replace('"name":', '"x_n":-Infinity,"name":'))],
    ['a duplicate key', b(base.replace('"name":', '"name":"first","name":'))],
    ['a duplicate type', b(base.replace('"type":"indicator"', '"type":"malware","type":"indicator"'))],
    ['duplicate top-level keys', b(base.replace('{', '{"objects":[],'))],
    ['a trailing comma', b(base.replace(/\]\}$/, ',]}'))],
    ['a comment', b(`// hello\n${base}`)],
    ['single quotes', b(base.replaceAll('"', "'"))],
    ['wrong types', b(base.replaceAll('"spec_version":"2.1"', '"spec_version":2.1'))],
    ['objects not an array', b(base.replace(/"objects":\[.*\]\}$/, '"objects":{"a":1}}'))],
    ['a string at the top', b('"hello"')],
    ['null at the top', b('null')],
    ['an array of numbers', b('[1,2,3]')],
    ['100k properties', b(props)],
    ['100k properties in an object', b(base.replace('"name":', `${props.slice(1, -1)},"name":`))],
    ['a repetition bomb', b(`{"objects":[${Array.from({ length: 20_000 }, () => '{}').join(',')}]}`)],
    [
      'a YAML alias bomb',
      b(
        `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`,
      ),
    ],
    ['NUL bytes', Buffer.concat([b(base), Buffer.alloc(64)])],
    ['garbage after the document', b(`${base} trailing`)],
  ];
}

/** As `tearline validate` and `import` have it (the data dir's default). */
const MAX_OBJECT_BYTES = 16 * 1024 * 1024;

/** Cases a bundle may pass: the one BOM every surface ignores, damage that leaves valid text. */
const MAY_PASS = new Set([
  'one BOM (accepted on every surface)',
  'a bit flipped in the middle',
  // Custom properties within the object size limit are valid STIX.
  '100k properties in an object',
]);

/** Codes of errors in the text itself, which must say line, column and byte. */
const TEXT_CODES = new Set([
  'not-json',
  'invalid-json',
  'invalid-utf8',
  'too-deep',
  'truncated',
  'duplicate-member',
  'number-out-of-range',
]);
const POSITION = /line \d+, column \d+ \(byte \d+\)/;
const STACK = /\n\s+at |RangeError|TypeError|SyntaxError|Maximum call stack|internal error/;

const chunks = (bytes: Buffer, size: number) =>
  (async function* () {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    if (bytes.length === 0) yield bytes;
  })();

/** Every rejection is located, and a text error names line, column and byte. */
function expectPositioned(summary: ImportSummary, listLimit: number): void {
  // Bounded: the first listLimit in full, the rest counted.
  expect(summary.rejections.length).toBe(Math.min(summary.rejected, listLimit));
  for (const r of summary.rejections) {
    expect(r.location).toMatch(/^(objects\[\d+\]|\[\d+\]|line \d+|byte \d+)$/);
    for (const e of r.errors) {
      expect(e.message).not.toMatch(STACK);
      if (TEXT_CODES.has(e.code)) expect(e.message).toMatch(POSITION);
    }
  }
}

async function validate(bytes: Buffer, chunkSize = 64 * 1024): Promise<ImportSummary> {
  const summary = await importStream(chunks(bytes, chunkSize), new DryRunTarget(), {
    source: 'corpus',
    actor: 'corpus-test',
    maxObjectBytes: MAX_OBJECT_BYTES,
    listLimit: 1000,
  });
  expect(summary.read).toBe(
    summary.added + summary.new_versions + summary.duplicates + summary.conflicts + summary.rejected,
  );
  expectPositioned(summary, 1000);
  return summary;
}

function agreement(bytes: Buffer): void {
  const r = parseAgreementFile(bytes);
  if (r.ok) return;
  expect(r.errors.length).toBeGreaterThan(0);
  for (const e of r.errors) {
    expect(e.message).not.toMatch(STACK);
    // A text error has its line and column (a wrong value has its field path, or '' for the whole file).
    if (['agreement-syntax', 'agreement-encoding', 'agreement-too-deep'].includes(e.code)) {
      expect(e.line).toBeGreaterThan(0);
      expect(e.column).toBeGreaterThan(0);
    }
  }
}

let hub: ReturnType<typeof memoryHub>;
let app: FastifyInstance;
let partner: TestPartner;
const ANALYST = 'correct horse battery staple';

/** Both TAXII POSTs: never 5xx, a 400 names where, a 202 lists what it refused. */
async function taxiiPosts(bytes: Buffer): Promise<void> {
  for (const [url, auth] of [
    ['/taxii2/hub/collections/submissions/objects/', basic(partner.name, partner.token)],
    ['/taxii2/hub/collections/intel/objects/', basic('ana', ANALYST)],
  ] as const) {
    const res = await app.inject({
      method: 'POST',
      url,
      headers: { authorization: auth, 'content-type': TAXII, accept: TAXII },
      payload: bytes,
    });
    expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
    expect(res.body).not.toMatch(STACK);
    if (res.statusCode === 400) {
      const { description } = JSON.parse(res.body) as { description: string };
      // Text errors name where; an envelope of the wrong shape names the member.
      expect(description).toMatch(/line \d+, column \d+ \(byte \d+\)|^body: |objects/);
    } else {
      expect([202, 413]).toContain(res.statusCode);
    }
  }
}

/** Import into a real SQLite hub: nothing altered stored, nothing half-written. */
async function importInto(bytes: Buffer): Promise<void> {
  const before = await hub.objects.stats();
  const summary = await importStream(chunks(bytes, 4096), hub.objects, {
    source: 'corpus',
    actor: 'corpus-test',
    maxObjectBytes: MAX_OBJECT_BYTES,
  });
  expectPositioned(summary, 100);
  const after = await hub.objects.stats();
  expect(after.versions - before.versions).toBe(summary.added + summary.new_versions);
}

beforeAll(async () => {
  hub = memoryHub();
  partner = await addPartner(hub, 'alpha');
  const r = await hub.state.users.add('ana', 'analyst', ANALYST, { actor: 'test', now: hub.clock.now() });
  expect(r.ok).toBe(true);
  app = testServer(hub, { rate: { perSecond: 1_000_000, burst: 1_000_000 } });
});
afterAll(async () => {
  await app.close();
  hub.close();
});

describe('the bad-input corpus', () => {
  it('fixed list, over validate and import (in 1-byte to 64 KiB chunks): located errors, nothing altered stored', async () => {
    for (const [name, bytes] of fixedCases(BUNDLE)) {
      try {
        const summary = await validate(bytes);
        if (bytes.length < 20_000) await validate(bytes, 1);
        await importInto(bytes);
        // What the corpus breaks is refused; what it leaves intact is kept unaltered.
        if (!MAY_PASS.has(name)) expect(summary.rejected, name).toBeGreaterThan(0);
      } catch (err) {
        throw new Error(`corpus case '${name}': ${(err as Error).message}`);
      }
    }
    // No stored object came from damaged text: U+FFFD never appears (the base has none).
    const rows = hub.db.prepare('SELECT json FROM objects').all() as { json: string | Buffer }[];
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(String(r.json)).not.toContain('\uFFFD');
  }, 240_000);

  it('fixed list, over both TAXII POSTs and agreement check', async () => {
    for (const [name, bytes] of fixedCases(ENVELOPE)) {
      try {
        await taxiiPosts(bytes);
      } catch (err) {
        throw new Error(`corpus case '${name}' (TAXII): ${(err as Error).message}`);
      }
    }
    for (const [name, bytes] of fixedCases(AGREEMENT)) {
      try {
        agreement(bytes);
      } catch (err) {
        throw new Error(`corpus case '${name}' (agreement): ${(err as Error).message}`);
      }
    }
  }, 240_000);

  /** Random damage: cut, flip a bit, put bytes in, repeat a slice. */
  const damaged = (base: string) =>
    fc
      .tuple(
        fc.constantFrom('cut', 'flip', 'insert', 'repeat'),
        fc.nat(),
        fc.nat(7),
        fc.uint8Array({ minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 50 }),
      )
      .map(([how, where, bit, bytes, times]) => {
        const x = b(base);
        const i = where % x.length;
        if (how === 'cut') return x.subarray(0, i);
        if (how === 'flip') {
          const y = Buffer.from(x);
          y[i] = (y[i] as number) ^ (1 << bit);
          return y;
        }
        if (how === 'insert') return Buffer.concat([x.subarray(0, i), Buffer.from(bytes), x.subarray(i)]);
        const j = Math.min(x.length, i + 1 + (where % 40));
        return Buffer.concat([x.subarray(0, i), ...Array(times).fill(x.subarray(i, j)), x.subarray(j)]);
      });

  it('random damage (fast-check): validate, import, agreement check and both TAXII POSTs stay positioned and whole', async () => {
    await fc.assert(
      fc.asyncProperty(damaged(BUNDLE), fc.integer({ min: 1, max: 300 }), async (bytes, chunk) => {
        await validate(bytes, chunk);
        await importInto(bytes);
      }),
      { numRuns: 150 },
    );
    await fc.assert(
      fc.asyncProperty(damaged(ENVELOPE), async (bytes) => taxiiPosts(bytes)),
      { numRuns: 100 },
    );
    fc.assert(
      fc.property(damaged(AGREEMENT), (bytes) => agreement(bytes)),
      { numRuns: 300 },
    );
  }, 240_000);
});

describe('the bad-input corpus on the real binary', () => {
  const dir = tempDir('tearline-corpus-');
  const files: string[] = [];
  beforeAll(() => {
    for (const [i, [, bytes]] of fixedCases(BUNDLE).entries()) {
      const file = join(dir, `case-${i}.json`);
      writeFileSync(file, bytes);
      files.push(file);
    }
  });

  it('validate and import refuse with located messages and no stack trace; agreement check too', async () => {
    const v = await runTearline(['validate', '--json', ...files]);
    expect(v.code).toBe(1);
    expect(v.stderr).toBe('');
    const reports = JSON.parse(v.stdout) as { file: string; valid: boolean; errors: { message: string }[] }[];
    expect(reports).toHaveLength(files.length);
    const cases = fixedCases(BUNDLE);
    reports.forEach((r, i) => {
      const name = cases[i]?.[0] as string;
      if (!MAY_PASS.has(name)) expect(r.valid, name).toBe(false);
    });
    for (const r of reports) for (const e of r.errors) expect(e.message).not.toMatch(STACK);

    const data = join(dir, 'hub');
    expect((await initHub(data)).code).toBe(0);
    const imported = await runTearline(['import', '--data', data, '--json', ...files], as(data, 'analyst'));
    expect(imported.stderr).not.toMatch(STACK);
    expect(imported.code).toBe(1);

    for (const i of [2, 7, 17, 26]) {
      const check = await runTearline(['agreement', 'check', files[i] as string]);
      expect(check.code).not.toBe(0);
      expect(check.stderr + check.stdout).not.toMatch(STACK);
      expect(check.stderr + check.stdout).toMatch(/:\d+:\d+|line \d+/);
    }
  }, 120_000);
});
