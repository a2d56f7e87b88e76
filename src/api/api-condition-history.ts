import type { FastifyInstance } from 'fastify';
import { loadConditionHistory } from '../release/condition-history-load.js';
import type { ConsoleContext } from './api-context.js';
import { sendApiError } from './api-errors.js';

/** The overseers' chart on the partner page: each condition met and lapsed over time. */
export function registerConditionHistoryRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  app.get(
    '/api/partners/:id/conditions/history',
    { config: { action: 'condition.history' } },
    async (request, reply) => {
      const p = await ctx.hub.state.partners.get((request.params as { id: string }).id);
      if (!p) return sendApiError(reply, 'not-found', 'no such partner');
      return loadConditionHistory(ctx.hub.state, p, ctx.hub.clock.now());
    },
  );
  // The same audience sees what flowed beside the conditions: counts as each release pass left them.
  app.get(
    '/api/partners/:id/outcomes/history',
    { config: { action: 'condition.history' } },
    async (request, reply) => {
      const p = await ctx.hub.state.partners.get((request.params as { id: string }).id);
      if (!p) return sendApiError(reply, 'not-found', 'no such partner');
      return { partner: p.name, points: await ctx.hub.state.reads.listOutcomeHistory(p.id) };
    },
  );
}
