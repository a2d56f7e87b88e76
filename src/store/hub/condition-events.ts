import { type ConditionEventAction, deriveFacts, type ReplayedEvent } from '../../policy/condition-replay.js';
import type { AssuranceAttestation } from '../../policy/condition-types.js';
import type { JsonObject } from '../../stix/types.js';
import type { ConditionBook, ConditionChange } from '../condition-ports.js';
import type { SqlDatabase, SqlTx } from '../sql/sql-database.js';
import { changeDigest, recordChange } from './ledger-change.js';

export type { AssuranceAttestation };

/** One stored event: what the replay reads, with who it concerns and its place in the log. */
export interface ConditionEvent extends ReplayedEvent {
  seq: number;
  partner_id: string;
  kind: 'assurance' | 'review' | 'suspension' | 'breach';
}

type Ctx = ConditionChange;

interface Row {
  seq: number;
  partner_id: string;
  kind: ConditionEvent['kind'];
  condition_id: string;
  action: ConditionEventAction;
  at: string;
  actor: string;
  reason: string | null;
  detail: string;
}

/** One event to append: whose, which condition, what was done, by whom and when, why, detail. */
type EventArgs = [
  partnerId: string,
  kind: ConditionEvent['kind'],
  id: string,
  action: ConditionEventAction,
  ctx: Ctx,
  reason: string | undefined,
  detail: JsonObject,
];

/**
 * The append-only history of what officers did to a partner's conditions. Nothing is updated or
 * deleted: the current state is a replay (policy/condition-replay.ts), so every past state can be shown.
 */
export class ConditionEvents implements ConditionBook {
  constructor(readonly sql: SqlDatabase) {}

  async #append(
    tx: SqlTx,
    ...[partnerId, kind, id, action, ctx, reason, detail]: EventArgs
  ): Promise<number> {
    const row = await tx.get<{ seq: number }>(
      `INSERT INTO condition_events (partner_id, kind, condition_id, action, at, actor, reason, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
      [partnerId, kind, id, action, ctx.now.toISOString(), ctx.actor, reason ?? null, JSON.stringify(detail)],
    );
    await recordChange(tx, {
      kind: 'condition-change',
      time: ctx.now.toISOString(),
      actor: ctx.actor,
      partner: partnerId,
      condition: `${kind}:${id}`,
      change: action,
      digest: changeDigest({ action, reason: reason ?? null, detail }),
    });
    return (row as { seq: number }).seq;
  }

  /** One event in a transaction of its own (or the caller's, which it joins). */
  #appendAlone(...args: EventArgs): Promise<number> {
    return this.sql.transaction((tx) => this.#append(tx, ...args));
  }

  attestAssurance(partnerId: string, id: string, a: AssuranceAttestation, ctx: Ctx): Promise<number> {
    return this.#appendAlone(partnerId, 'assurance', id, 'attest', ctx, undefined, a as JsonObject);
  }

  revokeAssurance(partnerId: string, id: string, reason: string, ctx: Ctx): Promise<number> {
    return this.#appendAlone(partnerId, 'assurance', id, 'revoke', ctx, reason, {});
  }

  recordReview(partnerId: string, note: string | undefined, ctx: Ctx): Promise<number> {
    return this.#appendAlone(partnerId, 'review', 'review', 'review', ctx, note, {});
  }

  setSuspension(partnerId: string, on: boolean, reason: string, ctx: Ctx): Promise<number> {
    return this.#appendAlone(
      partnerId,
      'suspension',
      'suspension',
      on ? 'suspend' : 'resume',
      ctx,
      reason,
      {},
    );
  }

  /** Opens a breach report; its id (B1, B2, ...) counts per partner. */
  openBreach(partnerId: string, reason: string, ctx: Ctx): Promise<string> {
    return this.sql.transaction(async (tx) => {
      // The count is read, then the next id written: one writer per partner's breaches at a time.
      await tx.lock(`breach:${partnerId}`);
      const n = await tx.get<{ n: number }>(
        "SELECT count(*) AS n FROM condition_events WHERE partner_id = ? AND kind = 'breach' AND action = 'open'",
        [partnerId],
      );
      const id = `B${(n?.n ?? 0) + 1}`;
      await this.#append(tx, partnerId, 'breach', id, 'open', ctx, reason, {});
      return id;
    });
  }

  /** Closes an open breach report; false when no such open report exists. */
  closeBreach(partnerId: string, id: string, reason: string, ctx: Ctx): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      await tx.lock(`breach:${partnerId}`);
      const open = deriveFacts(await this.list(partnerId)).openBreaches?.some((b) => b.id === id) ?? false;
      if (open) await this.#append(tx, partnerId, 'breach', id, 'close', ctx, reason, {});
      return open;
    });
  }

  async list(partnerId: string): Promise<ConditionEvent[]> {
    const rows = await this.sql.all<Row>('SELECT * FROM condition_events WHERE partner_id = ? ORDER BY seq', [
      partnerId,
    ]);
    return rows.map((r) => ({
      seq: r.seq,
      partner_id: r.partner_id,
      kind: r.kind,
      condition_id: r.condition_id,
      action: r.action,
      at: r.at,
      actor: r.actor,
      ...(r.reason !== null && { reason: r.reason }),
      detail: JSON.parse(r.detail) as JsonObject,
    }));
  }
}
