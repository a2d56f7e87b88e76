/**
 * Markings given at import by default: per analyst (their TAXII pushes to the intel collection)
 * and per TAXII source (`taxii pull`). `kind` says how the marking was classified when it was
 * set ('tlp' or 'statement'), so applying it needs no look-up.
 */
export const importMarkingsMigration = {
  name: '1700-import-markings',
  sql: `
CREATE TABLE import_marking_defaults (
  scope TEXT NOT NULL,
  name TEXT NOT NULL,
  marking TEXT NOT NULL,
  kind TEXT NOT NULL,
  set_by TEXT NOT NULL,
  set_at TEXT NOT NULL,
  PRIMARY KEY (scope, name)
);
`,
};
