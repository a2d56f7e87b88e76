import type { SqliteDatabase } from './database.js';

export type OutcomeState = 'released' | 'queued' | 'withheld' | 'denied' | 'waiting' | 'recalled';

export interface Reason {
  code: string;
  message: string;
}

export interface OutcomeRow {
  partner_id: string;
  object_id: string;
  object_version: string;
  outcome: OutcomeState;
  reasons: Reason[];
  agreement_version: number | null;
  fingerprint: string;
  decided_at: string;
}

export interface QueueItem {
  item_id: string;
  partner_id: string;
  object_id: string;
  object_version: string;
  agreement_version: number;
  approvals_required: number;
  tearline: string;
  tearline_digest: string;
  removed: { path: string; rule: string }[];
  reasons: Reason[];
  fingerprint: string;
  author: string | null;
  state: 'pending' | 'approved' | 'released' | 'denied' | 'superseded';
  created_at: string;
  closed_at: string | null;
  release_id: string | null;
}

export interface ApprovalRow {
  approver: string;
  verdict: 'approve' | 'deny';
  comment: string | null;
  at: string;
}

export interface ReleaseRecord {
  release_id: string;
  partner_id: string;
  derived_id: string;
  original_id: string;
  original_version: string;
  agreement_version: number | null;
  reasons: string[];
  approvals: { approver: string; time: string }[];
  tearline_digest: string;
  released_at: string;
  visible_from: string;
  ledger_index: number;
  recalled_at: string | null;
  recall_reason: string | null;
}

type Raw<T> = { [K in keyof T]: T[K] extends unknown[] | object ? string : T[K] };

/** The pipeline's tables (migration 0700-release). Synchronous: callers compose transactions. */
export class SqliteReleaseStore {
  readonly #s;

