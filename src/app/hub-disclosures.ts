import { decideReleases, emptyTally, tallyDecision } from '../release/release-decision.js';
import type { HubPolicy } from '../release/release-policy.js';
import {
  type DenialRow,
  type DisclosureReport,
  disclosureRows,
  fetchedRows,
  type WithheldRow,
} from '../release/release-report.js';
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
  const objects = await sql.all<{ id: string; type: string; json: string }>(
    'SELECT id, type, json FROM objects WHERE is_latest ORDER BY added_us',
  );
  const parsed = objects.map((r) => JSON.parse(r.json) as JsonObject);
  const names = new Map(
    parsed.map((o) => [
      o.id as string,
      { name: typeof o.name === 'string' ? o.name : '', type: o.type as string },
    ]),
  );
  const nameOf = (id: string) => names.get(id);
  const rows = disclosureRows(records, from, to, (id) => receipts.get(id) ?? '', nameOf);
  const originals = new Map(records.map((r) => [r.derived_id, r.original_id]));
  const fetched = fetchedRows(await hub.state.deliveries.list(partner.id, from, to), (id) =>
    originals.get(id),
  );
  const asOf = new Date(Math.min(Date.parse(to), now.getTime()));
  const round = await openDecisionRound(hub, policy, asOf);
  const inputs = parsed.map((o) => round.input(o));
  const tally = emptyTally();
  const withheld: WithheldRow[] = [];
  const byFirst: Record<string, number> = {};
  for (const d of decideReleases(inputs, await round.termsFor(partner))) {
    if (d.outcome !== 'withhold') continue;
    tallyDecision(tally, d);
    const first = d.reasons[0]?.code ?? 'unknown';
    byFirst[first] = (byFirst[first] ?? 0) + 1;
    const named = nameOf(d.object_id);
    withheld.push({
      object_id: d.object_id,
      object_name: named?.name ?? '',
      object_type: named?.type ?? '',
      first_reason: first,
      reasons: d.reasons.map((r) => `${r.code}: ${r.message}`).join('; '),
    });
  }
  const denials = await denialRows(hub, partner.id, from, to, nameOf);
  return {
    partner: { id: partner.id, name: partner.name },
    from,
    to,
    rows,
    denials,
    fetched,
    withheld_as_of: asOf.toISOString(),
    withheld,
    withheld_by_reason: tally.reasons,
    withheld_by_first_reason: byFirst,
  };
}

/** Queue items denied in [from, to), with the officer and the reason the denial gave. */
async function denialRows(
  hub: Hub,
  partnerId: string,
  from: string,
  to: string,
  nameOf: (id: string) => { name: string; type: string } | undefined,
): Promise<DenialRow[]> {
  const rows = await hub.state.sql.all<{
    item_id: string;
    object_id: string;
    object_version: string;
    closed_at: string;
    approver: string | null;
    comment: string | null;
  }>(
    `SELECT q.item_id, q.object_id, q.object_version, q.closed_at, a.approver, a.comment
       FROM release_queue q
       LEFT JOIN release_approvals a ON a.item_id = q.item_id AND a.fingerprint = q.fingerprint AND a.verdict = 'deny'
      WHERE q.partner_id = ? AND q.state = 'denied' AND q.closed_at >= ? AND q.closed_at < ?
      ORDER BY q.closed_at, q.item_id`,
    [partnerId, from, to],
  );
  return rows.map((r) => ({
    time: r.closed_at,
    item_id: r.item_id,
    original_id: r.object_id,
    original_version: r.object_version,
    object_name: nameOf(r.object_id)?.name ?? '',
    object_type: nameOf(r.object_id)?.type ?? r.object_id.split('--')[0] ?? '',
    officer: r.approver ?? '',
    reason: r.comment ?? '',
  }));
}
