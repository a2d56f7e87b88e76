import type { CheckpointSchedule } from '../ledger/ledger-checkpoint-steps.js';
import { checkpointBoundary } from '../ledger/ledger-checkpoint-steps.js';
import { decodeLeaf, openLeaf } from '../ledger/ledger-commitment.js';
import type { Hash } from '../ledger/ledger-hash.js';
import type { NoteSigner, NoteVerifier } from '../ledger/ledger-note.js';
import { formatConsistency, formatReceipt } from '../ledger/ledger-receipt.js';
import { fail, type LedgerResult } from '../ledger/ledger-result.js';
import type { CosignatureStore, CosignedCheckpoint } from './hub/cosignature-store.js';
import { auditLedger, type LedgerAuditResult, type LedgerAuditSource } from './ledger-audit.js';
import type { LedgerEntryRow } from './ledger-rows.js';
import type { PgLedger } from './postgres/pg-ledger.js';
import type { PgLedgerCheckpoints } from './postgres/pg-ledger-checkpoints.js';
import type { SqliteLedgerCheckpoints, StoredCheckpoint } from './sqlite/ledger-checkpoints.js';
import type { SqliteLedger } from './sqlite/ledger-store.js';

export type { StoredCheckpoint };

/** What the ledger service reads and signs through, on any engine. */
export interface LedgerPort extends LedgerAuditSource {
  size(): Promise<number>;
  readEntry(index: number): Promise<LedgerEntryRow | undefined>;
  findRelease(releaseId: string): Promise<number | undefined>;
  proveInclusion(index: number, size: number): Promise<LedgerResult<{ proof: Hash[] }>>;
  /** Size of the prefix of entries from `from` on dated before `time` (see SqliteLedger.sizeBefore). */
  sizeBefore(time: string, from: number): Promise<number>;
  /** Signs the tree of `size` entries (default all) unless the latest checkpoint covers it. */
  checkpoint(
    now: Date,
    signer: NoteSigner,
    size?: number,
  ): Promise<LedgerResult<{ checkpoint: StoredCheckpoint; created: boolean }>>;
}

/**
 * The disclosure ledger as the HTTP routes, the console and the CLI use it, whichever engine
 * holds it: checkpoints, receipts for partners, consistency proofs for overseers, audits.
 */
export class LedgerService {
  constructor(
    readonly port: LedgerPort,
    /** The witnesses' cosignatures, when the hub has witnesses configured. */
    readonly cosignatures?: CosignatureStore,
  ) {}

  size(): Promise<number> {
    return this.port.size();
  }

  readEntries(start: number, end: number): Promise<LedgerEntryRow[]> {
    return this.port.readEntries(start, end);
  }

  findRelease(releaseId: string): Promise<number | undefined> {
    return this.port.findRelease(releaseId);
  }

  async latest(): Promise<StoredCheckpoint | undefined> {
    return (await this.port.listCheckpoints()).at(-1);
  }

  /** Signs the whole tree now: an operator's explicit choice, off the schedule's steps. */
  checkpoint(now: Date, signer: NoteSigner) {
    return this.port.checkpoint(now, signer);
  }

  /** The latest checkpoint with every configured witness's cosignature it has (C2SP cosigned checkpoint). */
  async latestCosigned(): Promise<CosignedCheckpoint | undefined> {
    const latest = await this.latest();
    if (!latest) return undefined;
    return this.cosignatures
      ? this.cosignatures.cosign(latest)
      : { size: latest.size, note: latest.note, signedAt: latest.signedAt, witnesses: [] };
  }

  /** A consistency proof between any two tree sizes (what a witness is sent). */
  proveConsistency(size1: number, size2: number): Promise<LedgerResult<{ proof: Hash[] }>> {
    return this.port.proveConsistency(size1, size2) as Promise<LedgerResult<{ proof: Hash[] }>>;
  }

  /**
   * Signs the checkpoint due under `schedule` (ledger-checkpoint-steps.ts) when it covers more
   * than the latest one; what a hub calls after each batch of work and on its timer.
   */
  async checkpointIfDue(
    now: Date,
    signer: NoteSigner,
    schedule: CheckpointSchedule,
  ): Promise<LedgerResult<{ checkpoint: StoredCheckpoint | undefined; created: boolean }>> {
    const latest = await this.latest();
    const signed = latest?.size ?? 0;
    const target =
      schedule.intervalMs > 0
        ? await this.port.sizeBefore(checkpointBoundary(now, schedule.intervalMs).toISOString(), signed)
        : await this.port.size();
    if (target <= signed) return { ok: true, checkpoint: latest, created: false };
    return this.port.checkpoint(now, signer, target);
  }

