import { decodeLeaf, type EntryOpening, openStoredEntry } from '../../ledger/ledger-commitment.js';
import { ENTRY_KINDS, type EntryKind, type LedgerEntry } from '../../ledger/ledger-entry.js';
import { describeEntry, describePublicEntry, type EntryNames } from '../../ledger/ledger-sentence.js';
import type { AuditRow } from '../console-shapes.js';
import type { SqlDatabase } from '../sql/sql-database.js';

export type { AuditRow };

/**
 * The ledger as a list to browse: filtered and paged in SQL (newest first), each entry decoded
 * into a sentence. `open` says whether the reader may see private parts (actors, partners,
 * approvers): without it only what a receipt would show is returned.
 */
export interface AuditFilter {
  kind?: EntryKind;
  /** A partner id: matched against the entry's private part, so only for those who may open it. */
  partnerId?: string;
  actor?: string;
  /** RFC 3339 bounds on the entry's time, from inclusive, to exclusive. */
  from?: string;
  to?: string;
}

export const AUDIT_PAGE_MAX = 200;
/** Most rows one export holds; a larger ledger is exported a period at a time. */
export const AUDIT_EXPORT_MAX = 50_000;

interface RawRow {
  idx: number;
  kind: string;
  time: string;
  actor: string;
  bytes: Uint8Array;
  salt: Uint8Array | null;
  private: Uint8Array | null;
}

/** Parses query-string filters; an error names the parameter and what it takes. */
export function parseAuditFilter(
  q: Record<string, string | undefined>,
):
  | { ok: true; filter: Omit<AuditFilter, 'partnerId'> & { partner?: string } }
  | { ok: false; message: string } {
  const filter: Omit<AuditFilter, 'partnerId'> & { partner?: string } = {};
  if (q.kind) {
    if (!(ENTRY_KINDS as string[]).includes(q.kind))
      return {
        ok: false,
        message: `kind must be one of ${ENTRY_KINDS.join(', ')}; got ${JSON.stringify(q.kind)}`,
      };
    filter.kind = q.kind as EntryKind;
  }
  for (const bound of ['from', 'to'] as const) {
    const v = q[bound];
    if (!v) continue;
    const t = Date.parse(v);
    if (v.length > 40 || Number.isNaN(t))
      return {
        ok: false,
        message: `${bound} must be a date or RFC 3339 time; got ${JSON.stringify(v.slice(0, 40))}`,
      };
    filter[bound] = new Date(t).toISOString();
  }
  for (const text of ['partner', 'actor'] as const) {
    const v = q[text];
    if (v === undefined || v === '') continue;
    if (v.length > 200) return { ok: false, message: `${text} must be at most 200 characters` };
    filter[text] = v;
  }
  return { ok: true, filter };
}

function whereOf(sql: SqlDatabase, f: AuditFilter): { where: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  // Times are RFC 3339 UTC text: compared bytewise (PostgreSQL's default collation may not be).
  const time = sql.dialect === 'postgres' ? 'time COLLATE "C"' : 'time';
  if (f.kind) {
    parts.push('kind = ?');
    params.push(f.kind);
  }
  if (f.actor) {
    parts.push('actor = ?');
    params.push(f.actor);
  }
  if (f.from) {
    parts.push(`${time} >= ?`);
    params.push(f.from);
  }
  if (f.to) {
    parts.push(`${time} < ?`);
    params.push(f.to);
  }
  if (f.partnerId) {
    // Private parts are RFC 8785 JSON: a member is `"partner":<JSON string>` exactly, and inside a
    // string value every quote is escaped, so this matches the member and nothing else. Version 1
    // leaves are the whole entry, in the same canonical form.
    const needle = `"partner":${JSON.stringify(f.partnerId)}`;
    parts.push(
      sql.dialect === 'postgres'
        ? "position(? in convert_from(coalesce(private, bytes), 'UTF8')) > 0"
        : 'instr(CAST(coalesce(private, bytes) AS TEXT), ?) > 0',
    );
    params.push(needle);
  }
  return { where: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params };
}

export async function countAuditEntries(sql: SqlDatabase, f: AuditFilter): Promise<number> {
  const { where, params } = whereOf(sql, f);
  const row = await sql.get<{ n: number | string }>(
    `SELECT count(*) AS n FROM ledger_entries ${where}`,
    params,
  );
  return Number(row?.n ?? 0);
}

