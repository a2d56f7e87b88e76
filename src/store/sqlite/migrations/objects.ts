/**
 * Intel objects, one row per version. `added_us` (epoch microseconds) is strictly increasing
 * across the whole store: TAXII's added_after and paging cursors rely on it.
 */
export const objectsMigration = {
  name: '0001-objects',
  sql: `
CREATE TABLE objects (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
  version TEXT NOT NULL,
  type TEXT NOT NULL,
  spec_version TEXT,
  created TEXT,
  modified TEXT,
  added_us INTEGER NOT NULL UNIQUE,
  is_latest INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL,
  json TEXT NOT NULL,
  UNIQUE (id, version)
);
CREATE INDEX objects_latest_by_type ON objects (type, id) WHERE is_latest = 1;
CREATE INDEX objects_latest_by_id ON objects (id) WHERE is_latest = 1;

-- Every reference of every version, nested ones included (path says where).
CREATE TABLE object_refs (
  src_seq INTEGER NOT NULL REFERENCES objects (seq) ON DELETE CASCADE,
  src_id TEXT NOT NULL,
  path TEXT NOT NULL,
  dst_id TEXT NOT NULL
);
CREATE INDEX object_refs_src ON object_refs (src_seq);
CREATE INDEX object_refs_src_id ON object_refs (src_id);
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
