/**
 * Version 2 ledger entries (src/ledger/ledger-commitment.ts): the leaf in ledger_entries holds
 * the public part and a commitment; the salt and the private part that open it are kept here,
 * one row per version 2 entry, read only by overseers and audits. Version 1 entries (before
 * this migration) have no row: their leaf is the whole entry.
 *
 * ledger_deliveries is the list beside each `delivery` entry: the (derived id, version) pairs a
 * partner fetched over TAXII in one period, as the canonical JSON whose SHA-256 the entry's
 * private part holds.
 */
export const ledgerPrivateMigration = {
  name: '1100-ledger-private',
  sql: `
CREATE TABLE ledger_openings (
  idx INTEGER PRIMARY KEY,
  salt BLOB NOT NULL,
  private BLOB NOT NULL
);

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