  constructor(readonly db: SqliteDatabase) {
    this.#s = {
      outcome: db.prepare('SELECT * FROM release_outcomes WHERE partner_id = ? AND object_id = ?'),
      outcomes: db.prepare('SELECT * FROM release_outcomes WHERE object_id = ? ORDER BY partner_id'),
      putOutcome: db.prepare(
        `INSERT INTO release_outcomes (partner_id, object_id, object_version, outcome, reasons, agreement_version, fingerprint, decided_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (partner_id, object_id) DO UPDATE SET object_version = excluded.object_version,
           outcome = excluded.outcome, reasons = excluded.reasons, agreement_version = excluded.agreement_version,
           fingerprint = excluded.fingerprint, decided_at = excluded.decided_at`,
      ),
      countOutcomes: db.prepare(
        'SELECT outcome, count(*) AS n FROM release_outcomes WHERE partner_id = ? GROUP BY outcome',
      ),
      item: db.prepare('SELECT * FROM release_queue WHERE item_id = ?'),
      openItem: db.prepare(
        "SELECT * FROM release_queue WHERE partner_id = ? AND object_id = ? AND state IN ('pending', 'approved')",
      ),
      openItems: db.prepare(
        "SELECT * FROM release_queue WHERE state IN ('pending', 'approved') ORDER BY created_at, item_id",
      ),
      insertItem: db.prepare(
        `INSERT INTO release_queue (item_id, partner_id, object_id, object_version, agreement_version, approvals_required,
           tearline, tearline_digest, removed, reasons, fingerprint, author, state, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
      ),
      closeItem: db.prepare(
        'UPDATE release_queue SET state = ?, closed_at = ?, release_id = ? WHERE item_id = ?',
      ),
      setItemState: db.prepare('UPDATE release_queue SET state = ? WHERE item_id = ?'),
      approvals: db.prepare(
        'SELECT approver, verdict, comment, at FROM release_approvals WHERE item_id = ? AND fingerprint = ? ORDER BY at, approver',
      ),
      addApproval: db.prepare(
        `INSERT INTO release_approvals (item_id, approver, verdict, comment, fingerprint, at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (item_id, approver, fingerprint) DO NOTHING`,
      ),
      insertRecord: db.prepare(
        `INSERT INTO release_records (release_id, partner_id, derived_id, original_id, original_version, agreement_version,
           reasons, approvals, tearline_digest, released_at, visible_from, ledger_index)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      records: db.prepare(
        'SELECT * FROM release_records WHERE partner_id = ? AND original_id = ? ORDER BY released_at',
      ),
      recordsOfPartner: db.prepare(
        'SELECT * FROM release_records WHERE partner_id = ? ORDER BY released_at, release_id',
      ),
      record: db.prepare('SELECT * FROM release_records WHERE release_id = ?'),
      recall: db.prepare(
        'UPDATE release_records SET recalled_at = ?, recall_reason = ? WHERE release_id = ?',
      ),
    };
  }

  outcome(partnerId: string, objectId: string): OutcomeRow | undefined {
    const r = this.#s.outcome.get(partnerId, objectId) as Raw<OutcomeRow> | undefined;
    return r && { ...r, reasons: JSON.parse(r.reasons) as Reason[] };
  }

  outcomesOf(objectId: string): OutcomeRow[] {
    return (this.#s.outcomes.all(objectId) as Raw<OutcomeRow>[]).map((r) => ({
      ...r,
      reasons: JSON.parse(r.reasons) as Reason[],
    }));
  }

  putOutcome(o: OutcomeRow): void {
    this.#s.putOutcome.run(
      o.partner_id,
      o.object_id,
      o.object_version,
      o.outcome,
      JSON.stringify(o.reasons),
      o.agreement_version,
      o.fingerprint,
      o.decided_at,
    );
  }

  countOutcomes(partnerId: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.#s.countOutcomes.all(partnerId) as { outcome: string; n: number }[])
      out[r.outcome] = r.n;
    return out;
  }

  item(itemId: string): QueueItem | undefined {
    const r = this.#s.item.get(itemId) as Raw<QueueItem> | undefined;
    return r && parseItem(r);
  }

  openItem(partnerId: string, objectId: string): QueueItem | undefined {
    const r = this.#s.openItem.get(partnerId, objectId) as Raw<QueueItem> | undefined;
    return r && parseItem(r);
  }

  openItems(): QueueItem[] {
    return (this.#s.openItems.all() as Raw<QueueItem>[]).map(parseItem);
  }

  insertItem(i: Omit<QueueItem, 'state' | 'closed_at' | 'release_id'>): void {
    this.#s.insertItem.run(
      i.item_id,
      i.partner_id,
      i.object_id,
      i.object_version,
      i.agreement_version,
      i.approvals_required,
      i.tearline,
      i.tearline_digest,
      JSON.stringify(i.removed),
      JSON.stringify(i.reasons),
      i.fingerprint,
      i.author,
      i.created_at,
    );
  }

  closeItem(itemId: string, state: QueueItem['state'], at: string, releaseId: string | null): void {
    this.#s.closeItem.run(state, at, releaseId, itemId);
  }

  setItemState(itemId: string, state: QueueItem['state']): void {
    this.#s.setItemState.run(state, itemId);
  }

  /** Approvals and denials given to the item as it is now (its fingerprint). */
  approvals(item: QueueItem): ApprovalRow[] {
    return this.#s.approvals.all(item.item_id, item.fingerprint) as ApprovalRow[];
  }

  addApproval(
    item: QueueItem,
    approver: string,
    verdict: 'approve' | 'deny',
    comment: string | undefined,
    at: string,
  ): boolean {
    return (
      this.#s.addApproval.run(item.item_id, approver, verdict, comment ?? null, item.fingerprint, at)
        .changes === 1
    );
  }

  insertRecord(r: Omit<ReleaseRecord, 'recalled_at' | 'recall_reason'>): void {
    this.#s.insertRecord.run(
      r.release_id,
      r.partner_id,
      r.derived_id,
      r.original_id,
      r.original_version,
      r.agreement_version,
      JSON.stringify(r.reasons),
      JSON.stringify(r.approvals),
      r.tearline_digest,
      r.released_at,
      r.visible_from,
      r.ledger_index,
    );
  }

  records(partnerId: string, originalId?: string): ReleaseRecord[] {
    const rows = (
      originalId === undefined
        ? this.#s.recordsOfPartner.all(partnerId)
        : this.#s.records.all(partnerId, originalId)
    ) as Raw<ReleaseRecord>[];
    return rows.map(parseRecord);
  }

  record(releaseId: string): ReleaseRecord | undefined {
    const r = this.#s.record.get(releaseId) as Raw<ReleaseRecord> | undefined;
    return r && parseRecord(r);
  }

  markRecalled(releaseId: string, at: string, reason: string): void {
    this.#s.recall.run(at, reason, releaseId);
  }
}

function parseItem(r: Raw<QueueItem>): QueueItem {
  return { ...r, removed: JSON.parse(r.removed), reasons: JSON.parse(r.reasons) } as QueueItem;
}

function parseRecord(r: Raw<ReleaseRecord>): ReleaseRecord {
  return { ...r, reasons: JSON.parse(r.reasons), approvals: JSON.parse(r.approvals) } as ReleaseRecord;
}
