import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Clock } from '../../clock.js';
import { isStandardTlpMarking } from '../../stix/markings-tlp.js';
import { isSameContent } from '../object-content.js';
import type {
  IncomingObject,
  IngestContext,
  ObjectPageQuery,
  ObjectReader,
  ObjectWriter,
  PutResult,
  Rejected,
  StatsReader,
  StoredObject,
  StoreStats,
} from '../ports.js';
import { mayBeReserved, type ReservedIds, STANDARD_RESERVED } from '../reserved-ids.js';
import { PG_LOCK_CLASS } from './pg-migrations.js';
import { keyBatch, planObjectBatch } from './pg-object-batch.js';
import type { PgSql } from './pg-sql.js';
import { inPgTransaction } from './pg-transaction.js';

/**
 * Every writer of a schema takes this lock first, in its transaction: one process at a time hands
 * out `added`, so `added` grows in commit order and a reader paging with added_after never skips
 * a row that commits later. Released by COMMIT/ROLLBACK, after the rows are visible.
 */
const LOCK_WRITE = `SELECT pg_advisory_xact_lock(${PG_LOCK_CLASS}, hashtext('objects:' || current_schema()))`;

interface ObjectRow {
  id: string;
  version: string;
  type: string;
  added_us: string;
  json: string;
}

function toStored(row: ObjectRow): StoredObject {
  // int8 arrives as text; epoch microseconds stay below 2^53 until the year 2255.
  return { id: row.id, version: row.version, type: row.type, addedUs: Number(row.added_us), json: row.json };
}

/** Called inside the transaction that stored a batch (see IngestRecorder for SQLite). */
export type PgIngestRecorder = (
  tx: pg.PoolClient,
  context: IngestContext,
  stored: { id: string; version: string; json: string }[],
) => Promise<void>;

/**
 * The reserved ids (reserved-ids.ts) among `ids`, looked up in the writer's transaction `tx`:
 * a partner added by another process is seen once it has committed.
 */
export type PgReservedIds = (tx: pg.PoolClient, ids: readonly string[]) => Promise<ReservedIds>;

const INSERT_OBJECTS = `INSERT INTO objects
  (added_us, id, version, type, spec_version, created, modified, is_latest, source, imported_by, json)
  SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                       $7::text[], $8::boolean[], $9::text[], $10::text[], $11::text[])`;

const INSERT_REFS = `INSERT INTO object_refs (src_added_us, src_id, path, dst_id)
  SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[])`;

export class PgObjectStore implements ObjectWriter, ObjectReader, StatsReader {
  readonly #pool: pg.Pool;
  readonly #clock: Clock;
  readonly #record: PgIngestRecorder | undefined;

  readonly #sql: PgSql | undefined;
  readonly #reserved: PgReservedIds;

  /**
   * With `sql`, a batch stored inside one of its open transactions joins that transaction.
   * `reserved` names the ids only the hub defines (the standard TLP ones when absent).
   */
  constructor(pool: pg.Pool, clock: Clock, record?: PgIngestRecorder, sql?: PgSql, reserved?: PgReservedIds) {
    this.#pool = pool;
    this.#clock = clock;
    this.#record = record;
    this.#sql = sql;
    this.#reserved = reserved ?? (async () => STANDARD_RESERVED);
  }

  /** One transaction per batch, under the schema's writer lock; all of it or nothing. */
  async putObjects(batch: readonly IncomingObject[], context?: IngestContext): Promise<PutResult[]> {
    if (batch.length === 0) return [];
    const joined = this.#sql?.openClient();
    if (joined) return this.#putLocked(joined, batch, context);
    return inPgTransaction(this.#pool, (tx) => this.#putLocked(tx, batch, context));
  }

  async #putLocked(
    tx: pg.PoolClient,
    batch: readonly IncomingObject[],
    context: IngestContext | undefined,
  ): Promise<PutResult[]> {
    await tx.query(LOCK_WRITE);
    // A statement of its own, after the lock: its snapshot sees every batch committed before.
    const max = await tx.query<{ m: string }>('SELECT coalesce(max(added_us), 0) AS m FROM objects');
    const keys = keyBatch(batch);
    const latest = await tx.query<{ id: string; version: string; added_us: string }>(
      'SELECT id, version, added_us FROM objects WHERE is_latest AND id = ANY($1::text[])',
      [[...new Set(keys.ids)]],
    );
    const found = await tx.query<{ id: string; version: string; json: string }>(
      `SELECT o.id, o.version, o.json FROM unnest($1::text[], $2::text[]) AS b(id, version)
       JOIN objects o ON o.id = b.id AND o.version = b.version`,
      [keys.ids, keys.versions],
    );
    const reservedIds = await this.#reserved(tx, keys.ids.filter(mayBeReserved));
    const reserved = new Map<string, string>();
    for (const id of keys.ids) {
      const fixed = mayBeReserved(id) ? reservedIds.contentOf(id) : undefined;
      if (fixed !== undefined) reserved.set(id, fixed);
    }
    const resolved = planObjectBatch(batch, keys, {
      lastAddedUs: Number(max.rows[0]?.m ?? 0),
      nowUs: this.#clock.now().getTime() * 1000,
      latest: latest.rows.map((r) => ({ id: r.id, version: r.version, addedUs: Number(r.added_us) })),
      present: new Map(found.rows.map((r) => [`${r.id}\u0000${r.version}`, r.json])),
      actor: context?.actor ?? null,
      reserved,
      isSameContent,
    });
    const c = resolved.columns;
    if (c.addedUs.length > 0) {
      await tx.query(INSERT_OBJECTS, [
        c.addedUs,
        c.id,
        c.version,
        c.type,
        c.specVersion,
        c.created,
        c.modified,
        c.isLatest,
        c.source,
        c.importedBy,
        c.json,
      ]);
    }
    if (resolved.unsetLatest.length > 0) {
      await tx.query('UPDATE objects SET is_latest = false WHERE added_us = ANY($1::bigint[])', [
        resolved.unsetLatest,
      ]);
    }
    const r = resolved.refs;
    if (r.srcAddedUs.length > 0) await tx.query(INSERT_REFS, [r.srcAddedUs, r.srcId, r.path, r.dstId]);
    if (context && this.#record && resolved.stored.length > 0) {
      await this.#record(tx, context, resolved.stored);
    }
    return resolved.results;
  }

