import type { FastifyInstance } from 'fastify';
import {
  DISCLOSURE_TABLES,
  formatDisclosureCsv,
  formatDisclosuresHtml,
  isDisclosureTable,
} from '../release/release-report-format.js';
import { reportPeriod } from '../release/release-report-period.js';
import type { ConsoleContext } from './api-context.js';
import { sendApiError } from './api-errors.js';

const DAY_MS = 86_400_000;
/** The longest period one report covers: the withheld part decides every object once per report. */
const MAX_PERIOD_DAYS = 3660;

/**
 * The disclosure report of one partner and period, as `report disclosures` gives it: HTML for
 * print, JSON, or one CSV table at a time (?table=). A `to` given as a date includes that day.
 */
export function registerReportRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  app.get('/api/reports/disclosures', { config: { action: 'read' } }, async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    const format = q.format ?? 'html';
    if (!['html', 'json', 'csv'].includes(format))
      return sendApiError(
        reply,
        'bad-request',
        `format must be html, json or csv; got ${JSON.stringify(format)}`,
      );
    const table = q.table ?? 'releases';
    if (!isDisclosureTable(table))
      return sendApiError(reply, 'bad-request', `table must be one of ${DISCLOSURE_TABLES.join(', ')}`);
    if (!q.partner) return sendApiError(reply, 'bad-request', 'partner: give a partner name or id');
    if (q.partner.length > 200)
      return sendApiError(reply, 'bad-request', 'partner must be at most 200 characters');
    const period = periodOf(q.from, q.to);
    if (!period.ok) return sendApiError(reply, 'bad-request', period.message);
    const partner = await ctx.hub.state.partners.get(q.partner);
    if (!partner)
      return sendApiError(
        reply,
        'not-found',
        `partner: no partner named or with id ${JSON.stringify(q.partner)}`,
      );
    const doc = await ctx.services.disclosureReport(
      ctx.policy.current().policy,
      partner,
      period.from,
      period.to,
      ctx.hub.clock.now(),
    );
    const base = `disclosures-${partner.name.replace(/[^A-Za-z0-9._-]/g, '_')}-${period.from.slice(0, 10)}`;
    if (format === 'json') return doc;
    if (format === 'csv') {
      return reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="${base}-${table}.csv"`)
        .send(formatDisclosureCsv(doc, table));
    }
    // A page of its own, with its own styles and no script: nothing in it runs.
    return reply
      .type('text/html; charset=utf-8')
      .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
      .send(formatDisclosuresHtml(doc));
  });
}

function periodOf(
  fromText: string | undefined,
  toText: string | undefined,
): { ok: true; from: string; to: string } | { ok: false; message: string } {
  if (!fromText || !toText)
    return { ok: false, message: 'from and to: give the period (dates or RFC 3339 times)' };
  const from = Date.parse(fromText);
  const toStart = Date.parse(toText);
  if (fromText.length > 40 || Number.isNaN(from))
    return { ok: false, message: 'from must be a date or RFC 3339 time' };
  if (toText.length > 40 || Number.isNaN(toStart))
    return { ok: false, message: 'to must be a date or RFC 3339 time' };
  const period = reportPeriod(new Date(from), new Date(toStart), toText);
  if (!period.ok) return { ok: false, message: `from ${fromText} must be before to ${toText}` };
  if (period.ms > MAX_PERIOD_DAYS * DAY_MS)
    return { ok: false, message: `a report covers at most ${MAX_PERIOD_DAYS} days` };
  return { ok: true, from: period.from, to: period.to };
}
