/**
 * Which original object each partner-visible id stands for, per partner: feedback that cites a
 * derived id is routed back through it. Portable SQL (SQLite and PostgreSQL alike).
 */
export const derivedIdsMigration = {
  name: '0200-tearline-derived-ids',
  sql: `
CREATE TABLE tearline_derived_ids (
  partner_id TEXT NOT NULL,
  derived_id TEXT NOT NULL,
  original_id TEXT NOT NULL,
  PRIMARY KEY (partner_id, derived_id, original_id)
);
CREATE INDEX tearline_derived_ids_by_original ON tearline_derived_ids (partner_id, original_id);
`,
};
