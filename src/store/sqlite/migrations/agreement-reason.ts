/**
 * Why each agreement version was written, beside who and when (issue 17: every change shows who,
 * when and why). Versions written before this have none (NULL).
 */
export const agreementReasonMigration = {
  name: '1410-agreement-reason',
  sql: `
ALTER TABLE agreements ADD COLUMN reason TEXT;
`,
};
