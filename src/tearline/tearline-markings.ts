import { compareTlp, type TlpLevel, tlp2MarkingId, tlpLevelOf } from '../stix/markings-tlp.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../stix/types.js';
import { admits, releasabilityOf } from './tearline-releasability.js';
import type { RemovalPlan } from './tearline-removal.js';
import { formatSelector, type PathSegment, parseSelector, selectPath } from './tearline-selector.js';
import { iepLevelOf } from './tearline-statements.js';
import type { MarkingCatalog, StatementCatalog, WithheldCode } from './tearline-types.js';

/** A granular marking at or below the ceiling, to carry (re-targeted) into the copy. */
interface KeptGranular {
  level: TlpLevel | undefined;
  isTlp: boolean;
  /** A statement marking carried under its own id. */
  statement: string | undefined;
  lang: string | undefined;
  paths: PathSegment[][];
}

export interface MarkingPlan {
  ok: true;
  /** Most restrictive object-level marking (or the unmarked level). */
  objectLevel: TlpLevel;
  /** Object-level statement markings the copy carries, in the original's order. */
  statements: string[];
  kept: KeptGranular[];
}

/** What the marking rules read of the partner, the profile and the hub. */
export interface MarkingTerms {
  ceiling: TlpLevel;
  /** The level of an object with no level-bearing marking. */
  unmarkedLevel: TlpLevel;
  /** Where the unmarked level comes from, for the message when it is above the ceiling. */
  unmarkedFrom: string;
  catalog: MarkingCatalog;
  statements: StatementCatalog;
  carryStatements: boolean;
  /** The partner's nationality and communities, matched against granular releasability markings. */
  releasableAs: readonly string[];
}

export type MarkingOutcome = MarkingPlan | { ok: false; code: WithheldCode; message: string };

/** Level of a marking the hub knows (standard TLP or catalogued), undefined when unknown. */
export function levelOfMarking(id: string, catalog: MarkingCatalog): TlpLevel | undefined {
  return tlpLevelOf(id) ?? catalog.get(id);
}

function maxLevel(a: TlpLevel, b: TlpLevel): TlpLevel {
  return compareTlp(a, b) >= 0 ? a : b;
}

/**
 * Checks object-level markings against the ceiling and plans the removal of everything a
 * granular marking above the ceiling selects. Unknown markings count as above every ceiling;
 * a marking above the ceiling whose selector selects nothing withholds the object, since the
 * content it protects cannot be located.
 */
