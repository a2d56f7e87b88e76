import type { FastifyInstance, FastifyRequest } from 'fastify';
import { decideQueueItem } from '../release/release-approval.js';
import {
  combinedDiff,
  decideSelection,
  itemCopies,
  type QueueSelection,
  resolveSelection,
} from '../release/release-approval-bulk.js';
import {
  loadQueueRows,
  QUEUE_SORTS,
  type QueueSort,
  sortQueueEntries,
  withDetails,
} from '../release/release-queue-view.js';
import { userOf } from './api-auth.js';
import type { ConsoleContext } from './api-context.js';
import { API_BODY_LIMIT, sendApiError } from './api-errors.js';

const MAX_PAGE = 200;
/** A bulk selection may name thousands of chosen items. */
const BULK_BODY_LIMIT = 1024 * 1024;
const MAX_IDS = 20_000;

function listParam(v: unknown, name: string): string[] | undefined | { error: string } {
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string' || v.length > 2000)
    return { error: `${name}: at most 2000 characters, comma-separated` };
  return v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

function intParam(
  v: unknown,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number | { error: string } {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d{1,6}$/.test(v) || n < min || n > max)
    return { error: `${name} must be a whole number from ${min} to ${max}` };
  return n;
}

const isError = (v: unknown): v is { error: string } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && 'error' in v;

/** A bulk body's selection: one partner (name or id) and what of its queue. */
async function readSelection(
  ctx: ConsoleContext,
  body: Record<string, unknown>,
): Promise<QueueSelection | { error: string }> {
  if (typeof body.partner !== 'string' || body.partner.length > 200)
    return { error: 'partner: a partner name or id is required (bulk decisions are per partner)' };
  const partner = await ctx.hub.state.partners.get(body.partner);
  if (!partner) return { error: `partner: no partner named or with id "${body.partner}"` };
  const sel: QueueSelection = { partnerId: partner.id };
  if (body.ids !== undefined) {
    if (
      !Array.isArray(body.ids) ||
      body.ids.length > MAX_IDS ||
      !body.ids.every((i) => typeof i === 'string' && i.length < 100)
    )
      return { error: `ids: a list of at most ${MAX_IDS} queue item ids` };
    sel.ids = body.ids as string[];
  }
  if (body.group !== undefined) {
    if (typeof body.group !== 'string' || body.group.length > 200)
      return { error: 'group: a report or object id' };
    sel.group = body.group;
  }
  for (const key of ['types', 'labels'] as const) {
    const v = body[key];
    if (v === undefined) continue;
    if (!Array.isArray(v) || v.length > 100 || !v.every((x) => typeof x === 'string' && x.length <= 200))
      return { error: `${key}: a list of at most 100 strings` };
    sel[key] = v as string[];
  }
  return sel;
}

export function registerQueueRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { hub } = ctx;
  const { partners } = hub.state;

  /**
   * Open items, grouped (report citing them, else the object they hang from), sorted and paged:
   * `partner`, `type`, `label`, `group` filter; `sort` (group, age, title, type, modified) and
   * `order` (asc, desc); `page` (from 1) and `size` (at most 200). Each group on the page says how
   * many of its items match in all, so "select all in group" can take the items of other pages.
   */
  app.get('/api/queue', { config: { action: 'read' } }, async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const types = listParam(q.type, 'type');
    const labels = listParam(q.label, 'label');
    const page = intParam(q.page, 'page', 1, 1_000_000, 1);
    const size = intParam(q.size, 'size', 1, MAX_PAGE, 50);
    for (const v of [types, labels, page, size])
      if (isError(v)) return sendApiError(reply, 'bad-request', v.error);
    const sort = (q.sort ?? 'group') as QueueSort;
    if (!QUEUE_SORTS.includes(sort))
      return sendApiError(reply, 'bad-request', `sort must be one of ${QUEUE_SORTS.join(', ')}`);
    if (q.order !== undefined && q.order !== 'asc' && q.order !== 'desc')
      return sendApiError(reply, 'bad-request', 'order must be asc or desc');
    const all = await partners.list();
    const names = new Map(all.map((p) => [p.id, p.name]));
    let partnerId: string | undefined;
    if (typeof q.partner === 'string' && q.partner !== '') {
      partnerId = all.find((p) => p.name === q.partner || p.id === q.partner)?.id;
      if (!partnerId)
        return sendApiError(reply, 'bad-request', `partner: no partner named or with id "${q.partner}"`);
    }
    const entries = sortQueueEntries(
      await loadQueueRows(
        hub.state.reads,
        {
          ...(partnerId && { partnerId }),
          ...(types && !isError(types) && { types }),
          ...(labels && !isError(labels) && { labels }),
          ...(typeof q.group === 'string' && q.group !== '' && { group: q.group }),
        },
        hub.state.facets,
      ),
      sort,
      q.order === 'desc',
    );
    const p = page as number;
    const n = size as number;
    const shown = await withDetails(hub.state.reads, entries.slice((p - 1) * n, p * n));
    const groupSizes = new Map<string, number>();
    for (const e of entries) groupSizes.set(e.group.key, (groupSizes.get(e.group.key) ?? 0) + 1);
    const now = hub.clock.now().getTime();
    // What the filters can offer: every type and label among the open items of the partner.
    const narrowed =
      types !== undefined || labels !== undefined || (typeof q.group === 'string' && q.group !== '');
    const everything =
      partnerId && narrowed ? await loadQueueRows(hub.state.reads, { partnerId }, hub.state.facets) : entries;
    return {
      total: entries.length,
      page: p,
      size: n,
      pages: Math.max(1, Math.ceil(entries.length / n)),
      partners: [...new Set(everything.map((e) => names.get(e.partner_id) ?? e.partner_id))].sort(),
      types: [...new Set(everything.map((e) => e.type))].sort(),
      labels: [...new Set(everything.flatMap((e) => e.labels))].sort(),
      groups: [
        ...new Map(
          shown.map((e) => [e.group.key, { ...e.group, total: groupSizes.get(e.group.key) }]),
        ).values(),
      ],
      items: shown.map((e) => ({
        id: e.id,
        partner: names.get(e.partner_id) ?? e.partner_id,
        object_id: e.object_id,
        object_version: e.object_version,
        type: e.type,
        title: e.title,
        labels: e.labels,
        group: e.group.key,
        state: e.state,
        reasons: e.reasons,
        removed: e.removed,
        author: e.author,
        approvals: e.approvals,
        approvals_required: e.approvals_required,
        tearline_digest: e.tearline_digest,
        age_seconds: Math.round((now - Date.parse(e.created_at)) / 1000),
      })),
    };
  });

  /** One item's copy beside its original, for the diff shown when it is opened. */
  app.get('/api/queue/:id', { config: { action: 'read' } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const item = await hub.state.releases.item(id);
    const copies = item && (await itemCopies(ctx.services.releaseStores(), id));
    if (!item || !copies) return sendApiError(reply, 'not-found', `no queue item ${id}`);
    return {
      id,
      object_id: item.object_id,
      state: item.state,
      reasons: item.reasons,
      removed: item.removed,
      tearline_digest: item.tearline_digest,
      original: copies.original,
      tearline: copies.tearline,
    };
  });

  /** The combined tearline diff of a selection and its digest: what a bulk decision confirms. */
  app.post(
    '/api/queue/bulk/preview',
    { bodyLimit: BULK_BODY_LIMIT, config: { action: 'read' } },
    async (request, reply) => {
      const sel = await readSelection(ctx, (request.body ?? {}) as Record<string, unknown>);
      if (isError(sel)) return sendApiError(reply, 'bad-request', sel.error);
      const stores = ctx.services.releaseStores();
      const resolved = await resolveSelection(stores, sel);
      if (!resolved.ok) return sendApiError(reply, 'bad-request', resolved.message);
      return combinedDiff(stores, resolved.entries);
    },
  );

  for (const verdict of ['approve', 'deny'] as const) {
    app.post(
      `/api/queue/bulk/${verdict}`,
      { bodyLimit: BULK_BODY_LIMIT, config: { action: 'queue.decide' } },
      async (request, reply) => {
        const body = (request.body ?? {}) as Record<string, unknown>;
        const sel = await readSelection(ctx, body);
        if (isError(sel)) return sendApiError(reply, 'bad-request', sel.error);
        const comment = readComment(request);
        if (isError(comment)) return sendApiError(reply, 'bad-request', comment.error);
        if (verdict === 'deny' && comment === undefined)
          return sendApiError(reply, 'bad-request', 'comment: a denial must say why');
        if (typeof body.digest !== 'string' || body.digest.length > 64)
          return sendApiError(reply, 'bad-request', 'digest: the digest of the selection as it was shown');
        const user = userOf(request);
        const r = await decideSelection(
          ctx.services.releaseStores(),
          sel,
          body.digest,
          { name: user.name, role: user.role, auth: user.auth, origin: user.origin },
          verdict,
          comment,
          hub.clock.now(),
        );
        if (!r.ok)
          return sendApiError(reply, r.code === 'selection-changed' ? 'conflict' : 'bad-request', r.message);
        await hub.checkpointIfDue();
        return r;
      },
    );

    app.post(
      `/api/queue/:id/${verdict}`,
      { bodyLimit: API_BODY_LIMIT, config: { action: 'queue.decide' } },
      async (request, reply) => {
        const { id } = request.params as { id: string };
        const comment = readComment(request);
        if (isError(comment)) return sendApiError(reply, 'bad-request', comment.error);
        if (verdict === 'deny' && comment === undefined)
          return sendApiError(reply, 'bad-request', 'comment: a denial must say why');
        const user = userOf(request);
        const r = await decideQueueItem(
          ctx.services.releaseStores(),
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

function readComment(request: FastifyRequest): string | undefined | { error: string } {
  const body = (request.body ?? {}) as { comment?: unknown };
  const comment =
    typeof body.comment === 'string' && body.comment.trim() !== '' ? body.comment.trim() : undefined;
  if (comment !== undefined && comment.length > 2000) return { error: 'comment: at most 2000 characters' };
  return comment;
}
