import type { ReleaseRecord } from '../store/hub/release-store.js';

export interface DisclosureRow {
  event: 'release' | 'recall';
  time: string;
  release_id: string;
  derived_id: string;
  original_id: string;
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

/**
 * What was released to a partner (and recalled) is not what it fetched: `rows` are releases and
 * recalls, `fetched` what its TAXII client was actually sent, from the delivery record.
 */
export interface DisclosureReport {
  partner: { id: string; name: string };
  from: string;
  to: string;
  rows: DisclosureRow[];
  /** When the withheld counts were decided: the end of the period, or the report's time if earlier. */
  withheld_as_of: string;
  fetched: FetchedRow[];
  withheld_by_reason: Record<string, number>;
}

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
): DisclosureRow[] {
  const rows: DisclosureRow[] = [];
  const inRange = (t: string) => t >= from && t < to;
  for (const r of records) {
    const base = {
      release_id: r.release_id,
      derived_id: r.derived_id,
      original_id: r.original_id,
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

const FETCHED_COLUMNS: (keyof FetchedRow)[] = [
  'period_start',
  'period_end',
  'derived_id',
  'version',
  'original_id',
  'ledger_index',
];

const COLUMNS: (keyof DisclosureRow)[] = [
  'event',
  'time',
  'release_id',
  'derived_id',
  'original_id',
  'original_version',
  'agreement_version',
  'approvals',
  'visible_from',
  'tearline_digest',
  'reason',
  'receipt',
];

/** RFC 4180 CSV; a cell starting with = + - @ is prefixed with ' so spreadsheets do not run it. */
function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function formatDisclosuresCsv(report: DisclosureReport): string {
  const lines = [COLUMNS.join(',')];
  for (const row of report.rows) lines.push(COLUMNS.map((c) => csvCell(row[c])).join(','));
  lines.push('');
  lines.push(FETCHED_COLUMNS.map((c) => `fetched_${c}`).join(','));
  for (const row of report.fetched) lines.push(FETCHED_COLUMNS.map((c) => csvCell(row[c])).join(','));
  lines.push('');
  lines.push(`withheld_reason (as of ${report.withheld_as_of}),count`);
  for (const [code, n] of Object.entries(report.withheld_by_reason).sort())
    lines.push(`${csvCell(code)},${n}`);
  return `${lines.join('\r\n')}\r\n`;
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

export function formatDisclosuresHtml(report: DisclosureReport): string {
  const head = COLUMNS.filter((c) => c !== 'receipt')
    .map((c) => `<th>${escapeHtml(c)}</th>`)
    .join('');
  const body = report.rows
    .map(
      (r) =>
        `<tr>${COLUMNS.filter((c) => c !== 'receipt')
          .map((c) => `<td>${escapeHtml(String(r[c] ?? ''))}</td>`)
          .join('')}</tr>`,
    )
    .join('\n');
  const fetchedHead = FETCHED_COLUMNS.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const fetched = report.fetched
    .map((r) => `<tr>${FETCHED_COLUMNS.map((c) => `<td>${escapeHtml(String(r[c]))}</td>`).join('')}</tr>`)
    .join('\n');
  const withheld = Object.entries(report.withheld_by_reason)
    .map(([code, n]) => `<tr><td>${escapeHtml(code)}</td><td>${n}</td></tr>`)
    .join('');
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>Disclosures to ${escapeHtml(report.partner.name)}</title>
<h1>Disclosures to ${escapeHtml(report.partner.name)}</h1><p>from ${escapeHtml(report.from)} up to, not including, ${escapeHtml(report.to)}</p>
<h2>Released and recalled</h2>
<table><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table><h2>Fetched over TAXII</h2>
<table><thead><tr>${fetchedHead}</tr></thead><tbody>
${fetched}
</tbody></table><h2>Withheld as of ${escapeHtml(report.withheld_as_of)}, by reason</h2><table><tbody>${withheld}</tbody></table></html>
`;
}
