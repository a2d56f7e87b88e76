import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { mayDo, type Role } from '../access/access-roles.js';
import { formatOpenedLine } from '../ledger/ledger-export.js';
import { type PresentedCredentials, parseAuthorization } from '../taxii/taxii-auth.js';
import type { Principal } from '../taxii/taxii-ports.js';
import type { CredentialCheck } from '../taxii/taxii-request.js';
import type { Hub } from './hub.js';
import { loadLedgerSigner, verifierKeyOf } from './ledger-key.js';

type Reader =
  | { kind: 'partner'; partnerId: string }
  | { kind: 'overseer'; user: string; role: Role }
  | { kind: 'reader'; user: string };

const MAX_RANGE = 1000;
const NOT_FOUND = { code: 'not-found', message: 'no such receipt for this credential' };

/**
 * The ledger over HTTP, for those who check the hub without trusting it: a partner fetches the
 * receipts of its own visible releases (public parts only) and checkpoints; oversight and admin
 * users read consistency proofs and entry ranges; oversight users alone may ask for the
 * openings (salts and private parts) with ?private=true. Credentials as for TAXII (Basic
 * name:token or Bearer for partners; Basic user:password for users).
 */
export interface LedgerAuth {
  /** A credential proven within the cache's TTL (and no credential change since). */
  peek(creds: PresentedCredentials): Promise<Principal | undefined>;
  /** A full check through the hub's sign-in throttle. */
  check(creds: PresentedCredentials, address: string): Promise<CredentialCheck>;
}

export function registerLedgerRoutes(app: FastifyInstance, hub: Hub, auth: LedgerAuth): void {
  const { releases } = hub.state;

  /** The reader, a refusal to send (throttled or locked), or undefined for no/bad credentials. */
  const authenticate = async (
    request: FastifyRequest,
  ): Promise<Reader | Exclude<CredentialCheck, { ok: true }> | undefined> => {
    const creds = parseAuthorization(request.headers.authorization);
    if (creds.kind !== 'basic' && creds.kind !== 'bearer') return undefined;
    let p = await auth.peek(creds);
    if (!p) {
      const checked = await auth.check(creds, request.ip);
      if (!checked.ok) return checked.code === 'failed' ? undefined : checked;
      p = checked.principal;
    }
    if (p.kind === 'partner') return { kind: 'partner', partnerId: p.partnerId };
    return mayDo(p.role as Role, 'ledger.audit')
      ? { kind: 'overseer', user: p.user, role: p.role as Role }
      : { kind: 'reader', user: p.user };
  };

  const guard = async (request: FastifyRequest, reply: FastifyReply, overseerOnly: boolean) => {
    const who = await authenticate(request);
    if (who && 'ok' in who) {
      reply
        .code(429)
        .header('Retry-After', String(who.retryAfterSeconds ?? 60))
        .send({ code: 'too-many-attempts', message: who.message });
      return undefined;
    }
    if (!who) {
      reply
        .code(401)
        .header('WWW-Authenticate', 'Basic realm="tearline"')
        .send({ code: 'unauthenticated', message: 'send the credentials you use for TAXII' });
      return undefined;
    }
    if (who.kind === 'reader' || (overseerOnly && who.kind !== 'overseer')) {
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

  // A partner's receipts exist only for its releases it can already see: one still under
  // embargo answers as a missing one does (its time and digest would announce it early).
  const receiptFor = async (who: Reader, releaseId: string) => {
    if (who.kind === 'overseer') {
      // Overseers may see every entry whole: older (version 1) receipts too.
      const index = await hub.ledgerService.findRelease(releaseId);
      return index === undefined ? undefined : hub.ledgerService.receipt(index);
    }
    if (who.kind !== 'partner') return undefined;
    const record = await releases.record(releaseId);
    const now = hub.clock.now().toISOString();
    if (!record || record.partner_id !== who.partnerId || record.visible_from > now) return undefined;
    return hub.ledgerService.receiptForPartner(releaseId, who.partnerId);
  };

  app.get<{ Params: { releaseId: string } }>('/ledger/receipts/:releaseId', async (request, reply) => {
    const who = await guard(request, reply, false);
    if (!who) return reply;
    const r = await receiptFor(who, request.params.releaseId);
    if (r?.ok) return reply.type('application/json').send(r.json);
    if (r?.code === 'predates-commitments') return reply.code(404).send({ code: r.code, message: r.message });
    if (r?.code === 'not-checkpointed') {
      return reply.code(409).send({
        code: 'not-yet-checkpointed',
        message: `recorded, but not yet under a signed checkpoint: checkpoints are signed every ${hub.config.ledger_checkpoint_seconds} s; ask again after the next`,
      });
    }
    return reply.code(404).send(NOT_FOUND);
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
        'SELECT release_id FROM release_records WHERE partner_id = ? AND derived_id = ? AND visible_from <= ? ORDER BY released_at',
        [who.partnerId, object, hub.clock.now().toISOString()],
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

  app.get<{ Querystring: { start?: string; end?: string; private?: string } }>(
    '/ledger/entries',
    async (request, reply) => {
      const who = await guard(request, reply, true);
      if (!who) return reply;
      const start = Number(request.query.start ?? 0);
      const end = Number(request.query.end ?? start + MAX_RANGE);
      const openings = request.query.private;
      if (
        !Number.isSafeInteger(start) ||
        !Number.isSafeInteger(end) ||
        start < 0 ||
        end < start ||
        (openings !== undefined && openings !== 'true' && openings !== 'false')
      ) {
        return reply.code(400).send({
          code: 'bad-query',
          message: 'give ?start=N&end=M with 0 <= start <= end, and optionally private=true',
        });
      }
      // The openings name officers, internal ids and reasons: for the oversight role only.
      if (openings === 'true' && (who.kind !== 'overseer' || who.role !== 'oversight')) {
        return reply
          .code(403)
          .send({ code: 'forbidden', message: 'private parts are for oversight users only' });
      }
      const rows = await hub.ledgerService.readEntries(start, Math.min(end, start + MAX_RANGE));
      // One entry per line: exactly its leaf (as `tearline ledger export`), or with its opening.
      const lines = rows.map((r) =>
        openings === 'true' ? formatOpenedLine(r.index, r.bytes, r.opening) : r.bytes.toString('utf8'),
      );
      return reply.type('application/jsonl').send(lines.join('\n') + (rows.length ? '\n' : ''));
    },
  );
}