/** Entries matching `f`, newest first, `limit` of them after skipping `offset`. */
export async function listAuditEntries(
  sql: SqlDatabase,
  f: AuditFilter,
  page: { limit: number; offset: number; oldestFirst?: boolean },
  open: boolean,
  names: (rows: { entries: LedgerEntry[] }) => Promise<EntryNames>,
): Promise<AuditRow[]> {
  const { where, params } = whereOf(sql, f);
  const rows = await sql.all<RawRow>(
    `SELECT idx, kind, time, actor, bytes, salt, private FROM ledger_entries ${where}
      ORDER BY idx ${page.oldestFirst ? 'ASC' : 'DESC'} LIMIT ? OFFSET ?`,
    [...params, page.limit, page.offset],
  );
  if (!open) return rows.map(publicRow);
  const opened = rows.map((r) => {
    const opening: EntryOpening | undefined =
      r.salt && r.private ? { salt: r.salt, private: r.private } : undefined;
    return { row: r, opened: openStoredEntry(r.bytes, opening) };
  });
  const lookup = await names({ entries: opened.flatMap((o) => (o.opened.ok ? [o.opened.entry] : [])) });
  return opened.map(({ row, opened: o }) =>
    o.ok
      ? {
          index: Number(row.idx),
          kind: row.kind,
          time: row.time,
          actor: row.actor,
          sentence: describeEntry(o.entry, lookup),
          entry: o.entry as unknown as Record<string, unknown>,
          readable: true,
        }
      : {
          index: Number(row.idx),
          kind: row.kind,
          time: row.time,
          actor: row.actor,
          sentence: `Entry ${row.idx} cannot be opened: ${o.message}`,
          entry: {},
          readable: false,
        },
  );
}

function publicRow(r: RawRow): AuditRow {
  const decoded = decodeLeaf(r.bytes);
  const base = { index: Number(r.idx), kind: r.kind, time: r.time };
  if (!decoded.ok)
    return {
      ...base,
      sentence: `Entry ${r.idx} cannot be decoded: ${decoded.message}`,
      entry: {},
      readable: false,
    };
  // A version 1 leaf is the whole entry (actor included): readers without audit see its kind only.
  if (decoded.leaf.version === 1)
    return {
      ...base,
      sentence: `A ${r.kind} entry (its details are for oversight)`,
      entry: {},
      readable: true,
    };
  const { commitment: _c, v: _v, ...pub } = decoded.leaf.entry as unknown as Record<string, unknown>;
  return { ...base, sentence: describePublicEntry(decoded.leaf.entry), entry: pub, readable: true };
}

/** Partner and object names for the ids a page of entries mentions. */
export async function auditNames(sql: SqlDatabase, entries: readonly LedgerEntry[]): Promise<EntryNames> {
  const partners = new Map(
    (await sql.all<{ id: string; name: string }>('SELECT id, name FROM partners')).map((p) => [p.id, p.name]),
  );
  const ids = [
    ...new Set(
      entries.flatMap((e) =>
        'original_id' in e && typeof e.original_id === 'string' ? [e.original_id] : [],
      ),
    ),
  ];
  const objects = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await sql.all<{ id: string; json: string }>(
      `SELECT id, json FROM objects WHERE is_latest AND id IN (${chunk.map(() => '?').join(', ')})`,
      chunk,
    );
    for (const r of rows) {
      const name = (JSON.parse(r.json) as { name?: unknown }).name;
      if (typeof name === 'string' && name.length > 0) objects.set(r.id, name);
    }
  }
  return { partner: (id) => partners.get(id), object: (id) => objects.get(id) };
}

/**
 * Every release ever made, oldest first, with the partner's name (the console's disclosures
 * CSV): the columns of release_records an overseer reconciles against the ledger.
 */
export function listDisclosureRows(sql: SqlDatabase): Promise<Record<string, unknown>[]> {
  return sql.all<Record<string, unknown>>(
    `SELECT r.release_id, p.name AS partner, r.original_id, r.original_version, r.derived_id, r.released_at,
            r.visible_from, r.approvals, r.reasons, r.ledger_index, r.recalled_at, r.recall_reason
       FROM release_records r LEFT JOIN partners p ON p.id = r.partner_id ORDER BY r.released_at, r.release_id`,
  );
}
