import type { JsonObject } from '../../stix/types.js';
import type { FeedPage, FeedQuery } from '../../taxii/taxii-ports.js';
import type { SubmissionSink } from '../../taxii/taxii-submissions.js';
import type { IncomingObject, IngestContext, PutResult } from '../ports.js';
import { feedVersionOf } from '../sql/sql-release-feed.js';
import { SUBMISSIONS_FEED_TABLE } from '../sql/sql-submissions.js';
import type { SqliteDatabase } from './database.js';
import { FeedQueryRunner } from './release-feed-query.js';

export type SubmissionOutcome = 'added' | 'duplicate';

/**
 * Each partner's submissions exactly as it sent them, so it can read back its own (in its own
 * derived ids). Positions are strictly increasing, like every feed TAXII pages through.
 */
export class SqliteSubmissions {
  readonly #db: SqliteDatabase;
  readonly #query: FeedQueryRunner;
  readonly #s;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#query = new FeedQueryRunner(db, SUBMISSIONS_FEED_TABLE);
    this.#s = {
      maxPos: db.prepare('SELECT max(pos_us) FROM taxii_submissions').pluck(),
      insert: db.prepare(
        `INSERT INTO taxii_submissions (pos_us, partner_id, status_id, object_id, version, version_key, type,
           spec_version, json, is_latest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT DO NOTHING`,
      ),
      latest: db.prepare(
        'SELECT pos_us, version_key FROM taxii_submissions WHERE partner_id = ? AND object_id = ? AND is_latest = 1',
      ),
      setLatest: db.prepare('UPDATE taxii_submissions SET is_latest = ? WHERE pos_us = ?'),
    };
  }

  /** Call inside the caller's transaction (with the intel store write) or alone. */
  record(partnerId: string, statusId: string, obj: JsonObject, json: string, now: Date): SubmissionOutcome {
    const run = (): SubmissionOutcome => {
      const { version, versionKey } = feedVersionOf(obj);
      const last = (this.#s.maxPos.get() as number | null) ?? 0;
      const pos = Math.max(now.getTime() * 1000, last + 1);
      const info = this.#s.insert.run(
        pos,
        partnerId,
        statusId,
        obj.id as string,
        version,
        versionKey,
        obj.type as string,
        typeof obj.spec_version === 'string' ? obj.spec_version : null,
        json,
      );
      if (info.changes === 0) return 'duplicate';
      const cur = this.#s.latest.get(partnerId, obj.id) as
        | { pos_us: number; version_key: string }
        | undefined;
      if (!cur || versionKey > cur.version_key) {
        if (cur) this.#s.setLatest.run(0, cur.pos_us);
        this.#s.setLatest.run(1, pos);
      }
      return 'added';
    };
    return this.#db.inTransaction ? run() : this.#db.transaction(run).immediate();
  }

  async page(partnerId: string, query: FeedQuery): Promise<FeedPage> {
    return this.#query.page([partnerId], query);
  }
}

/**
 * The SQLite side of a TAXII submission: the intel store write (and its ledger entry) and the
 * partner's own record land in one IMMEDIATE transaction, or neither does.
 */
export function createSqliteSubmissionSink(
  db: SqliteDatabase,
  intel: { putObjectsSync(batch: readonly IncomingObject[], context?: IngestContext): PutResult[] },
  submissions: SqliteSubmissions,
): SubmissionSink {
  return {
    async store(r) {
      return db
        .transaction(() => {
          const [put] = intel.putObjectsSync([r.intel], r.context);
          if (!put || put.outcome === 'conflict') return 'conflict' as const;
          submissions.record(r.partnerId, r.statusId, r.sent, r.sentJson, r.now);
          return 'stored' as const;
        })
        .immediate();
    },
  };
}
