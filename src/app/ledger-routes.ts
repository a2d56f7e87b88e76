import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseAuthorization } from '../taxii/taxii-auth.js';
import type { Hub } from './hub.js';
import { loadLedgerSigner, verifierKeyOf } from './ledger-key.js';

type Reader = { kind: 'partner'; partnerId: string } | { kind: 'overseer'; user: string };

const MAX_RANGE = 1000;
const NOT_FOUND = { code: 'not-found', message: 'no such receipt for this credential' };

/**
 * The ledger over HTTP, for those who check the hub without trusting it: a partner fetches the
 * receipts of its own releases; oversight and admin users read checkpoints, consistency proofs
 * and entry ranges. Credentials as for TAXII (Basic name:token or Bearer for partners; Basic
 * user:password for users).
 */
export function registerLedgerRoutes(app: FastifyInstance, hub: Hub): void {
  const { partners, users, releases } = hub.state;

  const authenticate = async (request: FastifyRequest): Promise<Reader | undefined> => {
    const creds = parseAuthorization(request.headers.authorization);
    if (creds.kind === 'bearer') {
      const id = await hub.state.partners.findIdByToken(creds.token);
      const p = await partners.authenticate(id ?? '\u0000unknown', creds.token);
      return p && { kind: 'partner', partnerId: p.id };
    }
    if (creds.kind !== 'basic') return undefined;
    const p = await partners.authenticate(creds.user, creds.secret);
    if (p) return { kind: 'partner', partnerId: p.id };
    const u = await users.authenticate(creds.user, creds.secret);
    return u && (u.role === 'oversight' || u.role === 'admin')
      ? { kind: 'overseer', user: u.name }
      : undefined;
  };

  const guard = async (request: FastifyRequest, reply: FastifyReply, overseerOnly: boolean) => {
    const who = await authenticate(request);
    if (!who) {
      reply
        .code(401)
        .header('WWW-Authenticate', 'Basic realm="tearline"')
        .send({ code: 'unauthenticated', message: 'send the credentials you use for TAXII' });
      return undefined;
    }
    if (overseerOnly && who.kind !== 'overseer') {
      reply.code(403).send({ code: 'forbidden', message: 'oversight or admin users only' });
      return undefined;
    }
    return who;
  };

  app.get('/ledger/key', async (_request, reply) => {
    const signer = loadLedgerSigner(hub.paths, hub.config.hub_name);
    if (!signer.ok)
      return reply.code(503).send({ code: 'no-key', message: 'the ledger key is not available' });
    return reply.type('text/plain').send(`${verifierKeyOf(signer.signer)}\n`);
  });

  app.get('/ledger/checkpoint', async (request, reply) => {
    if (!(await guard(request, reply, false))) return reply;
    // The latest checkpoint with the cosignature of every configured witness that has cosigned it.
    const latest = await hub.ledgerService.latestCosigned();
    if (!latest)
      return reply.code(404).send({ code: 'no-checkpoint', message: 'nothing has been signed yet' });
    return reply.type('text/plain').send(latest.note);
  });

  app.get<{ Params: { releaseId: string } }>('/ledger/receipts/:releaseId', async (request, reply) => {
    const who = await guard(request, reply, false);
    if (!who) return reply;
    const record = await releases.record(request.params.releaseId);
    const partnerId = who.kind === 'partner' ? who.partnerId : record?.partner_id;
    if (!partnerId) return reply.code(404).send(NOT_FOUND);
    const r = await hub.ledgerService.receiptForPartner(request.params.releaseId, partnerId);
    return r.ok ? reply.type('application/json').send(r.json) : reply.code(404).send(NOT_FOUND);
  });

  app.get<{ Querystring: { object?: string } }>('/ledger/receipts', async (request, reply) => {
    const who = await guard(request, reply, false);
    if (!who) return reply;
    if (who.kind !== 'partner')
      return reply.code(400).send({ code: 'partner-only', message: 'list receipts as a partner' });
    const object = request.query.object;
    if (typeof object !== 'string' || object.length > 200) {
      return reply.code(400).send({ code: 'bad-query', message: 'give ?object=<the id you received>' });
    }
    const ids = (
      await hub.sql.all<{ release_id: string }>(
        'SELECT release_id FROM release_records WHERE partner_id = ? AND derived_id = ? ORDER BY released_at',
        [who.partnerId, object],
      )
    ).map((r) => r.release_id);
    const receipts: { release_id: string; receipt: unknown }[] = [];
    for (const id of ids) {
      const r = await hub.ledgerService.receiptForPartner(id, who.partnerId);
      if (r.ok) receipts.push({ release_id: id, receipt: JSON.parse(r.json) as unknown });
    }
    return reply.send({ receipts });
  });

  app.get<{ Querystring: { from?: string; to?: string } }>('/ledger/consistency', async (request, reply) => {
    if (!(await guard(request, reply, true))) return reply;
    const from = Number(request.query.from);
    const to = Number(request.query.to);
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 1 || to < from) {
      return reply.code(400).send({
        code: 'bad-query',
        message: 'give ?from=SIZE&to=SIZE, two checkpoint sizes with from <= to',
      });
    }
    const r = await hub.ledgerService.consistency(from, to);
    return r.ok
      ? reply.type('application/json').send(r.json)
      : reply.code(404).send({ code: r.code, message: r.message });
  });

  app.get<{ Querystring: { start?: string; end?: string } }>('/ledger/entries', async (request, reply) => {
    if (!(await guard(request, reply, true))) return reply;
    const start = Number(request.query.start ?? 0);
    const end = Number(request.query.end ?? start + MAX_RANGE);
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
      return reply
        .code(400)
        .send({ code: 'bad-query', message: 'give ?start=N&end=M with 0 <= start <= end' });
    }
    const rows = await hub.ledgerService.readEntries(start, Math.min(end, start + MAX_RANGE));
    // One entry per line, exactly its bytes (as `tearline ledger export`).
    return reply
      .type('application/jsonl')
      .send(rows.map((r) => r.bytes.toString('utf8')).join('\n') + (rows.length ? '\n' : ''));
  });
}
