/**
 * What each object's references resolve to for a partner, as the last pass that decided the
 * object left it: the id of the partner's copy when the decision lets it through (policy and
 * tearline), '' when it withholds it, NULL when unknown. An incremental pass sanitises the
 * objects that changed against these instead of re-deciding everything they reach
 * (release-pass-plan.ts); it is a decision's by-product, not an outcome: approvals, queues and
 * recalls leave it alone.
 *
 * And queue items by partner and closing time: every incremental pass looks for the verdicts
 * given since the last one (release-pass-state.ts), which the (state, partner_id) index made a
 * walk over every closed item of the partner.
 */
export const outcomeReferencesMigration = {
  name: '2600-outcome-references',
  sql: `
ALTER TABLE release_outcomes ADD COLUMN reference_id TEXT;
CREATE INDEX release_queue_closed ON release_queue (partner_id, closed_at);
`,
};
