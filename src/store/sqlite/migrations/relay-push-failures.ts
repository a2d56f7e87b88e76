/**
 * Sender: each post of its envelopes a relay refused or could not take (issue 25): the refusal
 * (a whole post: unauthenticated, too large, over the rate, unreachable; or one envelope in its
 * status), the first sequence it was for, and when. resolved_at is set once a later push has the
 * relay take that sequence (relay push retries every envelope not yet taken). No content.
 */
export const relayPushFailuresMigration = {
  name: '2700-relay-push-failures',
  sql: `
CREATE TABLE relay_push_failures (
  id INTEGER PRIMARY KEY,
  partner_id TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  reason TEXT NOT NULL,
  message TEXT NOT NULL,
  attempted_at TEXT NOT NULL,
  resolved_at TEXT
);
CREATE INDEX relay_push_failures_open ON relay_push_failures (partner_id, resolved_at, sequence);
`,
};
