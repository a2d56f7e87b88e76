import type { FastifyInstance } from 'fastify';
import type { ConsoleContext } from './api-context.js';
import { sendApiError } from './api-errors.js';

/** The partner page's "via a relay" panel: the route, last push and acknowledgement, each release's delivery. */
export function registerRelayApiRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  app.get('/api/partners/:id/relay', { config: { action: 'read' } }, async (request, reply) => {
    const p = await ctx.hub.state.partners.get((request.params as { id: string }).id);
    if (!p) return sendApiError(reply, 'not-found', 'no such partner');
    const view = await ctx.hub.state.reads.loadRelayDelivery(p.id);
    return { partner: p.name, via: view ?? null };
  });
  // Sightings sent back through a relay to hubs that release to us ('relay feedback'): each hub's
  // envelopes and the posts the relay refused or could not take, until a later post is taken.
  app.get('/api/relay/feedback', { config: { action: 'read' } }, async () => ({
    hubs: await ctx.hub.state.reads.listRelayFeedbackOutboxes(),
  }));
}
