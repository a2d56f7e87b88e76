import type { SqlQueries } from '../sql/sql-database.js';

/**
 * When an incident happened, for the timeline: STIX 2.1 gives an incident no date of its own
 * (`created` is when the object was made, often years after the event). In order:
 * - `x_tearline_event_date` on the incident, the hub's own extension property for the event date
 *   (RFC 3339 or YYYY-MM-DD), set by whoever knows it;
 * - the earliest `first_seen` of a sighting of it;
 * - the earliest `published` of a report that cites it;
 * - else its `created`, as before.
 */
export const EVENT_DATE_PROPERTY = 'x_tearline_event_date';

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?Z)?$/;

const dateOf = (v: unknown): string | undefined =>
  typeof v === 'string' && DATE.test(v) && !Number.isNaN(Date.parse(v)) ? v : undefined;

export async function incidentDates(
  sql: SqlQueries,
  incidents: readonly { id: string; json: Record<string, unknown>; created: string | null }[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const sighted = new Map<string, string>();
  const reported = new Map<string, string>();
  const ids = incidents.map((i) => i.id);
  for (let i = 0; i < ids.length; i += 400) {
    const chunk = ids.slice(i, i + 400);
    const rows = await sql.all<{ id: string; type: string; json: string }>(
      `SELECT r.dst_id AS id, o.type AS type, o.json AS json FROM object_refs r JOIN objects o ON o.added_us = r.src_added_us
        WHERE o.is_latest AND r.dst_id IN (${chunk.map(() => '?').join(', ')})
          AND ((o.type = 'report' AND r.path LIKE 'object_refs%') OR (o.type = 'sighting' AND r.path = 'sighting_of_ref'))`,
      chunk,
    );
    for (const r of rows) {
      const o = JSON.parse(r.json) as Record<string, unknown>;
      const [map, at] =
        r.type === 'sighting' ? [sighted, dateOf(o.first_seen)] : [reported, dateOf(o.published)];
      const seen = map.get(r.id);
      if (at && (!seen || at < seen)) map.set(r.id, at);
    }
  }
  for (const i of incidents) {
    const at = dateOf(i.json[EVENT_DATE_PROPERTY]) ?? sighted.get(i.id) ?? reported.get(i.id) ?? i.created;
    if (at) out.set(i.id, at);
  }
  return out;
}
