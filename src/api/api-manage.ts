import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { diffAgreements, formatAgreementChanges } from '../policy/agreement-diff.js';
import { AGREEMENT_MAX_BYTES, formatAgreementErrors, parseAgreement } from '../policy/agreement-parse.js';
import { runReleasePipeline } from '../release/release-pipeline.js';
import { recallRelease } from '../release/release-recall.js';
import type { JsonValue } from '../stix/types.js';
import { userOf } from './api-auth.js';
import { type ChangeBody, enabledChangeOf, partnerFromPath, reasonOf } from './api-change-body.js';
import type { ConsoleContext } from './api-context.js';
import { API_BODY_LIMIT, sendApiError } from './api-errors.js';

type Body = ChangeBody;
const AGREEMENT_BODY_LIMIT = AGREEMENT_MAX_BYTES * 2;

/**
 * Partners and their agreements from the console, as `tearline partner` and `agreement` do them:
 * the same stores, so every change has its history row and ledger entry with who and why.
 */
export function registerManageRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { hub } = ctx;
  const { partners, agreements, conditions } = hub.state;
  const now = () => hub.clock.now();
  const change = (request: FastifyRequest) => ({ actor: userOf(request).name, now: now() });
  const partnerOf = partnerFromPath(partners);

  app.post(
    '/api/partners',
    { bodyLimit: API_BODY_LIMIT, config: { action: 'partner.manage' } },
    async (request, reply) => {
      const body = request.body as Body;
      const text = (k: string) =>
        typeof body?.[k] === 'string' && body[k] !== '' ? (body[k] as string) : undefined;
      const name = text('name');
      const country = text('country');
      const description = text('description');
      if (!name) return sendApiError(reply, 'bad-request', 'name: give the partner a name');
      if (description !== undefined && description.length > 2000)
        return sendApiError(reply, 'bad-request', 'description: at most 2000 characters');
      const r = await partners.add(
        { name, ...(country && { country }), ...(description && { description }) },
        { ...change(request), randomBytes: (n) => randomBytes(n) },
      );
      if (!r.ok)
        return sendApiError(reply, r.code === 'partner-exists' ? 'conflict' : 'bad-request', r.message);
      return { partner: { id: r.partner.id, name: r.partner.name }, token: r.token };
    },
  );

  app.post(
    '/api/partners/:id/enabled',
    { bodyLimit: API_BODY_LIMIT, config: { action: 'partner.manage' } },
    async (request, reply) => {
      const p = await partnerOf(request, reply);
      if (!p) return reply;
      const c = enabledChangeOf(request, reply);
      if (!c) return reply;
      await partners.setEnabled(p.id, c.enabled, c.reason, change(request));
      return { id: p.id, name: p.name, enabled: c.enabled };
    },
  );

  app.post(
    '/api/partners/:id/token',
    { bodyLimit: API_BODY_LIMIT, config: { action: 'partner.manage' } },
    async (request, reply) => {
      const reason = reasonOf(request.body as Body);
      if (!reason) return sendApiError(reply, 'bad-request', 'send {"reason": "why, 1-2000 characters"}');
      const p = await partnerOf(request, reply);
      if (!p) return reply;
      const r = await partners.rotateToken(
        p.id,
        { ...change(request), randomBytes: (n) => randomBytes(n) },
        reason,
      );
      return r.ok ? { id: p.id, name: p.name, token: r.token } : sendApiError(reply, 'not-found', r.message);
    },
  );

  app.get('/api/partners/:id/history', { config: { action: 'read' } }, async (request, reply) => {
    const p = await partnerOf(request, reply);
    if (!p) return reply;
    const rows: { at: string; actor: string; what: string; why: string | null }[] = [];
    for (const e of await partners.events(p.id))
      rows.push({
        at: e.at,
        actor: e.actor,
        what: `partner ${e.action}`,
        why: typeof e.detail.reason === 'string' ? e.detail.reason : null,
      });
    for (const e of await conditions.list(p.id))
      rows.push({
        at: e.at,
        actor: e.actor,
        what: `${e.kind} ${e.condition_id} ${e.action}`,
        why: e.reason ?? null,
      });
    for (const v of await agreements.list(p.id))
      rows.push({ at: v.set_at, actor: v.actor, what: `agreement version ${v.version}`, why: v.reason });
    return rows.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  });

  app.post(
    '/api/agreements/check',
    { bodyLimit: AGREEMENT_BODY_LIMIT, config: { action: 'read' } },
    async (request, reply) => {
      const body = request.body as Body;
      if (typeof body?.text !== 'string')
        return sendApiError(reply, 'bad-request', 'send {"text": "the agreement, YAML or JSON"}');
      const r = parseAgreement(body.text);
      // The same errors, line and field, as `tearline agreement check FILE`.
      return r.ok
        ? { ok: true, agreement: r.agreement }
        : { ok: false, errors: r.errors, text: formatAgreementErrors('agreement', r.errors) };
    },
  );

  app.get('/api/partners/:id/agreements', { config: { action: 'read' } }, async (request, reply) => {
    const p = await partnerOf(request, reply);
    if (!p) return reply;
    return (await agreements.list(p.id)).map((v) => ({
      version: v.version,
      set_at: v.set_at,
      actor: v.actor,
      reason: v.reason,
      format: v.format,
      raw: v.raw_text,
    }));
  });

  app.get('/api/partners/:id/agreements/diff', { config: { action: 'read' } }, async (request, reply) => {
    const p = await partnerOf(request, reply);
    if (!p) return reply;
    const q = request.query as { from?: string; to?: string };
    const [a, b] = [Number(q.from), Number(q.to)];
    const va = Number.isSafeInteger(a) ? await agreements.get(p.id, a) : undefined;
    const vb = Number.isSafeInteger(b) ? await agreements.get(p.id, b) : undefined;
    if (!va || !vb)
      return sendApiError(
        reply,
        'bad-request',
        'give ?from=VERSION&to=VERSION, two versions of this agreement',
      );
    const changes = diffAgreements(va.body as unknown as JsonValue, vb.body as unknown as JsonValue);
    return { from: a, to: b, changes, text: formatAgreementChanges(changes) };
  });

  app.post(
    '/api/partners/:id/agreement',
    { bodyLimit: AGREEMENT_BODY_LIMIT, config: { action: 'agreement.set' } },
    async (request, reply) => {
      const p = await partnerOf(request, reply);
      if (!p) return reply;
      const body = request.body as Body;
      const reason = reasonOf(body);
      if (typeof body?.text !== 'string' || !reason)
        return sendApiError(
          reply,
          'bad-request',
          'send {"text": "the agreement, YAML or JSON", "reason": "why, 1-2000 characters"}',
        );
      const r = await agreements.set(p.id, body.text, { ...change(request), reason });
      if (!r.ok) {
        return reply.code(400).send({
          code: 'bad-request',
          message: formatAgreementErrors('agreement', r.errors),
          errors: r.errors,
        });
      }
      return { version: r.version, unchanged: r.unchanged };
    },
  );

  app.post(
    '/api/partners/:id/recall',
    { bodyLimit: API_BODY_LIMIT, config: { action: 'release.recall' } },
    async (request, reply) => {
      const p = await partnerOf(request, reply);
      if (!p) return reply;
      const body = request.body as Body;
      const reason = reasonOf(body);
      if (typeof body?.object_id !== 'string' || body.object_id.length > 200 || !reason)
        return sendApiError(
          reply,
          'bad-request',
          'send {"object_id": "the hub id", "reason": "why, 1-2000 characters"}',
        );
      const r = await recallRelease(
        ctx.services.releaseStores(),
        p.id,
        body.object_id,
        reason,
        userOf(request).name,
        now(),
      );
      if (!r.ok) return sendApiError(reply, 'conflict', r.message);
      await hub.checkpointIfDue();
      return { recalled: r.recalled };
    },
  );

  app.post(
    '/api/release/run',
    { bodyLimit: API_BODY_LIMIT, config: { action: 'release.run' } },
    async (request, reply) => {
      const worker = ctx.passes?.();
      if (worker) {
        // serve: the pass runs on the worker's thread, as the worker's own do.
        const done = await worker.runNow();
        if (!done.ran)
          return sendApiError(reply, 'conflict', 'another release pass is running; try again in a moment');
        return done.totals;
      }
      const report = await runReleasePipeline(ctx.services.releaseStores(), {
        now: now(),
        actor: userOf(request).name,
        hubSecret: ctx.services.hubSecret(),
      });
      await hub.checkpointIfDue();
      return report.totals;
    },
  );
}
