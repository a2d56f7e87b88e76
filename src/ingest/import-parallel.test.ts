import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, dataDirPaths } from '../app/data-dir.js';
import { createHub, type SqliteHub } from '../app/hub.js';
import { ManualClock } from '../clock.js';
import { tlp2MarkingId } from '../stix/markings-tlp.js';
import { openSqlite } from '../store/sqlite/database.js';
import { DEFERRABLE_INDEXES } from '../store/sqlite/deferred-indexes.js';
import { decodeFields, encodeFields } from './front-batch-wire.js';
import { type ImportTarget, importStream } from './import-stream.js';

// The parallel import (front half on a worker thread that reads the file, bulk mode: checkpoints
// on another thread, grouped commits, the incoming-reference index built at the end) must store
// exactly what the plain path stores: same summary, rows, references, quarantine and ledger.

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const MARKING = `marking-definition--${uuid(999)}`;
const NAMES = ['plain', 'Émile', '漢字 group', 'emoji 🛰', 'quote " and \\\\ backslash'];

/** One element of the input: valid objects of several kinds, broken ones, repeats. */
const element = fc.oneof(
  fc.record({ n: fc.integer({ min: 1, max: 6 }), name: fc.constantFrom(...NAMES) }).map(({ n, name }) =>
    JSON.stringify({
      type: 'identity',
      spec_version: '2.1',
      id: `identity--${uuid(n)}`,
      created: '2024-01-01T00:00:00.000Z',
      modified: '2024-01-01T00:00:00.000Z',
      name,
    }),
  ),
  fc
    .record({
      n: fc.integer({ min: 1, max: 6 }),
      day: fc.integer({ min: 1, max: 3 }),
      by: fc.integer({ min: 1, max: 6 }),
      marked: fc.boolean(),
    })
    .map(({ n, day, by, marked }) =>
      JSON.stringify({
        type: 'indicator',
        spec_version: '2.1',
        id: `indicator--${uuid(100 + n)}`,
        created: '2024-01-01T00:00:00.000Z',
        modified: `2024-01-0${day}T00:00:00.000Z`,
        created_by_ref: `identity--${uuid(by)}`,
        pattern: "[ipv4-addr:value = '198.51.100.7']",
        pattern_type: 'stix',
        valid_from: '2024-01-01T00:00:00Z',
        ...(marked ? { object_marking_refs: [MARKING] } : {}),
      }),
    ),
  fc.constant(
    JSON.stringify({
      type: 'marking-definition',
      spec_version: '2.1',
      id: MARKING,
      created: '2024-01-01T00:00:00.000Z',
      definition_type: 'statement',
      definition: { statement: 'handle with care' },
    }),
  ),
  fc.constant(JSON.stringify({ type: 'indicator', spec_version: '2.1', id: `indicator--${uuid(500)}` })),
  fc.constant('{"type": "identity", "name": '),
);

function hubAt(dir: string, name: string): SqliteHub {
  return createHub(
    dataDirPaths(dir),
    DEFAULT_CONFIG,
    openSqlite(join(dir, `${name}.db`)),
    new ManualClock('2026-03-01T00:00:00Z'),
  );
}

/** The plain path: the same store seen through the older ports only (no prepared objects, no bulk mode). */
function plainTarget(hub: SqliteHub): ImportTarget {
  const o = hub.objects;
  return {
    putObjects: (b, c) => o.putObjects(b, c),
    putBatches: (b, c) => o.putBatches(b, c),
    quarantine: (r) => o.quarantine(r),
    markingDefinitionIds: () => o.markingDefinitionIds(),
  };
}

function contents(hub: SqliteHub) {
  const all = (sql: string) => hub.db.prepare(sql).all();
  return {
    objects: all(
      'SELECT added_us, id, version, type, spec_version, created, modified, is_latest, source, imported_by, json FROM objects ORDER BY added_us',
    ),
    refs: all('SELECT src_added_us, src_id, path, dst_id FROM object_refs ORDER BY rowid'),
    quarantine: all('SELECT source, location, object_id, raw, errors FROM quarantine ORDER BY qid'),
    // Leaves differ by their random salts; the private parts (count, digest, source) must not.
    ledger: all('SELECT idx, kind, time, actor, private FROM ledger_entries ORDER BY idx'),
  };
}

