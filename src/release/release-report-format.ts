import type { DisclosureReport } from './release-report.js';

/**
 * The disclosure report as files people open: one CSV per table (a spreadsheet opens each
 * cleanly) and one HTML page styled for print, names first and ids beside them.
 */
export const DISCLOSURE_TABLES = [
  'releases',
  'denials',
  'withheld',
  'withheld-summary',
  'fetched',
  'receipts',
] as const;
export type DisclosureTable = (typeof DISCLOSURE_TABLES)[number];

export function isDisclosureTable(v: unknown): v is DisclosureTable {
  return typeof v === 'string' && (DISCLOSURE_TABLES as readonly string[]).includes(v);
}

type Cell = string | number | null;

/** A table whose columns are named as the fields of its items, in that order. */
function tableOf<K extends string>(
  items: readonly Record<K, Cell>[],
  columns: readonly K[],
): { columns: string[]; rows: Cell[][] } {
  return { columns: [...columns], rows: items.map((i) => columns.map((c) => i[c])) };
}

/** The header and rows of one table. */
export function disclosureTable(
  report: DisclosureReport,
  table: DisclosureTable,
): { columns: string[]; rows: Cell[][] } {
  switch (table) {
    case 'releases':
      return {
        columns: [
          'event',
          'time',
          'object_name',
          'object_type',
          'original_id',
          'original_version',
          'release_id',
          'derived_id',
          'agreement_version',
          'approved_by',
          'visible_from',
          'reason',
          'ledger_index',
        ],
        rows: report.rows.map((r) => [
          r.event,
          r.time,
          r.object_name,
          r.object_type,
          r.original_id,
          r.original_version,
          r.release_id,
          r.derived_id,
          r.agreement_version,
          r.approvals,
          r.visible_from,
          r.reason,
          r.ledger_index,
        ]),
      };
    case 'denials':
      return tableOf(report.denials, [
        'time',
        'object_name',
        'object_type',
        'original_id',
        'original_version',
        'item_id',
        'officer',
        'reason',
      ]);
    case 'withheld':
      return tableOf(report.withheld, ['object_name', 'object_type', 'object_id', 'first_reason', 'reasons']);
    case 'withheld-summary':
      return {
        columns: ['reason', 'objects_by_first_reason', 'objects_with_this_reason'],
        rows: withheldSummary(report).map((s) => [s.reason, s.first, s.any]),
      };
    case 'fetched':
      return tableOf(report.fetched, [
        'period_start',
        'period_end',
        'derived_id',
        'version',
        'original_id',
        'ledger_index',
      ]);
    case 'receipts':
      return {
        columns: ['release_id', 'ledger_index', 'receipt'],
        rows: report.rows
          .filter((r) => r.event === 'release')
          .map((r) => [r.release_id, r.ledger_index, r.receipt]),
      };
  }
}

/** Every reason code, with the objects counted once (first reason) and the objects it applies to. */
export function withheldSummary(report: DisclosureReport): { reason: string; first: number; any: number }[] {
  const codes = new Set([
    ...Object.keys(report.withheld_by_reason),
    ...Object.keys(report.withheld_by_first_reason),
  ]);
  return [...codes].sort().map((reason) => ({
    reason,
    first: report.withheld_by_first_reason[reason] ?? 0,
    any: report.withheld_by_reason[reason] ?? 0,
  }));
}

