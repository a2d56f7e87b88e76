import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Action } from '../access/access-roles.js';
import type { AssuranceSpec } from '../policy/agreement-types.js';
import { deriveFacts } from '../policy/condition-replay.js';
import type { AssuranceAttestation } from '../store/hub/condition-events.js';
import type { Partner } from '../store/hub/partner-store.js';
import { userOf } from './api-auth.js';
import { type ChangeBody, partnerFromPath, reasonOf } from './api-change-body.js';
import type { ConsoleContext } from './api-context.js';
import { API_BODY_LIMIT, sendApiError } from './api-errors.js';

type Body = ChangeBody;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** The attestation in a request, or the message naming the field to fix (as `condition attest`). */
export function readAttestationBody(body: Body): AssuranceAttestation | string {
  const out: AssuranceAttestation = {};
  const text = (k: string) =>
    typeof body?.[k] === 'string' && (body[k] as string).trim() !== ''
      ? (body[k] as string).trim()
      : undefined;
  const issuer = text('issuer');
  if (issuer !== undefined) {
    if (issuer.length > 1000) return 'issuer: at most 1000 characters';
    out.issuer = issuer;
  }
  const grade = text('grade');
  if (grade !== undefined) {
    if (!/^[A-F][1-6]$/.test(grade))
      return `grade "${grade}" must be an Admiralty grade: source A-F then information 1-6, e.g. B2`;
    out.grade = grade;
  }
  const evidence = body?.evidence;
  if (evidence !== undefined) {
    if (
      !Array.isArray(evidence) ||
      evidence.length > 50 ||
      !evidence.every((e) => typeof e === 'string' && e.length > 0 && e.length <= 1000)
    )
      return 'evidence: a list of 1-50 references of 1-1000 characters each';
    if (evidence.length > 0) out.evidence = evidence as string[];
  }
  for (const k of ['valid_from', 'valid_until', 'review_due'] as const) {
    const v = text(k);
    if (v === undefined) continue;
    if (!RFC3339.test(v) || Number.isNaN(Date.parse(v)))
      return `${k} "${v}" must be a time such as 2026-12-31T00:00:00Z`;
    out[k] = new Date(v).toISOString();
  }
  if (out.valid_from && out.valid_until && out.valid_from >= out.valid_until)
    return 'valid_until must be later than valid_from';
  return out;
}

/** Assurances, reviews and breach reports from the console, as `tearline condition` and `breach`. */
export function registerConditionRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { partners, agreements, conditions } = ctx.hub.state;
  const change = (request: FastifyRequest) => ({ actor: userOf(request).name, now: ctx.hub.clock.now() });
  const partnerOf = partnerFromPath(partners);
  const assuranceOf = async (p: Partner, id: string): Promise<AssuranceSpec | string> => {
    const latest = await agreements.latest(p.id);
    const list = (latest?.body.conditions ?? []).filter((c): c is AssuranceSpec => c.kind === 'assurance');
    return (
      list.find((c) => c.id === id) ??
      `the agreement of ${p.name} has no assurance "${id}" (assurances: ${list.map((c) => c.id).join(', ') || 'none'})`
    );
  };

  /**
   * A POST that changes one partner's conditions: the partner must exist and, when `why` says
   * what the reason is for, the body must give one; `handle` gets the partner and the reason.
   */
  const postChange = (
    path: string,
    action: Action,
    why: string | undefined,
    handle: (p: Partner, reason: string, request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
  ) =>
    app.post(path, { bodyLimit: API_BODY_LIMIT, config: { action } }, async (request, reply) => {
      const p = await partnerOf(request, reply);
      if (!p) return reply;
      const reason = reasonOf(request.body as Body);
      if (why !== undefined && !reason)
        return sendApiError(reply, 'bad-request', `reason: ${why}, in 1-2000 characters`);
      return handle(p, reason ?? '', request, reply);
    });

  postChange(
    '/api/partners/:id/conditions/:cid/attest',
    'condition.attest',
    undefined,
    async (p, _, request, reply) => {
      const cid = (request.params as { cid: string }).cid;
      if (cid === 'review') {
        const raw = (request.body as Body)?.note;
        const note = typeof raw === 'string' ? raw.slice(0, 2000) : undefined;
        return { event: await conditions.recordReview(p.id, note, change(request)) };
      }
      const spec = await assuranceOf(p, cid);
      if (typeof spec === 'string') return sendApiError(reply, 'not-found', spec);
      const attestation = readAttestationBody(request.body as Body);
      if (typeof attestation === 'string') return sendApiError(reply, 'bad-request', attestation);
      return { event: await conditions.attestAssurance(p.id, spec.id, attestation, change(request)) };
    },
  );

  postChange(
    '/api/partners/:id/conditions/:cid/revoke',
    'condition.attest',
    'say why',
    async (p, reason, request, reply) => {
      const spec = await assuranceOf(p, (request.params as { cid: string }).cid);
      if (typeof spec === 'string') return sendApiError(reply, 'not-found', spec);
      return { event: await conditions.revokeAssurance(p.id, spec.id, reason, change(request)) };
    },
  );

  app.get('/api/partners/:id/breaches', { config: { action: 'read' } }, async (request, reply) => {
    const p = await partnerOf(request, reply);
    if (!p) return reply;
    return deriveFacts(await conditions.list(p.id)).openBreaches ?? [];
  });

  postChange(
    '/api/partners/:id/breaches',
    'breach.manage',
    'say what happened',
    async (p, reason, request) => ({
      breach: await conditions.openBreach(p.id, reason, change(request)),
      open: true,
    }),
  );

  postChange(
    '/api/partners/:id/breaches/:bid/close',
    'breach.manage',
    'say how it was resolved',
    async (p, reason, request, reply) => {
      const bid = (request.params as { bid: string }).bid;
      if (!(await conditions.closeBreach(p.id, bid, reason, change(request))))
        return sendApiError(reply, 'not-found', `${p.name} has no open breach ${bid}`);
      return { breach: bid, open: false };
    },
  );
}
