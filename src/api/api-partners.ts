import type { FastifyInstance } from 'fastify';
import { loadPartnerFacts } from '../release/release-facts.js';
import { listRecalls } from '../release/release-recall.js';
import type { Partner } from '../store/hub/partner-store.js';
import { userOf } from './api-auth.js';
import type { ConsoleContext } from './api-context.js';
import { API_BODY_LIMIT, sendApiError } from './api-errors.js';

const DAY = 86_400_000;

/** "in 3 days", "in 5 hours", "3 days ago": how far `at` is from `now`, in words. */
export function describeLapse(at: string, nowMs: number): string {
  const ms = Date.parse(at) - nowMs;
  const abs = Math.abs(ms);
  const [n, unit] =
    abs >= DAY ? [Math.round(abs / DAY), 'day'] : [Math.max(1, Math.round(abs / 3_600_000)), 'hour'];
  const text = `${n} ${unit}${n === 1 ? '' : 's'}`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}

async function describePartner(ctx: ConsoleContext, p: Partner) {
  const { state } = ctx.hub;
  const now = ctx.hub.clock.now().getTime();
  const agreement = await state.agreements.latest(p.id);
  const facts = await loadPartnerFacts(state, p, now);
  const recalled = await state.releases.countRecalled(p.id);
  const outstanding = (await listRecalls(state, p.id)).filter((r) => r.acknowledged_at === null).length;
  const suspension = (await state.conditions.list(p.id)).filter((e) => e.kind === 'suspension').at(-1);
  return {
    id: p.id,
    name: p.name,
    enabled: p.enabled,
    description: typeof p.identity.description === 'string' ? p.identity.description : null,
    suspended: suspension?.action === 'suspend',
    agreement: agreement
      ? {
          version: agreement.version,
          format: agreement.format,
          raw: agreement.raw_text,
          body: agreement.body,
          set_at: agreement.set_at,
        }
      : null,
    conditions: facts.conditions.map((c) => ({
      ...c,
      lapse: c.changes_at ? describeLapse(c.changes_at, now) : null,
    })),
    counts: {
      ...(await state.releases.countOutcomes(p.id)),
      feedback: (await state.reads.listFeedbackReceipts(p.id, 0)).length,
      recalled,
      'acknowledgements outstanding': outstanding,
    },
  };
}

export function registerPartnerRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { partners, conditions } = ctx.hub.state;
  app.get('/api/partners', { config: { action: 'read' } }, async () => {
    const out = [];
    for (const p of await partners.list()) out.push(await describePartner(ctx, p));
    return out;
  });

  app.get('/api/partners/:id', { config: { action: 'read' } }, async (request, reply) => {
    const p = await partners.get((request.params as { id: string }).id);
    if (!p) return sendApiError(reply, 'not-found', 'no such partner');
    return describePartner(ctx, p);
  });

  app.post(
    '/api/partners/:id/suspension',
    { bodyLimit: API_BODY_LIMIT, config: { action: 'condition.suspend' } },
    async (request, reply) => {
      const p = await partners.get((request.params as { id: string }).id);
      if (!p) return sendApiError(reply, 'not-found', 'no such partner');
      const body = request.body as { on?: unknown; reason?: unknown } | undefined;
      if (typeof body?.on !== 'boolean')
        return sendApiError(reply, 'bad-request', 'send {"on": true|false, "reason": "..."}');
      const reason = typeof body.reason === 'string' ? body.reason.trim() : '';
      if (reason.length === 0 || reason.length > 1000)
        return sendApiError(reply, 'bad-request', 'reason: say why, in 1-1000 characters');
      await conditions.setSuspension(p.id, body.on, reason, {
        actor: userOf(request).name,
        now: ctx.hub.clock.now(),
      });
      return describePartner(ctx, p);
    },
  );
}
