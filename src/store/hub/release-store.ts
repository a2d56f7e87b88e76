import type { ApprovalVerdict, OutcomeKey, ReleaseTables } from '../release-ports.js';
import type { SqlDatabase } from '../sql/sql-database.js';
import { recordOutcomeCounts } from './outcome-history.js';

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
  /** Set by a pass that decided the object: see OutcomeKey. Left as recorded when absent. */
  reference_id?: string;
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
  /** How the approver proved who they were: password, password+totp or key. */
  auth: string | null;
  /** Where from: the OS account of a CLI session or key, or `console` / `api`. */
  origin: string | null;
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

const OPEN = "state IN ('pending', 'approved')";
const QUEUE_COLUMNS = [
  'item_id',
  'partner_id',
  'object_id',
  'object_version',
  'agreement_version',
  'approvals_required',
  'tearline',
  'tearline_digest',
  'removed',
  'reasons',
  'fingerprint',
  'author',
  'state',
  'created_at',
] as const;

const RECORD_COLUMNS = [
  'release_id',
  'partner_id',
  'derived_id',
  'original_id',
  'original_version',
  'agreement_version',
  'reasons',
  'approvals',
  'tearline_digest',
  'released_at',
  'visible_from',
  'ledger_index',
] as const;

/** One row's INSERT, its columns named once; arrays are stored as JSON text. */
function insertOf<C extends string>(
  table: string,
  columns: readonly C[],
  row: Record<C, unknown>,
): [string, unknown[]] {
  const values = columns.map((c) => (Array.isArray(row[c]) ? JSON.stringify(row[c]) : row[c]));
  return [
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    values,
  ];
}

// Many rows share one reasons array (release-pipeline.ts): serialised once each.
const reasonsText = new WeakMap<readonly Reason[], string>();
function reasonsJson(reasons: readonly Reason[]): string {
  let text = reasonsText.get(reasons);
  if (text === undefined) {
    text = JSON.stringify(reasons);
    reasonsText.set(reasons, text);
  }
  return text;
}

/** Rows per multi-row insert: 8 parameters each, well under either engine's limit. */
const OUTCOME_CHUNK = 200;

/**
 * The pipeline's tables (migration 0700-release). Each method is one statement; callers that
 * change several rows together wrap them in `sql.transaction`, which these calls then join.
 */
export class ReleaseStore implements ReleaseTables {
  constructor(readonly sql: SqlDatabase) {}

  async outcome(partnerId: string, objectId: string): Promise<OutcomeRow | undefined> {
    const r = await this.sql.get<Raw<OutcomeRow>>(
      'SELECT * FROM release_outcomes WHERE partner_id = ? AND object_id = ?',
      [partnerId, objectId],
    );
    return r && parseOutcome(r);
  }

  /** Every outcome of one partner by object id: one query for a pipeline pass, not one per object. */
  async outcomesOfPartner(partnerId: string): Promise<Map<string, OutcomeRow>> {
    const rows = await this.sql.all<Raw<OutcomeRow>>('SELECT * FROM release_outcomes WHERE partner_id = ?', [
      partnerId,
    ]);
    return new Map(rows.map((r) => [r.object_id, parseOutcome(r)]));
  }

  /** What a pass compares for each object of one partner: outcome, version and fingerprint, not the reasons. */
  async outcomeKeysOfPartner(partnerId: string): Promise<Map<string, OutcomeKey>> {
    const rows = await this.sql.all<OutcomeKey & { object_id: string }>(
      'SELECT object_id, outcome, object_version, fingerprint, reference_id FROM release_outcomes WHERE partner_id = ?',
      [partnerId],
    );
    return new Map(rows.map((r) => [r.object_id, r]));
  }

  /** As outcomeKeysOfPartner, for some objects only (an incremental pass reads what it decides). */
  async outcomeKeysOf(partnerId: string, objectIds: readonly string[]): Promise<Map<string, OutcomeKey>> {
    const out = new Map<string, OutcomeKey>();
    for (let i = 0; i < objectIds.length; i += 400) {
      const chunk = objectIds.slice(i, i + 400);
      const rows = await this.sql.all<OutcomeKey & { object_id: string }>(
        `SELECT object_id, outcome, object_version, fingerprint, reference_id FROM release_outcomes
          WHERE partner_id = ? AND object_id IN (${chunk.map(() => '?').join(', ')})`,
        [partnerId, ...chunk],
      );
      for (const r of rows) out.set(r.object_id, r);
    }
    return out;
  }

