/**
 * Partners, agreement versions and condition history. Everything that changes what a partner
 * may receive is append-only (agreement versions, condition events) and records its actor, so
 * the ledger can later prove who changed what. Plain SQL types only: the PostgreSQL adapter
 * reuses this shape.
 */
export const policyMigration = {
  name: '0100-policy',
  sql: `
CREATE TABLE partners (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  identity_json TEXT NOT NULL,
  -- argon2id PHC string of the partner's bearer token; the token itself is never stored.
  token_hash TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE partner_events (
  seq INTEGER PRIMARY KEY,
  partner_id TEXT NOT NULL REFERENCES partners (id),
  action TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX partner_events_partner ON partner_events (partner_id, seq);

CREATE TABLE agreements (
  partner_id TEXT NOT NULL REFERENCES partners (id),
  version INTEGER NOT NULL,
  format TEXT NOT NULL,
  raw_text TEXT NOT NULL,
  body_json TEXT NOT NULL,
  set_at TEXT NOT NULL,
  actor TEXT NOT NULL,
  PRIMARY KEY (partner_id, version)
);

-- Attestations, revocations, reviews, suspensions and breach reports, in order. Current state
-- is derived by replaying a partner's events (condition-events.ts).
CREATE TABLE condition_events (
  seq INTEGER PRIMARY KEY,
  partner_id TEXT NOT NULL REFERENCES partners (id),
  kind TEXT NOT NULL,
  condition_id TEXT NOT NULL,
  action TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT,
  detail TEXT NOT NULL
);
CREATE INDEX condition_events_partner ON condition_events (partner_id, seq);

-- The last decision per (partner, object) as re-decision needs it: what it depended on and what
-- it said. Rewritten on every decide; the ledger, not this table, keeps the history.
CREATE TABLE decision_marks (
  partner_id TEXT NOT NULL REFERENCES partners (id),
  object_id TEXT NOT NULL,
  input_key TEXT NOT NULL,
  outcome TEXT NOT NULL,
  reasons_key TEXT NOT NULL,
  decided_at TEXT NOT NULL,
  PRIMARY KEY (partner_id, object_id)
);
`,
};
