/**
 * Partner submissions live in the partner's own space (taxii_submissions) and never in intel:
 * the object as sent (what the partner reads back), the object with its derived ids mapped back
 * to the hub's originals (what analysts review), and the review: pending until an analyst
 * promotes it (a new hub object with provenance, src/release/submission-promote.ts) or rejects it.
 */
const columns = `
ALTER TABLE taxii_submissions ADD COLUMN mapped_json TEXT;
ALTER TABLE taxii_submissions ADD COLUMN review_state TEXT NOT NULL DEFAULT 'pending'; -- pending | promoted | rejected
ALTER TABLE taxii_submissions ADD COLUMN reviewed_by TEXT;
ALTER TABLE taxii_submissions ADD COLUMN reviewed_at TEXT;
ALTER TABLE taxii_submissions ADD COLUMN review_note TEXT;
ALTER TABLE taxii_submissions ADD COLUMN promoted_id TEXT;   -- the hub object a promotion created
-- Set on rows that were also stored as intel before this migration: the objects.added_us they had.
ALTER TABLE taxii_submissions ADD COLUMN legacy_added_us INTEGER;
CREATE INDEX taxii_submissions_review ON taxii_submissions (partner_id, review_state, pos_us);
`;

/**
 * Before 1300 a partner's object was also written to `objects` (source 'taxii:partner:NAME'),
 * where the pipeline read and released it as the hub's. Those rows move to the partner's space:
 * the intel copy (the exact bytes its ingest ledger entry digests) becomes the mapped copy, the
 * objects row and its references go, and an id whose latest version was a partner's gets its
 * latest hub version back. A partner row with no submission record is given one first (same
 * position as its `added`); one that cannot be (a position already taken) stays in objects.
 * `is_latest` differs by engine (0/1 here, boolean on PostgreSQL): `latest` is its true value.
 */
export function moveLegacySubmissions(latest: string): string {
  return `
UPDATE taxii_submissions SET
  legacy_added_us = (SELECT o.added_us FROM objects o JOIN partners p ON o.source = 'taxii:partner:' || p.name
     WHERE p.id = taxii_submissions.partner_id AND o.id = taxii_submissions.object_id
       AND o.version = taxii_submissions.version_key),
  mapped_json = (SELECT o.json FROM objects o JOIN partners p ON o.source = 'taxii:partner:' || p.name
     WHERE p.id = taxii_submissions.partner_id AND o.id = taxii_submissions.object_id
       AND o.version = taxii_submissions.version_key);
UPDATE taxii_submissions SET mapped_json = json WHERE mapped_json IS NULL;

INSERT INTO taxii_submissions (pos_us, partner_id, status_id, object_id, version, version_key, type,
    spec_version, json, is_latest, mapped_json, legacy_added_us)
  SELECT o.added_us, p.id, 'migrated-1300', o.id, coalesce(o.modified, o.created, ''), o.version, o.type,
         o.spec_version, o.json, 0, o.json, o.added_us
    FROM objects o JOIN partners p ON o.source = 'taxii:partner:' || p.name
   WHERE NOT EXISTS (SELECT 1 FROM taxii_submissions s
                      WHERE s.partner_id = p.id AND s.object_id = o.id AND s.version_key = o.version)
  ON CONFLICT DO NOTHING;
UPDATE taxii_submissions SET is_latest = 1 WHERE pos_us IN (
  SELECT s.pos_us FROM taxii_submissions s
   WHERE s.version_key = (SELECT max(v.version_key) FROM taxii_submissions v
                           WHERE v.partner_id = s.partner_id AND v.object_id = s.object_id)
     AND NOT EXISTS (SELECT 1 FROM taxii_submissions l
                      WHERE l.partner_id = s.partner_id AND l.object_id = s.object_id AND l.is_latest = 1));

DELETE FROM object_refs WHERE src_added_us IN
  (SELECT legacy_added_us FROM taxii_submissions WHERE legacy_added_us IS NOT NULL);
DELETE FROM objects WHERE added_us IN
  (SELECT legacy_added_us FROM taxii_submissions WHERE legacy_added_us IS NOT NULL);
UPDATE objects SET is_latest = ${latest} WHERE added_us IN (
  SELECT o.added_us FROM objects o
   WHERE o.version = (SELECT max(v.version) FROM objects v WHERE v.id = o.id)
     AND NOT EXISTS (SELECT 1 FROM objects l WHERE l.id = o.id AND l.is_latest = ${latest}));
`;
}

/** The columns in SQLite's DDL (PostgreSQL translates them, pg-migrations.ts). */
export const SUBMISSION_SPACE_COLUMNS = columns;

export const submissionSpaceMigration = {
  name: '1300-submission-space',
  sql: columns + moveLegacySubmissions('1'),
};