/** RFC 4180 CSV; a cell starting with = + - @ is prefixed with ' so spreadsheets do not run it. */
function csvCell(value: Cell): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function formatDisclosureCsv(report: DisclosureReport, table: DisclosureTable): string {
  const t = disclosureTable(report, table);
  const lines = [t.columns.join(','), ...t.rows.map((r) => r.map(csvCell).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** Headline counts, each one a count of rows in the tables below it. */
export function disclosureCounts(report: DisclosureReport) {
  return {
    released: report.rows.filter((r) => r.event === 'release').length,
    recalled: report.rows.filter((r) => r.event === 'recall').length,
    denied: report.denials.length,
    withheld: report.withheld.length,
    fetched: report.fetched.length,
  };
}

const STYLE = `
body{font:11pt/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1f24;margin:2em}
h1{font-size:18pt;margin:0 0 .2em}h2{font-size:13pt;margin:1.6em 0 .4em;border-bottom:1px solid #8a939c}
.period{color:#4a525a;margin:0 0 1em}
table{border-collapse:collapse;width:100%;font-size:9pt;margin-bottom:.5em}
th,td{border:1px solid #c7ccd1;padding:3px 5px;text-align:left;vertical-align:top}
th{background:#eef1f4}td.id{font-family:ui-monospace,monospace;font-size:8pt;word-break:break-all;color:#4a525a}
td.n,th.n{text-align:right}.counts td{font-size:11pt}.empty{color:#4a525a;font-style:italic}
@page{size:A4 landscape;margin:12mm}
@media print{body{margin:0}h2{break-after:avoid}thead{display:table-header-group}tr{break-inside:avoid}}
`;

function table(head: string[], rows: string[][], numeric: number[] = [], ids: number[] = []): string {
  if (rows.length === 0) return '<p class="empty">None in this period.</p>';
  const th = head
    .map((h, i) => `<th${numeric.includes(i) ? ' class="n"' : ''}>${escapeHtml(h)}</th>`)
    .join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${r
          .map(
            (c, i) =>
              `<td${numeric.includes(i) ? ' class="n"' : ids.includes(i) ? ' class="id"' : ''}>${escapeHtml(c)}</td>`,
          )
          .join('')}</tr>`,
    )
    .join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const named = (name: string, id: string) => (name ? name : id);

export function formatDisclosuresHtml(report: DisclosureReport): string {
  const c = disclosureCounts(report);
  const partner = escapeHtml(report.partner.name);
  const summary = withheldSummary(report);
  const receipts = report.rows.filter((r) => r.event === 'release');
  // Names come from intel (some promoted from partners' submissions): besides escaping, the page
  // may load nothing at all, so neither a browser nor the PDF printer ever fetches from it.
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>Disclosures to ${partner}</title><style>${STYLE}</style></head><body>
<h1>Disclosures to ${partner}</h1>
<p class="period">From ${escapeHtml(report.from)} up to, not including, ${escapeHtml(report.to)}. Withheld as of ${escapeHtml(report.withheld_as_of)}.</p>
<table class="counts" data-table="counts"><tbody>
<tr><th>Released</th><td class="n" data-count="released">${c.released}</td><th>Recalled</th><td class="n" data-count="recalled">${c.recalled}</td><th>Denied</th><td class="n" data-count="denied">${c.denied}</td><th>Withheld (objects)</th><td class="n" data-count="withheld">${c.withheld}</td><th>Fetched over TAXII</th><td class="n" data-count="fetched">${c.fetched}</td></tr>
</tbody></table>
<h2>Released and recalled</h2>
${table(
  ['Event', 'Time', 'Object', 'Type', 'Approved by', 'Reason', 'Visible from', 'Object id', 'Release id'],
  report.rows.map((r) => [
    r.event,
    r.time,
    named(r.object_name, r.original_id),
    r.object_type,
    r.approvals || (r.event === 'release' ? 'no approval needed' : ''),
    r.reason,
    r.visible_from,
    r.original_id,
    r.release_id,
  ]),
  [],
  [7, 8],
)}
<h2>Denied by release officers</h2>
${table(
  ['Time', 'Object', 'Type', 'Officer', 'Reason', 'Object id'],
  report.denials.map((d) => [
    d.time,
    named(d.object_name, d.original_id),
    d.object_type,
    d.officer,
    d.reason,
    d.original_id,
  ]),
  [],
  [5],
)}
<h2>Withheld, by reason</h2>
<p>Each object is counted once, under the first reason its decision gives; the last column counts every object the reason applies to (an object may have several).</p>
${table(
  ['Reason', 'Objects (first reason)', 'Objects with this reason'],
  [...summary.map((s) => [s.reason, String(s.first), String(s.any)]), ['Total', String(c.withheld), '']],
  [1, 2],
)}
<h2>Withheld objects</h2>
${table(
  ['Object', 'Type', 'Reasons', 'Object id'],
  report.withheld.map((w) => [named(w.object_name, w.object_id), w.object_type, w.reasons, w.object_id]),
  [],
  [3],
)}
<h2>Fetched over TAXII</h2>
${table(
  ['Period start', 'Period end', 'Copy', 'Version', 'Original', 'Ledger entry'],
  report.fetched.map((f) => [
    f.period_start,
    f.period_end,
    f.derived_id,
    f.version,
    f.original_id,
    String(f.ledger_index),
  ]),
  [5],
  [2, 4],
)}
<h2>Receipts</h2>
<p>Each release's ledger entry, and the checkpoint its inclusion proof leads to. The full receipts are in receipts.csv and the JSON report; check one with <code>tearline ledger verify-receipt</code> or the console.</p>
${table(
  ['Release id', 'Ledger entry', 'Checkpoint', 'Object'],
  receipts.map((r) => [
    r.release_id,
    String(r.ledger_index),
    checkpointOf(r.receipt),
    named(r.object_name, r.original_id),
  ]),
  [1],
  [0],
)}
</body></html>
`;
}

/** "tree size N, signed by ..." from a receipt, or why there is none. */
function checkpointOf(receipt: string): string {
  if (!receipt) return 'not yet under a signed checkpoint';
  try {
    const r = JSON.parse(receipt) as { checkpoint?: unknown };
    const lines = typeof r.checkpoint === 'string' ? r.checkpoint.split('\n') : [];
    return lines.length >= 2 ? `${lines[0]}, tree size ${lines[1]}` : 'unreadable';
  } catch {
    return 'unreadable';
  }
}
