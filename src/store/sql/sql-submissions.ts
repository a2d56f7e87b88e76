import type { JsonObject } from '../../stix/types.js';
import type { FeedPage, FeedQuery } from '../../taxii/taxii-ports.js';
import type { SubmissionSink } from '../../taxii/taxii-submissions.js';
import type { ObjectWriter } from '../ports.js';
import type { SqlDatabase } from './sql-database.js';
import { pageFeed, type SqlFeedTable } from './sql-feed-query.js';
import { feedVersionOf } from './sql-release-feed.js';

/** What a partner's `submissions` collection pages through, on both engines. */
export const SUBMISSIONS_FEED_TABLE: SqlFeedTable = {
  table: 'taxii_submissions',
  position: 'pos_us',
  id: 'object_id',
  versionKey: 'version_key',
  display: 't.version',
  latest: 't.is_latest = 1',
  scope: (a) => `${a}.partner_id = ?`,
};

/**
 * Each partner's submissions exactly as it sent them (read back in its own derived ids), on both
 * engines. Positions are strictly increasing across processes.
 */
export class SqlSubmissions {
  readonly #sql: SqlDatabase;

  constructor(sql: SqlDatabase) {
    this.#sql = sql;
  }

  /** Joins the caller's transaction (with the intel store write) when one is open. */
  record(
    partnerId: string,
    statusId: string,
    obj: JsonObject,
    json: string,
    now: Date,
  ): Promise<'added' | 'duplicate'> {
    return this.#sql.transaction(async (tx) => {
      await tx.lock('taxii-submissions');
      const { version, versionKey } = feedVersionOf(obj);
      const last = await tx.get<{ m: number | null }>('SELECT max(pos_us) AS m FROM taxii_submissions');
      const pos = Math.max(now.getTime() * 1000, (last?.m ?? 0) + 1);
      const info = await tx.run(
        `INSERT INTO taxii_submissions (pos_us, partner_id, status_id, object_id, version, version_key, type,
           spec_version, json, is_latest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT DO NOTHING`,
        [
          pos,
          partnerId,
          statusId,
          obj.id as string,
          version,
          versionKey,
          obj.type as string,
          typeof obj.spec_version === 'string' ? obj.spec_version : null,
          json,
        ],
      );
      if (info.changes === 0) return 'duplicate';
      const cur = await tx.get<{ pos_us: number; version_key: string }>(
        'SELECT pos_us, version_key FROM taxii_submissions WHERE partner_id = ? AND object_id = ? AND is_latest = 1',
        [partnerId, obj.id as string],
      );
      if (!cur || versionKey > cur.version_key) {
        if (cur) await tx.run('UPDATE taxii_submissions SET is_latest = 0 WHERE pos_us = ?', [cur.pos_us]);
        await tx.run('UPDATE taxii_submissions SET is_latest = 1 WHERE pos_us = ?', [pos]);
      }
      return 'added';
    });
  }

  page(partnerId: string, query: FeedQuery): Promise<FeedPage> {
    return pageFeed(this.#sql, SUBMISSIONS_FEED_TABLE, [partnerId], query);
  }
}

/**
 * A partner's object into the intel store (with its ledger entry) and into its submissions, in
 * one transaction of `sql`: the object store must join that transaction (PgObjectStore given the
 * same PgSql does).
 */
export function createSqlSubmissionSink(
  sql: SqlDatabase,
  intel: ObjectWriter,
  submissions: SqlSubmissions,
): SubmissionSink {
  return {
    store: (r) =>
      sql.transaction(async () => {
        const [put] = await intel.putObjects([r.intel], r.context);
        if (!put || put.outcome === 'conflict') return 'conflict';
        await submissions.record(r.partnerId, r.statusId, r.sent, r.sentJson, r.now);
        return 'stored';
      }),
  };
}