  async quarantine(rejected: readonly Rejected[]): Promise<void> {
    if (rejected.length === 0) return;
    const nowUs = this.#clock.now().getTime() * 1000;
    // One statement: atomic on its own; inside a caller's open transaction it joins that one.
    await (this.#sql?.openClient() ?? this.#pool).query(
      `INSERT INTO quarantine (received_us, source, location, object_id, raw, raw_bytes, raw_sha256, errors)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[])`,
      [
        nowUs,
        rejected.map((r) => r.source),
        rejected.map((r) => r.location),
        rejected.map((r) => r.objectId ?? null),
        rejected.map((r) => r.raw),
        rejected.map((r) => Buffer.byteLength(r.raw)),
        rejected.map((r) => createHash('sha256').update(r.raw).digest('hex')),
        rejected.map((r) => JSON.stringify(r.errors)),
      ],
    );
  }

  async getLatest(id: string): Promise<StoredObject | undefined> {
    const res = await this.#pool.query<ObjectRow>(
      'SELECT id, version, type, added_us, json FROM objects WHERE id = $1 AND is_latest',
      [id],
    );
    const row = res.rows[0];
    return row ? toStored(row) : undefined;
  }

  async getVersions(id: string): Promise<StoredObject[]> {
    const res = await this.#pool.query<ObjectRow>(
      'SELECT id, version, type, added_us, json FROM objects WHERE id = $1 ORDER BY version',
      [id],
    );
    return res.rows.map(toStored);
  }

  async hasMarkingDefinition(id: string): Promise<boolean> {
    if (isStandardTlpMarking(id)) return true;
    const res = await this.#pool.query(
      "SELECT 1 FROM objects WHERE id = $1 AND type = 'marking-definition' LIMIT 1",
      [id],
    );
    return res.rowCount !== null && res.rowCount > 0;
  }

  /** Marking-definition ids held by the store (few: loaded once per import). */
  async markingDefinitionIds(): Promise<string[]> {
    const res = await this.#pool.query<{ id: string }>(
      "SELECT DISTINCT id FROM objects WHERE type = 'marking-definition' ORDER BY id",
    );
    return res.rows.map((r) => r.id);
  }

  async page(q: ObjectPageQuery): Promise<StoredObject[]> {
    const params: unknown[] = [q.addedAfterUs ?? -1];
    const where = ['added_us > $1'];
    if (q.versions !== 'all') where.push('is_latest');
    if (q.types && q.types.length > 0) {
      params.push([...q.types]);
      where.push(`type = ANY($${params.length}::text[])`);
    }
    if (q.ids && q.ids.length > 0) {
      params.push([...q.ids]);
      where.push(`id = ANY($${params.length}::text[])`);
    }
    params.push(q.limit);
    const res = await this.#pool.query<ObjectRow>(
      `SELECT id, version, type, added_us, json FROM objects WHERE ${where.join(' AND ')}
       ORDER BY added_us LIMIT $${params.length}`,
      params,
    );
    return res.rows.map(toStored);
  }

  async stats(): Promise<StoreStats> {
    const byType: StoreStats['byType'] = {};
    let objects = 0;
    let versions = 0;
    const res = await this.#pool.query<{ type: string; versions: number; objects: number }>(
      `SELECT type, count(*)::int AS versions, (count(*) FILTER (WHERE is_latest))::int AS objects
       FROM objects GROUP BY type`,
    );
    for (const row of res.rows) {
      byType[row.type] = { objects: row.objects, versions: row.versions };
      objects += row.objects;
      versions += row.versions;
    }
    const q = await this.#pool.query<{ n: number }>('SELECT count(*)::int AS n FROM quarantine');
    return { byType, objects, versions, quarantined: q.rows[0]?.n ?? 0 };
  }
}
