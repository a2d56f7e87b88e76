import { IEP_EXTENSION_ID, parseIep } from '../policy/marking-iep.js';
import type { TlpLevel } from '../stix/markings-tlp.js';
import { isJsonObject, type JsonObject } from '../stix/types.js';
import { canonicalJsonOf } from './tearline-digest.js';
import type { SanitiseContext } from './tearline-types.js';

/** Most characters of a statement the hub passes on: a notice, not a document. */
export const STATEMENT_MAX_CHARS = 4000;

/**
 * The copy of a statement marking definition a partner gets with the first copy that carries it:
 * its own id (a public notice the partner may already hold from its publisher), its creation
 * time, name and statement, nothing else (no creator, references or custom properties).
 * Undefined when `def` is not a usable statement definition.
 */
export function statementCopyOf(def: JsonObject): JsonObject | undefined {
  if (isJsonObject(def.extensions) && def.extensions[IEP_EXTENSION_ID] !== undefined) return iepCopyOf(def);
  if (def.type !== 'marking-definition' || def.definition_type !== 'statement') return undefined;
  const definition = def.definition;
  if (!isJsonObject(definition) || typeof definition.statement !== 'string') return undefined;
  if (definition.statement.length === 0 || definition.statement.length > STATEMENT_MAX_CHARS)
    return undefined;
  if (typeof def.id !== 'string' || typeof def.created !== 'string') return undefined;
  const copy: JsonObject = {
    type: 'marking-definition',
    spec_version: '2.1',
    id: def.id,
    created: def.created,
    definition_type: 'statement',
    definition: { statement: definition.statement },
  };
  if (typeof def.name === 'string') copy.name = def.name;
  return copy;
}

const iepLevels = new WeakMap<JsonObject, TlpLevel | null>();

/** The TLP level an IEP 2.0 marking definition states, undefined for any other definition. */
export function iepLevelOf(def: JsonObject | undefined): TlpLevel | undefined {
  if (def === undefined) return undefined;
  let level = iepLevels.get(def);
  if (level === undefined) {
    const parsed = parseIep(def);
    level = parsed?.kind === 'iep' ? parsed.terms.tlp : null;
    iepLevels.set(def, level);
  }
  return level ?? undefined;
}

const checked = new WeakMap<SanitiseContext, Map<string, StatementCheck>>();

export type StatementCheck =
  | { ok: true; copy: JsonObject }
  | { ok: false; code: 'forbidden-term' | 'internal-marking'; message: string };

/**
 * Whether a statement may travel to this partner: a usable definition whose text passes the
 * forbidden-term rules. Cached per context (a context is one partner's, built once per pass).
 */
export function checkStatement(id: string, ctx: SanitiseContext): StatementCheck {
  let cache = checked.get(ctx);
  if (!cache) {
    cache = new Map();
    checked.set(ctx, cache);
  }
  const hit = cache.get(id);
  if (hit) return hit;
  const def = ctx.statements.get(id);
  const copy = def && statementCopyOf(def);
  let result: StatementCheck;
  if (!copy) {
    result = {
      ok: false,
      code: 'internal-marking',
      message: `statement marking ${id} has no usable definition (a statement of 1-${STATEMENT_MAX_CHARS} characters)`,
    };
  } else {
    const found = ctx.forbidden.scan(canonicalJsonOf(copy) ?? '');
    result = found
      ? {
          ok: false,
          code: 'forbidden-term',
          message: `forbidden-term rule '${found.name}' (${found.source}) matched statement marking ${id}`,
        }
      : { ok: true, copy };
  }
  cache.set(id, result);
  return result;
}

/**
 * The copy of an IEP 2.0 marking definition: its id, creation time, name and the IEP fields as
 * the hub read them (normalised), so the partner is bound by the same policy; no creator,
 * references or other extensions. Undefined when the hub cannot read it.
 */
function iepCopyOf(def: JsonObject): JsonObject | undefined {
  const parsed = parseIep(def);
  if (parsed?.kind !== 'iep' || typeof def.id !== 'string' || typeof def.created !== 'string')
    return undefined;
  const t = parsed.terms;
  const ext = def.extensions as JsonObject;
  const src = ext[IEP_EXTENSION_ID] as JsonObject;
  const content: JsonObject = {
    extension_type: 'property-extension',
    encrypt_in_transit: t.encrypt_in_transit,
    permitted_actions: t.permitted_actions,
    affected_party_notifications: t.affected_party_notifications,
    tlp: t.tlp === 'clear' ? 'white' : t.tlp,
    provider_attribution: t.provider_attribution,
    unmodified_resale: t.unmodified_resale,
    iep_id: t.iep_id,
    iep_version: 2.0,
    description: typeof src.description === 'string' ? src.description.slice(0, STATEMENT_MAX_CHARS) : '',
    start_date: t.start_date,
    ...(t.end_date !== undefined && { end_date: t.end_date }),
  };
  const copy: JsonObject = {
    type: 'marking-definition',
    spec_version: '2.1',
    id: def.id,
    created: def.created,
    extensions: { [IEP_EXTENSION_ID]: content },
  };
  if (typeof def.name === 'string') copy.name = def.name;
  return copy;
}
