/**
 * Cosignatures the hub's witnesses returned for its checkpoints (C2SP tlog-witness), one per
 * checkpoint and witness key: served with the checkpoint at /ledger/checkpoint and in receipts.
 * `line` is the signature line exactly as the witness sent it (without its newline); the other
 * columns repeat what it holds (cosigned_unix: its timestamp, POSIX seconds) so that queries
 * need not parse it.
 */
export const witnessCosignaturesMigration = {
  name: '1200-witness-cosignatures',
  sql: `
CREATE TABLE ledger_cosignatures (
  size INTEGER NOT NULL REFERENCES ledger_checkpoints (size),
  witness_key TEXT NOT NULL,
  witness_name TEXT NOT NULL,
  cosigned_unix INTEGER NOT NULL,
  line TEXT NOT NULL,
  received_at TEXT NOT NULL,
  PRIMARY KEY (size, witness_key)
);
CREATE INDEX ledger_cosignatures_witness ON ledger_cosignatures (witness_key, size);
`,
};
