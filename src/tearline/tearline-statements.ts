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
