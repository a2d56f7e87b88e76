/**
 * Version 2 ledger entries (src/ledger/ledger-commitment.ts): `bytes` (the leaf) holds the public
 * part and a commitment; `salt` and `private` open it, read only by overseers and audits. In the
 * entry's own row: one insert per entry, not two. Version 1 entries (before this migration)
 * have neither: their leaf is the whole entry.
 *
 * ledger_deliveries is the list beside each `delivery` entry: the (derived id, version) pairs a
 * partner fetched over TAXII in one period, as the canonical JSON whose SHA-256 the entry's
 * private part holds.
 */
export const ledgerPrivateMigration = {
  name: '1100-ledger-private',
  sql: `
ALTER TABLE ledger_entries ADD COLUMN salt BLOB;
ALTER TABLE ledger_entries ADD COLUMN private BLOB;

CREATE TABLE ledger_deliveries (
  idx INTEGER PRIMARY KEY,
  partner_id TEXT NOT NULL,
  period_start TEXT NOT NULL,
  period_end TEXT NOT NULL,
  items TEXT NOT NULL
);
CREATE INDEX ledger_deliveries_partner ON ledger_deliveries (partner_id, period_start);
`,
};
