/**
 * Sender: which releases each envelope carried (issue 25), so the console can say of each release
 * to a partner reached through a relay whether it is sealed, handed to the relay (with the relay's
 * ledger index as its receipt) or delivered. Release ids only: no content.
 */
export const relayReleasesMigration = {
  name: '2400-relay-releases',
  sql: `
CREATE TABLE relay_outbox_releases (
  partner_id TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  release_id TEXT NOT NULL,
  PRIMARY KEY (partner_id, release_id, sequence)
);
CREATE INDEX relay_outbox_releases_envelope ON relay_outbox_releases (partner_id, sequence);
`,
};
