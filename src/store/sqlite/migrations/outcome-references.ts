/**
 * What each object's references resolve to for a partner, as the last pass that decided the
 * object left it: the id of the partner's copy when the decision lets it through (policy and
 * tearline), '' when it withholds it, NULL when unknown. An incremental pass sanitises the
 * objects that changed against these instead of re-deciding everything they reach
 * (release-pass-plan.ts); it is a decision's by-product, not an outcome: approvals, queues and
 * recalls leave it alone.
 */
export const outcomeReferencesMigration = {
  name: '2600-outcome-references',
  sql: `
ALTER TABLE release_outcomes ADD COLUMN reference_id TEXT;
`,
};
