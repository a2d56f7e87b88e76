import { createHash } from 'node:crypto';
import { decodeLeaf, openLeaf } from '../ledger/ledger-commitment.js';
import { type LedgerEntry, releaseIdOf } from '../ledger/ledger-entry.js';
import { TreeFrontier } from '../ledger/ledger-frontier.js';
import { equalHashes, hashLeaf } from '../ledger/ledger-hash.js';
import type { NoteVerifier } from '../ledger/ledger-note.js';
import { verifyConsistency } from '../ledger/ledger-proof.js';
import type { LedgerResult } from '../ledger/ledger-result.js';
import { countStoredHashes } from '../ledger/ledger-tree-math.js';
import type { LedgerEntryRow } from './ledger-rows.js';
import { SqliteLedgerCheckpoints, type StoredCheckpoint } from './sqlite/ledger-checkpoints.js';
import { HASHES_PER_PAGE } from './sqlite/ledger-hash-pages.js';

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
  /** The list kept beside a delivery entry (canonical JSON of its pairs). */
  readDeliveryItems(index: number): Promise<string | undefined>;
}

/** The first problem found, naming the entry index or checkpoint size where it is. */
export type LedgerAuditResult =
  | { ok: true; entries: number; checkpoints: number }
  | {
      ok: false;
      code: 'bad-entry' | 'bad-opening' | 'bad-hash' | 'bad-checkpoint' | 'inconsistent';
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

type RowProblem = { code: 'bad-entry' | 'bad-opening'; message: string };

/**
 * Decodes a row's leaf and, for version 2, opens it: the salt and private part must hash to the
 * leaf's commitment. The columns kept beside the bytes must say what the opened entry says, and
 * a delivery entry's list must have the digest the entry commits to.
 */
async function checkRow(ledger: LedgerAuditSource, row: LedgerEntryRow): Promise<RowProblem | undefined> {
  const decoded = decodeLeaf(row.bytes);
  if (!decoded.ok) return { code: 'bad-entry', message: decoded.message };
  let e: LedgerEntry;
  if (decoded.leaf.version === 1) {
    if (row.opening)
      return { code: 'bad-opening', message: 'a version 1 entry has a private part beside it' };
    e = decoded.leaf.entry;
  } else {
    if (!row.opening) return { code: 'bad-opening', message: 'its private part and salt are missing' };
    const opened = openLeaf(decoded.leaf.entry, row.opening);
    if (!opened.ok) return { code: 'bad-opening', message: opened.message };
    e = opened.entry;
  }
  if (
    e.kind !== row.kind ||
    e.time !== row.time ||
    e.actor !== row.actor ||
    (releaseIdOf(e) ?? null) !== row.releaseId
  ) {
    return {
      code: 'bad-entry',
      message: 'the kind, time, actor or release_id columns differ from the entry',
    };
  }
  if (e.kind === 'delivery') {
    const items = await ledger.readDeliveryItems(row.index);
    if (items === undefined)
      return { code: 'bad-opening', message: 'the list of what was delivered is missing' };
    if (createHash('sha256').update(items, 'utf8').digest('hex') !== e.digest)
      return { code: 'bad-opening', message: 'the list of what was delivered does not match its digest' };
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
      // The leaf first: a changed leaf is named as such, not by the opening it no longer matches.
      const problem = await checkRow(ledger, row);
      if (problem)
        return { ok: false, code: problem.code, index, message: `entry ${index}: ${problem.message}` };
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
