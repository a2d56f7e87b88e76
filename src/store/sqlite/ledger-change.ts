import { createHash } from 'node:crypto';
import type { EntryOf } from '../../ledger/ledger-entry.js';
import { canonicalJson } from '../../stix/canonical-json.js';
import type { SqliteDatabase } from './database.js';
import { SqliteLedger } from './ledger-store.js';

type ChangeEntry =
  | EntryOf<'partner-change'>
  | EntryOf<'user-change'>
  | EntryOf<'agreement-change'>
  | EntryOf<'condition-change'>;

/** SHA-256 of the canonical JSON of what changed: the ledger proves the change, not its content. */
export function changeDigest(detail: unknown): string {
  return createHash('sha256').update(canonicalJson(detail)).digest('hex');
}

/**
 * Appends the ledger entry of an administrative change. Call it inside the transaction that
 * makes the change, so that the change and its entry commit (or fail) together.
 */
export function recordChange(db: SqliteDatabase, entry: ChangeEntry): void {
  const r = new SqliteLedger(db).appendEntries([entry]);
  if (!r.ok) throw new Error(`ledger: ${r.message}`);
}
