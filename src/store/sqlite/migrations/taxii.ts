/**
 * What TAXII serves and receives: per-partner releases (the feed the release pipeline writes),
 * partner submissions as they were sent, status resources, and the bearer-token index.
 */
export const taxiiMigration = {
  name: '0600-taxii',
  sql: `
-- One row per released version of a tearline copy, per partner. Rows are never deleted: a recall
-- is a new version with revoked = true.
CREATE TABLE releases (
  rid INTEGER PRIMARY KEY,
  partner_id TEXT NOT NULL,
  object_id TEXT NOT NULL,            -- the derived id the partner sees
  version TEXT NOT NULL,              -- modified of the tearline copy, as written in it
  version_key TEXT NOT NULL,          -- the same, normalised so string order is time order
  type TEXT NOT NULL,
  spec_version TEXT,
  json TEXT NOT NULL,
  digest TEXT NOT NULL,               -- SHA-256 of the canonical JSON (RFC 8785)
  original_id TEXT NOT NULL,
  original_version TEXT NOT NULL,
  released_us INTEGER NOT NULL,
  visible_from_us INTEGER NOT NULL,   -- end of any embargo
  -- Feed position, given when the release becomes visible: strictly increasing across the hub,
  -- so added_after paging never skips a release whose embargo ended after a page was read.
  feed_us INTEGER UNIQUE,
  is_latest INTEGER NOT NULL DEFAULT 0, -- latest among the visible versions
  revoked INTEGER NOT NULL DEFAULT 0,
  withdrawn INTEGER NOT NULL DEFAULT 0, -- recalled while still under embargo: never published
  UNIQUE (partner_id, object_id, version_key)
);
CREATE INDEX releases_feed ON releases (partner_id, feed_us) WHERE feed_us IS NOT NULL;
CREATE INDEX releases_due ON releases (visible_from_us) WHERE feed_us IS NULL AND withdrawn = 0;
CREATE INDEX releases_original ON releases (partner_id, original_id);

-- What each partner submitted, exactly as sent (its references still in derived ids: reading
-- back must not reveal the hub's originals). The mapped object goes to the intel store.
CREATE TABLE taxii_submissions (
  pos_us INTEGER PRIMARY KEY,
  partner_id TEXT NOT NULL,
  status_id TEXT NOT NULL,
  object_id TEXT NOT NULL,
  version TEXT NOT NULL,
  version_key TEXT NOT NULL,
  type TEXT NOT NULL,
  spec_version TEXT,
  json TEXT NOT NULL,
  is_latest INTEGER NOT NULL DEFAULT 0,
  UNIQUE (partner_id, object_id, version_key)
);
CREATE INDEX taxii_submissions_partner ON taxii_submissions (partner_id, pos_us);

CREATE TABLE taxii_status (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  created_us INTEGER NOT NULL,
  json TEXT NOT NULL
);

-- SHA-256 of each partner's current token, so a bearer token alone finds its partner; the
-- argon2id hash in partners stays the proof. A stale row only names a partner to verify against.
CREATE TABLE partner_token_index (
  token_sha256 TEXT PRIMARY KEY,
  partner_id TEXT NOT NULL UNIQUE
);
`,
};
