import type { JsonObject } from '../../stix/types.js';
import type { SqlQueries } from '../sql/sql-database.js';
import { objectsMark } from './objects-mark.js';

/** What a list of queue items shows of an object, all derived from the latest objects. */
export interface ObjectFacet {
  type: string;
  labels: string[];
  /** A name to read: the object's name, or `source -> verb -> target` for a relationship. */
  title: string;
  /** What pulled it in: the report citing it, else the object it hangs from, else itself. */
  group: { key: string; title: string; kind: 'report' | 'object' };
}

const CHUNK = 400;
/** Facets are small (a few hundred bytes): this bounds the memory at some tens of megabytes. */
const MAX_FACETS = 100_000;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function nameOf(o: JsonObject | undefined, id: string): string {
  if (!o) return id;
  return str(o.name) ?? str(o.value) ?? str(o.abstract) ?? str(o.content)?.slice(0, 80) ?? id;
}

async function latestByIds(sql: SqlQueries, ids: readonly string[]): Promise<Map<string, JsonObject>> {
  const out = new Map<string, JsonObject>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const chunk = unique.slice(i, i + CHUNK);
    const rows = await sql.all<{ id: string; json: string }>(
      `SELECT id, json FROM objects WHERE is_latest AND id IN (${chunk.map(() => '?').join(', ')})`,
      chunk,
    );
    for (const r of rows) out.set(r.id, JSON.parse(r.json) as JsonObject);
  }
  return out;
}

/** For each id, the latest report citing it (object_refs), if any: the smallest report id wins. */
async function reportsCiting(sql: SqlQueries, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const chunk = unique.slice(i, i + CHUNK);
    const rows = await sql.all<{ dst_id: string; src_id: string }>(
      `SELECT r.dst_id AS dst_id, min(r.src_id) AS src_id FROM object_refs r
         JOIN objects o ON o.added_us = r.src_added_us
        WHERE o.is_latest AND o.type = 'report' AND r.path LIKE 'object_refs%'
          AND r.dst_id IN (${chunk.map(() => '?').join(', ')})
        GROUP BY r.dst_id`,
      chunk,
    );
    for (const r of rows) out.set(r.dst_id, r.src_id);
  }
  return out;
}

/** Facets of the latest versions of `ids`, read and derived now; ids the hub does not hold get their type from the id. */
async function deriveFacets(sql: SqlQueries, ids: readonly string[]): Promise<Map<string, ObjectFacet>> {
  const objects = await latestByIds(sql, ids);
  // What the objects hang from (relationship ends, subjects): their names title the objects.
  const related: string[] = [];
  for (const o of objects.values())
    for (const key of ['source_ref', 'target_ref', 'sighting_of_ref'] as const) {
      const ref = str(o[key]);
      if (ref && !objects.has(ref)) related.push(ref);
    }
  const ends = await latestByIds(sql, related);
  const named = (id: string) => nameOf(objects.get(id) ?? ends.get(id), id);
  const reports = await reportsCiting(sql, ids);
  const reportObjects = await latestByIds(sql, [...reports.values()]);
  const out = new Map<string, ObjectFacet>();
  for (const id of ids) {
    const o = objects.get(id);
    const type = str(o?.type) ?? id.split('--')[0] ?? '';
    const labels = Array.isArray(o?.labels) ? o.labels.filter((l): l is string => typeof l === 'string') : [];
    let title = named(id);
    let anchor = id;
    if (o && type === 'relationship') {
      const source = str(o.source_ref) ?? '';
      title = `${named(source)} -> ${str(o.relationship_type) ?? 'related-to'} -> ${named(str(o.target_ref) ?? '')}`;
      anchor = source || id;
    } else if (o && (type === 'sighting' || type === 'note' || type === 'opinion')) {
      const subject =
        str(o.sighting_of_ref) ?? (Array.isArray(o.object_refs) ? str(o.object_refs[0]) : undefined);
      if (subject) anchor = subject;
    }
    const report = reports.get(id);
    const group: ObjectFacet['group'] = report
      ? { key: report, title: `report: ${nameOf(reportObjects.get(report), report)}`, kind: 'report' }
      : { key: anchor, title: named(anchor), kind: 'object' };
    out.set(id, { type, labels, title, group });
  }
  return out;
}

/**
 * Facets by object id, remembered until the object store changes (objectsMark). The queue of a
 * partner at ICS + CAPEC scale holds thousands of items: reading and parsing every object, its
 * relationship ends and the reports citing it on each page turn was most of the queue page's time.
 * Without `remember` every call derives afresh (what a one-off CLI command wants).
 */
export class ObjectFacets {
  readonly #sql: SqlQueries;
  readonly #remember: boolean;
  #mark: string | undefined;
  readonly #held = new Map<string, ObjectFacet>();

  constructor(sql: SqlQueries, opts: { remember?: boolean } = {}) {
    this.#sql = sql;
    this.#remember = opts.remember ?? false;
  }

  async of(ids: readonly string[]): Promise<Map<string, ObjectFacet>> {
    if (!this.#remember) return deriveFacets(this.#sql, [...new Set(ids)]);
    const mark = await objectsMark(this.#sql);
    if (mark !== this.#mark) {
      this.#held.clear();
      this.#mark = mark;
    }
    const missing = [...new Set(ids.filter((id) => !this.#held.has(id)))];
    const derived =
      missing.length > 0 ? await deriveFacets(this.#sql, missing) : new Map<string, ObjectFacet>();
    // A write that landed while deriving moved the mark: keep nothing derived across it.
    if (this.#mark === mark) {
      if (this.#held.size + derived.size > MAX_FACETS) this.#held.clear();
      for (const [id, f] of derived) this.#held.set(id, f);
    }
    const out = new Map<string, ObjectFacet>();
    for (const id of ids) {
      const f = this.#held.get(id) ?? derived.get(id);
      if (f) out.set(id, f);
    }
    return out;
  }
}
