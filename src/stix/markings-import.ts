import { isTlpLevel, TLP_LEVELS, tlp2MarkingId, tlpLevelOf } from './markings-tlp.js';
import { isJsonObject, type JsonObject } from './types.js';

/**
 * A marking given at import (`tearline import --marking`, an analyst's TAXII default, a pulled
 * source's): a TLP level, or a statement marking definition the hub holds.
 */
export interface ImportMarking {
  id: string;
  kind: 'tlp' | 'statement';
}

export type ImportMarkingParse =
  | { ok: true; marking: ImportMarking }
  | { ok: false; code: 'marking-syntax' | 'marking-unknown'; message: string };

const ID_RE = /^marking-definition--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Reads `tlp:clear|green|amber|amber+strict|red` (TLP 2.0), a standard TLP marking-definition id
 * (1.0 or 2.0), or the id of a statement marking definition in `statements` (the hub's). Anything
 * else is refused: a marking the hub does not know would withhold what it was meant to release.
 */
export function parseImportMarking(value: string, statements: ReadonlySet<string>): ImportMarkingParse {
  const v = value.trim();
  if (v.toLowerCase().startsWith('tlp:')) {
    const level = v.slice(4).toLowerCase();
    if (level === 'white') return { ok: true, marking: { id: tlp2MarkingId('clear'), kind: 'tlp' } };
    if (!isTlpLevel(level)) {
      return {
        ok: false,
        code: 'marking-syntax',
        message: `marking '${value}' is not one of ${TLP_LEVELS.map((l) => `tlp:${l}`).join(', ')}`,
      };
    }
    return { ok: true, marking: { id: tlp2MarkingId(level), kind: 'tlp' } };
  }
  if (!ID_RE.test(v)) {
    return {
      ok: false,
      code: 'marking-syntax',
      message: `marking '${value}' must be tlp:LEVEL or marking-definition--UUID (lower case)`,
    };
  }
  if (tlpLevelOf(v) !== undefined) return { ok: true, marking: { id: v, kind: 'tlp' } };
  if (statements.has(v)) return { ok: true, marking: { id: v, kind: 'statement' } };
  return {
    ok: false,
    code: 'marking-unknown',
    message: `marking ${v} is neither a standard TLP marking nor a statement marking definition the hub holds; import its definition first`,
  };
}

/**
 * Gives an object the import's marking where it carries none of that kind, and says whether it
 * did. A TLP marking goes only to objects without a TLP marking, so it never lowers (or raises)
 * a level the object states; a statement goes to objects that do not carry it yet. Marking
 * definitions are left as they are. Changes `object` in place.
 */
export function applyImportMarking(object: JsonObject, marking: ImportMarking): boolean {
  if (object.type === 'marking-definition') return false;
  const refs = object.object_marking_refs;
  if (refs !== undefined && !Array.isArray(refs)) return false;
  const list = (refs ?? []) as unknown[];
  if (marking.kind === 'tlp') {
    if (list.some((r) => typeof r === 'string' && tlpLevelOf(r) !== undefined)) return false;
  } else if (list.includes(marking.id)) return false;
  object.object_marking_refs = [...list.filter((r): r is string => typeof r === 'string'), marking.id];
  return true;
}

/** The details an ingest ledger entry records of the marking given at import. */
export function importMarkingDetails(
  marking: ImportMarking,
  marked: number,
): { marking: string; marked: number } {
  return { marking: marking.id, marked };
}

/** Whether `value` is a JSON object holding a statement definition (for callers reading raw rows). */
export function isStatementDefinition(value: unknown): boolean {
  return (
    isJsonObject(value) &&
    value.type === 'marking-definition' &&
    value.definition_type === 'statement' &&
    isJsonObject(value.definition)
  );
}
