/**
 * Drafts made from open-source articles (issue 24): kept apart from intel (the objects table),
 * so nothing in them is seen by the release pipeline until an analyst confirms one. The text is
 * the article as plain text (never markup); items are the extractions with their evidence and
 * the analyst's decisions, as JSON.
 */
export const OSINT_DRAFTS_DDL = `
CREATE TABLE osint_drafts (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  title TEXT NOT NULL,
  source_url TEXT,
  published TEXT,
  text TEXT NOT NULL,
  items_json TEXT NOT NULL,
  marking TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'open',
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  reviewed_by TEXT,
  reviewed_at TEXT,
  review_note TEXT,
  report_id TEXT
);
CREATE INDEX osint_drafts_state ON osint_drafts (state, created_at);
`;

export const osintDraftsMigration = { name: '1800-osint-drafts', sql: OSINT_DRAFTS_DDL };
