import type { SqlQueries } from '../sql/sql-database.js';
import { readLatest } from './object-summaries.js';

/**
 * What the object page needs beside the object so that nobody has to read STIX ids: a name for
 * every id it references (markings, identities, other objects), its granular markings by the
 * property they cover, and its release history per partner.
 */
export interface ObjectContext {
  names: Record<string, { name: string; type: string }>;
  /** Top-level property -> the markings (ids) its granular markings put on it or inside it. */
  granular: Record<string, { marking: string; selector: string }[]>;
  history: {
    partner: string;
    time: string;
    event: 'released' | 'recalled' | 'denied';
    version: string;
    detail: string;
  }[];
}

const ID = /^[a-z0-9-]+--[0-9a-f-]{36}$/;
const MAX_REFS = 2000;

/** Every id the object references, through *_ref, *_refs and granular marking_ref, at any depth. */
export function referencedIds(value: unknown, out = new Set<string>(), key = ''): Set<string> {
  if (out.size >= MAX_REFS) return out;
  if (typeof value === 'string') {
    if ((key.endsWith('_ref') || key.endsWith('_refs')) && ID.test(value)) out.add(value);
  } else if (Array.isArray(value)) {
    for (const v of value) referencedIds(v, out, key);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) referencedIds(v, out, k);
  }
  return out;
}

/** A marking definition's name: its own, its TLP level, or the start of its statement. */
function markingLabel(json: Record<string, unknown>): string | undefined {
  if (typeof json.name === 'string' && json.name) return json.name;
  const def = json.definition as Record<string, unknown> | undefined;
  if (def && typeof def.tlp === 'string') return `TLP:${def.tlp.toUpperCase()}`;
  if (def && typeof def.statement === 'string') {
    const s = def.statement;
    return `Statement: ${s.length > 60 ? `${s.slice(0, 59)}…` : s}`;
  }
  return undefined;
}

export async function readObjectContext(
  sql: SqlQueries,
  object: Record<string, unknown>,
  partnerNames: ReadonlyMap<string, string>,
): Promise<ObjectContext> {
  const id = String(object.id);
  const ids = [...referencedIds(object)];
  const names: ObjectContext['names'] = {};
  for (const s of await readLatest(sql, ids)) names[s.id] = { name: s.name, type: s.type };
  const markingIds = ids.filter((i) => i.startsWith('marking-definition--'));
  if (markingIds.length > 0) {
    const rows = await sql.all<{ id: string; json: string }>(
      `SELECT id, json FROM objects WHERE is_latest AND id IN (${markingIds.map(() => '?').join(', ')})`,
      markingIds,
    );
    for (const r of rows) {
      const label = markingLabel(JSON.parse(r.json) as Record<string, unknown>);
      if (label) names[r.id] = { name: label, type: 'marking-definition' };
    }
  }

  const granular: ObjectContext['granular'] = {};
  const gm = Array.isArray(object.granular_markings) ? object.granular_markings : [];
  for (const g of gm as { selectors?: unknown; marking_ref?: unknown }[]) {
    if (!Array.isArray(g.selectors) || typeof g.marking_ref !== 'string') continue;
    for (const sel of g.selectors) {
      if (typeof sel !== 'string') continue;
      const top = sel.split(/[.[]/)[0] as string;
      const list = granular[top] ?? [];
      list.push({ marking: g.marking_ref, selector: sel });
      granular[top] = list;
    }
  }

  const partner = (pid: string) => partnerNames.get(pid) ?? pid;
  const history: ObjectContext['history'] = [];
  const records = await sql.all<{
    partner_id: string;
    original_version: string;
    released_at: string;
    recalled_at: string | null;
    recall_reason: string | null;
    approvals: string;
  }>(
    'SELECT partner_id, original_version, released_at, recalled_at, recall_reason, approvals FROM release_records WHERE original_id = ?',
    [id],
  );
  for (const r of records) {
    const approvers = (JSON.parse(r.approvals) as { approver: string }[]).map((a) => a.approver);
    history.push({
      partner: partner(r.partner_id),
      time: r.released_at,
      event: 'released',
      version: r.original_version,
      detail: approvers.length > 0 ? `approved by ${approvers.join(' and ')}` : 'no approval needed',
    });
    if (r.recalled_at)
      history.push({
        partner: partner(r.partner_id),
        time: r.recalled_at,
        event: 'recalled',
        version: r.original_version,
        detail: r.recall_reason ?? '',
      });
  }
  const denials = await sql.all<{
    partner_id: string;
    object_version: string;
    closed_at: string;
    approver: string | null;
    comment: string | null;
  }>(
    `SELECT q.partner_id, q.object_version, q.closed_at, a.approver, a.comment FROM release_queue q
       LEFT JOIN release_approvals a ON a.item_id = q.item_id AND a.fingerprint = q.fingerprint AND a.verdict = 'deny'
      WHERE q.object_id = ? AND q.state = 'denied'`,
    [id],
  );
  for (const d of denials)
    history.push({
      partner: partner(d.partner_id),
      time: d.closed_at,
      event: 'denied',
      version: d.object_version,
      detail: `${d.approver ?? 'an officer'}: ${d.comment ?? ''}`,
    });
  history.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  return { names, granular, history };
}
