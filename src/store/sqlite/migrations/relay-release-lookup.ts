/**
 * Sender: relay push names, for each copy it bundles, the release it came from, by partner and
 * derived id (RelayOutboxStore.releasesOf). Without this index that read scanned every release
 * record of the partner, once per envelope: 11.6 ms an envelope at 24,000 records (bench/relay),
 * growing with the partner's history.
 */
export const relayReleaseLookupMigration = {
  name: '2800-relay-release-lookup',
  sql: `
CREATE INDEX relay_release_records_derived ON release_records (partner_id, derived_id);
`,
};
