/**
 * The neighbourhood and location sets each partner was last decided with (release pass,
 * release-pass-members.ts): when a set changes, the next pass re-decides only the objects that
 * entered or left it (and what depends on them) instead of every object of the partner. Written
 * with the partner's release_pass_state row; deleting the rows is safe (the next pass of a partner
 * whose set is unknown re-decides everything in it).
 */
export const releasePassMembersMigration = {
  name: '2100-release-pass-members',
  sql: `
CREATE TABLE release_pass_members (
  partner_id TEXT NOT NULL,
  member_set TEXT NOT NULL,
  object_id TEXT NOT NULL,
  PRIMARY KEY (partner_id, member_set, object_id)
);
`,
};
