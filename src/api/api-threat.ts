import type { FastifyInstance } from 'fastify';
import type { TimelineBucket, TimelineLane } from '../store/console-shapes.js';
import type { ConsoleContext } from './api-context.js';
import { sendApiError } from './api-errors.js';

export type { TimelineBucket, TimelineLane };

export const TIMELINE_SERIES = ['incident', 'report', 'sighting', 'actor', 'release'] as const;
/** What "Latest" lists unless ?latest= says otherwise: what analysts read, not data components. */
export const LATEST_TYPES = ['report', 'incident', 'indicator', 'intrusion-set', 'threat-actor', 'campaign'];
const TYPE_NAME = /^[a-z0-9-]{1,64}$/;

export type TimelinePoint = {
  series: (typeof TIMELINE_SERIES)[number];
  at: string;
  /** An incident's name. */
  name?: string;
  /** The partner a release went to: its lane. */
  partner?: string;
};

const NAMES_PER_BUCKET = 5;

const DAY_MS = 86_400_000;
/** Daily buckets up to this span, monthly beyond: a chart stays a few dozen bars wide. */
const DAILY_SPAN_DAYS = 92;

/** Counts per UTC day (or month, for long spans) of each series, in order, gaps filled with zeros. */
export function bucketTimeline(points: readonly TimelinePoint[]): {
  unit: 'day' | 'month';
  buckets: TimelineBucket[];
  lanes: TimelineLane[];
} {
  const valid = points.filter(
    (p) => /^\d{4}-\d{2}-\d{2}/.test(p.at) && !Number.isNaN(Date.parse(p.at.slice(0, 10))),
  );
  const days = valid.map((p) => p.at.slice(0, 10)).sort();
  const first = days[0];
  const last = days.at(-1);
  if (!first || !last) return { unit: 'day', buckets: [], lanes: [] };
  const unit = (Date.parse(last) - Date.parse(first)) / DAY_MS <= DAILY_SPAN_DAYS ? 'day' : 'month';
  const keyOf = (day: string) => (unit === 'day' ? day : `${day.slice(0, 7)}-01`);
  const buckets = new Map<string, TimelineBucket>();
  const empty = (start: string): TimelineBucket => ({
    start,
    incident: 0,
    report: 0,
    sighting: 0,
    actor: 0,
    release: 0,
  });
  for (let at = Date.parse(keyOf(first)); at <= Date.parse(last); ) {
    const key = new Date(at).toISOString().slice(0, 10);
    buckets.set(key, empty(key));
    const d = new Date(at);
    at = unit === 'day' ? at + DAY_MS : Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  const index = new Map([...buckets.keys()].map((k, i) => [k, i]));
  const lanes = new Map<string, number[]>();
  for (const p of valid) {
    const key = keyOf(p.at.slice(0, 10));
    const b = buckets.get(key);
    if (!b) continue;
    b[p.series] += 1;
    if (p.series === 'incident' && p.name) {
      b.incidents ??= [];
      if (b.incidents.length < NAMES_PER_BUCKET) b.incidents.push(p.name);
    }
    if (p.series === 'release' && p.partner) {
      const lane = lanes.get(p.partner) ?? new Array<number>(buckets.size).fill(0);
      const at = index.get(key) as number;
      lane[at] = (lane[at] ?? 0) + 1;
      lanes.set(p.partner, lane);
    }
  }
  return {
    unit,
    buckets: [...buckets.values()],
    lanes: [...lanes.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([partner, counts]) => ({ partner, counts })),
  };
}

export function registerThreatRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { reads } = ctx.hub.state;
  app.get('/api/actors', { config: { action: 'read' } }, async () => reads.listActors());

  app.get('/api/threat', { config: { action: 'read' } }, async (request, reply) => {
    const query = request.query as { actor?: string; latest?: string };
    const asked = query.actor;
    const latestTypes = query.latest === undefined ? LATEST_TYPES : query.latest.split(',').filter(Boolean);
    if (latestTypes.length > 50 || !latestTypes.every((t) => TYPE_NAME.test(t)))
      return sendApiError(reply, 'bad-request', 'latest: comma-separated STIX type names (at most 50)');
    // The focus: the actor asked for, else the hub's choice (config.json focus_actor, by id or
    // name), else the most linked; a hub's choice it no longer holds falls back and says so.
    let focus: 'asked' | 'hub' | 'most-linked' = 'asked';
    let actorId = asked;
    if (!actorId) {
      const actors = await reads.listActors();
      const chosen = ctx.hub.config.focus_actor;
      const hubs =
        chosen === undefined ? undefined : actors.find((a) => a.id === chosen || a.name === chosen);
      actorId = hubs?.id ?? actors[0]?.id;
      focus = hubs ? 'hub' : 'most-linked';
    }
    if (!actorId)
      return sendApiError(reply, 'not-found', 'the hub holds no intrusion set, threat actor or campaign yet');
    const [actor] = await reads.readLatest([actorId]);
    if (!actor) return sendApiError(reply, 'not-found', `actor ${actorId}: no such object`);
    const ids = [...(await ctx.hub.state.neighbourhoods.find([actorId], 2)).keys()];
    const objects = await reads.readLatest(ids);
    const counts: Record<string, number> = {};
    for (const o of objects) counts[o.type] = (counts[o.type] ?? 0) + 1;
    const points: TimelinePoint[] = [];
    const incidents = objects.filter((o) => o.type === 'incident');
    const json = await reads.readIncidentJson(incidents.map((o) => o.id));
    const happened = await reads.incidentDates(
      incidents.map((o) => ({ id: o.id, json: json.get(o.id) ?? {}, created: o.created })),
    );
    for (const o of objects) {
      const at = o.type === 'incident' ? happened.get(o.id) : o.when;
      if ((o.type === 'incident' || o.type === 'report' || o.type === 'sighting') && at)
        points.push({ series: o.type, at, ...(o.type === 'incident' && { name: o.name }) });
    }
    // Actors by the span STIX gives them: first_seen and last_seen, each a point of activity.
    // Only the actors' JSON is read: the neighbourhood of a real actor holds thousands of objects.
    const actorTypes = new Set(['intrusion-set', 'threat-actor', 'campaign']);
    for (const a of await reads.readActorSeen(objects.filter((o) => actorTypes.has(o.type)).map((o) => o.id)))
      for (const at of new Set([a.first_seen, a.last_seen])) if (at) points.push({ series: 'actor', at });
    const partnerNames = new Map((await ctx.hub.state.partners.list()).map((p) => [p.id, p.name]));
    for (const r of await reads.readReleaseTimes(ids))
      points.push({ series: 'release', at: r.at, partner: partnerNames.get(r.partnerId) ?? r.partnerId });
    const latest = objects
      .filter((o) => latestTypes.includes(o.type))
      .sort((a, b) => (b.modified ?? '').localeCompare(a.modified ?? ''))
      .slice(0, 10);
    return {
      actor,
      focus,
      counts,
      timeline: bucketTimeline(points),
      latest,
      graph: await reads.readGraphAround(actorId),
    };
  });

  app.get('/api/graph', { config: { action: 'read' } }, async (request, reply) => {
    const id = (request.query as { id?: string }).id;
    if (!id) return sendApiError(reply, 'bad-request', 'give ?id= an object id');
    return reads.readGraphAround(id);
  });
}
