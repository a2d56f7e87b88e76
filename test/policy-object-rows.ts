import { ManualClock } from '../src/clock.js';
import type { JsonObject } from '../src/stix/types.js';
import type { SqliteDatabase } from '../src/store/sqlite/database.js';
import { SqliteObjectStore } from '../src/store/sqlite/object-store.js';

/**
 * Stores objects through the real object store (tables objects, object_refs), so policy queries
 * are tested on exactly what an import writes. `addedUs` sets the clock the store reads.
 */
export function insertObjects(
  db: SqliteDatabase,
  objects: readonly JsonObject[],
  opts: { addedUs?: number } = {},
): void {
  const clock = new ManualClock(new Date((opts.addedUs ?? 1_700_000_000_000_000) / 1000));
  new SqliteObjectStore(db, clock).putObjectsSync(
    objects.map((object) => ({ object, json: JSON.stringify(object), source: 'test' })),
  );
}

let n = 0;
/** A deterministic STIX id of the given type. */
export function makeId(type: string): string {
  n++;
  return `${type}--00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export function makeRelationship(source: string, target: string, type = 'uses'): JsonObject {
  return {
    type: 'relationship',
    spec_version: '2.1',
    id: makeId('relationship'),
    created: '2026-06-01T00:00:00.000Z',
    modified: '2026-06-01T00:00:00.000Z',
    relationship_type: type,
    source_ref: source,
    target_ref: target,
  };
}

export function makeSdo(type: string, extra: JsonObject = {}): JsonObject {
  return {
    type,
    spec_version: '2.1',
    id: makeId(type),
    created: '2026-06-01T00:00:00.000Z',
    modified: '2026-06-01T00:00:00.000Z',
    name: `${type} ${n}`,
    ...extra,
  };
}
