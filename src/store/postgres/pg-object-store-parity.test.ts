import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.js';
import type { JsonObject } from '../../stix/types.js';
import type { IncomingObject, ObjectReader, ObjectWriter, StatsReader } from '../ports.js';
import { openSqlite } from '../sqlite/database.js';
import { SqliteObjectStore } from '../sqlite/object-store.js';
import { PgObjectStore } from './pg-object-store.js';
import { openTestSchema, PG_SKIP_REASON, TEST_PG_URL } from './pg-test-schema.js';

if (!TEST_PG_URL) console.warn(PG_SKIP_REASON);

const IDS = [
  'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  'indicator--0b8b5b9e-8f57-4f5e-9a43-2d1c6f1f0c11',
  'malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b',
];

/** Same versions written with different precision, different content, different whitespace. */
const objectArb = fc
  .record({
    id: fc.constantFrom(...IDS),
    day: fc.integer({ min: 1, max: 4 }),
    precise: fc.boolean(),
    name: fc.constantFrom('a', 'b'),
    pretty: fc.boolean(),
    ref: fc.option(fc.constantFrom(...IDS), { nil: undefined }),
  })
  .map(({ id, day, precise, name, pretty, ref }): IncomingObject => {
    const object: JsonObject = {
      type: id.split('--')[0] as string,
      spec_version: '2.1',
      id,
      created: '2024-01-01T00:00:00Z',
      modified: `2024-01-0${day}T00:00:00${precise ? '.000' : ''}Z`,
      name,
      ...(ref ? { object_marking_refs: [], external_references: [{ source_name: ref }] } : {}),
      ...(ref ? { created_by_ref: `identity--${ref.split('--')[1]}` } : {}),
    };
    return { object, json: JSON.stringify(object, null, pretty ? 2 : 0), source: 'prop' };
  });

const scenarioArb = fc.array(
  fc.record({
    step: fc.integer({ min: -2000, max: 2000 }),
    batch: fc.array(objectArb, { minLength: 1, maxLength: 6 }),
  }),
  { minLength: 1, maxLength: 4 },
);

type Store = ObjectWriter & ObjectReader & StatsReader;

async function snapshot(s: Store) {
  return {
    stats: await s.stats(),
    all: await s.page({ limit: 1000, versions: 'all' }),
    latest: await s.page({ limit: 1000 }),
    byId: await Promise.all(IDS.map(async (id) => [await s.getLatest(id), await s.getVersions(id)])),
  };
}

describe.skipIf(!TEST_PG_URL)('postgres and sqlite object stores agree', () => {
  it('on outcomes, added times, latest versions, pages and counts for any sequence of batches', async () => {
    // One schema, emptied between runs: creating one per run would cost more than the run.
    const db = await openTestSchema('p');
    try {
      await fc.assert(
        fc.asyncProperty(scenarioArb, async (scenario) => {
          const pgClock = new ManualClock('2026-11-28T10:00:00Z');
          const liteClock = new ManualClock('2026-11-28T10:00:00Z');
          await db.pool.query('DELETE FROM objects; DELETE FROM object_refs; DELETE FROM quarantine');
          const lite = openSqlite(':memory:');
          try {
            const pgStore = new PgObjectStore(db.pool, pgClock);
            const liteStore = new SqliteObjectStore(lite, liteClock);
            for (const { step, batch } of scenario) {
              pgClock.advance(step);
              liteClock.advance(step);
              expect(await pgStore.putObjects(batch)).toEqual(await liteStore.putObjects(batch));
            }
            expect(await snapshot(pgStore)).toEqual(await snapshot(liteStore));
            const refs = await db.pool.query(
              'SELECT src_added_us::float8 AS a, src_id, path, dst_id FROM object_refs ORDER BY 1, 3',
            );
            expect(refs.rows).toEqual(
              lite
                .prepare('SELECT src_added_us AS a, src_id, path, dst_id FROM object_refs ORDER BY 1, 3')
                .all(),
            );
          } finally {
            lite.close();
          }
        }),
        { numRuns: 60 },
      );
    } finally {
      await db.drop();
    }
  });
});
