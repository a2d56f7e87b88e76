import { createHash, hash } from 'node:crypto';
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
import { type PreparedObject, prepareObject } from '../prepared-object.js';
import { mayBeReserved, type ReservedIds, STANDARD_RESERVED } from '../reserved-ids.js';
import type { SqliteDatabase } from './database.js';
import { dropDeferrableIndexes, restoreDeferredIndexes } from './deferred-indexes.js';
import { BackgroundCheckpointer } from './wal-checkpointer.js';

interface ObjectRow {
  id: string;
  version: string;
  type: string;
  added_us: number;
  json: string;
}

function toStored(row: ObjectRow): StoredObject {
  return { id: row.id, version: row.version, type: row.type, addedUs: row.added_us, json: row.json };
}

/**
 * Called inside the transaction that stored a batch, with the versions it added: the hub
 * appends the batch's ledger entry there, so a stored batch and its entry commit together.
 */
export type IngestRecorder = (
  context: IngestContext,
  stored: { id: string; version: string; sha256: string }[],
) => void;

/** A bulk write under way; `end` returns the store to its ordinary commits. */
export interface BulkWrite {
  end(): Promise<void>;
}

/**
 * Objects a bulk write stores per transaction. An import's batches keep their own ledger entries
 * and all-or-none savepoints, but commit together: every commit rewrites each index page it
 * touched, and the (id, version) index takes random inserts that touch most of its pages, so
 * a commit of eight thousand objects writes little more than one of two thousand.
 */
const BULK_COMMIT_OBJECTS = 8000;

/** What the writer expects of the rest of a bulk write. */
export interface BulkHint {
  /** Objects still to come (an estimate), if known. */
  expectedObjects?: number;
}

export class SqliteObjectStore implements ObjectWriter, ObjectReader, StatsReader {
  readonly #db: SqliteDatabase;
  readonly #clock: Clock;
  readonly #record: IngestRecorder | undefined;
  readonly #reserved: ReservedIds;
  readonly #stmts;
  /** A bulk write under way: its checkpointer, and objects stored in its open transaction (-1: none open). */
  #bulk: { checkpointer: BackgroundCheckpointer | undefined; open: number } | undefined;
  /** Objects and references this store has written: the references an import brings, per object. */
  #written = { objects: 0, refs: 0 };

