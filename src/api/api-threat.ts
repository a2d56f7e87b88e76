import type { FastifyInstance } from 'fastify';
import { incidentDates } from '../store/hub/incident-dates.js';
import { findNeighbourhood } from '../store/hub/neighbourhood.js';
import { readGraphAround, readLatest } from '../store/hub/object-summaries.js';
import { listActors, readIncidentJson, readReleaseTimes } from '../store/hub/threat-reads.js';
import { guard } from './api-auth.js';
import type { ConsoleContext } from './api-context.js';
import { sendApiError } from './api-errors.js';

export const TIMELINE_SERIES = ['incident', 'report', 'sighting', 'release'] as const;
/** What "Latest" lists unless ?latest= says otherwise: what analysts read, not data components. */
export const LATEST_TYPES = ['report', 'incident', 'indicator', 'intrusion-set', 'threat-actor', 'campaign'];
const TYPE_NAME = /^[a-z0-9-]{1,64}$/;

export interface TimelineBucket {
  /** The first day of the bucket, YYYY-MM-DD (UTC). */
  start: string;
  incident: number;
  report: number;
  sighting: number;
  release: number;
}

export type TimelinePoint = { series: (typeof TIMELINE_SERIES)[number]; at: string };

const DAY_MS = 86_400_000;
/** Daily buckets up to this span, monthly beyond: a chart stays a few dozen bars wide. */
const DAILY_SPAN_DAYS = 92;

/** Counts per UTC day (or month, for long spans) of each series, in order, gaps filled with zeros. */
export function bucketTimeline(points: readonly TimelinePoint[]): {
  unit: 'day' | 'month';
  buckets: TimelineBucket[];
} {
  const valid = points.filter(
    (p) => /^\d{4}-\d{2}-\d{2}/.test(p.at) && !Number.isNaN(Date.parse(p.at.slice(0, 10))),
  );
  const days = valid.map((p) => p.at.slice(0, 10)).sort();
  const first = days[0];
  const last = days.at(-1);
  if (!first || !last) return { unit: 'day', buckets: [] };
  const unit = (Date.parse(last) - Date.parse(first)) / DAY_MS <= DAILY_SPAN_DAYS ? 'day' : 'month';
  const keyOf = (day: string) => (unit === 'day' ? day : `${day.slice(0, 7)}-01`);
  const buckets = new Map<string, TimelineBucket>();
  const empty = (start: string): TimelineBucket => ({
    start,
    incident: 0,
    report: 0,
    sighting: 0,
    release: 0,
  });
  for (let at = Date.parse(keyOf(first)); at <= Date.parse(last); ) {
    const key = new Date(at).toISOString().slice(0, 10);
    buckets.set(key, empty(key));
    const d = new Date(at);
    at = unit === 'day' ? at + DAY_MS : Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  for (const p of valid) {
    const b = buckets.get(keyOf(p.at.slice(0, 10)));
    if (b) b[p.series] += 1;
  }
  return { unit, buckets: [...buckets.values()] };
}

export function registerThreatRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { sql } = ctx.hub.state;
  app.get('/api/actors', { preHandler: guard(ctx, 'read') }, async () => listActors(sql));

  app.get('/api/threat', { preHandler: guard(ctx, 'read') }, async (request, reply) => {
    const query = request.query as { actor?: string; latest?: string };
    const asked = query.actor;
    const latestTypes = query.latest === undefined ? LATEST_TYPES : query.latest.split(',').filter(Boolean);
    if (latestTypes.length > 50 || !latestTypes.every((t) => TYPE_NAME.test(t)))
      return sendApiError(reply, 'bad-request', 'latest: comma-separated STIX type names (at most 50)');
    const actorId = asked ?? (await listActors(sql))[0]?.id;
    if (!actorId)
      return sendApiError(reply, 'not-found', 'the hub holds no intrusion set, threat actor or campaign yet');
    const [actor] = await readLatest(sql, [actorId]);
    if (!actor) return sendApiError(reply, 'not-found', `actor ${actorId}: no such object`);
    const ids = [...(await findNeighbourhood(sql, [actorId], 2)).keys()];
    const objects = await readLatest(sql, ids);
    const counts: Record<string, number> = {};
    for (const o of objects) counts[o.type] = (counts[o.type] ?? 0) + 1;
    const points: TimelinePoint[] = [];
    const incidents = objects.filter((o) => o.type === 'incident');
    const json = await readIncidentJson(
      sql,
      incidents.map((o) => o.id),
    );
    const happened = await incidentDates(
      sql,
      incidents.map((o) => ({ id: o.id, json: json.get(o.id) ?? {}, created: o.created })),
    );
    for (const o of objects) {
      const at = o.type === 'incident' ? happened.get(o.id) : o.when;
      if ((o.type === 'incident' || o.type === 'report' || o.type === 'sighting') && at)
        points.push({ series: o.type, at });
    }
    for (const at of await readReleaseTimes(sql, ids)) points.push({ series: 'release', at });
    const latest = objects
      .filter((o) => latestTypes.includes(o.type))
      .sort((a, b) => (b.modified ?? '').localeCompare(a.modified ?? ''))
      .slice(0, 10);
    return {
      actor,
      counts,
      timeline: bucketTimeline(points),
      latest,
      graph: await readGraphAround(sql, actorId),
    };
  });

  app.get('/api/graph', { preHandler: guard(ctx, 'read') }, async (request, reply) => {
    const id = (request.query as { id?: string }).id;
    if (!id) return sendApiError(reply, 'bad-request', 'give ?id= an object id');
    return readGraphAround(sql, id);
  });
}
