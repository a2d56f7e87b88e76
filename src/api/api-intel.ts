import type { FastifyInstance } from 'fastify';
import type { WhatWouldItTake } from '../policy/decision-what-would-it-take.js';
import { decideObject } from '../release/release-closure.js';
import { solverOf, whatWouldItTakeOf } from '../release/release-what-would-it-take.js';
import type { JsonObject } from '../stix/types.js';
import { INTEL_SORTS, type IntelFilters, type IntelSort, labelsOf } from '../store/hub/intel-search.js';
import { type ObjectSummary, summarise } from '../store/hub/object-summaries.js';
import type { IntelReads } from '../store/read-ports.js';
import type { ConsoleContext } from './api-context.js';
import { sendApiError } from './api-errors.js';
import { provenanceOf } from './api-provenance.js';

export interface IntelQuery extends IntelFilters {
  /** modified (default), created or added; newest first unless order=asc. */
  sort?: string;
  order?: string;
  page?: string;
  size?: string;
}

export type IntelItem = ObjectSummary & { labels: string[] };

export type SearchResult =
  | { ok: true; items: IntelItem[]; total: number; page: number; size: number; pages: number }
  | { ok: false; message: string };

const MAX_SIZE = 200;
const TIME = /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/;
/**
 * Latest versions matching every given filter, sorted (by modified, newest first, by default) and
 * paged (searchLatestObjects); a query that breaks a bound is refused with what to fix.
 */
export async function searchIntel(reads: IntelReads, query: IntelQuery): Promise<SearchResult> {
  for (const [field, value] of [
    ['q', query.q],
    ['type', query.type],
    ['label', query.label],
    ['marking', query.marking],
    ['actor', query.actor],
  ] as const) {
    if (value !== undefined && value.length > 200)
      return { ok: false, message: `${field} must be at most 200 characters` };
  }
  for (const [field, value] of [
    ['from', query.from],
    ['to', query.to],
  ] as const) {
    if (value && !TIME.test(value))
      return { ok: false, message: `${field} "${value}" must be a date like 2024-03-22` };
  }
  const sort = (query.sort || 'modified') as IntelSort;
  if (!INTEL_SORTS.includes(sort))
    return { ok: false, message: `sort must be one of ${INTEL_SORTS.join(', ')}` };
  if (query.order && query.order !== 'asc' && query.order !== 'desc')
    return { ok: false, message: 'order must be asc or desc' };
  const page = query.page ? Number(query.page) : 1;
  const size = query.size ? Number(query.size) : 50;
  if (!Number.isInteger(page) || page < 1 || page > 1_000_000)
    return { ok: false, message: 'page must be a whole number from 1' };
  if (!Number.isInteger(size) || size < 1 || size > MAX_SIZE)
    return { ok: false, message: `size must be a whole number from 1 to ${MAX_SIZE}` };
  const filters: IntelFilters = {};
  for (const k of ['q', 'type', 'label', 'marking', 'actor', 'from', 'to'] as const) {
    const v = query[k];
    if (v) filters[k] = v;
  }
  const found = await reads.searchLatestObjects({
    ...filters,
    sort,
    descending: query.order !== 'asc',
    page,
    size,
  });
  const { rows, total } = found;
  return {
    ok: true,
    items: rows.map((r) => ({ ...summarise(r), labels: labelsOf(r.json) })),
    total,
    page,
    size,
    pages: Math.max(1, Math.ceil(total / size)),
  };
}

export function registerIntelRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { reads } = ctx.hub.state;
  app.get('/api/intel', { config: { action: 'read' } }, async (request, reply) => {
    const r = await searchIntel(reads, request.query as IntelQuery);
    if (!r.ok) return sendApiError(reply, 'bad-request', r.message);
    // A column per partner: the decision the release pipeline recorded for each object on the page
    // (the object page decides afresh; the pipeline re-decides on every change, settings included).
    const partners = await ctx.hub.state.partners.list();
    const recorded = await reads.recordedOutcomesOf(r.items.map((i) => i.id));
    return {
      total: r.total,
      page: r.page,
      size: r.size,
      pages: r.pages,
      partners: partners.map((p) => ({ id: p.id, name: p.name })),
      items: r.items.map((i) => ({ ...i, decisions: recorded.get(i.id) ?? {} })),
    };
  });

  app.get('/api/intel/:id', { config: { action: 'read' } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const versions = await reads.storedVersionsOf(id);
    const latest = versions.find((v) => v.is_latest) ?? versions.at(-1);
    if (!latest) return sendApiError(reply, 'not-found', `no object with id ${id}`);
    const object = JSON.parse(latest.json) as Record<string, unknown>;
    const partners = await ctx.hub.state.partners.list();
    const outcomes = await ctx.hub.state.releases.outcomesOf(id);
    // The one decision per partner, now, by the settings in force; beside it what the pipeline recorded.
    const round = await ctx.services.decisionRound(ctx.policy.current().policy, ctx.hub.clock.now());
    const objects = ctx.services.objectCache(round);
    const decided = new Map<string, Awaited<ReturnType<typeof decideObject>>>();
    const wwit = new Map<string, WhatWouldItTake>();
    for (const p of partners) {
      const terms = await round.termsFor(p);
      const d = await decideObject(terms, id, objects);
      decided.set(p.id, d);
      const projection = (await objects.get([id])).get(id)?.projection;
      if (d && projection) wwit.set(p.id, whatWouldItTakeOf(d, projection, solverOf(terms)));
    }
    return {
      object,
      ...(await reads.readObjectContext(object, new Map(partners.map((p) => [p.id, p.name])))),
      markings: Array.isArray(object.object_marking_refs) ? object.object_marking_refs : [],
      provenance: provenanceOf(object as JsonObject, round.submitters),
      versions: versions.map((v) => ({
        version: v.version,
        added: new Date(Math.floor(v.added_us / 1000)).toISOString(),
        source: v.source,
        imported_by: v.imported_by,
        latest: v.is_latest,
      })),
      graph: await reads.readGraphAround(id),
      decisions: partners.map((p) => {
        const o = outcomes.find((x) => x.partner_id === p.id);
        const d = decided.get(p.id);
        return {
          partner: p.name,
          partner_id: p.id,
          decision: d?.outcome ?? 'withhold',
          stage: d?.stage ?? 'policy',
          reasons: d?.reasons ?? [],
          tearline: d?.tearline ? { digest: d.tearline.digest, removed: d.tearline.removed.length } : null,
          what_would_it_take: wwit.get(p.id) ?? null,
          state: o?.outcome ?? 'undecided',
          state_reasons: o?.reasons ?? [],
          object_version: o?.object_version ?? null,
          decided_at: o?.decided_at ?? null,
        };
      }),
    };
  });
}