export function planMarkings(obj: JsonObject, terms: MarkingTerms, plan: RemovalPlan): MarkingOutcome {
  const { ceiling, catalog } = terms;
  const refs = obj.object_marking_refs;
  let objectLevel: TlpLevel | undefined;
  const statements: string[] = [];
  if (refs !== undefined) {
    if (!Array.isArray(refs)) return invalid('object_marking_refs must be a list of marking-definition ids');
    for (let i = 0; i < refs.length; i++) {
      const ref = refs[i];
      // A statement restricts nothing: it travels with the copy (unless the profile drops it).
      // An IEP is carried too (always: the partner is bound by it) and its TLP is a level.
      let level: TlpLevel | undefined;
      if (typeof ref === 'string' && terms.statements.has(ref) && tlpLevelOf(ref) === undefined) {
        level = iepLevelOf(terms.statements.get(ref));
        if ((terms.carryStatements || level !== undefined) && !statements.includes(ref)) statements.push(ref);
        if (level === undefined) continue;
      } else level = typeof ref === 'string' ? levelOfMarking(ref, catalog) : undefined;
      if (level === undefined) {
        return above(
          `object_marking_refs[${i}] is a marking the hub does not know; it counts as above every ceiling`,
        );
      }
      if (compareTlp(level, ceiling) > 0) {
        return above(
          `object_marking_refs[${i}] is TLP:${level.toUpperCase()}, above the partner's ceiling TLP:${ceiling.toUpperCase()}`,
        );
      }
      objectLevel = objectLevel === undefined ? level : maxLevel(objectLevel, level);
    }
  }
  if (objectLevel === undefined) {
    const unmarked = terms.unmarkedLevel;
    if (compareTlp(unmarked, ceiling) > 0) {
      return above(
        `the object has no TLP marking, which counts as TLP:${unmarked.toUpperCase()} (${terms.unmarkedFrom}), above the partner's ceiling TLP:${ceiling.toUpperCase()}`,
      );
    }
    objectLevel = unmarked;
  }
  const kept: KeptGranular[] = [];
  const granular = obj.granular_markings;
  if (granular === undefined) return { ok: true, objectLevel, statements, kept };
  if (!Array.isArray(granular)) return invalid('granular_markings must be a list');
  for (let g = 0; g < granular.length; g++) {
    const gm = granular[g];
    if (!isJsonObject(gm) || !Array.isArray(gm.selectors)) {
      return invalid(`granular_markings[${g}] must be an object with a list of selectors`);
    }
    const ref = gm.marking_ref;
    const lang = typeof gm.lang === 'string' ? gm.lang : undefined;
    const statement =
      typeof ref === 'string' && terms.statements.has(ref) && tlpLevelOf(ref) === undefined ? ref : undefined;
    const iep = statement !== undefined ? iepLevelOf(terms.statements.get(statement)) : undefined;
    const level = typeof ref === 'string' && !statement ? levelOfMarking(ref, catalog) : iep;
    // A releasability marking on a part: the part goes when the partner is not admitted.
    const rel = statement !== undefined ? releasabilityOf(terms.statements.get(statement)) : undefined;
    const excluded = rel !== undefined && !admits(rel, terms.releasableAs);
    const isAbove =
      excluded ||
      (ref !== undefined &&
        (statement === undefined || iep !== undefined) &&
        (level === undefined || compareTlp(level, ceiling) > 0));
    const paths: PathSegment[][] = [];
    for (let s = 0; s < gm.selectors.length; s++) {
      const path = resolveSelector(obj, gm.selectors[s] as JsonValue);
      if (path) paths.push(path);
      else if (isAbove) {
        return above(
          `granular_markings[${g}].selectors[${s}] selects nothing, so the content it marks ${excluded ? `${rel?.label} (not releasable to this partner)` : 'above the ceiling'} cannot be removed`,
        );
      }
    }
    if (isAbove)
      for (const path of paths) plan.add(path, excluded ? 'granular-releasability' : 'granular-marking');
    else if (ref === undefined && lang === undefined)
      return invalid(`granular_markings[${g}] has neither marking_ref nor lang`);
    else
      kept.push({
        level,
        isTlp: typeof ref === 'string' && tlpLevelOf(ref) !== undefined,
        statement: terms.carryStatements || iep !== undefined ? statement : undefined,
        lang,
        paths,
      });
  }
  return { ok: true, objectLevel, statements, kept };
}

function resolveSelector(obj: JsonObject, selector: JsonValue): PathSegment[] | undefined {
  if (typeof selector !== 'string') return undefined;
  const path = parseSelector(selector);
  return path && selectPath(obj, path) !== undefined ? path : undefined;
}

/**
 * Writes the copy's markings: one object-level TLP 2.0 marking for the most restrictive level
 * the copy still contains, then the statement markings it carries under their own ids, and the
 * surviving granular markings re-targeted (TLP 1.0 ids become TLP 2.0; markings catalogued with
 * a level are not carried, as the partner cannot resolve them, but their level counts).
 * Granular markings that no longer select anything are dropped.
 */
export function writeMarkings(
  copy: JsonObject,
  plan: MarkingPlan,
  mapPath: (path: readonly PathSegment[]) => PathSegment[] | undefined,
): TlpLevel {
  let effective = plan.objectLevel;
  const out: JsonObject[] = [];
  for (const gm of plan.kept) {
    const selectors: string[] = [];
    for (const path of gm.paths) {
      const mapped = mapPath(path);
      if (mapped && mapped[0] !== 'granular_markings') selectors.push(formatSelector(mapped));
    }
    if (selectors.length === 0) continue;
    if (gm.level !== undefined) effective = maxLevel(effective, gm.level);
    if (gm.isTlp && gm.level !== undefined) out.push({ marking_ref: tlp2MarkingId(gm.level), selectors });
    else if (gm.statement !== undefined) out.push({ marking_ref: gm.statement, selectors });
    else if (gm.lang !== undefined) out.push({ lang: gm.lang, selectors });
  }
  copy.object_marking_refs = [tlp2MarkingId(effective), ...plan.statements];
  if (out.length > 0) copy.granular_markings = out;
  else delete copy.granular_markings;
  return effective;
}

function above(message: string): MarkingOutcome {
  return { ok: false, code: 'marking-above-ceiling', message };
}
function invalid(message: string): MarkingOutcome {
  return { ok: false, code: 'invalid-tearline', message };
}
