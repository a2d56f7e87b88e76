import type { ChangeStamps } from '../read-ports.js';
import type { SqlDatabase } from '../sql/sql-database.js';

/**
 * The counters the console's live view compares every tick (api/api-events.ts), for every
 * listener at once: a few indexed counts and maxima, each of which moves whenever its part of
 * the hub changes. Their values mean nothing but "different from before".
 */
export class ConsoleStamps implements ChangeStamps {
  readonly #sql: SqlDatabase;

  constructor(sql: SqlDatabase) {
    this.#sql = sql;
  }

  /** Moves with what condition statuses are computed from, apart from the passing of time. */
  async conditionInputs(): Promise<string> {
    const row = await this.#sql.get<{ v: string }>(
      `SELECT (SELECT coalesce(max(seq), 0) FROM condition_events) || '/' || (SELECT count(*) FROM agreements)
              || '/' || (SELECT count(*) FROM partners) || '/' || (SELECT coalesce(max(added_us), 0) FROM objects)
              || '/' || (SELECT coalesce(max(pos_us), 0) FROM taxii_submissions)
              || '/' || (SELECT count(*) FROM taxii_submissions WHERE review_state = 'rejected') AS v`,
    );
    return row?.v ?? '';
  }

  /** Moves with every object version stored. */
  async intel(): Promise<string> {
    const row = await this.#sql.get<{ v: number }>('SELECT coalesce(max(added_us), 0) AS v FROM objects');
    return String(row?.v ?? 0);
  }

  /** Moves with the release queue, its approvals, releases and decision outcomes. */
  async queue(): Promise<string> {
    const row = await this.#sql.get<{ v: string }>(
      `SELECT (SELECT count(*) FROM release_queue WHERE state IN ('pending', 'approved')) || '/' ||
              (SELECT count(*) FROM release_approvals) || '/' || (SELECT count(*) FROM release_records) || '/' ||
              (SELECT count(*) FROM release_outcomes) AS v`,
    );
    return row?.v ?? '';
  }

  /** Moves with partner submissions received or reviewed. */
  async submissions(): Promise<string> {
    const row = await this.#sql.get<{ v: string }>(
      `SELECT (SELECT coalesce(max(pos_us), 0) FROM taxii_submissions) || '/' ||
              (SELECT count(*) FROM taxii_submissions WHERE review_state = 'pending') AS v`,
    );
    return row?.v ?? '';
  }
}
