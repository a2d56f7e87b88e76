import { createHash } from 'node:crypto';
import type { EntryOf } from '../../ledger/ledger-entry.js';
import type { SqlDatabase } from '../sql/sql-database.js';

/** What one partner fetched in one period (taxii-delivery-log.ts hands these out). */
export interface DeliveryInput {
  partnerId: string;
  periodStart: Date;
  periodEnd: Date;
  /** Distinct (derived id, version) pairs, sorted. */
  items: readonly (readonly [string, string])[];
}

export interface DeliveryRow {
  index: number;
  period_start: string;
  period_end: string;
  items: [derivedId: string, version: string][];
}

/** The list as stored and digested: compact JSON of [[id, version], ...], which is RFC 8785. */
export function deliveryItemsText(items: DeliveryInput['items']): string {
  return JSON.stringify(items.map(([id, version]) => [id, version]));
}

// The delivery log hands out the same (frozen by contract) list for a partner that fetched the
// same single cached page in several periods: its text and digest are made once.
const listed = new WeakMap<DeliveryInput['items'], { text: string; digest: string }>();

/** The stored text of a list and its SHA-256 (hex), made once per list array. */
export function deliveryList(items: DeliveryInput['items']): { text: string; digest: string } {
  let done = listed.get(items);
  if (!done) {
    const text = deliveryItemsText(items);
    done = { text, digest: createHash('sha256').update(text, 'utf8').digest('hex') };
    listed.set(items, done);
  }
  return done;
}

/**
 * The delivery record (migration 1100-ledger-private): for each partner and period, one
 * `delivery` ledger entry whose private part holds the count and SHA-256 of the list, and the
 * list itself in ledger_deliveries under the entry's index, written in one transaction.
 */
export class DeliveryStore {
  constructor(readonly sql: SqlDatabase) {}

  /** Writes every period in one transaction (one commit per flush, not one per partner). */
  async write(periods: readonly DeliveryInput[], now: Date): Promise<void> {
    if (periods.length === 0) return;
    await this.sql.transaction(async (tx) => {
      for (const p of periods) {
        const { text: items, digest } = deliveryList(p.items);
        const entry: EntryOf<'delivery'> = {
          kind: 'delivery',
          time: now.toISOString(),
          actor: 'hub',
          partner: p.partnerId,
          period_start: p.periodStart.toISOString(),
          period_end: p.periodEnd.toISOString(),
          count: p.items.length,
          digest,
        };
        const appended = await tx.appendLedger([entry]);
        if (!appended.ok) throw new Error(`ledger: ${appended.message}`);
        await tx.run(
          'INSERT INTO ledger_deliveries (idx, partner_id, period_start, period_end, items) VALUES (?, ?, ?, ?, ?)',
          [appended.first, p.partnerId, entry.period_start, entry.period_end, items],
        );
      }
    });
  }

  /** A partner's delivery records whose periods start in [from, to), oldest first. */
  async list(partnerId: string, from: string, to: string): Promise<DeliveryRow[]> {
    const rows = await this.sql.all<{ idx: number; period_start: string; period_end: string; items: string }>(
      `SELECT idx, period_start, period_end, items FROM ledger_deliveries
        WHERE partner_id = ? AND period_start >= ? AND period_start < ? ORDER BY period_start, idx`,
      [partnerId, from, to],
    );
    return rows.map((r) => ({
      index: Number(r.idx),
      period_start: r.period_start,
      period_end: r.period_end,
      items: JSON.parse(r.items) as [string, string][],
    }));
  }
}
