import type { JsonObject, JsonValue } from '../src/stix/types.js';
import type { SqliteDatabase } from '../src/store/sqlite/database.js';

/**
 * Writes objects straight into the lead's object tables (objects, object_refs), as the object
 * store does, so policy queries can be tested before and apart from the import pipeline.
 * Reference paths: a top-level `x_ref` is stored as 'x_ref', each item of `x_refs` as 'x_refs'.
 */
let addedUs = 1_700_000_000_000_000;

export function insertObjects(
  db: SqliteDatabase,
  objects: readonly JsonObject[],
  opts: { addedUs?: number } = {},
): void {
  const insert = db.prepare(
    `INSERT INTO objects (id, version, type, spec_version, created, modified, added_us, is_latest, source, json)
     VALUES (?, ?, ?, '2.1', ?, ?, ?, 1, 'test', ?)`,
  );
  const unlatest = db.prepare('UPDATE objects SET is_latest = 0 WHERE id = ?');
  const ref = db.prepare('INSERT INTO object_refs (src_seq, src_id, path, dst_id) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (const o of objects) {
      const id = String(o.id);
      const version = String(o.modified ?? o.created ?? '');
      unlatest.run(id);
      addedUs = Math.max(addedUs + 1, opts.addedUs ?? 0);
      const seq = Number(
        insert.run(
          id,
          version,
          String(o.type),
          o.created ?? null,
          o.modified ?? null,
          addedUs,
          JSON.stringify(o),
        ).lastInsertRowid,
      );
      for (const [key, value] of Object.entries(o)) {
        if (key.endsWith('_ref') && typeof value === 'string') ref.run(seq, id, key, value);
        if (key.endsWith('_refs') && Array.isArray(value)) {
          for (const v of value as JsonValue[]) if (typeof v === 'string') ref.run(seq, id, key, v);
        }
      }
    }
  })();
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
