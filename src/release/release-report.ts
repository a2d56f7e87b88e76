import type { ReleaseRecord } from '../store/hub/release-store.js';

export interface DisclosureRow {
  event: 'release' | 'recall';
  time: string;
  release_id: string;
  derived_id: string;
  original_id: string;
  /** What people call the original ('' when it has no name), and its STIX type. */
  object_name: string;
  object_type: string;
  /** The release's ledger entry. */
  ledger_index: number;
  original_version: string;
  agreement_version: number | null;
  approvals: string;
  visible_from: string;
  tearline_digest: string;
  reason: string;
  /** The receipt JSON (inclusion proof against a signed checkpoint), for releases. */
  receipt: string;
}

/** One object version the partner fetched over TAXII in a recorded period. */
export interface FetchedRow {
  period_start: string;
  period_end: string;
  derived_id: string;
  version: string;
  /** The hub's object the copy was made from ('' for the hub's own identity and the like). */
  original_id: string;
  /** The delivery entry in the ledger that records it. */
  ledger_index: number;
}

/** A release officer's denial of a queued item in the period. */
export interface DenialRow {
  time: string;
  item_id: string;
  original_id: string;
  original_version: string;
  object_name: string;
  object_type: string;
  officer: string;
  reason: string;
}

/** An object the hub withholds from the partner as of `withheld_as_of`, with every reason. */
export interface WithheldRow {
  object_id: string;
  object_name: string;
  object_type: string;
  /** The reason the decision gives first: each object is counted once, under this one. */
  first_reason: string;
  reasons: string;
}

/**
 * What was released to a partner (and recalled) is not what it fetched: `rows` are releases and
 * recalls, `fetched` what its TAXII client was actually sent, from the delivery record.
 */
export interface DisclosureReport {
  partner: { id: string; name: string };
  from: string;
  to: string;
  rows: DisclosureRow[];
  denials: DenialRow[];
  /** When the withheld counts were decided: the end of the period, or the report's time if earlier. */
  withheld_as_of: string;
  fetched: FetchedRow[];
  withheld: WithheldRow[];
  /** Objects per reason code; an object withheld for several reasons counts under each. */
  withheld_by_reason: Record<string, number>;
  /** Objects per first reason: these add up to `withheld.length`. */
  withheld_by_first_reason: Record<string, number>;
}

/** What people call an object, for the report's tables. */
export type ObjectNames = (id: string) => { name: string; type: string } | undefined;

/** Flattens delivery records into rows, naming each copy's original where the hub made one. */
export function fetchedRows(
  deliveries: readonly {
    index: number;
    period_start: string;
    period_end: string;
    items: [string, string][];
  }[],
  originalOf: (derivedId: string) => string | undefined,
): FetchedRow[] {
  return deliveries.flatMap((d) =>
    d.items.map(([derivedId, version]) => ({
      period_start: d.period_start,
      period_end: d.period_end,
      derived_id: derivedId,
      version,
      original_id: originalOf(derivedId) ?? '',
      ledger_index: d.index,
    })),
  );
}

/** Releases and recalls of one partner in [from, to), oldest first. */
export function disclosureRows(
  records: readonly ReleaseRecord[],
  from: string,
  to: string,
  receiptOf: (releaseId: string) => string,
  names: ObjectNames = () => undefined,
): DisclosureRow[] {
  const rows: DisclosureRow[] = [];
  const inRange = (t: string) => t >= from && t < to;
  for (const r of records) {
    const named = names(r.original_id);
    const base = {
      release_id: r.release_id,
      derived_id: r.derived_id,
      original_id: r.original_id,
      object_name: named?.name ?? '',
      object_type: named?.type ?? r.original_id.split('--')[0] ?? '',
      ledger_index: r.ledger_index,
      original_version: r.original_version,
      agreement_version: r.agreement_version,
      approvals: r.approvals.map((a) => a.approver).join(' '),
      visible_from: r.visible_from,
      tearline_digest: r.tearline_digest,
    };
    if (inRange(r.released_at)) {
      rows.push({
        event: 'release',
        time: r.released_at,
        ...base,
        reason: r.reasons.join('; '),
        receipt: receiptOf(r.release_id),
      });
    }
    if (r.recalled_at && inRange(r.recalled_at)) {
      rows.push({
        event: 'recall',
        time: r.recalled_at,
        ...base,
        reason: r.recall_reason ?? '',
        receipt: '',
      });
    }
  }
  return rows.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
}
