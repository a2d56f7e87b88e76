/**
 * Each partner's released / queued / withheld / denied counts as each release pass left them: the
 * outcomes table holds only the latest decision per object, so this is what "over time" is read
 * from (outcome-history.ts). A row is written only when a count changed since the last one.
 */
export const outcomeHistoryMigration = {
  name: '2300-outcome-history',
  sql: `
CREATE TABLE release_outcome_history (
  partner_id TEXT NOT NULL,
  at TEXT NOT NULL,
  released INTEGER NOT NULL,
  queued INTEGER NOT NULL,
  withheld INTEGER NOT NULL,
  denied INTEGER NOT NULL,
  PRIMARY KEY (partner_id, at)
);
`,
};
