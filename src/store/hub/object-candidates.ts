import type { MergeCandidate } from '../console-shapes.js';
import type { SqlQueries } from '../sql/sql-database.js';

export type { MergeCandidate };

export const MAX_CANDIDATES = 20;
// Rows read to rank: the text filter is a first cut over the JSON (descriptions match too).
const MAX_ROWS = 2000;

function fold(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().trim();
}

const RANK = { exact: 0, prefix: 1, contains: 2 } as const;

/**
 * Latest versions of the given types whose name or one of whose aliases contains the query
 * (accents and case folded), best match first (the whole name, then its start, then inside
 * it), then by name. Read only; both engines (the first cut is the JSON text, lower-cased).
 */
export async function findMergeCandidates(
  sql: SqlQueries,
  query: string,
  types: readonly string[],
): Promise<MergeCandidate[]> {
  const q = fold(query);
  if (q === '' || types.length === 0) return [];
  const escaped = query.trim().replace(/[\\%_]/g, (c) => `\\${c}`);
  const read = (pattern: string) =>
    sql.all<{ id: string; type: string; modified: string | null; json: string }>(
      `SELECT id, type, modified, json FROM objects
        WHERE is_latest AND type IN (${types.map(() => '?').join(', ')}) AND lower(json) LIKE lower(?) ESCAPE '\\'
        LIMIT ${MAX_ROWS}`,
      [...types, `%${pattern}%`],
    );
  const rows = await read(escaped);
  // The first cut compares the text as typed: "Deou" does not find a stored "Déou". When it finds
  // too few, a second cut lets each letter that has accented forms stand for any one character;
  // the folded comparison below keeps only real matches.
  const loose = escaped.replace(/(?<!\\)[aceinouyszAEIOUCNYSZ]/g, '_');
  if (rows.length < MAX_CANDIDATES && loose !== escaped) {
    const seen = new Set(rows.map((r) => r.id));
    for (const r of await read(loose)) if (!seen.has(r.id)) rows.push(r);
  }
  const out: MergeCandidate[] = [];
  for (const r of rows) {
    const o = JSON.parse(r.json) as { name?: unknown; aliases?: unknown; x_aliases?: unknown };
    const name = typeof o.name === 'string' ? o.name : '';
    const aliases = [o.aliases, o.x_aliases]
      .flatMap((a) => (Array.isArray(a) ? a : []))
      .filter((a): a is string => typeof a === 'string');
    let best: { match: MergeCandidate['match']; matched: string } | undefined;
    for (const n of [name, ...aliases]) {
      const f = fold(n);
      const match = f === q ? 'exact' : f.startsWith(q) ? 'prefix' : f.includes(q) ? 'contains' : undefined;
      if (match && (!best || RANK[match] < RANK[best.match])) best = { match, matched: n };
    }
    if (best) out.push({ id: r.id, type: r.type, name, aliases, ...best, modified: r.modified });
  }
  out.sort(
    (a, b) => RANK[a.match] - RANK[b.match] || a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
  );
  return out.slice(0, MAX_CANDIDATES);
}
