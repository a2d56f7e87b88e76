import { decodeEntry, releaseIdOf } from '../ledger/ledger-entry.js';
import { TreeFrontier } from '../ledger/ledger-frontier.js';
import { equalHashes, hashLeaf } from '../ledger/ledger-hash.js';
import type { NoteVerifier } from '../ledger/ledger-note.js';
import { verifyConsistency } from '../ledger/ledger-proof.js';
import type { LedgerResult } from '../ledger/ledger-result.js';
import { countStoredHashes } from '../ledger/ledger-tree-math.js';
import { SqliteLedgerCheckpoints, type StoredCheckpoint } from './sqlite/ledger-checkpoints.js';
import { HASHES_PER_PAGE } from './sqlite/ledger-hash-pages.js';
import type { LedgerEntryRow } from './sqlite/ledger-store.js';

/**
 * What an audit reads from a stored ledger, on any engine. Hashes are packed HASHES_PER_PAGE to
 * a page on both, so the page count is checked the same way.
 */
export interface LedgerAuditSource {
  listCheckpoints(): Promise<StoredCheckpoint[]>;
  /** Entries [start, end) in index order. */
  readEntries(start: number, end: number): Promise<LedgerEntryRow[]>;
  /** Stored hashes with ids in [from, to). */
  readStoredHashes(from: number, to: number): Promise<Map<number, Buffer>>;
  countStoredHashes(): Promise<{ hashes: number; pages: number }>;
  proveConsistency(size1: number, size2: number): Promise<LedgerResult<{ proof: Uint8Array[] }>>;
}

/** The first problem found, naming the entry index or checkpoint size where it is. */
export type LedgerAuditResult =
  | { ok: true; entries: number; checkpoints: number }
  | {
      ok: false;
      code: 'bad-entry' | 'bad-hash' | 'bad-checkpoint' | 'inconsistent';
      message: string;
      index?: number;
      checkpoint?: number;
    };

const CHUNK = 4096;

/**
 * Recomputes the whole tree from the entry bytes alone and checks every stored hash, every
 * checkpoint's signature and root, and the consistency of each checkpoint with the next.
 * Reads in chunks, so memory stays flat whatever the ledger's size.
 */
export async function auditLedger(
  ledger: LedgerAuditSource,
  verifier: NoteVerifier,
): Promise<LedgerAuditResult> {
  const checkpoints = await ledger.listCheckpoints();
  for (const cp of checkpoints) {
    const checked = SqliteLedgerCheckpoints.checkStored(cp, verifier);
    if (!checked.ok)
      return {
        ok: false,
        code: 'bad-checkpoint',
        checkpoint: cp.size,
        message: `checkpoint ${cp.size}: ${checked.message}`,
      };
  }
  const walked = await walkEntries(ledger, checkpoints);
  if (!walked.ok) return walked;
  const size = walked.entries;
  const stored = await ledger.countStoredHashes();
  const storedHashes = stored.hashes;
  if (
    storedHashes !== countStoredHashes(size) ||
    stored.pages !== Math.ceil(storedHashes / HASHES_PER_PAGE)
  ) {
    return {
      ok: false,
      code: 'bad-hash',
      index: size,
      message: `entry ${size} is missing: the ledger has ${size} entries but ${storedHashes} stored hashes (${countStoredHashes(size)} expected)`,
    };
  }
  const beyond = checkpoints.find((cp) => cp.size > size);
  if (beyond) {
    return {
      ok: false,
      code: 'bad-checkpoint',
      checkpoint: beyond.size,
      index: size,
      message: `checkpoint ${beyond.size} covers more than the ${size} entries left: entry ${size} is missing`,
    };
  }
  for (let i = 1; i < checkpoints.length; i++) {
    const [a, b] = [checkpoints[i - 1] as StoredCheckpoint, checkpoints[i] as StoredCheckpoint];
    const proof = await ledger.proveConsistency(a.size, b.size);
    const ok = proof.ok && verifyConsistency(a.size, b.size, proof.proof, a.root, b.root).ok;
    if (!ok)
      return {
        ok: false,
        code: 'inconsistent',
        checkpoint: b.size,
        message: `checkpoint ${b.size} is not consistent with checkpoint ${a.size}`,
      };
  }
  return { ok: true, entries: size, checkpoints: checkpoints.length };
}

function checkRow(row: LedgerEntryRow): string | undefined {
  const decoded = decodeEntry(row.bytes);
  if (!decoded.ok) return decoded.message;
  const e = decoded.entry;
  if (
    e.kind !== row.kind ||
    e.time !== row.time ||
    e.actor !== row.actor ||
    (releaseIdOf(e) ?? null) !== row.releaseId
  ) {
    return 'the kind, time, actor or release_id columns differ from the entry bytes';
  }
  return undefined;
}

async function walkEntries(
  ledger: LedgerAuditSource,
  checkpoints: readonly StoredCheckpoint[],
): Promise<{ ok: true; entries: number } | Extract<LedgerAuditResult, { ok: false }>> {
  const frontier = TreeFrontier.empty();
  let next = 0;
  let cpAt = 0;
  for (;;) {
    const rows = await ledger.readEntries(next, next + CHUNK);
    if (rows.length === 0) break;
    const stored = await ledger.readStoredHashes(countStoredHashes(next), countStoredHashes(next + CHUNK));
    for (const row of rows) {
      const index = next;
      if (row.index !== index) {
        return {
          ok: false,
          code: 'bad-entry',
          index,
          message: `entry ${index} is missing (the next stored entry is ${row.index})`,
        };
      }
      const problem = checkRow(row);
      if (problem) return { ok: false, code: 'bad-entry', index, message: `entry ${index}: ${problem}` };
      let id = countStoredHashes(index);
      for (const [level, hash] of frontier.append(hashLeaf(row.bytes)).entries()) {
        const have = stored.get(id++);
        if (!have || !equalHashes(have, hash)) {
          const what =
            level === 0
              ? 'its stored leaf hash'
              : `the stored hash of the level-${level} subtree it completes`;
          return {
            ok: false,
            code: 'bad-hash',
            index,
            message: `entry ${index}: ${have ? 'does not match' : 'lacks'} ${what}`,
          };
        }
      }
      next++;
      while (cpAt < checkpoints.length && (checkpoints[cpAt] as StoredCheckpoint).size === next) {
        const cp = checkpoints[cpAt++] as StoredCheckpoint;
        if (!equalHashes(frontier.root(), cp.root)) {
          return {
            ok: false,
            code: 'bad-checkpoint',
            checkpoint: cp.size,
            message: `checkpoint ${cp.size}: its root does not match entries 0..${cp.size - 1}`,
          };
        }
      }
    }
  }
  return { ok: true, entries: next };
}
