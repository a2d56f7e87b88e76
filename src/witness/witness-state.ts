import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Cosigner } from '../ledger/ledger-cosignature.js';
import type { NoteVerifier } from '../ledger/ledger-note.js';
import {
  checkAddCheckpoint,
  type HeldCheckpoint,
  type WitnessDecision,
} from '../ledger/ledger-witness-check.js';
import { applyMigrations } from '../store/sqlite/database.js';

/*
 * A witness's memory: for each log origin, the latest checkpoint it cosigned. Kept in its own
 * SQLite file with synchronous=FULL, so a cosignature is only returned once its checkpoint is on
 * disk: a witness that forgot a checkpoint after a crash or power cut could be led to cosign a
 * fork of it. Reading the held size, checking and storing the new one happen in one IMMEDIATE
 * transaction: two requests (in this process or another on the same file) never both pass the
 * check against the same old state, which is the rollback race the spec warns of.
 */

const MIGRATIONS = [
  {
    name: 'witness-0001',
    sql: `
CREATE TABLE witness_logs (
  origin TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  root BLOB NOT NULL,
  -- The checkpoint text, the log signatures that verified and this witness's cosignature.
  note TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
-- Refused checkpoints that carried a valid log signature: a signed fork or rollback is evidence
-- against the log. Bounded per origin (see MAX_EVIDENCE_PER_ORIGIN).
CREATE TABLE witness_evidence (
  id INTEGER PRIMARY KEY,
  origin TEXT NOT NULL,
  body_sha256 TEXT NOT NULL,
  received_at TEXT NOT NULL,
  status INTEGER NOT NULL,
  reason TEXT NOT NULL,
  body TEXT NOT NULL,
  UNIQUE (origin, body_sha256)
);
`,
  },
];

/** The first refused forks are what matters; a log cannot fill the disk with more. */
export const MAX_EVIDENCE_PER_ORIGIN = 100;

export interface HeldLogCheckpoint extends HeldCheckpoint {
  origin: string;
  /** The cosigned checkpoint: text, the log's signatures, this witness's cosignature. */
  note: string;
  updatedAt: string;
}

export type AddCheckpointOutcome =
  | (Extract<WitnessDecision, { ok: true }> & { cosignature: string })
  | Extract<WitnessDecision, { ok: false }>;

interface Row {
  origin: string;
  size: number;
  root: Buffer;
  note: string;
  updated_at: string;
}

export class WitnessState {
  readonly #db: Database.Database;
  readonly #get;
  readonly #put;
  readonly #countEvidence;
  readonly #putEvidence;

  constructor(path: string) {
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#db.pragma('busy_timeout = 5000');
    applyMigrations(this.#db, MIGRATIONS);
    this.#get = this.#db.prepare<[string], Row>('SELECT * FROM witness_logs WHERE origin = ?');
    this.#put = this.#db.prepare(
      `INSERT INTO witness_logs (origin, size, root, note, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (origin) DO UPDATE SET size = excluded.size, root = excluded.root, note = excluded.note,
         updated_at = excluded.updated_at`,
    );
    this.#countEvidence = this.#db
      .prepare<[string], number>('SELECT count(*) FROM witness_evidence WHERE origin = ?')
      .pluck();
    this.#putEvidence = this.#db.prepare(
      `INSERT INTO witness_evidence (origin, body_sha256, received_at, status, reason, body)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
  }

  held(origin: string): HeldLogCheckpoint | undefined {
    const row = this.#get.get(origin);
    return (
      row && { origin: row.origin, size: row.size, root: row.root, note: row.note, updatedAt: row.updated_at }
    );
  }

  /**
   * Checks an add-checkpoint body against the held state and, when it passes, cosigns it and
   * stores it as the new held state, all in one transaction. Returns the decision and, on
   * success, the cosignature line (without its newline).
   */
  addCheckpoint(
    body: string,
    logKeys: (origin: string) => readonly NoteVerifier[] | undefined,
    cosigner: Cosigner,
    now: Date,
  ): AddCheckpointOutcome {
    const run = this.#db.transaction((): AddCheckpointOutcome => {
      const decision = checkAddCheckpoint(body, logKeys, (o) => this.held(o));
      if (!decision.ok) {
        if (decision.signedBy !== undefined) this.#keepEvidence(decision, body, now);
        return decision;
      }
      const cosignature = cosigner.cosign(decision.text, Math.floor(now.getTime() / 1000));
      const note = `${decision.text}\n${[...decision.logSignatures, cosignature].map((l) => `${l}\n`).join('')}`;
      this.#put.run(
        decision.origin,
        decision.checkpoint.size,
        Buffer.from(decision.checkpoint.root),
        note,
        now.toISOString(),
      );
      return { ...decision, cosignature };
    });
    return run.immediate();
  }

  #keepEvidence(decision: Extract<WitnessDecision, { ok: false }>, body: string, now: Date): void {
    const origin = decision.signedBy as string;
    if ((this.#countEvidence.get(origin) ?? 0) >= MAX_EVIDENCE_PER_ORIGIN) return;
    const digest = createHash('sha256').update(body).digest('hex');
    this.#putEvidence.run(origin, digest, now.toISOString(), decision.status, decision.message, body);
  }

  /** Refused, validly signed checkpoints kept for an origin (or every origin), oldest first. */
  evidence(
    origin?: string,
  ): { origin: string; receivedAt: string; status: number; reason: string; body: string }[] {
    return this.#db
      .prepare<
        [string | null, string | null],
        { origin: string; received_at: string; status: number; reason: string; body: string }
      >(
        'SELECT origin, received_at, status, reason, body FROM witness_evidence WHERE ? IS NULL OR origin = ? ORDER BY id',
      )
      .all(origin ?? null, origin ?? null)
      .map((r) => ({
        origin: r.origin,
        receivedAt: r.received_at,
        status: r.status,
        reason: r.reason,
        body: r.body,
      }));
  }

  close(): void {
    this.#db.close();
  }
}
