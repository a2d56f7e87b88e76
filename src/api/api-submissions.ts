import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { promoteSubmission, rejectSubmission } from '../release/submission-promote.js';
import { summarise } from '../store/hub/object-summaries.js';
import { isReviewState, type SubmissionSummary } from '../store/hub/submission-review-store.js';
import { userOf } from './api-auth.js';
import type { ConsoleContext } from './api-context.js';
import { API_BODY_LIMIT, sendApiError } from './api-errors.js';

const LIMIT = 200;

function parseNumber(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,16}$/.test(value) && Number.isSafeInteger(Number(value))
    ? Number(value)
    : undefined;
}

/** The submission number in the path of a request. */
const numberOf = (request: FastifyRequest) => parseNumber((request.params as { number?: string }).number);

/** A review that failed: unknown is 404, already reviewed 409, anything else the request's fault. */
function sendReviewError(reply: FastifyReply, r: { code: string; message: string }) {
  const code = r.code === 'not-found' ? 'not-found' : r.code === 'not-pending' ? 'conflict' : 'bad-request';
  return sendApiError(reply, code, r.message);
}

/**
 * Partner submissions for review: what each partner sent (mapped to the hub's ids), who sent it
 * and when; analysts promote one into intel or reject it with a reason. Every role may read them
 * (oversight included); none of this is ever served to a partner.
 */
export function registerSubmissionRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { hub } = ctx;
  const { submissions, partners } = hub.state;
  const names = async () => new Map((await partners.list()).map((p) => [p.id, p.name]));
  const row = (s: SubmissionSummary, partner: string, mapped: Record<string, unknown>) => ({
    ...s,
    partner,
    name: summarise({
      id: s.object_id,
      type: s.type,
      created: null,
      modified: null,
      json: JSON.stringify(mapped),
    }).name,
  });

  app.get('/api/submissions', { config: { action: 'read' } }, async (request, reply) => {
    const q = request.query as { state?: string; partner?: string };
    const state = q.state ?? 'pending';
    if (state !== 'all' && !isReviewState(state))
      return sendApiError(reply, 'bad-request', 'state must be pending, promoted, rejected or all');
    if (q.partner !== undefined && q.partner.length > 200)
      return sendApiError(reply, 'bad-request', 'partner must be at most 200 characters');
    const byId = await names();
    const list = await submissions.listWithContent({
      ...(q.partner !== undefined && { partnerId: q.partner }),
      state,
      limit: LIMIT + 1,
    });
    const items = list
      .slice(0, LIMIT)
      .map(({ mapped, ...s }) => row(s, byId.get(s.partner_id) ?? s.partner_id, mapped));
    return { items, truncated: list.length > LIMIT, pending: await submissions.countPending() };
  });

  app.get('/api/submissions/:number', { config: { action: 'read' } }, async (request, reply) => {
    const number = numberOf(request);
    const s = number === undefined ? undefined : await submissions.get(number);
    if (!s) return sendApiError(reply, 'not-found', 'no such submission (see GET /api/submissions)');
    const partner = (await names()).get(s.partner_id) ?? s.partner_id;
    return {
      ...row(s, partner, s.mapped),
      mapped: s.mapped,
      sent: s.sent,
      released_before_1300: await submissions.releasedFromLegacy(s),
    };
  });

  app.post(
    '/api/submissions/:number/promote',
    { bodyLimit: API_BODY_LIMIT, config: { action: 'submission.review' } },
    async (request, reply) => {
      const number = numberOf(request);
      if (number === undefined) return sendApiError(reply, 'not-found', 'no such submission');
      const r = await promoteSubmission(
        ctx.services.reviewStores(),
        number,
        userOf(request),
        hub.clock.now(),
      );
      if (!r.ok) return sendReviewError(reply, r);
      await hub.checkpointIfDue();
      return { number, state: 'promoted', promoted_id: r.promotedId, existing: r.existing };
    },
  );

  app.post(
    '/api/submissions/:number/reject',
    { bodyLimit: API_BODY_LIMIT, config: { action: 'submission.review' } },
    async (request, reply) => {
      const number = numberOf(request);
      if (number === undefined) return sendApiError(reply, 'not-found', 'no such submission');
      const body = (request.body ?? {}) as { reason?: unknown };
      if (typeof body.reason !== 'string')
        return sendApiError(reply, 'bad-request', 'reason: a rejection must say why');
      const r = await rejectSubmission(
        ctx.services.reviewStores(),
        number,
        userOf(request),
        body.reason,
        hub.clock.now(),
      );
      if (!r.ok) return sendReviewError(reply, r);
      await hub.checkpointIfDue();
      return { number, state: 'rejected' };
    },
  );
}
