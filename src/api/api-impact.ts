import type { FastifyInstance } from 'fastify';
import { formatImpactLine } from '../policy/condition-impact.js';
import { partnerImpactOf } from '../release/release-what-would-it-take.js';
import type { ConsoleContext } from './api-context.js';
import { sendApiError } from './api-errors.js';

/**
 * The partner page's "restoring hr-1 releases N items": every latest object decided for the
 * partner now, by the settings in force, and what each withheld one would take, summed per
 * unmet condition (the same as `tearline condition impact`).
 */
export function registerImpactRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  app.get('/api/partners/:id/impact', { config: { action: 'read' } }, async (request, reply) => {
    const p = await ctx.hub.state.partners.get((request.params as { id: string }).id);
    if (!p) return sendApiError(reply, 'not-found', 'no such partner');
    const now = ctx.hub.clock.now();
    const round = await ctx.services.decisionRound(ctx.policy.current().policy, now);
    const inputs = await ctx.services.latestInputs(round);
    const { impact, decisions } = partnerImpactOf(inputs, await round.termsFor(p));
    return {
      partner: { id: p.id, name: p.name },
      at: now.toISOString(),
      decisions,
      ...impact,
      // The sentence the console shows, worded once here as the CLI words it.
      conditions: impact.conditions.map((c) => ({ ...c, line: formatImpactLine(c) })),
    };
  });
}
