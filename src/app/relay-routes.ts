import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseVerifierKey } from '../ledger/ledger-note.js';
import {
  envelopeDigest,
  parseSealedEnvelope,
  type SealedEnvelope,
  signingBytes,
} from '../relay/relay-envelope.js';
import type { Mailbox, RelayMailStore } from '../store/hub/relay-mail-store.js';
import { parseAuthorization } from '../taxii/taxii-auth.js';
import { parseEnvelope } from '../taxii/taxii-envelope.js';
import { notFound, TaxiiError } from '../taxii/taxii-errors.js';
import { acceptsTaxii, isTaxiiContentType, STIX_MEDIA_TYPE, TAXII_MEDIA_TYPE } from '../taxii/taxii-media.js';
import type { TokenBuckets } from '../taxii/taxii-rate-limit.js';

/** What the relay's routes need; the composition (relay-server.ts) fills it from a data dir. */
export interface RelayRouteDeps {
  title: string;
  mail: RelayMailStore;
  limiter: TokenBuckets;
  now(): Date;
  /** The relay ledger's public key, its latest checkpoint, and a receipt for one entry. */
  ledgerKey(): string | undefined;
  checkpoint(): Promise<string | undefined>;
  receipt(index: number): Promise<string | undefined>;
  failedLoginDelayMs: number;
  limits: RelayLimits;
}

export interface RelayLimits {
  maxContentLength: number;
  /** Envelopes per POST and per page. */
  maxEnvelopes: number;
}

export const DEFAULT_RELAY_LIMITS: RelayLimits = { maxContentLength: 10 * 1024 * 1024, maxEnvelopes: 100 };

const API_ROOT = '/taxii2/relay/';
const GET_PARAMS = new Set(['limit', 'next', 'after_sequence']);

declare module 'fastify' {
  interface FastifyRequest {
    relayHub?: string;
  }
}

function send(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply
    .code(status)
    .header('Content-Type', TAXII_MEDIA_TYPE)
    .send(Buffer.from(JSON.stringify(body)));
}

function sendError(reply: FastifyReply, e: TaxiiError): FastifyReply {
  if (e.code === 'unauthenticated') reply.header('WWW-Authenticate', 'Bearer realm="tearline-relay"');
  return send(reply, e.status, e.toBody());
}

function collectionOf(m: Mailbox, hub: string) {
  return {
    id: m.id,
    title: `${m.sender} to ${m.recipient}`,
    description: 'sealed envelopes: the relay holds them and cannot read them',
    can_read: m.recipient === hub,
    can_write: m.sender === hub,
    media_types: [STIX_MEDIA_TYPE],
  };
}