  /**
   * `reserved` names the ids only the hub defines (reserved-ids.ts); it is asked inside the write
   * transaction. Without it, the standard TLP definitions are still reserved.
   */
  constructor(
    db: SqliteDatabase,
    clock: Clock,
    record?: IngestRecorder,
    reserved: ReservedIds = STANDARD_RESERVED,
  ) {
    this.#db = db;
    this.#clock = clock;
    this.#record = record;
    this.#reserved = reserved;
    this.#stmts = {
      maxAdded: db.prepare('SELECT max(added_us) FROM objects').pluck(),
      latestOf: db.prepare('SELECT added_us, version FROM objects WHERE id = ? AND is_latest = 1'),
      insert: db.prepare(
        `INSERT INTO objects (added_us, id, version, type, spec_version, created, modified, is_latest, source, imported_by, json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS TEXT)) ON CONFLICT (id, version) DO NOTHING`,
      ),
      existing: db.prepare('SELECT json FROM objects WHERE id = ? AND version = ?').pluck(),
      unsetLatest: db.prepare('UPDATE objects SET is_latest = 0 WHERE added_us = ?'),
      insertRef: db.prepare(
        'INSERT INTO object_refs (src_added_us, src_id, path, dst_id) VALUES (?, ?, ?, ?)',
      ),
      quarantine: db.prepare(
        `INSERT INTO quarantine (received_us, source, location, object_id, raw, raw_bytes, raw_sha256, errors)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      getLatest: db.prepare(
        'SELECT id, version, type, added_us, json FROM objects WHERE id = ? AND is_latest = 1',
      ),
      getVersions: db.prepare(
        'SELECT id, version, type, added_us, json FROM objects WHERE id = ? ORDER BY version',
      ),
      hasMarking: db
        .prepare("SELECT 1 FROM objects WHERE id = ? AND type = 'marking-definition' LIMIT 1")
        .pluck(),
      markingIds: db.prepare("SELECT DISTINCT id FROM objects WHERE type = 'marking-definition'").pluck(),
      statsByType: db.prepare(
        'SELECT type, count(*) AS versions, sum(is_latest) AS objects FROM objects GROUP BY type',
      ),
      quarantined: db.prepare('SELECT count(*) FROM quarantine').pluck(),
    };
  }

  /** Runs inside one IMMEDIATE transaction so that `added` is handed out by one writer at a time. */
  putObjectsSync(batch: readonly IncomingObject[], context?: IngestContext): PutResult[] {
    return this.putBatchesSync([batch], context)[0] ?? [];
  }

  /**
   * Stores several batches in one IMMEDIATE transaction, each batch with its own ledger entry as
   * if stored alone: an import commits a few batches at a time, so the random index pages it
   * touches are written once per commit rather than once per batch. All or none commit.
   */
  putBatchesSync(batches: readonly (readonly IncomingObject[])[], context?: IngestContext): PutResult[][] {
    return this.putPreparedSync(
      batches.map((b) => b.map(prepareObject)),
      context,
    );
  }

  /** As putBatchesSync, for objects already prepared (a large import prepares them on another thread). */
  putPreparedSync(batches: readonly (readonly PreparedObject[])[], context?: IngestContext): PutResult[][] {
    return this.#db.transaction(() => this.#storeBatches(batches, context)).immediate();
  }

  /** Inside a write transaction (the caller's). */
  #storeBatches(batches: readonly (readonly PreparedObject[])[], context?: IngestContext): PutResult[][] {
    // Read the high-water mark inside the write lock: another process may have written.
    const state = { last: (this.#stmts.maxAdded.get() as number | null) ?? 0 };
    const nowUs = this.#clock.now().getTime() * 1000;
    return batches.map((batch) => this.#storeBatch(batch, context, nowUs, state));
  }

  #storeBatch(
    batch: readonly PreparedObject[],
    context: IngestContext | undefined,
    nowUs: number,
    state: { last: number },
  ): PutResult[] {
    const s = this.#stmts;
    const results: PutResult[] = [];
    const stored: { id: string; version: string; sha256: string }[] = [];
    for (const item of batch) {
      const { id, version } = item;
      const fixed = mayBeReserved(id) ? this.#reserved.contentOf(id) : undefined;
      if (fixed !== undefined) {
        const json = typeof item.json === 'string' ? item.json : item.json.toString('utf8');
        results.push({
          outcome: isSameContent(fixed, json) ? 'duplicate' : 'conflict',
          id,
          version,
          reserved: true,
        });
        continue;
      }
      const prev = s.latestOf.get(id) as { added_us: number; version: string } | undefined;
      const isLatest = prev === undefined || version > prev.version;
      const added = Math.max(nowUs, state.last + 1);
      const info = s.insert.run(
        added,
        id,
        version,
        item.type,
        item.specVersion,
        item.created,
        item.modified,
        isLatest ? 1 : 0,
        item.source,
        context?.actor ?? null,
        item.json,
      );
      if (info.changes === 0) {
        const stored = s.existing.get(id, version) as string;
        const json = typeof item.json === 'string' ? item.json : item.json.toString('utf8');
        results.push({ outcome: isSameContent(stored, json) ? 'duplicate' : 'conflict', id, version });
        continue;
      }
      state.last = added;
      if (isLatest && prev) s.unsetLatest.run(prev.added_us);
      const refs = item.refs;
      for (let i = 0; i + 1 < refs.length; i += 2) s.insertRef.run(added, id, refs[i], refs[i + 1]);
      this.#written.objects++;
      this.#written.refs += refs.length / 2;
      results.push({ outcome: prev ? 'new-version' : 'added', id, version, addedUs: added });
      stored.push({ id, version, sha256: hash('sha256', item.json, 'hex') });
    }
    if (context && this.#record && stored.length > 0) this.#record(context, stored);
    return results;
  }

  async putObjects(batch: readonly IncomingObject[], context?: IngestContext): Promise<PutResult[]> {
    return (await this.putBatches([batch], context))[0] ?? [];
  }

  async putBatches(
    batches: readonly (readonly IncomingObject[])[],
    context?: IngestContext,
  ): Promise<PutResult[][]> {
    return this.putPrepared(
      batches.map((b) => b.map(prepareObject)),
      context,
    );
  }

  async putPrepared(
    batches: readonly (readonly PreparedObject[])[],
    context?: IngestContext,
  ): Promise<PutResult[][]> {
    const bulk = this.#bulk;
    if (!bulk) return this.putPreparedSync(batches, context);
    if (bulk.open < 0) {
      await bulk.checkpointer?.beforeWrite();
      this.#db.exec('BEGIN IMMEDIATE');
      bulk.open = 0;
    }
    // Straight into the open transaction, not a savepoint in it: a savepoint keeps a copy of
    // every page it changes (in memory here, a few megabytes per batch) to undo them. A failure
    // undoes the whole uncommitted group instead, as it undid a whole commit before.
    let results: PutResult[][];
    try {
      results = this.#storeBatches(batches, context);
    } catch (err) {
      bulk.open = -1;
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
      throw err;
    }
    for (const b of batches) bulk.open += b.length;
    if (bulk.open >= BULK_COMMIT_OBJECTS) this.#commitBulk(bulk);
    return results;
  }

  #commitBulk(bulk: { checkpointer: BackgroundCheckpointer | undefined; open: number }): void {
    if (bulk.open < 0) return;
    bulk.open = -1;
    if (this.#db.inTransaction) this.#db.exec('COMMIT');
    bulk.checkpointer?.afterCommit();
  }

  /**
   * Bulk mode for a large import, until `end`: WAL checkpoints run on a worker thread instead of
   * in the committing one (see BackgroundCheckpointer). When the import is expected to bring at
   * least as many references as the store holds, the incoming-reference index is dropped and
   * built again at the end, in one sorted pass; meanwhile lookups of who references an object
   * scan the table (slower, never wrong). A second begin while one runs joins it.
   */
  beginBulk(hint: BulkHint = {}): BulkWrite {
    if (this.#bulk) return { end: async () => {} };
    const deferIndexes = this.#worthDeferring(hint.expectedObjects);
    if (deferIndexes) dropDeferrableIndexes(this.#db);
    const bulk = { checkpointer: BackgroundCheckpointer.start(this.#db), open: -1 };
    this.#bulk = bulk;
    return {
      end: async () => {
        this.#bulk = undefined;
        try {
          this.#commitBulk(bulk);
          if (deferIndexes) restoreDeferredIndexes(this.#db);
        } finally {
          await bulk.checkpointer?.stop();
        }
      },
    };
  }

  #worthDeferring(expectedObjects: number | undefined): boolean {
    if (expectedObjects === undefined || this.#written.objects === 0) return false;
    const held = (this.#db.prepare('SELECT max(rowid) FROM object_refs').pluck().get() as number | null) ?? 0;
    const expected = (expectedObjects * this.#written.refs) / this.#written.objects;
    return expected >= held;
  }

  quarantineSync(rejected: readonly Rejected[]): void {
    const s = this.#stmts;
    const nowUs = this.#clock.now().getTime() * 1000;
    this.#db
      .transaction(() => {
        for (const r of rejected) {
          const sha = createHash('sha256').update(r.raw).digest('hex');
          s.quarantine.run(
            nowUs,
            r.source,
            r.location,
            r.objectId ?? null,
            r.raw,
            Buffer.byteLength(r.raw),
            sha,
            JSON.stringify(r.errors),
          );
        }
      })
      .immediate();
  }

  async quarantine(rejected: readonly Rejected[]): Promise<void> {
    this.quarantineSync(rejected);
  }

  async getLatest(id: string): Promise<StoredObject | undefined> {
    const row = this.#stmts.getLatest.get(id) as ObjectRow | undefined;
    return row ? toStored(row) : undefined;
  }

  async getVersions(id: string): Promise<StoredObject[]> {
    return (this.#stmts.getVersions.all(id) as ObjectRow[]).map(toStored);
  }

  async hasMarkingDefinition(id: string): Promise<boolean> {
    return isStandardTlpMarking(id) || this.#stmts.hasMarking.get(id) !== undefined;
  }

  /** Marking-definition ids held by the store (few: loaded once per import). */
  async markingDefinitionIds(): Promise<string[]> {
    return this.#stmts.markingIds.all() as string[];
  }

  async page(q: ObjectPageQuery): Promise<StoredObject[]> {
    const where: string[] = ['added_us > ?'];
    const params: unknown[] = [q.addedAfterUs ?? -1];
    if (q.versions !== 'all') where.push('is_latest = 1');
    if (q.types && q.types.length > 0) {
      where.push(`type IN (${q.types.map(() => '?').join(', ')})`);
      params.push(...q.types);
    }
    if (q.ids && q.ids.length > 0) {
      where.push(`id IN (${q.ids.map(() => '?').join(', ')})`);
      params.push(...q.ids);
    }
    params.push(q.limit);
    const sql = `SELECT id, version, type, added_us, json FROM objects WHERE ${where.join(' AND ')}
                 ORDER BY added_us LIMIT ?`;
    return (this.#db.prepare(sql).all(...params) as ObjectRow[]).map(toStored);
  }

  async stats(): Promise<StoreStats> {
    const byType: StoreStats['byType'] = {};
    let objects = 0;
    let versions = 0;
    for (const row of this.#stmts.statsByType.all() as {
      type: string;
      versions: number;
      objects: number;
    }[]) {
      byType[row.type] = { objects: row.objects, versions: row.versions };
      objects += row.objects;
      versions += row.versions;
    }
    return { byType, objects, versions, quarantined: this.#stmts.quarantined.get() as number };
  }
}
