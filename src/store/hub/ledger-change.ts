import { createHash } from 'node:crypto';
import type { EntryOf } from '../../ledger/ledger-entry.js';
import { canonicalJson } from '../../stix/canonical-json.js';
import type { SqlTx } from '../sql/sql-database.js';

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
 * Appends the ledger entry of an administrative change. Call it with the transaction that makes
 * the change, so that the change and its entry commit (or fail) together.
 */
export async function recordChange(tx: SqlTx, entry: ChangeEntry): Promise<void> {
  const r = await tx.appendLedger([entry]);
  if (!r.ok) throw new Error(`ledger: ${r.message}`);
}
