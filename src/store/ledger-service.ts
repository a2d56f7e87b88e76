import { decodeEntry } from '../ledger/ledger-entry.js';
import type { Hash } from '../ledger/ledger-hash.js';
import type { NoteSigner, NoteVerifier } from '../ledger/ledger-note.js';
import { formatConsistency, formatReceipt } from '../ledger/ledger-receipt.js';
import { fail, type LedgerResult } from '../ledger/ledger-result.js';
import type { CosignatureStore, CosignedCheckpoint } from './hub/cosignature-store.js';
import { auditLedger, type LedgerAuditResult, type LedgerAuditSource } from './ledger-audit.js';
import type { PgLedger } from './postgres/pg-ledger.js';
import type { PgLedgerCheckpoints } from './postgres/pg-ledger-checkpoints.js';
import type { SqliteLedgerCheckpoints, StoredCheckpoint } from './sqlite/ledger-checkpoints.js';
import type { LedgerEntryRow, SqliteLedger } from './sqlite/ledger-store.js';

export type { StoredCheckpoint };

/** What the ledger service reads and signs through, on any engine. */
export interface LedgerPort extends LedgerAuditSource {
  size(): Promise<number>;
  readEntry(index: number): Promise<LedgerEntryRow | undefined>;
  findRelease(releaseId: string): Promise<number | undefined>;
  proveInclusion(index: number, size: number): Promise<LedgerResult<{ proof: Hash[] }>>;
  /** Signs the current tree unless the latest checkpoint covers it (never a smaller one). */
  checkpoint(
    now: Date,
    signer: NoteSigner,
  ): Promise<LedgerResult<{ checkpoint: StoredCheckpoint; created: boolean }>>;
}

export interface CheckpointPolicy {
  /** Sign at most this often while entries trickle in. */
  intervalMs: number;
  /** Sign at once when this many entries are waiting. */
  batchEntries: number;
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

  /** Signs when entries wait and the policy says so; what a hub calls after each batch of work. */
  async checkpointIfDue(
    now: Date,
    signer: NoteSigner,
    policy: CheckpointPolicy,
  ): Promise<LedgerResult<{ checkpoint: StoredCheckpoint | undefined; created: boolean }>> {
    const latest = await this.latest();
    const waiting = (await this.port.size()) - (latest?.size ?? 0);
    if (waiting <= 0) return { ok: true, checkpoint: latest, created: false };
    const age = latest ? now.getTime() - Date.parse(latest.signedAt) : Number.POSITIVE_INFINITY;
    if (waiting < policy.batchEntries && age < policy.intervalMs) {
      return { ok: true, checkpoint: latest, created: false };
    }
    return this.port.checkpoint(now, signer);
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
   * The receipt a partner may fetch: only for a release made to that partner. Any other
   * release answers 'not-found' exactly as a missing one does, so partners learn nothing
   * about each other's releases.
   */
  async receiptForPartner(releaseId: string, partner: string): Promise<LedgerResult<{ json: string }>> {
    const missing = fail('not-found', `no release ${JSON.stringify(releaseId)} for this partner`);
    const index = await this.port.findRelease(releaseId);
    const row = index === undefined ? undefined : await this.port.readEntry(index);
    if (index === undefined || !row) return missing;
    const decoded = decodeEntry(row.bytes);
    if (!decoded.ok || decoded.entry.kind !== 'release' || decoded.entry.partner !== partner) return missing;
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
      listCheckpoints: async () => checkpoints.list(),
      readStoredHashes: async (from, to) => ledger.hashes.readRange(from, to),
      countStoredHashes: async () => ledger.hashes.count(),
      checkpoint: async (now, signer) => checkpoints.checkpoint(now, signer),
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
      listCheckpoints: () => checkpoints.list(),
      readStoredHashes: (from, to) => ledger.readHashRange(from, to),
      countStoredHashes: () => ledger.countHashes(),
      checkpoint: (now, signer) => checkpoints.checkpoint(now, signer),
    },
    cosignatures,
  );
}
