import { collectRefs } from '../../stix/refs.js';
import type { JsonObject } from '../../stix/types.js';
import type { SqlDatabase } from '../sql/sql-database.js';
import type { OpenTestSql } from '../sql/sql-test-engines.js';

/** Runs `work` on a fresh database of the engine under test, then disposes of it. */
export async function withTestSql(
  open: OpenTestSql,
  work: (sql: SqlDatabase) => Promise<void>,
): Promise<void> {
  const { sql, close } = await open();
  try {
    await work(sql);
  } finally {
    await close();
  }
}

/** A bare partner row, for stores whose tables reference partners. */
export async function insertPartnerRow(sql: SqlDatabase, id: string, name = id): Promise<void> {
  await sql.run(
    "INSERT INTO partners (id, name, identity_json, token_hash, created_at, updated_at) VALUES (?, ?, '{}', 'x', 't', 't')",
    [id, name],
  );
}

/**
 * Stores object versions as an import does (objects + object_refs, the previous version of an id
 * no longer latest) in portable SQL, so read-side queries are tested on both engines. The object
 * store adapters have their own parity suite; this writes the same columns.
 */
export async function insertObjectRows(
  sql: SqlDatabase,
  objects: readonly JsonObject[],
  opts: { addedUs?: number; importedBy?: string } = {},
): Promise<void> {
  await sql.transaction(async (tx) => {
    // After every stored version unless the caller sets the receipt time (as the clock would).
    const last = await tx.get<{ n: number | null }>('SELECT max(added_us) AS n FROM objects');
    let addedUs = opts.addedUs ?? Math.max(1_700_000_000_000_000, (last?.n ?? 0) + 1);
    for (const o of objects) {
      const id = o.id as string;
      const version = (o.modified ?? o.created ?? '') as string;
      await tx.run('UPDATE objects SET is_latest = ? WHERE id = ? AND is_latest', [false, id]);
      await tx.run(
        `INSERT INTO objects (added_us, id, version, type, spec_version, created, modified, is_latest, source, imported_by, json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'test', ?, ?)`,
        [
          addedUs,
          id,
          version,
          o.type,
          o.spec_version ?? null,
          o.created ?? null,
          o.modified ?? null,
          true,
          opts.importedBy ?? null,
          JSON.stringify(o),
        ],
      );
      for (const ref of collectRefs(o)) {
        await tx.run('INSERT INTO object_refs (src_added_us, src_id, path, dst_id) VALUES (?, ?, ?, ?)', [
          addedUs,
          id,
          ref.path,
          ref.id,
        ]);
      }
      addedUs++;
    }
  });
}
