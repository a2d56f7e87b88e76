/**
 * Where the last release pass stopped, so the next one decides only what changed since
 * (release-pass-plan.ts). One row per partner: the key of everything its decisions depended on
 * (settings, marking catalogue, agreement, conditions, scope sets), the last object version it
 * has seen (objects.added_us) and the next instant its terms change with no event. The row with
 * scope '' is the hub's: the change stamp the last whole pass started from. A missing row means
 * a full pass; deleting the rows is always safe.
 */
export const releasePassMigration = {
  name: '2000-release-pass',
  sql: `
CREATE TABLE release_pass_state (
  scope TEXT PRIMARY KEY,
  state_key TEXT NOT NULL,
  object_cursor INTEGER NOT NULL,
  changes_at TEXT,
  updated_at TEXT NOT NULL
);
`,
};
