import { compareTlp, isStandardTlpMarking, TLP_MARKINGS } from '../stix/markings-tlp.js';
import { computeScoId } from '../stix/sco-id.js';
import { isJsonObject, type JsonObject, type JsonValue, setOwn } from '../stix/types.js';
import { validateObject } from '../stix/validate.js';
import { canonicalJsonOf, canonicalJsonOfOrdered, digestCanonicalJson } from './tearline-digest.js';
import { asUuidV4 } from './tearline-ids.js';
import { type MarkingPlan, type MarkingTerms, planMarkings, writeMarkings } from './tearline-markings.js';
import { applyPrecision } from './tearline-precision.js';
import { matchesNameList } from './tearline-profile.js';
import { planReferenceClosure, rewriteReferences } from './tearline-references.js';
import { applyRemovals, cloneJson, RemovalPlan } from './tearline-removal.js';
import { planSourceProtection } from './tearline-source.js';
import { checkStatement, iepLevelOf } from './tearline-statements.js';
import {
  dedupeRefLists,
  namesSubmitter,
  type SubmitterCatalog,
  submitterRuleFor,
} from './tearline-submitter.js';
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
  if (object.type === 'marking-definition') return sanitiseMarkingDefinition(object.id, ctx);
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
  // Whose submission this was decides whether it goes at all, and whether it may name them.
  const submitter = submitterRuleFor(object, partner.partnerId, ctx.submitters ?? NO_SUBMITTERS);
  if (submitter.kind === 'withhold') return withheld('submitter-consent', submitter.message);
  const resolvable: ReleasedSet =
    submitter.kind === 'anonymise'
      ? hubInPlaceOf(submitter.id, partner.releasingIdentityId, released)
      : released;

  const plan = new RemovalPlan();
  const markings = planMarkings(object, markingTermsOf(ctx), plan);
  if (!markings.ok) return withheld(markings.code, markings.message);
  for (const id of carriedStatements(markings)) {
    const check = checkStatement(id, ctx);
    if (!check.ok) return withheld(check.code, check.message);
  }
  planSourceProtection(object, rules, profile, plan);
  const mapping = planReferenceClosure(object, partner.releasingIdentityId, resolvable, plan);
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
  if (submitter.kind === 'anonymise') {
    dedupeRefLists(copy);
    if (namesSubmitter(copy, submitter)) {
      return withheld(
        'submitter-named',
        "the copy would name the partner whose submission it was promoted from, whose agreement allows the hub to be named only (submitter_consent: hub-only): edit the object's text",
      );
    }
  }
  const partnerObjectId =
    rules.kind === 'sco'
      ? (computeScoId(copy) ?? asUuidV4(partner.deriveId(object.id)))
      : partner.deriveId(object.id);
  copy.id = partnerObjectId;
  return finish(sortTopLevel(copy), applied.keysInOrder, partnerObjectId, applied.removed, ctx, mapping);
}

const NO_SUBMITTERS: SubmitterCatalog = new Map();

/** `released`, with references to the submitter's identity resolving to the hub's instead. */
function hubInPlaceOf(submitterId: string, hubId: string, released: ReleasedSet): ReleasedSet {
  return { partnerIdOf: (id) => (id === submitterId ? hubId : released.partnerIdOf(id)) };
}

const termsOf = new WeakMap<SanitiseContext, MarkingTerms>();

/** The marking rules of a context, worked out once per context. */
function markingTermsOf(ctx: SanitiseContext): MarkingTerms {
  const found = termsOf.get(ctx);
  if (found) return found;
  const { profile } = ctx;
  const hub = ctx.untaggedLevel;
  // The hub's default may raise the profile's level, never lower it (fail closed).
  const hubWins = hub !== undefined && compareTlp(hub, profile.unmarked_level) >= 0;
  const terms: MarkingTerms = {
    ceiling: ctx.partner.ceiling,
    unmarkedLevel: hubWins ? hub : profile.unmarked_level,
    unmarkedFrom: hubWins
      ? "the hub's untagged_tlp"
      : `profile '${profile.name}' counts objects without a TLP marking as TLP:${profile.unmarked_level.toUpperCase()}`,
    catalog: ctx.markings,
    statements: ctx.statements,
    carryStatements: profile.statement_markings === 'carry',
    releasableAs: ctx.partner.releasableAs ?? [],
  };
  termsOf.set(ctx, terms);
  return terms;
}

function carriedStatements(plan: MarkingPlan): string[] {
  const out = [...plan.statements];
  for (const gm of plan.kept)
    if (gm.statement !== undefined && !out.includes(gm.statement)) out.push(gm.statement);
  return out;
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
  const validation = validateObject(copy, {
    isKnownMarking: (id) => isStandardTlpMarking(id) || ctx.statements.has(id),
  });
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
    // A carried statement goes to the partner with the copy (release-publish.ts).
    if (ctx.statements.has(id) && carries(copy, id)) continue;
    partnerIds ??= new Set(mapping.values());
    if (partnerIds.has(id)) continue;
    const extensions = copy.extensions;
    if (isJsonObject(extensions) && Object.hasOwn(extensions, id)) continue;
    return id;
  }
  return undefined;
}

/** True when the copy names `id` as a marking (object-level or granular), not merely in text. */
function carries(copy: JsonObject, id: string): boolean {
  const refs = copy.object_marking_refs;
  if (Array.isArray(refs) && refs.includes(id)) return true;
  const granular = copy.granular_markings;
  return Array.isArray(granular) && granular.some((g) => isJsonObject(g) && g.marking_ref === id);
}

function sanitiseMarkingDefinition(id: string, ctx: SanitiseContext): TearlineResult {
  const tlp = TLP_MARKINGS.find((m) => m.id === id);
  if (!tlp) {
    // An IEP travels whatever the profile says: the partner is bound by it.
    const carried =
      ctx.profile.statement_markings === 'carry' || iepLevelOf(ctx.statements.get(id)) !== undefined;
    if (ctx.statements.has(id) && carried) {
      const check = checkStatement(id, ctx);
      if (!check.ok) return withheld(check.code, check.message);
      const canonical = canonicalJsonOf(check.copy) ?? '';
      return {
        ok: true,
        partnerObjectId: id,
        tearline: check.copy,
        digest: digestCanonicalJson(canonical),
        removed: [],
      };
    }
    return withheld(
      'internal-marking',
      'only standard TLP and statement marking definitions are released; other markings stay in the hub',
    );
  }
  const copy = cloneJson(tlp.definition) as JsonObject;
  const digest = digestCanonicalJson(canonicalJsonOf(copy) ?? '');
  return { ok: true, partnerObjectId: id, tearline: copy, digest, removed: [] };
}

function codeForRequired(rule: RemovalRule): WithheldCode {
  if (rule === 'granular-marking') return 'marking-above-ceiling';
  if (rule === 'granular-releasability') return 'releasability';
  if (rule === 'reference-closure') return 'dangling-reference';
  return 'invalid-tearline';
}

function withheld(code: WithheldCode, message: string): TearlineWithheld {
  return { ok: false, code, message };
}
