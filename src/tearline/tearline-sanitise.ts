import { isStandardTlpMarking, TLP_MARKINGS } from '../stix/markings-tlp.js';
import { computeScoId } from '../stix/sco-id.js';
import { isJsonObject, type JsonObject, type JsonValue, setOwn } from '../stix/types.js';
import { validateObject } from '../stix/validate.js';
import { canonicalJsonOf, canonicalJsonOfOrdered, digestCanonicalJson } from './tearline-digest.js';
import { asUuidV4 } from './tearline-ids.js';
import { planMarkings, writeMarkings } from './tearline-markings.js';
import { applyPrecision } from './tearline-precision.js';
import { matchesNameList } from './tearline-profile.js';
import { planReferenceClosure, rewriteReferences } from './tearline-references.js';
import { applyRemovals, cloneJson, RemovalPlan } from './tearline-removal.js';
import { planSourceProtection } from './tearline-source.js';
import { customTypeRules, TYPE_RULES, type TypeRules } from './tearline-type-registry.js';
import type {
  ReleasedSet,
  Removal,
  RemovalRule,
  SanitiseContext,
  TearlineResult,
  TearlineWithheld,
  WithheldCode,
} from './tearline-types.js';

// UUID hex digits are case-insensitive on input (RFC 9562); derived ids are always lower case.
const ID_RE =
  /^[a-z0-9][a-z0-9-]*--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const UUID_AT = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/y;
/** a-z, 0-9 and '-': the characters of a STIX type name. */
function isTypeChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45;
}
/** Meta objects with no safe tearline: translations would carry content removed elsewhere. */
const UNSUPPORTED_TYPES = new Set(['language-content', 'extension-definition']);

/**
 * Makes the copy of one object version that one partner may see, or says why it must be
 * withheld. Deterministic: the same arguments give byte-identical output. `released` says
 * what the partner can resolve (released before, or in the same batch).
 */
export function sanitise(object: JsonValue, ctx: SanitiseContext, released: ReleasedSet): TearlineResult {
  if (!isJsonObject(object) || typeof object.type !== 'string' || typeof object.id !== 'string') {
    return withheld('not-an-object', 'a STIX object with string type and id is required');
  }
  if (!ID_RE.test(object.id) || !object.id.startsWith(`${object.type}--`)) {
    return withheld('invalid-tearline', `id '${object.id}' is not a valid STIX id for type '${object.type}'`);
  }
  if (object.type === 'marking-definition') return sanitiseMarkingDefinition(object.id);
  if (UNSUPPORTED_TYPES.has(object.type)) {
    return withheld('unsupported-type', `${object.type} objects are not released as tearlines`);
  }
  const { partner, profile } = ctx;
  let rules: TypeRules | undefined = TYPE_RULES[object.type];
  if (!rules) {
    if (!matchesNameList(profile.allow_custom_types, object.type)) {
      return withheld(
        'custom-type',
        `custom type '${object.type}' is not allowed by profile '${profile.name}'`,
      );
    }
    rules = customTypeRules(object.created !== undefined);
  }

  const plan = new RemovalPlan();
  const markings = planMarkings(object, partner.ceiling, profile.unmarked_level, ctx.markings, plan);
  if (!markings.ok) return withheld(markings.code, markings.message);
  planSourceProtection(object, rules, profile, plan);
  const mapping = planReferenceClosure(object, partner.releasingIdentityId, released, plan);
  const applied = applyRemovals(object, plan);
  const copy = applied.copy;
  for (const required of rules.required) {
    if (copy[required] !== undefined) continue;
    const rule = applied.goneTopLevel.get(required);
    if (rule === undefined)
      return withheld('invalid-tearline', `the original lacks required property '${required}'`);
    return withheld(codeForRequired(rule), `required property '${required}' would be removed (rule ${rule})`);
  }

  rewriteReferences(copy, mapping);
  if (rules.kind !== 'sco') copy.created_by_ref = partner.releasingIdentityId;
  writeMarkings(copy, markings, applied.mapPath);
  applyPrecision(copy, rules, profile);
  const partnerObjectId =
    rules.kind === 'sco'
      ? (computeScoId(copy) ?? asUuidV4(partner.deriveId(object.id)))
      : partner.deriveId(object.id);
  copy.id = partnerObjectId;
  return finish(sortTopLevel(copy), applied.keysInOrder, partnerObjectId, applied.removed, ctx, mapping);
}

