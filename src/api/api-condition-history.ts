import type { FastifyInstance } from 'fastify';
import { loadConditionHistory } from '../store/hub/condition-history-load.js';
import { guard } from './api-auth.js';
import type { ConsoleContext } from './api-context.js';
import { sendApiError } from './api-errors.js';

/** The overseers' chart on the partner page: each condition met and lapsed over time. */
export function registerConditionHistoryRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  app.get(
    '/api/partners/:id/conditions/history',
    { preHandler: guard(ctx, 'condition.history') },
    async (request, reply) => {
      const p = await ctx.hub.state.partners.get((request.params as { id: string }).id);
      if (!p) return sendApiError(reply, 'not-found', 'no such partner');
      const { sql, agreements, conditions } = ctx.hub.state;
      return loadConditionHistory({ sql, agreements, conditions }, p, ctx.hub.clock.now());
    },
  );
}
