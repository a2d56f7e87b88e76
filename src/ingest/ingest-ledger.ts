import { createHash, hash } from 'node:crypto';
import type { EntryOf } from '../ledger/ledger-entry.js';
import { canonicalJson } from '../stix/canonical-json.js';

/** One object version as a batch stored it: enough to prove later what exactly came in. */
export interface StoredVersion {
  id: string;
  version: string;
  json: string;
}

/**
 * The ledger entry of one stored batch: the count and a SHA-256 over the canonical list of
 * [id, version, SHA-256 of the exact JSON] of every new version, in storage order. The intel
 * itself never enters the ledger; its digest lets an overseer check the store against it.
 */
export function ingestBatchEntry(
  source: string,
  actor: string,
  time: Date,
  stored: readonly StoredVersion[],
): EntryOf<'ingest-batch'> {
  // One-shot hash: no Hash object per version (half the cost on a thousand-object batch).
  const list = stored.map((s) => [s.id, s.version, hash('sha256', s.json, 'hex')]);
  return {
    kind: 'ingest-batch',
    time: time.toISOString(),
    actor,
    source,
    count: stored.length,
    digest: createHash('sha256').update(canonicalJson(list)).digest('hex'),
  };
}
