import type { DecisionMark } from '../../policy/decision-redecide.js';
import type { SqlDatabase } from '../sql/sql-database.js';

/** The re-decision marks of one partner (decision-redecide.ts), kept between runs of `decide`. */
export class DecisionMarks {
  constructor(readonly sql: SqlDatabase) {}

  async load(partnerId: string): Promise<Map<string, DecisionMark>> {
    const rows = await this.sql.all<DecisionMark & { object_id: string }>(
      'SELECT object_id, input_key, outcome, reasons_key FROM decision_marks WHERE partner_id = ?',
      [partnerId],
    );
    return new Map(
      rows.map((r) => [
        r.object_id,
        { input_key: r.input_key, outcome: r.outcome, reasons_key: r.reasons_key },
      ]),
    );
  }

  /** Writes the marks that differ from `previous`, in one transaction. */
  save(
    partnerId: string,
    marks: ReadonlyMap<string, DecisionMark>,
    previous: ReadonlyMap<string, DecisionMark>,
    decidedAt: string,
  ): Promise<number> {
    return this.sql.transaction(async (tx) => {
      let written = 0;
      for (const [objectId, m] of marks) {
        if (previous.get(objectId) === m) continue;
        await tx.run(
          `INSERT INTO decision_marks (partner_id, object_id, input_key, outcome, reasons_key, decided_at)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (partner_id, object_id) DO UPDATE SET
             input_key = excluded.input_key, outcome = excluded.outcome,
             reasons_key = excluded.reasons_key, decided_at = excluded.decided_at`,
          [partnerId, objectId, m.input_key, m.outcome, m.reasons_key, decidedAt],
        );
        written++;
      }
      return written;
    });
  }
}
