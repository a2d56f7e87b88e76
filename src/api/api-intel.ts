import type { FastifyInstance } from 'fastify';
import { objectCacheOf, openDecisionRound } from '../app/hub-decisions.js';
import { decideObject } from '../release/release-closure.js';
import { findNeighbourhood } from '../store/hub/neighbourhood.js';
import type { SqlQueries } from '../store/sql/sql-database.js';
import { guard } from './api-auth.js';
import type { ConsoleContext } from './api-context.js';
import { sendApiError } from './api-errors.js';
import { type ObjectSummary, readGraphAround, summarise } from './api-objects.js';

export interface IntelQuery {
  q?: string;
  type?: string;
  marking?: string;
  actor?: string;
  from?: string;
  to?: string;
}

export type SearchResult =
  | { ok: true; items: ObjectSummary[]; truncated: boolean }
  | { ok: false; message: string };

const LIMIT = 200;
const TIME = /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/;

/** Latest versions matching every given filter, newest first; text matches anywhere in the JSON. */
export async function searchIntel(sql: SqlQueries, query: IntelQuery): Promise<SearchResult> {
  const where = ['is_latest'];
  const args: string[] = [];
  for (const [field, value] of [
    ['q', query.q],
    ['type', query.type],
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
  const like = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  if (query.q) {
    // Case-insensitive on both engines (PostgreSQL's LIKE is not).
    where.push("lower(json) LIKE lower(?) ESCAPE '\\'");
    args.push(like(query.q));
  }
  if (query.type) {
    where.push('type = ?');
    args.push(query.type);
  }
  if (query.marking) {
    where.push("json LIKE ? ESCAPE '\\'");
    args.push(like(`"${query.marking}"`));
  }
  if (query.from) {
    where.push('created >= ?');
    args.push(query.from);
  }
  if (query.to) {
    where.push('created <= ?');
    args.push(query.to.length === 10 ? `${query.to}T23:59:59.999Z` : query.to);
  }
  let rows = await sql.all<{
    id: string;
    type: string;
    created: string | null;
    modified: string | null;
    json: string;
  }>(
    `SELECT id, type, created, modified, json FROM objects WHERE ${where.join(' AND ')} ORDER BY added_us DESC`,
    args,
  );
  if (query.actor) {
    const near = await findNeighbourhood(sql, [query.actor], 2);
    rows = rows.filter((r) => near.has(r.id));
  }
  return { ok: true, items: rows.slice(0, LIMIT).map(summarise), truncated: rows.length > LIMIT };
}

export function registerIntelRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { sql } = ctx.hub.state;
  app.get('/api/intel', { preHandler: guard(ctx, 'read') }, async (request, reply) => {
    const r = await searchIntel(sql, request.query as IntelQuery);
    if (!r.ok) return sendApiError(reply, 'bad-request', r.message);
    return { items: r.items, truncated: r.truncated };
  });

  app.get('/api/intel/:id', { preHandler: guard(ctx, 'read') }, async (request, reply) => {
    const { id } = request.params as { id: string };
    // is_latest is an integer in SQLite and a boolean in PostgreSQL: read it as 0/1 on both.
    const versions = await sql.all<{
      version: string;
      added_us: number;
      source: string;
      imported_by: string | null;
      is_latest: number;
      json: string;
    }>(
      `SELECT version, added_us, source, imported_by, CASE WHEN is_latest THEN 1 ELSE 0 END AS is_latest, json
         FROM objects WHERE id = ? ORDER BY added_us`,
      [id],
    );
    const latest = versions.find((v) => v.is_latest === 1) ?? versions.at(-1);
    if (!latest) return sendApiError(reply, 'not-found', `no object with id ${id}`);
    const object = JSON.parse(latest.json) as Record<string, unknown>;
    const partners = await ctx.hub.state.partners.list();
    const outcomes = await ctx.hub.state.releases.outcomesOf(id);
    // The one decision per partner, now, by the settings in force; beside it what the pipeline recorded.
    const round = await openDecisionRound(ctx.hub, ctx.policy.current().policy, ctx.hub.clock.now());
    const objects = objectCacheOf(ctx.hub, round);
    const decided = new Map<string, Awaited<ReturnType<typeof decideObject>>>();
    for (const p of partners) decided.set(p.id, await decideObject(await round.termsFor(p), id, objects));
    return {
      object,
      markings: Array.isArray(object.object_marking_refs) ? object.object_marking_refs : [],
      versions: versions.map((v) => ({
        version: v.version,
        added: new Date(Math.floor(v.added_us / 1000)).toISOString(),
        source: v.source,
        imported_by: v.imported_by,
        latest: v.is_latest === 1,
      })),
      graph: await readGraphAround(sql, id),
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
          state: o?.outcome ?? 'undecided',
          state_reasons: o?.reasons ?? [],
          object_version: o?.object_version ?? null,
          decided_at: o?.decided_at ?? null,
        };
      }),
    };
  });
}
