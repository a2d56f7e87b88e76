/**
 * Intel objects, one row per version. `added_us` (epoch microseconds) is strictly increasing
 * across the whole store: TAXII's added_after and paging cursors rely on it.
 */
export const objectsMigration = {
  name: '0001-objects',
  sql: `
CREATE TABLE objects (
  -- The rowid is the 'added' time itself (epoch microseconds): one B-tree instead of two, and
  -- every scan in rowid order is a scan in added order.
  added_us INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
  version TEXT NOT NULL,
  type TEXT NOT NULL,
  spec_version TEXT,
  created TEXT,
  modified TEXT,
  is_latest INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL,
  -- The hub user who stored this version: may not approve its release (four eyes).
  imported_by TEXT,
  json TEXT NOT NULL,
  UNIQUE (id, version)
);
-- The latest version of an id is found through the (id, version) key: an id has few versions.
-- Latest versions by type, in added order (the index carries the rowid).
CREATE INDEX objects_latest_by_type ON objects (type) WHERE is_latest = 1;

-- Every reference of every version, nested ones included (path says where). Outgoing: by the
-- version's added_us; incoming: by dst_id. No foreign key: rows are written with their object in one
-- transaction and never deleted, and the check would cost a lookup per reference on import.
CREATE TABLE object_refs (
  src_added_us INTEGER NOT NULL,
  src_id TEXT NOT NULL,
  path TEXT NOT NULL,
  dst_id TEXT NOT NULL
);
CREATE INDEX object_refs_src ON object_refs (src_added_us);
CREATE INDEX object_refs_dst ON object_refs (dst_id);

-- Rejected input is kept with where it came from and every error: nothing is silently dropped.
CREATE TABLE quarantine (
  qid INTEGER PRIMARY KEY,
  received_us INTEGER NOT NULL,
  source TEXT NOT NULL,
  location TEXT NOT NULL,
  object_id TEXT,
  raw TEXT NOT NULL,
  raw_bytes INTEGER NOT NULL,
  raw_sha256 TEXT NOT NULL,
  errors TEXT NOT NULL
);
CREATE INDEX quarantine_received ON quarantine (received_us);

-- Hub settings that must survive restarts (e.g. the last 'added' value handed out).
CREATE TABLE hub_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
};
