import { createHash } from 'node:crypto';
import type { EntryOf } from '../ledger/ledger-entry.js';
import type { SqlTx } from '../store/sql/sql-database.js';

/**
 * The ledger entry of an analyst's decision on a draft, appended in the decision's transaction:
 * who decided and why stay in the private part (only overseers open it), like a partner
 * submission's review. The text's digest ties the entry to the article without holding it.
 */
export async function appendDraftReview(
  tx: SqlTx,
  draft: { id: string; text: string },
  decision: 'confirmed' | 'rejected',
  actor: string,
  at: string,
  details: { report_id: string } | { reason: string },
): Promise<void> {
  const entry: EntryOf<'draft-review'> = {
    kind: 'draft-review',
    time: at,
    actor,
    draft_id: draft.id,
    decision,
    digest: createHash('sha256').update(draft.text, 'utf8').digest('hex'),
    details,
  };
  const appended = await tx.appendLedger([entry]);
  if (!appended.ok) throw new Error(`ledger: ${appended.message}`);
}
