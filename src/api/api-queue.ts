import type { FastifyInstance } from 'fastify';
import { releaseStoresOf } from '../app/release-stores.js';
import { decideQueueItem } from '../release/release-approval.js';
import { guard, userOf } from './api-auth.js';
import type { ConsoleContext } from './api-context.js';
import { API_BODY_LIMIT, sendApiError } from './api-errors.js';

export function registerQueueRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { hub } = ctx;
  const { partners, releases, sql } = hub.state;

  app.get('/api/queue', { preHandler: guard(ctx, 'read') }, async () => {
    const now = hub.clock.now().getTime();
    const names = new Map((await partners.list()).map((p) => [p.id, p.name]));
    const out = [];
    for (const i of await releases.openItems()) {
      const source = await sql.get<{ json: string; imported_by: string | null }>(
        'SELECT json, imported_by FROM objects WHERE id = ? AND version = ?',
        [i.object_id, i.object_version],
      );
      out.push({
        id: i.item_id,
        partner: names.get(i.partner_id) ?? i.partner_id,
        object_id: i.object_id,
        object_version: i.object_version,
        state: i.state,
        reasons: i.reasons,
        removed: i.removed,
        original: source ? (JSON.parse(source.json) as unknown) : null,
        tearline: JSON.parse(i.tearline) as unknown,
        author: i.author,
        approvals: await releases.approvals(i),
        approvals_required: i.approvals_required,
        age_seconds: Math.round((now - Date.parse(i.created_at)) / 1000),
      });
    }
    return out;
  });

  for (const verdict of ['approve', 'deny'] as const) {
    app.post(
      `/api/queue/:id/${verdict}`,
      { bodyLimit: API_BODY_LIMIT, preHandler: guard(ctx, 'queue.decide') },
      async (request, reply) => {
        const { id } = request.params as { id: string };
        const body = (request.body ?? {}) as { comment?: unknown };
        const comment =
          typeof body.comment === 'string' && body.comment.trim() !== '' ? body.comment.trim() : undefined;
        if (comment !== undefined && comment.length > 2000)
          return sendApiError(reply, 'bad-request', 'comment: at most 2000 characters');
        if (verdict === 'deny' && comment === undefined)
          return sendApiError(reply, 'bad-request', 'comment: a denial must say why');
        const user = userOf(request);
        const r = await decideQueueItem(
          releaseStoresOf(hub),
          id,
          { name: user.name, role: user.role, auth: user.auth, origin: user.origin },
          verdict,
          comment,
          hub.clock.now(),
        );
        if (!r.ok) {
          const code =
            r.code === 'not-found' ? 'not-found' : r.code === 'comment-required' ? 'bad-request' : 'conflict';
          return sendApiError(reply, code, r.message);
        }
        await hub.checkpointIfDue();
        return r;
      },
    );
  }
}
