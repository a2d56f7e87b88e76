import type { JsonObject } from '../stix/types.js';

/** The ACS/ISA marking extension for STIX 2.1 (access privileges, nationalities, caveats). */
export const ACS_EXTENSION_ID = 'extension-definition--3a65884d-005a-4290-8335-cb2d778a83ce';

/**
 * What a marking definition says about who may receive what it marks:
 * - `releasable`: only these nationalities or communities (`to`, sorted); `ALL` is no limit.
 * - `unparsable`: it is a releasability marking the hub cannot read: fail closed.
 * - undefined: it is not a releasability marking.
 */
export type Releasability =
  | { kind: 'releasable'; to: string[] | 'ALL'; label: string }
  | { kind: 'unparsable'; why: string };

// Trigraphs (ISO 3166-1 alpha-3) and community tetragraphs or names (FVEY, NATO, EU-CT).
const TOKEN = /^[A-Z][A-Z0-9-]{1,31}$/;
const REL_TO = /^\s*REL(?:EASABLE)?\s+TO\s*:?\s*(.*)$/is;
const LIMIT = 300;

/** "REL TO USA, GBR" in a statement marking, or the ACS extension; else undefined. */
export function parseReleasability(def: JsonObject): Releasability | undefined {
  const ext = isObj(def.extensions) ? def.extensions[ACS_EXTENSION_ID] : undefined;
  if (ext !== undefined) return parseAcs(ext);
  const statement = isObj(def.definition) ? def.definition.statement : undefined;
  if (def.definition_type !== 'statement' || typeof statement !== 'string') return undefined;
  const m = REL_TO.exec(statement);
  if (!m) return undefined;
  const tokens = (m[1] ?? '')
    .split(/\s*(?:,|\/|\band\b)\s*/i)
    .map((t) => t.trim().toUpperCase())
    .filter((t) => t !== '');
  if (tokens.length === 0 || tokens.length > LIMIT || !tokens.every((t) => TOKEN.test(t)))
    return { kind: 'unparsable', why: `statement "${statement.slice(0, 80)}" does not list nationalities` };
  return releasable(tokens, `REL TO ${tokens.join(', ')}`);
}

/**
 * The nationalities an ACS marking permits: those every list in it allows (the control set's
 * and each permitting access privilege's scope). A deny rule, or any shape the hub does not know,
 * makes the marking unparsable: the hub cannot tell who is excluded, so it releases to no one.
 */
function parseAcs(ext: unknown): Releasability {
  const bad = (why: string): Releasability => ({ kind: 'unparsable', why: `ACS marking: ${why}` });
  if (!isObj(ext)) return bad('the extension is not an object');
  const lists: (string[] | 'ALL')[] = [];
  const read = (v: unknown, where: string): string | undefined => {
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.length === 0 || v.length > LIMIT) return `${where} must be a non-empty list`;
    const tokens = v.map((t) => (typeof t === 'string' ? t.trim().toUpperCase() : ''));
    if (!tokens.every((t) => TOKEN.test(t))) return `${where} holds a value that is not a nationality code`;
    lists.push(tokens.includes('ALL') ? 'ALL' : tokens);
    return undefined;
  };
  const control = ext.control_set;
  if (control !== undefined) {
    if (!isObj(control)) return bad('control_set is not an object');
    const e = read(control.permitted_nationalities, 'control_set.permitted_nationalities');
    if (e) return bad(e);
  }
  const privileges = ext.access_privilege;
  if (privileges !== undefined) {
    if (!Array.isArray(privileges)) return bad('access_privilege is not a list');
    for (const [i, p] of privileges.entries()) {
      if (!isObj(p)) return bad(`access_privilege[${i}] is not an object`);
      if (p.rule_effect !== 'permit') return bad(`access_privilege[${i}] is not a permit rule`);
      const scope = p.privilege_scope;
      if (scope === undefined) continue;
      if (!isObj(scope)) return bad(`access_privilege[${i}].privilege_scope is not an object`);
      const e = read(
        scope.permitted_nationalities,
        `access_privilege[${i}].privilege_scope.permitted_nationalities`,
      );
      if (e) return bad(e);
    }
  }
  let to: string[] | 'ALL' = 'ALL';
  for (const l of lists) {
    if (l === 'ALL') continue;
    to = to === 'ALL' ? l : to.filter((t) => l.includes(t));
  }
  return releasable(
    to,
    to === 'ALL' ? 'ACS: releasable to all' : `ACS: permitted nationalities ${to.join(', ')}`,
  );
}

function releasable(to: string[] | 'ALL', label: string): Releasability {
  return {
    kind: 'releasable',
    to: to === 'ALL' || to.includes('ALL') ? 'ALL' : [...new Set(to)].sort(),
    label,
  };
}

/** Whether a partner of these nationality/communities is admitted by every marking's list. */
export function isReleasableTo(to: readonly (readonly string[])[], partner: readonly string[]): boolean {
  return to.every((list) => partner.some((p) => list.includes(p)));
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
