/**
 * The disclosure ledger: entries with their exact canonical bytes, every complete subtree
 * hash once, and every signed checkpoint ever issued. Hashes are kept in append order
 * (ledger-tree-math storedHashIndex, as Go's tlog) and packed 64 to a page row, so a batch
 * writes a few pages instead of two rows per entry, and any proof is O(log n) point reads.
 * Only the last, partial page is ever rewritten; every other row is only inserted.
 */
export const ledgerMigration = {
  name: 'ledger-0001',
  sql: `
CREATE TABLE ledger_entries (
  idx INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  time TEXT NOT NULL,
  actor TEXT NOT NULL,
  release_id TEXT,
  bytes BLOB NOT NULL
);
CREATE INDEX ledger_entries_release ON ledger_entries (release_id) WHERE release_id IS NOT NULL;

-- Stored hash i is bytes [32 * (i % 64), 32 * (i % 64) + 32) of page i / 64.
CREATE TABLE ledger_hash_pages (
  page INTEGER PRIMARY KEY,
  hashes BLOB NOT NULL
);

CREATE TABLE ledger_checkpoints (
  size INTEGER PRIMARY KEY,
  root BLOB NOT NULL,
  note TEXT NOT NULL,
  signed_at TEXT NOT NULL
);
`,
};
