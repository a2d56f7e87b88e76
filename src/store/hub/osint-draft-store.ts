import type { DraftItem, DraftState } from '../../osint/draft-types.js';
import type { ArticleMeta } from '../../osint/osint-types.js';
import type { DraftSummary } from '../console-shapes.js';
import type { DraftBook, DraftList } from '../review-ports.js';
import type { SqlQueries } from '../sql/sql-database.js';

export type { DraftSummary };

export interface Draft extends DraftSummary {
  text: string;
  items: DraftItem[];
  meta: ArticleMeta;
}

/** A row as stored: the summary's columns, its state unchecked, its items as JSON. */
type Row = Omit<DraftSummary, 'state' | 'counts'> & { state: string; items_json: string; text?: string };

const COLUMNS = `id, title, source_url, published, created_at, created_by, state, marking, updated_at,
  updated_by, reviewed_by, reviewed_at, review_note, report_id, items_json`;

function toSummary(r: Row): DraftSummary & { items: DraftItem[] } {
  const { items_json, text: _text, state, ...columns } = r;
  const items = JSON.parse(items_json) as DraftItem[];
  const counts: Record<string, number> = {};
  for (const i of items) counts[i.kind] = (counts[i.kind] ?? 0) + 1;
  return { ...columns, state: state === 'confirmed' || state === 'rejected' ? state : 'open', counts, items };
}

export interface NewDraft {
  id: string;
  meta: ArticleMeta;
  title: string;
  text: string;
  items: DraftItem[];
  marking: string;
  by: string;
  at: string;
}

/**
 * Drafts from open-source articles, in portable SQL (both engines). Apart from the objects
 * table: the release pipeline never reads this one. Only open drafts change; a confirmed or
 * rejected draft is kept as it was decided.
 */
export class OsintDraftStore implements DraftBook, DraftList {
  constructor(readonly sql: SqlQueries) {}

  async create(d: NewDraft): Promise<void> {
    await this.sql.run(
      `INSERT INTO osint_drafts (id, created_at, created_by, title, source_url, published, text, items_json,
         marking, state, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)`,
      [
        d.id,
        d.at,
        d.by,
        d.title,
        d.meta.sourceUrl ?? null,
        d.meta.published ?? null,
        d.text,
        JSON.stringify(d.items),
        d.marking,
        d.at,
        d.by,
      ],
    );
  }

  async list(q: { state?: DraftState | 'all'; limit: number }): Promise<DraftSummary[]> {
    const state = q.state ?? 'open';
    const rows = await this.sql.all<Row>(
      `SELECT ${COLUMNS} FROM osint_drafts ${state === 'all' ? '' : 'WHERE state = ?'}
        ORDER BY created_at DESC, id LIMIT ?`,
      state === 'all' ? [q.limit] : [state, q.limit],
    );
    return rows.map((r) => {
      const { items: _items, ...s } = toSummary(r);
      return s;
    });
  }

  async get(id: string): Promise<Draft | undefined> {
    const r = await this.sql.get<Row>(`SELECT ${COLUMNS}, text FROM osint_drafts WHERE id = ?`, [id]);
    if (!r) return undefined;
    const s = toSummary(r);
    return {
      ...s,
      text: r.text ?? '',
      meta: {
        title: r.title,
        ...(r.source_url !== null && { sourceUrl: r.source_url }),
        ...(r.published !== null && { published: r.published }),
      },
    };
  }

  /** Saves an open draft's items and marking; false when the draft is no longer open. */
  async update(
    id: string,
    u: { items: DraftItem[]; marking: string; by: string; at: string },
  ): Promise<boolean> {
    const r = await this.sql.run(
      `UPDATE osint_drafts SET items_json = ?, marking = ?, updated_at = ?, updated_by = ?
        WHERE id = ? AND state = 'open'`,
      [JSON.stringify(u.items), u.marking, u.at, u.by, id],
    );
    return r.changes === 1;
  }

  /** Records the decision on an open draft (in the caller's transaction); false if not open. */
  async decide(
    id: string,
    d: { state: 'confirmed' | 'rejected'; by: string; at: string; note?: string; reportId?: string },
  ): Promise<boolean> {
    const r = await this.sql.run(
      `UPDATE osint_drafts SET state = ?, reviewed_by = ?, reviewed_at = ?, review_note = ?, report_id = ?
        WHERE id = ? AND state = 'open'`,
      [d.state, d.by, d.at, d.note ?? null, d.reportId ?? null, id],
    );
    return r.changes === 1;
  }

  async countOpen(): Promise<number> {
    const r = await this.sql.get<{ n: number | string }>(
      "SELECT count(*) AS n FROM osint_drafts WHERE state = 'open'",
    );
    return Number(r?.n ?? 0);
  }
}
