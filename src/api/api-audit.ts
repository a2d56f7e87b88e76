import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canonicalJson } from '../ledger/ledger-canonical-json.js';
import { formatVerifierKey, signNote } from '../ledger/ledger-note.js';
import {
  AUDIT_EXPORT_MAX,
  AUDIT_PAGE_MAX,
  type AuditFilter,
  type AuditRow,
  parseAuditFilter,
} from '../store/hub/audit-entries.js';
import { type ApiActor, permissionsOf, userOf } from './api-auth.js';
import type { ConsoleContext } from './api-context.js';
import { sendApiError } from './api-errors.js';
import { csvField } from './api-ledger.js';

/** The first line of a signed audit export's note: what the JSON on the next line is. */
export const AUDIT_EXPORT_FORMAT = 'tearline-audit-export/1';

type Query = Record<string, string | undefined>;

const OVERSIGHT_ONLY = 'private parts are for oversight users only (ledger.audit, role oversight)';

/**
 * Openings name officers, internal ids and reasons: as on /ledger/entries?private=true, they are
 * for the oversight role alone (admins audit the ledger's consistency but are not its overseers),
 * through a credential scoped no narrower.
 */
function mayOpenEntries(actor: ApiActor): boolean {
  return (
    permissionsOf(actor).includes('ledger.audit') && actor.role === 'oversight' && actor.scope === 'oversight'
  );
}

/**
 * The audit trail: ledger entries to browse, each as a sentence. Everyone who reads the hub sees
 * the list as receipts show it (kinds, times, public parts); overseers see entries opened (actors,
 * partners, approvers), may filter by partner and actor, and export the list as CSV (one table)
 * or as JSON signed with the ledger key.
 */