  /**
   * What references to `objectIds` resolve to for the partner, where a pass recorded it: the id of
   * the partner's copy, or '' for an object its decision withholds. Ids with nothing recorded are
   * left out.
   */
  async referenceIdsOf(partnerId: string, objectIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < objectIds.length; i += 400) {
      const chunk = objectIds.slice(i, i + 400);
      const rows = await this.sql.all<{ object_id: string; reference_id: string }>(
        `SELECT object_id, reference_id FROM release_outcomes
          WHERE partner_id = ? AND reference_id IS NOT NULL AND object_id IN (${chunk.map(() => '?').join(', ')})`,
        [partnerId, ...chunk],
      );
      for (const r of rows) out.set(r.object_id, r.reference_id);
    }
    return out;
  }

  /**
   * Records what references to objects resolve to for the partner (see referenceIdsOf), on their
   * outcome rows; objects with no outcome row stay unknown. Joins the caller's transaction.
   */
  async putReferenceIds(partnerId: string, refs: readonly (readonly [string, string])[]): Promise<void> {
    // Most were written with their outcome rows: read which still differ (reads take no lock).
    const current = await this.referenceIdsOf(
      partnerId,
      refs.map(([id]) => id),
    );
    // One row at a time in the order given (store order): every other outcome write of a pass
    // locks rows in that order, so two processes passing at once on PostgreSQL cannot deadlock,
    // as an IN list (locked in key order) did.
    for (const [objectId, referenceId] of refs) {
      if (current.get(objectId) === referenceId) continue;
      await this.sql.run(
        'UPDATE release_outcomes SET reference_id = ? WHERE partner_id = ? AND object_id = ?',
        [referenceId, partnerId, objectId],
      );
    }
  }

  recordOutcomeCounts(partnerId: string, at: string): Promise<void> {
    return recordOutcomeCounts(this.sql, partnerId, at);
  }

  /** Objects waiting for the partner to get what they reference: tried again on every pass. */
  async waitingObjectIds(partnerId: string): Promise<string[]> {
    const rows = await this.sql.all<{ object_id: string }>(
      "SELECT object_id FROM release_outcomes WHERE partner_id = ? AND outcome = 'waiting'",
      [partnerId],
    );
    return rows.map((r) => r.object_id);
  }

  async outcomesOf(objectId: string): Promise<OutcomeRow[]> {
    const rows = await this.sql.all<Raw<OutcomeRow>>(
      'SELECT * FROM release_outcomes WHERE object_id = ? ORDER BY partner_id',
      [objectId],
    );
    return rows.map(parseOutcome);
  }

  async putOutcome(o: OutcomeRow): Promise<void> {
    await this.putOutcomes([o]);
  }

  /**
   * Many outcomes (of distinct objects) in few statements: a pass records thousands at once.
   * Joins the caller's transaction when there is one.
   */
  async putOutcomes(rows: readonly OutcomeRow[]): Promise<void> {
    for (let at = 0; at < rows.length; at += OUTCOME_CHUNK) {
      const chunk = rows.slice(at, at + OUTCOME_CHUNK);
      await this.sql.run(
        `INSERT INTO release_outcomes (partner_id, object_id, object_version, outcome, reasons, agreement_version, fingerprint, decided_at, reference_id)
         VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
         ON CONFLICT (partner_id, object_id) DO UPDATE SET object_version = excluded.object_version,
           outcome = excluded.outcome, reasons = excluded.reasons, agreement_version = excluded.agreement_version,
           fingerprint = excluded.fingerprint, decided_at = excluded.decided_at,
           reference_id = COALESCE(excluded.reference_id, release_outcomes.reference_id)`,
        chunk.flatMap((o) => [
          o.partner_id,
          o.object_id,
          o.object_version,
          o.outcome,
          reasonsJson(o.reasons),
          o.agreement_version,
          o.fingerprint,
          o.decided_at,
          o.reference_id ?? null,
        ]),
      );
    }
  }

  async countOutcomes(partnerId: string): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    const rows = await this.sql.all<{ outcome: string; n: number }>(
      'SELECT outcome, count(*) AS n FROM release_outcomes WHERE partner_id = ? GROUP BY outcome',
      [partnerId],
    );
    for (const r of rows) out[r.outcome] = r.n;
    return out;
  }

  async item(itemId: string): Promise<QueueItem | undefined> {
    const r = await this.sql.get<Raw<QueueItem>>('SELECT * FROM release_queue WHERE item_id = ?', [itemId]);
    return r && parseItem(r);
  }

  async openItem(partnerId: string, objectId: string): Promise<QueueItem | undefined> {
    const r = await this.sql.get<Raw<QueueItem>>(
      `SELECT * FROM release_queue WHERE partner_id = ? AND object_id = ? AND ${OPEN}`,
      [partnerId, objectId],
    );
    return r && parseItem(r);
  }

  /** Open items, oldest first; of one partner when named. */
  async openItems(partnerId?: string): Promise<QueueItem[]> {
    const rows = await this.sql.all<Raw<QueueItem>>(
      `SELECT * FROM release_queue WHERE ${OPEN} ${partnerId === undefined ? '' : 'AND partner_id = ?'}
       ORDER BY created_at, item_id`,
      partnerId === undefined ? [] : [partnerId],
    );
    return rows.map(parseItem);
  }

  /** Items approved but not yet released (they wait for what they reference), through the state index. */
  async approvedItems(partnerId: string): Promise<QueueItem[]> {
    const rows = await this.sql.all<Raw<QueueItem>>(
      `SELECT * FROM release_queue WHERE state = 'approved' AND partner_id = ? ORDER BY created_at, item_id`,
      [partnerId],
    );
    return rows.map(parseItem);
  }

  async insertItem(i: Omit<QueueItem, 'state' | 'closed_at' | 'release_id'>): Promise<void> {
    await this.sql.run(...insertOf('release_queue', QUEUE_COLUMNS, { ...i, state: 'pending' }));
  }

  async closeItem(
    itemId: string,
    state: QueueItem['state'],
    at: string,
    releaseId: string | null,
  ): Promise<void> {
    await this.sql.run(
      'UPDATE release_queue SET state = ?, closed_at = ?, release_id = ? WHERE item_id = ?',
      [state, at, releaseId, itemId],
    );
  }

  async setItemState(itemId: string, state: QueueItem['state']): Promise<void> {
    await this.sql.run('UPDATE release_queue SET state = ? WHERE item_id = ?', [state, itemId]);
  }

  /** Approvals and denials given to the item as it is now (its fingerprint). */
  approvals(item: QueueItem): Promise<ApprovalRow[]> {
    return this.sql.all<ApprovalRow>(
      'SELECT approver, verdict, comment, at, auth, origin FROM release_approvals WHERE item_id = ? AND fingerprint = ? ORDER BY at, approver',
      [item.item_id, item.fingerprint],
    );
  }

  /** False when this approver already decided on the item as it is now. */
  async addApproval(item: QueueItem, v: ApprovalVerdict): Promise<boolean> {
    const r = await this.sql.run(
      `INSERT INTO release_approvals (item_id, approver, verdict, comment, fingerprint, at, auth, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (item_id, approver, fingerprint) DO NOTHING`,
      [item.item_id, v.approver, v.verdict, v.comment ?? null, item.fingerprint, v.at, v.auth, v.origin],
    );
    return r.changes === 1;
  }

  async insertRecord(r: Omit<ReleaseRecord, 'recalled_at' | 'recall_reason'>): Promise<void> {
    await this.sql.run(...insertOf('release_records', RECORD_COLUMNS, r));
  }

  async records(partnerId: string, originalId?: string): Promise<ReleaseRecord[]> {
    const rows =
      originalId === undefined
        ? await this.sql.all<Raw<ReleaseRecord>>(
            'SELECT * FROM release_records WHERE partner_id = ? ORDER BY released_at, release_id',
            [partnerId],
          )
        : await this.sql.all<Raw<ReleaseRecord>>(
            'SELECT * FROM release_records WHERE partner_id = ? AND original_id = ? ORDER BY released_at, release_id',
            [partnerId, originalId],
          );
    return rows.map(parseRecord);
  }

  /** How many of the partner's releases were recalled (the console's partner summary). */
  async countRecalled(partnerId: string): Promise<number> {
    const row = await this.sql.get<{ n: number }>(
      'SELECT count(*) AS n FROM release_records WHERE partner_id = ? AND recalled_at IS NOT NULL',
      [partnerId],
    );
    return Number(row?.n ?? 0);
  }

  async record(releaseId: string): Promise<ReleaseRecord | undefined> {
    const r = await this.sql.get<Raw<ReleaseRecord>>('SELECT * FROM release_records WHERE release_id = ?', [
      releaseId,
    ]);
    return r && parseRecord(r);
  }

  async markRecalled(releaseId: string, at: string, reason: string): Promise<void> {
    await this.sql.run('UPDATE release_records SET recalled_at = ?, recall_reason = ? WHERE release_id = ?', [
      at,
      reason,
      releaseId,
    ]);
  }
}

function parseOutcome(r: Raw<OutcomeRow> & { reference_id?: string | null }): OutcomeRow {
  // reference_id is the pass's own record (outcome-references.ts): kept only where recorded.
  const { reference_id, ...rest } = r;
  return {
    ...rest,
    reasons: JSON.parse(r.reasons) as Reason[],
    ...(typeof reference_id === 'string' && { reference_id }),
  };
}

function parseItem(r: Raw<QueueItem>): QueueItem {
  return { ...r, removed: JSON.parse(r.removed), reasons: JSON.parse(r.reasons) } as QueueItem;
}

function parseRecord(r: Raw<ReleaseRecord>): ReleaseRecord {
  return { ...r, reasons: JSON.parse(r.reasons), approvals: JSON.parse(r.approvals) } as ReleaseRecord;
}