export function registerRelayRoutes(app: FastifyInstance, deps: RelayRouteDeps): void {
  // Bodies arrive as bytes (decoding here would replace invalid UTF-8 unseen) and are parsed once,
  // by the hub's strict reader (the relay then stores envelopes opaquely).
  app.addContentTypeParser(
    ['application/taxii+json', 'application/stix+json', 'application/json'],
    { parseAs: 'buffer', bodyLimit: deps.limits.maxContentLength },
    (_req, body, done) => done(null, body),
  );
  // The gate before every route: Accept (406), a registered hub's bearer token (401, failed
  // attempts delayed), then the hub's rate (429). Nothing but the key is answered without a token.
  app.addHook('preHandler', async (request, reply) => {
    if (request.url === '/relay/key') return;
    if (request.url.startsWith('/taxii2') && !acceptsTaxii(request.headers.accept))
      return sendError(reply, new TaxiiError('not-acceptable', `send Accept: ${TAXII_MEDIA_TYPE}`));
    const creds = parseAuthorization(request.headers.authorization);
    const hub = creds.kind === 'bearer' ? await deps.mail.authenticate(creds.token) : undefined;
    if (!hub) {
      const limited = deps.limiter.take(`ip:${request.ip}`);
      if (!limited.ok) {
        reply.header('Retry-After', String(limited.retryAfterSeconds));
        return sendError(
          reply,
          new TaxiiError('too-many-requests', 'too many failed attempts from this address'),
        );
      }
      if (creds.kind !== 'none') await new Promise((r) => setTimeout(r, deps.failedLoginDelayMs));
      return sendError(
        reply,
        new TaxiiError('unauthenticated', "send Authorization: Bearer with this hub's relay token"),
      );
    }
    const rate = deps.limiter.take(`hub:${hub}`);
    if (!rate.ok) {
      reply.header('Retry-After', String(rate.retryAfterSeconds));
      return sendError(
        reply,
        new TaxiiError('too-many-requests', 'over this hub’s request rate; retry later'),
      );
    }
    request.relayHub = hub;
  });

  const hubOf = (request: FastifyRequest) => request.relayHub as string;

  app.get('/taxii2/', async (_request, reply) =>
    send(reply, 200, { title: deps.title, default: API_ROOT, api_roots: [API_ROOT] }),
  );
  app.get('/taxii2/relay/', async (_request, reply) =>
    send(reply, 200, {
      title: deps.title,
      versions: [TAXII_MEDIA_TYPE],
      max_content_length: deps.limits.maxContentLength,
    }),
  );
  app.get('/taxii2/relay/collections/', async (request, reply) => {
    const hub = hubOf(request);
    const boxes = await deps.mail.mailboxesOf(hub);
    return send(reply, 200, { collections: boxes.map((m) => collectionOf(m, hub)) });
  });

  /** A mailbox the hub is party to, or the one 404 for everything else. */
  const mailboxFor = async (request: FastifyRequest<{ Params: { id: string } }>): Promise<Mailbox> => {
    const hub = hubOf(request);
    const m = request.params.id.length <= 64 ? await deps.mail.mailbox(request.params.id) : undefined;
    if (!m || (m.sender !== hub && m.recipient !== hub)) throw notFound();
    return m;
  };

  app.get<{ Params: { id: string } }>('/taxii2/relay/collections/:id/', async (request, reply) =>
    send(reply, 200, collectionOf(await mailboxFor(request), hubOf(request))),
  );

  app.get<{ Params: { id: string }; Querystring: Record<string, string | string[]> }>(
    '/taxii2/relay/collections/:id/objects/',
    async (request, reply) => {
      const m = await mailboxFor(request);
      if (m.recipient !== hubOf(request))
        throw new TaxiiError(
          'forbidden',
          'only the recipient reads a mailbox; the sender may fetch receipts',
        );
      const q = request.query;
      const unknown = Object.keys(q).filter((k) => !GET_PARAMS.has(k));
      if (unknown.length > 0)
        throw new TaxiiError(
          'bad-request',
          `unknown parameter ${unknown[0]}: use limit, next or after_sequence`,
        );
      const limit = q.limit === undefined ? deps.limits.maxEnvelopes : Number(q.limit);
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > deps.limits.maxEnvelopes)
        throw new TaxiiError(
          'bad-request',
          `limit must be a whole number from 1 to ${deps.limits.maxEnvelopes}`,
        );
      const after = q.next === undefined ? 0 : Number(q.next);
      if (typeof q.next !== 'undefined' && (typeof q.next !== 'string' || !/^\d{1,15}$/.test(q.next)))
        throw new TaxiiError('bad-request', 'next must be the token a previous page gave');
      // The recipient's cursor: it asks only for what follows the last envelope it took, so a
      // pull costs what is new, not the whole mailbox (sequences rise with position here).
      const since = q.after_sequence;
      if (since !== undefined && (typeof since !== 'string' || !/^\d{1,15}$/.test(since)))
        throw new TaxiiError(
          'bad-request',
          'after_sequence must be a whole number (the last sequence taken)',
        );
      const page = await deps.mail.page(m.id, after, limit, since === undefined ? 0 : Number(since));
      await deps.mail.markDelivered(m, page.rows, deps.now());
      const last = page.rows.at(-1);
      // Each stored body is the JSON.stringify of an envelope this relay parsed and checked: it is
      // spliced in as it is, not parsed and serialised again per page.
      const head = JSON.stringify({ more: page.more, ...(page.more && last && { next: String(last.pos) }) });
      return reply
        .code(200)
        .header('Content-Type', TAXII_MEDIA_TYPE)
        .send(Buffer.from(`${head.slice(0, -1)},"objects":[${page.rows.map((r) => r.body).join(',')}]}`));
    },
  );

  app.post<{ Params: { id: string } }>('/taxii2/relay/collections/:id/objects/', async (request, reply) => {
    const m = await mailboxFor(request);
    const hub = hubOf(request);
    if (m.sender !== hub) throw new TaxiiError('forbidden', 'only the sender writes to a mailbox');
    if (!isTaxiiContentType(request.headers['content-type']))
      throw new TaxiiError('unsupported-media-type', `send Content-Type: ${TAXII_MEDIA_TYPE}`);
    if (!Buffer.isBuffer(request.body))
      throw new TaxiiError('bad-request', 'the body must be a TAXII envelope');
    // The hub's one JSON reading (UTF-8, I-JSON: no duplicate names, nesting checked first,
    // errors by position): a few hundred microseconds on an envelope, against milliseconds of HPKE.
    const objects = parseEnvelope(request.body, { maxDepth: 8, maxObjects: deps.limits.maxEnvelopes });
    if (objects.length === 0)
      throw new TaxiiError('bad-request', 'objects must hold at least one sealed envelope');
    const keyText = await deps.mail.verifierKeyOf(hub);
    const key = keyText ? parseVerifierKey(keyText) : undefined;
    if (!key?.ok) throw new TaxiiError('internal', 'this hub has no usable key on the relay');
    const successes: unknown[] = [];
    const failures: unknown[] = [];
    const fail = (i: number, value: unknown, message: string) =>
      failures.push({ index: i, id: (value as { id?: unknown })?.id ?? null, message });
    const checked: { i: number; envelope: SealedEnvelope; digest: string; body: string }[] = [];
    for (const [i, value] of objects.entries()) {
      const parsed = parseSealedEnvelope(value, `objects[${i}]`);
      if (!parsed.ok) {
        fail(i, value, parsed.message);
        continue;
      }
      const e = parsed.envelope;
      if (e.sender !== m.sender || e.recipient !== m.recipient) {
        fail(
          i,
          value,
          `objects[${i}]: sender and recipient must be ${m.sender} and ${m.recipient} in this mailbox`,
        );
        continue;
      }
      if (!key.verifier.verify(signingBytes(e), Buffer.from(e.signature, 'base64'))) {
        fail(i, value, `objects[${i}]: the signature does not verify with ${hub}'s registered key`);
        continue;
      }
      checked.push({ i, envelope: e, digest: envelopeDigest(e), body: JSON.stringify(e) });
    }
    // The post's envelopes that passed every check, taken in one transaction, in order.
    const outcomes = await deps.mail.acceptAll(m, checked, deps.now());
    for (const [k, c] of checked.entries()) {
      const outcome = outcomes[k];
      if (!outcome?.ok) fail(c.i, c.envelope, `objects[${c.i}]: ${outcome?.message ?? 'not taken'}`);
      else
        successes.push({
          index: c.i,
          id: c.envelope.id,
          version: c.envelope.modified,
          message: `relay ledger index ${outcome.ledgerIndex}`,
        });
    }
    // In the order posted, as before, without the index used to sort them.
    const inOrder = (xs: unknown[]) =>
      (xs as { index: number }[]).sort((a, b) => a.index - b.index).map(({ index: _i, ...rest }) => rest);
    successes.splice(0, successes.length, ...inOrder(successes));
    failures.splice(0, failures.length, ...inOrder(failures));
    return send(reply, 202, {
      id: crypto.randomUUID(),
      status: 'complete',
      total_count: objects.length,
      success_count: successes.length,
      successes,
      failure_count: failures.length,
      failures,
      pending_count: 0,
    });
  });

  app.get('/relay/key', async (_request, reply) => {
    const key = deps.ledgerKey();
    if (!key)
      return reply.code(503).send({ code: 'no-key', message: 'the relay ledger key is not available' });
    return reply.type('text/plain').send(`${key}\n`);
  });

  app.get('/relay/checkpoint', async (_request, reply) => {
    const note = await deps.checkpoint();
    if (!note) return reply.code(404).send({ code: 'no-checkpoint', message: 'nothing has been signed yet' });
    return reply.type('text/plain').send(note);
  });

  // Receipts for one envelope: that the relay took it (sender and recipient may ask) and, once
  // served, that it delivered it. Both are inclusion proofs in the relay's signed ledger.
  app.get<{ Params: { id: string; envelope: string } }>(
    '/relay/mailboxes/:id/receipts/:envelope',
    async (request, reply) => {
      const m = await mailboxFor(request);
      const e =
        request.params.envelope.length <= 100
          ? await deps.mail.envelope(m.id, request.params.envelope)
          : undefined;
      if (!e) throw notFound();
      const row = (await deps.mail.status(m.id)).find((s) => s.envelope_id === e.envelopeId);
      const accepted = await deps.receipt(e.ledgerIndex);
      const delivered = row?.delivery_index != null ? await deps.receipt(row.delivery_index) : undefined;
      return reply.type('application/json').send({
        envelope_id: e.envelopeId,
        sequence: e.sequence,
        digest: e.digest,
        delivered_at: e.deliveredAt,
        accepted: accepted ? (JSON.parse(accepted) as unknown) : null,
        delivered: delivered ? (JSON.parse(delivered) as unknown) : null,
      });
    },
  );

  app.get<{ Params: { id: string } }>('/relay/mailboxes/:id/status', async (request, reply) => {
    const m = await mailboxFor(request);
    return reply.type('application/json').send({ mailbox: m.id, envelopes: await deps.mail.status(m.id) });
  });

  app.setErrorHandler((err, _request, reply) => {
    if (err instanceof TaxiiError) return sendError(reply, err);
    const status = (err as { statusCode?: number }).statusCode;
    if (status === 413)
      return sendError(
        reply,
        new TaxiiError('payload-too-large', `the body is over ${deps.limits.maxContentLength} bytes`),
      );
    if (status === 415)
      return sendError(
        reply,
        new TaxiiError('unsupported-media-type', `send Content-Type: ${TAXII_MEDIA_TYPE}`),
      );
    if (status !== undefined && status >= 400 && status < 500)
      return sendError(reply, new TaxiiError('bad-request', 'the request body is not valid JSON'));
    app.log.error({ err: (err as Error).message }, 'relay request failed');
    return sendError(reply, new TaxiiError('internal', 'the relay could not answer this request'));
  });
  app.setNotFoundHandler((_request, reply) => sendError(reply, notFound()));
}