async function* chunksOf(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

describe('parallel import', () => {
  it('stores exactly what the plain import stores (property: summaries, rows, references, quarantine, ledger)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tearline-parallel-'));
    let run = 0;
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(element, { minLength: 1, maxLength: 40 }),
          fc.boolean(),
          fc.integer({ min: 1, max: 4 }),
          fc.integer({ min: 1, max: 3 }),
          fc.constantFrom(undefined, 'green', 'amber'),
          async (elements, asBundle, batchSize, batchesPerCommit, level) => {
            run++;
            const text = asBundle
              ? `{"type": "bundle", "id": "bundle--${uuid(7)}", "objects": [\n${elements.join(',\n')}\n]}`
              : `${elements.join('\n')}\n`;
            const file = join(dir, `input-${run}.json`);
            const bytes = Buffer.from(text);
            writeFileSync(file, bytes);
            const parallel = hubAt(dir, `parallel-${run}`);
            const plain = hubAt(dir, `plain-${run}`);
            try {
              // Both read 97 bytes at a time: the front cuts a batch only at the end of a chunk.
              const opts = {
                source: 'file:input.json',
                actor: 'test',
                maxObjectBytes: 1 << 20,
                batchSize,
                batchesPerCommit,
                chunkBytes: 97,
                // A marking given at import crosses to the front's thread and back to the ledger.
                ...(level && { marking: { id: tlp2MarkingId(level), kind: 'tlp' as const } }),
              };
              const a = await importStream({ path: file }, parallel.objects, {
                ...opts,
                frontThread: true,
                inputBytes: bytes.length,
              });
              const b = await importStream(chunksOf(bytes, 97), plainTarget(plain), opts);
              expect(a).toEqual(b);
              expect(contents(parallel)).toEqual(contents(plain));
              const index = parallel.db
                .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'object_refs_dst'")
                .pluck()
                .get();
              expect(index).toBe(DEFERRABLE_INDEXES[0].sql);
            } finally {
              parallel.close();
              plain.close();
            }
          },
        ),
        { numRuns: 20 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses an object that is not valid UTF-8, naming the byte, as the plain path does (nothing stored with U+FFFD)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tearline-parallel-'));
    try {
      const good = (n: number, name: string) =>
        `{"type":"identity","spec_version":"2.1","id":"identity--${uuid(n)}","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","name":"${name}"}`;
      const bytes = Buffer.concat([
        Buffer.from(`${good(1, 'a')}\n${good(2, 'b')}\n`),
        Buffer.from(good(4, 'bad:').slice(0, -2)),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"}\n'),
      ]);
      const file = join(dir, 'input.json');
      writeFileSync(file, bytes);
      const parallel = hubAt(dir, 'parallel');
      const plain = hubAt(dir, 'plain');
      try {
        const opts = {
          source: 's',
          actor: 'test',
          maxObjectBytes: 1 << 20,
          batchSize: 1,
          batchesPerCommit: 1,
          chunkBytes: 5,
        };
        await importStream({ path: file }, parallel.objects, { ...opts, frontThread: true });
        await importStream(chunksOf(bytes, 5), plainTarget(plain), opts);
        expect(contents(parallel)).toEqual(contents(plain));
        const names = parallel.db
          .prepare("SELECT json ->> '$.name' FROM objects ORDER BY added_us")
          .pluck()
          .all();
        expect(names).toEqual(['a', 'b']);
        const [q] = contents(parallel).quarantine as { location: string; errors: string }[];
        const at = bytes.indexOf(0xff);
        const column = at - bytes.lastIndexOf(0x0a, at);
        expect(q?.location).toBe('line 3');
        expect(JSON.parse(q?.errors ?? '[]')).toEqual([
          {
            path: '',
            code: 'invalid-utf8',
            message: `not UTF-8 at line 3, column ${column} (byte ${at}): byte 0xff never occurs in UTF-8`,
          },
        ]);
      } finally {
        parallel.close();
        plain.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('field records', () => {
  const safe = fc.stringMatching(/^[a-z0-9:.\-[\]]{1,30}$/);
  it('decode to the fields they encode, whatever a reference path holds (property)', () => {
    fc.assert(
      fc.property(
        fc.array(safe, { minLength: 7, maxLength: 7 }),
        fc.array(
          fc.tuple(
            fc.oneof(
              fc.string({ maxLength: 20, unit: 'binary' }),
              fc.constantFrom('a\u0000b', '\u0001', 'x\u0002y'),
            ),
            safe,
          ),
          { maxLength: 6 },
        ),
        (fixed, refs) => {
          const fields = [...fixed, ...refs.flat()];
          const record = encodeFields(fields);
          expect(record.endsWith('\u0001')).toBe(true);
          expect(decodeFields(record.slice(0, -1))).toEqual(fields);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
