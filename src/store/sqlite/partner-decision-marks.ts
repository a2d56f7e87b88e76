import type { DecisionMark } from '../../policy/decision-redecide.js';
import type { SqliteDatabase } from './database.js';

/** The re-decision marks of one partner (decision-redecide.ts), kept between runs of `decide`. */
export class SqliteDecisionMarks {
  constructor(readonly db: SqliteDatabase) {}

  load(partnerId: string): Map<string, DecisionMark> {
    const rows = this.db
      .prepare('SELECT object_id, input_key, outcome, reasons_key FROM decision_marks WHERE partner_id = ?')
      .all(partnerId) as (DecisionMark & { object_id: string })[];
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
  ): number {
    const upsert = this.db.prepare(
      `INSERT INTO decision_marks (partner_id, object_id, input_key, outcome, reasons_key, decided_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (partner_id, object_id) DO UPDATE SET
         input_key = excluded.input_key, outcome = excluded.outcome,
         reasons_key = excluded.reasons_key, decided_at = excluded.decided_at`,
    );
    let written = 0;
    this.db.transaction(() => {
      for (const [objectId, m] of marks) {
        if (previous.get(objectId) === m) continue;
        upsert.run(partnerId, objectId, m.input_key, m.outcome, m.reasons_key, decidedAt);
        written++;
      }
    })();
    return written;
  }
}
