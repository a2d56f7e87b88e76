/**
 * Sender: every 'relay-bundle' ledger entry a push records (issue 25), and what became of it.
 * A push ledgers a round of bundles, signs a checkpoint, then seals each with its receipt; one
 * stopped in between (a crash, a fault) left entries no envelope carried. Now each is 'pending'
 * from the moment it is ledgered (same transaction), 'sealed' with the envelope that carries it
 * (same transaction as the outbox row), or 'abandoned' with the reason when the next push finds
 * the feed page it recorded no longer the same; an unchanged page reuses its pending entry.
 * Digests and counts only, no content.
 */
export const relayBundlesMigration = {
  name: '2800-relay-bundles',
  sql: `
CREATE TABLE relay_bundles (
  partner_id TEXT NOT NULL,
  ledger_index INTEGER NOT NULL,
  sequence INTEGER NOT NULL,
  digest TEXT NOT NULL,
  objects INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'sealed', 'abandoned')),
  recorded_at TEXT NOT NULL,
  settled_at TEXT,
  reason TEXT,
  PRIMARY KEY (partner_id, ledger_index)
);
CREATE INDEX relay_bundles_state ON relay_bundles (partner_id, state, sequence);
`,
};
