import type { SqlDatabase } from '../sql/sql-database.js';

export interface CosignatureRecord {
  size: number;
  witnessKey: string;
  witnessName: string;
  /** The cosignature's own timestamp, POSIX seconds. */
  cosignedUnix: number;
  /** The signature line as the witness sent it, without its newline. */
  line: string;
}

/** A signed checkpoint with the cosignature lines of the configured witnesses appended. */
export interface CosignedCheckpoint {
  size: number;
  /** The hub's signed note followed by every cosignature line (the C2SP cosigned checkpoint). */
  note: string;
  signedAt: string;
  /** Names of the witnesses whose lines `note` carries. */
  witnesses: string[];
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * Witness cosignatures of the hub's checkpoints (ledger_cosignatures), on either engine. Reads
 * only return lines from the witness keys configured now: a witness taken out of the config
 * (say, its key leaked) stops being served at once, though its rows stay.
 */
export class CosignatureStore {
  constructor(
    readonly sql: SqlDatabase,
    /** The configured witnesses' vkeys. */
    readonly witnessKeys: readonly string[],
  ) {}

  /** Keeps a cosignature; a second one from the same witness for the same size is ignored. */
  async save(c: CosignatureRecord, now: Date): Promise<boolean> {
    // In a transaction of its own: on SQLite a bare statement would join whatever transaction
    // another async task has open on the connection, and share its fate.
    const res = await this.sql.transaction((tx) =>
      tx.run(
        `INSERT INTO ledger_cosignatures (size, witness_key, witness_name, cosigned_unix, line, received_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (size, witness_key) DO NOTHING`,
        [c.size, c.witnessKey, c.witnessName, c.cosignedUnix, c.line, now.toISOString()],
      ),
    );
    return res.changes > 0;
  }

  /** The largest checkpoint size this witness has cosigned for the hub, as far as the hub knows. */
  async heldSize(witnessKey: string): Promise<number | undefined> {
    const row = await this.sql.get<{ n: number | null }>(
      'SELECT max(size) AS n FROM ledger_cosignatures WHERE witness_key = ?',
      [witnessKey],
    );
    return row?.n ?? undefined;
  }

  async linesFor(size: number): Promise<CosignatureRecord[]> {
    if (this.witnessKeys.length === 0) return [];
    const rows = await this.sql.all<{
      witness_key: string;
      witness_name: string;
      cosigned_unix: number;
      line: string;
    }>(
      `SELECT witness_key, witness_name, cosigned_unix, line FROM ledger_cosignatures
        WHERE size = ? AND witness_key IN (${placeholders(this.witnessKeys.length)})
        ORDER BY witness_name, witness_key`,
      [size, ...this.witnessKeys],
    );
    return rows.map((r) => ({
      size,
      witnessKey: r.witness_key,
      witnessName: r.witness_name,
      cosignedUnix: r.cosigned_unix,
      line: r.line,
    }));
  }

  /** The newest signed checkpoint, without cosignatures (one indexed read). */
  async latestCheckpoint(): Promise<{ size: number; note: string; signedAt: string } | undefined> {
    return this.sql.get<{ size: number; note: string; signedAt: string }>(
      'SELECT size, note, signed_at AS "signedAt" FROM ledger_checkpoints ORDER BY size DESC LIMIT 1',
    );
  }

  /** The stored checkpoint of `size` (a note signed by the hub) with its cosignatures appended. */
  async cosign(checkpoint: { size: number; note: string; signedAt: string }): Promise<CosignedCheckpoint> {
    const lines = await this.linesFor(checkpoint.size);
    return {
      size: checkpoint.size,
      note: checkpoint.note + lines.map((l) => `${l.line}\n`).join(''),
      signedAt: checkpoint.signedAt,
      witnesses: lines.map((l) => l.witnessName),
    };
  }

  /**
   * The newest checkpoint covering entry `index` (size > index) that every configured witness
   * has cosigned, if any: the receipt that satisfies the strictest quorum.
   */
  async newestFullyCosigned(
    index: number,
  ): Promise<{ size: number; note: string; signedAt: string } | undefined> {
    const n = this.witnessKeys.length;
    if (n === 0) return undefined;
    return this.sql.get<{ size: number; note: string; signedAt: string }>(
      `SELECT c.size AS size, c.note AS note, c.signed_at AS "signedAt" FROM ledger_checkpoints c
        WHERE c.size IN (
          SELECT w.size FROM ledger_cosignatures w
           WHERE w.size > ? AND w.witness_key IN (${placeholders(n)})
           GROUP BY w.size HAVING count(*) = ?
           ORDER BY w.size DESC LIMIT 1)`,
      [index, ...this.witnessKeys, n],
    );
  }
}
