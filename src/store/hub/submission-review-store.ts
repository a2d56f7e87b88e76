import type { JsonObject } from '../../stix/types.js';
import type { SubmissionList, SubmissionReviewer } from '../review-ports.js';
import type { SqlQueries } from '../sql/sql-database.js';

export const REVIEW_STATES = ['pending', 'promoted', 'rejected'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export function isReviewState(v: unknown): v is ReviewState {
  return typeof v === 'string' && (REVIEW_STATES as readonly string[]).includes(v);
}

/** One object a partner submitted, as analysts review it (never shown to any partner). */
export interface SubmissionSummary {
  /** The submission's number: its position in the partner submission log (epoch microseconds). */
  number: number;
  partner_id: string;
  object_id: string;
  version: string;
  type: string;
  received_at: string;
  /** The partner's latest version of this id (older ones are kept, and may be reviewed too). */
  latest: boolean;
  state: ReviewState;
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_note: string | null;
  promoted_id: string | null;
  /** Stored as intel too before migration 1300 moved it here (see `releasedFromLegacy`). */
  legacy: boolean;
}

export interface SubmissionDetail extends SubmissionSummary {
  /** As the partner sent it, in the ids it was given. */
  sent: JsonObject;
  /** With the partner's derived ids mapped back to the hub's originals. */
  mapped: JsonObject;
}

export interface SubmissionQuery {
  partnerId?: string;
  /** Default 'pending'. */
  state?: ReviewState | 'all';
  /** Only submissions numbered below this (paging newest first). */
  before?: number;
  limit: number;
}

/** A listed submission with its mapped content, for a list that shows what each one says. */
export type SubmissionWithContent = SubmissionSummary & { mapped: JsonObject };

interface Row {
  pos_us: number | string;
  partner_id: string;
  object_id: string;
  version: string;
  type: string;
  is_latest: number | string;
  review_state: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_note: string | null;
  promoted_id: string | null;
  legacy_added_us: number | string | null;
  json?: string;
  mapped_json?: string | null;
}

const COLUMNS = `pos_us, partner_id, object_id, version, type, is_latest, review_state, reviewed_by,
  reviewed_at, review_note, promoted_id, legacy_added_us`;

function toSummary(r: Row): SubmissionSummary {
  const number = Number(r.pos_us);
  return {
    number,
    partner_id: r.partner_id,
    object_id: r.object_id,
    version: r.version,
    type: r.type,
    received_at: new Date(Math.floor(number / 1000)).toISOString(),
    latest: Number(r.is_latest) === 1,
    state: isReviewState(r.review_state) ? r.review_state : 'pending',
    reviewed_by: r.reviewed_by,
    reviewed_at: r.reviewed_at,
    review_note: r.review_note,
    promoted_id: r.promoted_id,
    legacy: r.legacy_added_us !== null,
  };
}

/** A release made from a submission while it was (before migration 1300) stored as intel. */
export interface LegacyRelease {
  partner_id: string;
  release_id: string;
  derived_id: string;
  released_at: string;
  recalled_at: string | null;
}

/**
 * What analysts read and decide about partner submissions, in portable SQL (both engines).
 * Decisions are final: a promoted or rejected submission is never reviewed again.
 */
export class SubmissionReviewStore implements SubmissionReviewer, SubmissionList {
  constructor(readonly sql: SqlQueries) {}

  async list(q: SubmissionQuery): Promise<SubmissionSummary[]> {
    return (await this.#select(q, false)).map(toSummary);
  }

  /** As `list`, each with its mapped content (one query, not one per submission). */
  async listWithContent(q: SubmissionQuery): Promise<SubmissionWithContent[]> {
    return (await this.#select(q, true)).map((r) => ({
      ...toSummary(r),
      mapped: JSON.parse(r.mapped_json ?? r.json ?? '{}') as JsonObject,
    }));
  }

  async #select(q: SubmissionQuery, content: boolean): Promise<Row[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.partnerId !== undefined) {
      where.push('partner_id = ?');
      args.push(q.partnerId);
    }
    const state = q.state ?? 'pending';
    if (state !== 'all') {
      where.push('review_state = ?');
      args.push(state);
    }
    if (q.before !== undefined) {
      where.push('pos_us < ?');
      args.push(q.before);
    }
    args.push(q.limit);
    return this.sql.all<Row>(
      `SELECT ${COLUMNS}${content ? ', json, mapped_json' : ''} FROM taxii_submissions
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY pos_us DESC LIMIT ?`,
      args,
    );
  }

  async get(number: number): Promise<SubmissionDetail | undefined> {
    const row = await this.sql.get<Row>(
      `SELECT ${COLUMNS}, json, mapped_json FROM taxii_submissions WHERE pos_us = ?`,
      [number],
    );
    if (!row) return undefined;
    const sent = JSON.parse(row.json ?? '{}') as JsonObject;
    return {
      ...toSummary(row),
      sent,
      mapped: row.mapped_json ? (JSON.parse(row.mapped_json) as JsonObject) : sent,
    };
  }

  /** Records a decision on a pending submission (in the caller's transaction); false if not pending. */
  async decide(
    number: number,
    d: { state: 'promoted' | 'rejected'; by: string; at: string; note?: string; promotedId?: string },
  ): Promise<boolean> {
    const r = await this.sql.run(
      `UPDATE taxii_submissions SET review_state = ?, reviewed_by = ?, reviewed_at = ?, review_note = ?,
         promoted_id = ? WHERE pos_us = ? AND review_state = 'pending'`,
      [d.state, d.by, d.at, d.note ?? null, d.promotedId ?? null, number],
    );
    return r.changes === 1;
  }

  /** The hub objects promoted from `partnerId`'s submissions of these ids (latest promotion wins). */
  async promotedIds(partnerId: string, objectIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < objectIds.length; i += 400) {
      const chunk = objectIds.slice(i, i + 400);
      const rows = await this.sql.all<{ object_id: string; promoted_id: string }>(
        `SELECT object_id, promoted_id FROM taxii_submissions
          WHERE partner_id = ? AND review_state = 'promoted' AND promoted_id IS NOT NULL
            AND object_id IN (${chunk.map(() => '?').join(', ')}) ORDER BY pos_us`,
        [partnerId, ...chunk],
      );
      for (const r of rows) out.set(r.object_id, r.promoted_id);
    }
    return out;
  }

  /** Releases made from a legacy submission's intel copy: the hub may want to recall them. */
  async releasedFromLegacy(s: SubmissionSummary): Promise<LegacyRelease[]> {
    if (!s.legacy) return [];
    const key = await this.sql.get<{ version_key: string }>(
      'SELECT version_key FROM taxii_submissions WHERE pos_us = ?',
      [s.number],
    );
    return this.sql.all<LegacyRelease>(
      `SELECT partner_id, release_id, derived_id, released_at, recalled_at FROM release_records
        WHERE original_id = ? AND original_version = ? ORDER BY released_at, release_id`,
      [s.object_id, key?.version_key ?? ''],
    );
  }

  async countPending(): Promise<number> {
    const r = await this.sql.get<{ n: number }>(
      "SELECT count(*) AS n FROM taxii_submissions WHERE review_state = 'pending'",
    );
    return Number(r?.n ?? 0);
  }
}
