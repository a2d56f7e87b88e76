import type { FastifyInstance } from 'fastify';
import { formatVerifierKey, parseVerifierKey } from '../ledger/ledger-note.js';
import type { ConsoleContext } from './api-context.js';
import { API_BODY_LIMIT, sendApiError } from './api-errors.js';

export function registerLedgerRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { hub } = ctx;
  const verifierKey = (): string | undefined => {
    const loaded = ctx.services.ledgerSigner();
    return loaded.ok ? formatVerifierKey(loaded.signer.name, loaded.signer.publicKey) : undefined;
  };

  app.get('/api/ledger', { config: { action: 'read' } }, async () => {
    const latest = await hub.ledgerService.latestCosigned();
    return {
      size: await hub.ledgerService.size(),
      verifier_key: verifierKey() ?? null,
      checkpoint: latest
        ? { size: latest.size, note: latest.note, signed_at: latest.signedAt, cosigned_by: latest.witnesses }
        : null,
      // The witnesses this hub pushes to, with the keys it has for them. A partner should take a
      // witness's key from the witness's operator, not from the hub it is checking.
      witnesses: ctx.services.witnesses().map((w) => ({ name: w.name, key: w.key, url: w.url })),
    };
  });

  // Reads only: overseers verify too. POST because it is work the server does on request.
  app.post(
    '/api/ledger/verify',
    { bodyLimit: API_BODY_LIMIT, config: { action: 'read' } },
    async (_request, reply) => {
      const key = verifierKey();
      if (!key) return sendApiError(reply, 'conflict', 'the hub has no ledger key; run tearline init');
      const verifier = parseVerifierKey(key);
      if (!verifier.ok) return sendApiError(reply, 'conflict', `ledger key: ${verifier.message}`);
      const audit = await hub.ledgerService.audit(verifier.verifier);
      return audit.ok
        ? { ok: true, entries: audit.entries, checkpoints: audit.checkpoints }
        : { ok: false, code: audit.code, message: audit.message };
    },
  );

  app.get('/api/ledger/receipt', { config: { action: 'read' } }, async (request, reply) => {
    const release = (request.query as { release?: string }).release;
    if (!release) return sendApiError(reply, 'bad-request', 'give ?release= a release id');
    const index = await hub.ledgerService.findRelease(release);
    if (index === undefined)
      return sendApiError(reply, 'not-found', `no ledger entry for release ${release}`);
    const r = await hub.ledgerService.receipt(index);
    if (!r.ok) return sendApiError(reply, 'conflict', r.message);
    return { index, receipt: JSON.parse(r.json) as unknown };
  });

  app.get('/api/disclosures.csv', { config: { action: 'read' } }, async (_request, reply) => {
    const rows = await hub.state.reads.listDisclosureRows();
    const header = [
      'release_id',
      'partner',
      'original_id',
      'original_version',
      'derived_id',
      'released_at',
      'visible_from',
      'approvals',
      'reasons',
      'ledger_index',
      'recalled_at',
      'recall_reason',
    ];
    const lines = [header.join(','), ...rows.map((r) => header.map((h) => csvField(r[h])).join(','))];
    return reply
      .type('text/csv; charset=utf-8')
      .header('Content-Disposition', 'attachment; filename="disclosures.csv"')
      .send(`${lines.join('\r\n')}\r\n`);
  });
}

/** RFC 4180 quoting; a leading =, +, - or @ is defused so spreadsheets do not run it as a formula. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n']/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