export function registerAuditRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { hub } = ctx;
  const { reads } = hub.state;

  /** The filter, or undefined once an error was sent. */
  const filterOf = async (request: FastifyRequest, reply: FastifyReply, open: boolean) => {
    const parsed = parseAuditFilter(request.query as Query);
    if (!parsed.ok) {
      sendApiError(reply, 'bad-request', parsed.message);
      return undefined;
    }
    const { partner, ...rest } = parsed.filter;
    if (!open && (partner || rest.actor)) {
      sendApiError(
        reply,
        'forbidden',
        `filtering by partner or actor reads private parts of entries: ${OVERSIGHT_ONLY}`,
      );
      return undefined;
    }
    const filter: AuditFilter = rest;
    if (partner) {
      const row = await hub.state.partners.get(partner);
      if (!row) {
        sendApiError(reply, 'not-found', `partner: no partner is named ${JSON.stringify(partner)}`);
        return undefined;
      }
      filter.partnerId = row.id;
    }
    return filter;
  };
  app.get('/api/ledger/entries', { config: { action: 'read' } }, async (request, reply) => {
    const open = mayOpenEntries(userOf(request));
    const filter = await filterOf(request, reply, open);
    if (!filter) return reply;
    const q = request.query as Query;
    const perPage = q.per_page === undefined ? 50 : Number(q.per_page);
    const page = q.page === undefined ? 1 : Number(q.page);
    if (!Number.isSafeInteger(perPage) || perPage < 1 || perPage > AUDIT_PAGE_MAX)
      return sendApiError(
        reply,
        'bad-request',
        `per_page must be a whole number from 1 to ${AUDIT_PAGE_MAX}`,
      );
    if (!Number.isSafeInteger(page) || page < 1 || page > 1_000_000)
      return sendApiError(reply, 'bad-request', 'page must be a whole number from 1');
    const total = await reads.countAuditEntries(filter);
    const entries = await reads.listAuditEntries(
      filter,
      { limit: perPage, offset: (page - 1) * perPage },
      open,
    );
    return { open, total, page, per_page: perPage, pages: Math.max(1, Math.ceil(total / perPage)), entries };
  });

  /** Every matching entry, oldest first, opened; or undefined once an error was sent. */
  const exportRows = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!mayOpenEntries(userOf(request))) {
      sendApiError(reply, 'forbidden', OVERSIGHT_ONLY);
      return undefined;
    }
    const filter = await filterOf(request, reply, true);
    if (!filter) return undefined;
    const total = await reads.countAuditEntries(filter);
    if (total > AUDIT_EXPORT_MAX) {
      sendApiError(
        reply,
        'bad-request',
        `${total} entries match; an export holds at most ${AUDIT_EXPORT_MAX}: narrow it with from and to`,
      );
      return undefined;
    }
    const rows = await reads.listAuditEntries(
      filter,
      { limit: AUDIT_EXPORT_MAX, offset: 0, oldestFirst: true },
      true,
    );
    return { filter, rows };
  };

  app.get('/api/ledger/entries.csv', { config: { action: 'ledger.audit' } }, async (request, reply) => {
    const out = await exportRows(request, reply);
    if (!out) return reply;
    const partnerNames = new Map((await hub.state.partners.list()).map((p) => [p.id, p.name]));
    const header = ['index', 'time', 'kind', 'actor', 'partner', 'release_id', 'object_id', 'sentence'];
    const lines = [header.join(',')];
    for (const r of out.rows) lines.push(csvLine(r, partnerNames).map(csvField).join(','));
    return reply
      .type('text/csv; charset=utf-8')
      .header('Content-Disposition', 'attachment; filename="ledger-entries.csv"')
      .send(`${lines.join('\r\n')}\r\n`);
  });

  app.get('/api/ledger/entries.json', { config: { action: 'ledger.audit' } }, async (request, reply) => {
    const out = await exportRows(request, reply);
    if (!out) return reply;
    const loaded = ctx.services.ledgerSigner();
    if (!loaded.ok)
      return sendApiError(reply, 'conflict', `the ledger key is not available: ${loaded.message}`);
    const payload = {
      format: AUDIT_EXPORT_FORMAT,
      hub: hub.config.hub_name,
      exported_at: ctx.now().toISOString(),
      exported_by: userOf(request).name,
      filter: out.filter,
      ledger_size: await hub.ledgerService.size(),
      entries: out.rows.map(({ readable: _r, ...row }) => row),
    };
    // RFC 8785 JSON on one line (its strings escape line breaks); DEL, which JSON leaves as it is
    // but a signed note may not hold, is escaped too. The note is what the ledger key signs.
    const json = canonicalJson(payload);
    if (json === undefined) return sendApiError(reply, 'conflict', 'the export cannot be canonicalised');
    const signed = signNote(`${AUDIT_EXPORT_FORMAT}\n${json.replace(/\u007f/g, '\\u007f')}\n`, [
      loaded.signer,
    ]);
    if (!signed.ok) return sendApiError(reply, 'conflict', `the export cannot be signed: ${signed.message}`);
    return reply
      .type('application/json; charset=utf-8')
      .header('Content-Disposition', 'attachment; filename="ledger-entries.signed.json"')
      .send({
        format: AUDIT_EXPORT_FORMAT,
        verifier_key: formatVerifierKey(loaded.signer.name, loaded.signer.publicKey),
        how_to_verify:
          "open signed_note as a signed note (C2SP signed-note) with the hub's verifier key; its second line is the export as RFC 8785 JSON",
        signed_note: signed.note,
      });
  });
}

function csvLine(r: AuditRow, partnerNames: Map<string, string>): unknown[] {
  const e = r.entry;
  const text = (k: string) => (typeof e[k] === 'string' ? (e[k] as string) : '');
  const partner = text('partner');
  return [
    r.index,
    r.time,
    r.kind,
    r.actor ?? '',
    partner ? (partnerNames.get(partner) ?? partner) : '',
    text('release_id'),
    text('original_id'),
    r.sentence,
  ];
}
