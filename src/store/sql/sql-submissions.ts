import type { JsonObject } from '../../stix/types.js';
import type { FeedPage, FeedQuery, SubmissionOutcome, SubmissionSink } from '../feed-ports.js';
import { ingestBatchEntry } from '../ingest-batch-entry.js';
import { isSameContent } from '../object-content.js';
import { TAXII_SUBMISSIONS_LOCK } from '../store-locks.js';
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

/** One object into a partner's space. */
export interface SpaceRecord {
  partnerId: string;
  statusId: string;
  /** The object as sent: what the partner reads back, in its own (derived) ids. */
  sent: JsonObject;
  sentJson: string;
  /** The same with the partner's derived ids mapped back to the hub's originals (analysts only). */
  mappedJson: string;
  now: Date;
  /** Refuse ('quota') when the partner already has this many submissions awaiting review. */
  maxPending?: number;
}

/**
 * Each partner's submissions, in its own space, on both engines: never intel, never released,
 * never read by the pipeline. Keyed by (partner, id, version), so what one partner sends can
 * neither meet nor reveal what the hub or another partner holds under the same id. Positions
 * are strictly increasing across processes.
 */
export class SqlSubmissions {
  readonly #sql: SqlDatabase;

  constructor(sql: SqlDatabase) {
    this.#sql = sql;
  }

  /**
   * Joins the caller's transaction when one is open. 'duplicate': the partner sent this version
   * before with the same content; 'conflict': with other content (its own earlier object, so
   * saying so reveals nothing it did not send).
   */
  record(r: SpaceRecord): Promise<'added' | 'duplicate' | 'conflict' | 'quota'> {
    return this.#sql.transaction(async (tx) => {
      await tx.lock(TAXII_SUBMISSIONS_LOCK);
      const id = r.sent.id as string;
      const { version, versionKey } = feedVersionOf(r.sent);
      const held = await tx.get<{ json: string }>(
        'SELECT json FROM taxii_submissions WHERE partner_id = ? AND object_id = ? AND version_key = ?',
        [r.partnerId, id, versionKey],
      );
      if (held) return isSameContent(held.json, r.sentJson) ? 'duplicate' : 'conflict';
      if (r.maxPending !== undefined) {
        const pending = await tx.get<{ n: number }>(
          "SELECT count(*) AS n FROM taxii_submissions WHERE partner_id = ? AND review_state = 'pending'",
          [r.partnerId],
        );
        if (Number(pending?.n ?? 0) >= r.maxPending) return 'quota';
      }
      const last = await tx.get<{ m: number | null }>('SELECT max(pos_us) AS m FROM taxii_submissions');
      const pos = Math.max(r.now.getTime() * 1000, Number(last?.m ?? 0) + 1);
      await tx.run(
        `INSERT INTO taxii_submissions (pos_us, partner_id, status_id, object_id, version, version_key, type,
           spec_version, json, is_latest, mapped_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`,
        [
          pos,
          r.partnerId,
          r.statusId,
          id,
          version,
          versionKey,
          r.sent.type as string,
          typeof r.sent.spec_version === 'string' ? r.sent.spec_version : null,
          r.sentJson,
          r.mappedJson,
        ],
      );
      const cur = await tx.get<{ pos_us: number; version_key: string }>(
        'SELECT pos_us, version_key FROM taxii_submissions WHERE partner_id = ? AND object_id = ? AND is_latest = 1',
        [r.partnerId, id],
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
 * A partner's object into its space with the ledger entry of its receipt, in one transaction:
 * the entry digests the exact bytes the partner sent, so either side can prove what came in.
 */
export function createSqlSubmissionSink(sql: SqlDatabase, submissions: SqlSubmissions): SubmissionSink {
  return {
    store: (r) =>
      sql.transaction(async (tx): Promise<SubmissionOutcome> => {
        const outcome = await submissions.record(r);
        if (outcome !== 'added') return outcome;
        const { versionKey } = feedVersionOf(r.sent);
        const entry = ingestBatchEntry(r.context.source, r.context.actor, r.now, [
          { id: r.sent.id as string, version: versionKey, json: r.sentJson },
        ]);
        const appended = await tx.appendLedger([entry]);
        // Throwing rolls the record back: nothing is kept that the ledger does not record.
        if (!appended.ok) throw new Error(`ledger: ${appended.message}`);
        return 'stored';
      }),
  };
}
