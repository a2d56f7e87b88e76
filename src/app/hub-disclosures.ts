import { decideReleases, emptyTally, tallyDecision } from '../release/release-decision.js';
import type { HubPolicy } from '../release/release-policy.js';
import { type DisclosureReport, disclosureRows, fetchedRows } from '../release/release-report.js';
import type { JsonObject } from '../stix/types.js';
import type { Partner } from '../store/hub/partner-store.js';
import { storageFaultOf } from '../store/storage-fault.js';
import type { Hub } from './hub.js';
import { openDecisionRound } from './hub-decisions.js';

/**
 * Every release and recall to a partner in [from, to), with receipts, and what the hub withholds
 * from it by reason as of the period's end (or `now`, if earlier): the one decision, the same
 * counts `decide` and `release run` give.
 */
export async function buildDisclosureReport(
  hub: Hub,
  policy: HubPolicy,
  partner: Partner,
  from: string,
  to: string,
  now: Date,
): Promise<DisclosureReport> {
  const { releases, sql } = hub.state;
  // Sign the checkpoint due so recent releases have receipts; a hub opened read-only (a full or
  // read-only disk) reports with the checkpoints it has, and those releases' receipts stay empty.
  if ((await hub.ledgerService.size()) > 0)
    await (async () => hub.checkpointIfDue())().catch((err: unknown) => {
      if (!storageFaultOf(err)) throw err;
    });
  const records = await releases.records(partner.id);
  // For officers and overseers: receipts of older (version 1) entries too.
  const receipts = new Map<string, string>();
  for (const rec of records) {
    const r = await hub.ledgerService.receipt(rec.ledger_index);
    receipts.set(rec.release_id, r.ok ? r.json : '');
  }
  const rows = disclosureRows(records, from, to, (id) => receipts.get(id) ?? '');
  const originals = new Map(records.map((r) => [r.derived_id, r.original_id]));
  const fetched = fetchedRows(await hub.state.deliveries.list(partner.id, from, to), (id) =>
    originals.get(id),
  );
  const asOf = new Date(Math.min(Date.parse(to), now.getTime()));
  const round = await openDecisionRound(hub, policy, asOf);
  const objects = await sql.all<{ json: string }>(
    'SELECT json FROM objects WHERE is_latest ORDER BY added_us',
  );
  const inputs = objects.map((r) => round.input(JSON.parse(r.json) as JsonObject));
  const tally = emptyTally();
  for (const d of decideReleases(inputs, await round.termsFor(partner)))
    if (d.outcome === 'withhold') tallyDecision(tally, d);
  return {
    partner: { id: partner.id, name: partner.name },
    from,
    to,
    rows,
    fetched,
    withheld_as_of: asOf.toISOString(),
    withheld_by_reason: tally.reasons,
  };
}