  /**
   * The receipt of entry `index`, its checkpoint carrying the witnesses' cosignatures: the newest
   * checkpoint covering it that every configured witness cosigned, else the latest checkpoint
   * (with whichever cosignatures it has).
   */
  async receipt(index: number): Promise<LedgerResult<{ json: string }>> {
    const entry = await this.port.readEntry(index);
    if (!entry) {
      return fail(
        'not-found',
        `there is no ledger entry ${index} (the ledger has ${await this.port.size()})`,
      );
    }
    const latest = (await this.cosignatures?.newestFullyCosigned(index)) ?? (await this.latest());
    if (!latest || latest.size <= index) {
      return fail('not-checkpointed', `entry ${index} is not yet covered by a checkpoint; sign one first`);
    }
    const proof = await this.port.proveInclusion(index, latest.size);
    if (!proof.ok) return proof;
    const checkpoint = this.cosignatures ? (await this.cosignatures.cosign(latest)).note : latest.note;
    return {
      ok: true,
      json: formatReceipt({ index, entry: entry.bytes, checkpoint, proof: proof.proof }),
    };
  }

  /**
   * The receipt a partner may fetch: only for a release made to that partner (as its opening
   * says). Any other release answers 'not-found' exactly as a missing one does, so partners
   * learn nothing about each other's releases. A release recorded before entries had private
   * parts is refused: its entry names internal ids and officers, which a receipt would hand on.
   */
  async receiptForPartner(releaseId: string, partner: string): Promise<LedgerResult<{ json: string }>> {
    const missing = fail('not-found', `no release ${JSON.stringify(releaseId)} for this partner`);
    const index = await this.port.findRelease(releaseId);
    const row = index === undefined ? undefined : await this.port.readEntry(index);
    if (index === undefined || !row) return missing;
    const decoded = decodeLeaf(row.bytes);
    if (!decoded.ok) return missing;
    if (decoded.leaf.version === 1) {
      const e = decoded.leaf.entry;
      if (e.kind !== 'release' || e.partner !== partner) return missing;
      return fail(
        'predates-commitments',
        `release ${JSON.stringify(releaseId)} was recorded before ledger entries kept internal details private; its receipt would disclose them, so it is given only to overseers`,
      );
    }
    const opened = row.opening ? openLeaf(decoded.leaf.entry, row.opening) : undefined;
    if (!opened?.ok || opened.entry.kind !== 'release' || opened.entry.partner !== partner) return missing;
    return this.receipt(index);
  }

  /** Consistency proof between two signed checkpoints, named by their tree sizes. */
  async consistency(from: number, to: number): Promise<LedgerResult<{ json: string }>> {
    if (from > to) return fail('bad-size', `--from ${from} must not exceed --to ${to}`);
    const all = await this.port.listCheckpoints();
    const older = all.find((c) => c.size === from);
    const newer = all.find((c) => c.size === to);
    if (!older || !newer) {
      const sizes = all.map((c) => c.size).join(', ') || 'none';
      return fail('not-found', `no checkpoint of size ${older ? to : from}; sizes signed: ${sizes}`);
    }
    const proof = await this.port.proveConsistency(from, to);
    if (!proof.ok) return proof;
    return { ok: true, json: formatConsistency({ old: older.note, new: newer.note, proof: proof.proof }) };
  }

  audit(verifier: NoteVerifier): Promise<LedgerAuditResult> {
    return auditLedger(this.port, verifier);
  }
}

export function sqliteLedgerService(
  ledger: SqliteLedger,
  checkpoints: SqliteLedgerCheckpoints,
  cosignatures?: CosignatureStore,
): LedgerService {
  return new LedgerService(
    {
      size: async () => ledger.size(),
      readEntry: async (i) => ledger.readEntry(i),
      readEntries: async (start, end) => ledger.readEntries(start, end),
      findRelease: async (id) => ledger.findRelease(id),
      proveInclusion: async (i, n) => ledger.proveInclusion(i, n),
      proveConsistency: async (a, b) => ledger.proveConsistency(a, b),
      sizeBefore: async (time, from) => ledger.sizeBefore(time, from),
      readDeliveryItems: async (i) => ledger.readDeliveryItems(i),
      listCheckpoints: async () => checkpoints.list(),
      readStoredHashes: async (from, to) => ledger.hashes.readRange(from, to),
      countStoredHashes: async () => ledger.hashes.count(),
      checkpoint: async (now, signer, size) => checkpoints.checkpoint(now, signer, size),
    },
    cosignatures,
  );
}

export function pgLedgerService(
  ledger: PgLedger,
  checkpoints: PgLedgerCheckpoints,
  cosignatures?: CosignatureStore,
): LedgerService {
  return new LedgerService(
    {
      size: () => ledger.size(),
      readEntry: (i) => ledger.readEntry(i),
      readEntries: (start, end) => ledger.readEntries(start, end),
      findRelease: (id) => ledger.findRelease(id),
      proveInclusion: (i, n) => ledger.proveInclusion(i, n),
      proveConsistency: (a, b) => ledger.proveConsistency(a, b),
      sizeBefore: (time, from) => ledger.sizeBefore(time, from),
      readDeliveryItems: (i) => ledger.readDeliveryItems(i),
      listCheckpoints: () => checkpoints.list(),
      readStoredHashes: (from, to) => ledger.readHashRange(from, to),
      countStoredHashes: () => ledger.countHashes(),
      checkpoint: (now, signer, size) => checkpoints.checkpoint(now, signer, size),
    },
    cosignatures,
  );
}
