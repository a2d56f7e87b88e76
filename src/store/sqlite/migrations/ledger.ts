/**
 * The disclosure ledger: entries with their exact canonical bytes, every complete subtree
 * hash once (append order, so appends are sequential inserts and any proof is O(log n) point
 * reads), and every signed checkpoint ever issued. Rows are only ever inserted.
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

-- id: position in append order (ledger-tree-math storedHashIndex), the same as Go's tlog.
CREATE TABLE ledger_hashes (
  id INTEGER PRIMARY KEY,
  hash BLOB NOT NULL
);

CREATE TABLE ledger_checkpoints (
  size INTEGER PRIMARY KEY,
  root BLOB NOT NULL,
  note TEXT NOT NULL,
  signed_at TEXT NOT NULL
);
`,
};