/** The copy with its top-level keys in sorted order (nested objects already are). */
function sortTopLevel(copy: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(copy).sort()) setOwn(out, key, copy[key] as JsonValue);
  return out;
}

function finish(
  copy: JsonObject,
  keysInOrder: boolean,
  partnerObjectId: string,
  removed: Removal[],
  ctx: SanitiseContext,
  mapping: ReadonlyMap<string, string>,
): TearlineResult {
  const canonical = keysInOrder ? canonicalJsonOfOrdered(copy) : canonicalJsonOf(copy);
  if (canonical === undefined) return withheld('invalid-tearline', 'the copy cannot be serialised as JSON');
  const hit = ctx.forbidden.scan(canonical);
  if (hit) {
    return {
      ok: false,
      code: 'forbidden-term',
      message: `forbidden-term rule '${hit.name}' (${hit.source}) matched the copy`,
      rule: hit,
    };
  }
  const leaked = findUnreleasedId(canonical, partnerObjectId, ctx, mapping, copy);
  if (leaked !== undefined) {
    return withheld('internal-id', `the copy mentions '${leaked}', which is not released to this partner`);
  }
  const validation = validateObject(copy, { isKnownMarking: isStandardTlpMarking });
  if (!validation.valid) {
    const issues = validation.errors.map((e) => `${e.path || '(object)'}: ${e.code}`).join('; ');
    return withheld('invalid-tearline', `the copy is not valid STIX 2.1 (${issues})`);
  }
  const digest = digestCanonicalJson(canonical);
  return { ok: true, partnerObjectId, tearline: copy, digest, removed };
}

/**
 * Belt and braces for "a partner never sees an internal id": any identifier in the serialised
 * copy (free text included) must be the copy's own id, a reference that was rewritten, the
 * releasing identity, a standard TLP marking or an allowed extension key.
 */
function findUnreleasedId(
  canonical: string,
  ownId: string,
  ctx: SanitiseContext,
  mapping: ReadonlyMap<string, string>,
  copy: JsonObject,
): string | undefined {
  let partnerIds: Set<string> | undefined;
  // Find each '--' followed by a UUID, then walk back over the type name: a single regex with
  // a leading character class would retry every position of every word.
  for (let at = canonical.indexOf('--'); at >= 0; at = canonical.indexOf('--', at + 2)) {
    UUID_AT.lastIndex = at + 2;
    if (!UUID_AT.test(canonical)) continue;
    let start = at;
    while (start > 0 && isTypeChar(canonical.charCodeAt(start - 1))) start--;
    const id = canonical.slice(start, at + 38);
    if (id === ownId || id === ctx.partner.releasingIdentityId || isStandardTlpMarking(id)) continue;
    partnerIds ??= new Set(mapping.values());
    if (partnerIds.has(id)) continue;
    const extensions = copy.extensions;
    if (isJsonObject(extensions) && Object.hasOwn(extensions, id)) continue;
    return id;
  }
  return undefined;
}

function sanitiseMarkingDefinition(id: string): TearlineResult {
  const tlp = TLP_MARKINGS.find((m) => m.id === id);
  if (!tlp) {
    return withheld(
      'internal-marking',
      'only standard TLP marking definitions are released; statement markings stay in the hub',
    );
  }
  const copy = cloneJson(tlp.definition) as JsonObject;
  const digest = digestCanonicalJson(canonicalJsonOf(copy) ?? '');
  return { ok: true, partnerObjectId: id, tearline: copy, digest, removed: [] };
}

function codeForRequired(rule: RemovalRule): WithheldCode {
  if (rule === 'granular-marking') return 'marking-above-ceiling';
  if (rule === 'reference-closure') return 'dangling-reference';
  return 'invalid-tearline';
}

function withheld(code: WithheldCode, message: string): TearlineWithheld {
  return { ok: false, code, message };
}
