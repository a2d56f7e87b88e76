/**
 * The release pipeline's state: the current outcome per (partner, object), the approval queue,
 * each approval or denial, and the record of every release (what the ledger entry names).
 */
export const releaseMigration = {
  name: '0700-release',
  sql: `
CREATE TABLE release_outcomes (
  partner_id TEXT NOT NULL,
  object_id TEXT NOT NULL,
  object_version TEXT NOT NULL,
  outcome TEXT NOT NULL,            -- released | queued | withheld | denied | waiting
  reasons TEXT NOT NULL,            -- JSON [{code, message}]
  agreement_version INTEGER,
  fingerprint TEXT NOT NULL,        -- what the outcome depended on: equal means nothing to do
  decided_at TEXT NOT NULL,
  PRIMARY KEY (partner_id, object_id)
);
CREATE INDEX release_outcomes_outcome ON release_outcomes (partner_id, outcome);

CREATE TABLE release_queue (
  item_id TEXT PRIMARY KEY,
  partner_id TEXT NOT NULL,
  object_id TEXT NOT NULL,
  object_version TEXT NOT NULL,
  agreement_version INTEGER NOT NULL,
  approvals_required INTEGER NOT NULL,
  tearline TEXT NOT NULL,
  tearline_digest TEXT NOT NULL,
  removed TEXT NOT NULL,
  reasons TEXT NOT NULL,
  fingerprint TEXT NOT NULL,        -- object version + tearline digest + agreement version
  author TEXT,                      -- who imported the object: may not approve it
  state TEXT NOT NULL,              -- pending | approved | released | denied | superseded
  created_at TEXT NOT NULL,
  closed_at TEXT,
  release_id TEXT
);
CREATE INDEX release_queue_open ON release_queue (state, partner_id);
CREATE INDEX release_queue_object ON release_queue (partner_id, object_id);

CREATE TABLE release_approvals (
  item_id TEXT NOT NULL,
  approver TEXT NOT NULL,
  verdict TEXT NOT NULL,            -- approve | deny
  comment TEXT,
  fingerprint TEXT NOT NULL,        -- the item as approved: a changed item does not count it
  at TEXT NOT NULL,
  PRIMARY KEY (item_id, approver, fingerprint)
);

CREATE TABLE release_records (
  release_id TEXT PRIMARY KEY,
  partner_id TEXT NOT NULL,
  derived_id TEXT NOT NULL,
  original_id TEXT NOT NULL,
  original_version TEXT NOT NULL,
  agreement_version INTEGER,
  reasons TEXT NOT NULL,
  approvals TEXT NOT NULL,
  tearline_digest TEXT NOT NULL,
  released_at TEXT NOT NULL,
  visible_from TEXT NOT NULL,
  ledger_index INTEGER NOT NULL,
  recalled_at TEXT,
  recall_reason TEXT
);
CREATE INDEX release_records_partner ON release_records (partner_id, original_id);
`,
};
