import { TLP_LEVELS, type TlpLevel, tlpLevelOf } from '../stix/markings-tlp.js';
import type { JsonObject } from '../stix/types.js';
import type { IepTerms } from './marking-iep.js';

/**
 * How the hub understands a marking: a TLP level; a statement (a copyright or terms notice,
 * which restricts nothing and travels with the object); or unknown, which may restrict sharing
 * in ways the hub cannot see and so blocks release.
 */
export type MarkingClass =
  | { kind: 'tlp'; level: TlpLevel }
  | { kind: 'statement' }
  | { kind: 'unknown' }
  /** A releasability marking (REL TO, ACS): only these nationalities or communities may receive it. */
  | { kind: 'releasability'; to: string[] | 'ALL'; label: string }
  /** A FIRST IEP 2.0 policy: its TLP counts as a TLP marking; the decision enforces the rest. */
  | { kind: 'iep'; terms: IepTerms };
export type MarkingClassifier = (markingId: string) => MarkingClass;

/** Knows only the standard TLP 1.0 and 2.0 markings; everything else is unknown. */
export function classifyStandardMarking(markingId: string): MarkingClass {
  const level = tlpLevelOf(markingId);
  return level === undefined ? { kind: 'unknown' } : { kind: 'tlp', level };
}

/** The decision-relevant facts of one intel version, independent of any partner. */
export interface IntelProjection {
  id: string;
  version: string;
  type: string;
  marking_state: 'tlp' | 'unmarked' | 'unknown';
  /** The most restrictive TLP level among the object's object-level markings. */
  tlp?: TlpLevel;
  /** True when the level is the hub default for objects without a TLP marking. */
  tlp_defaulted: boolean;
  /** Sorted, without repeats. */
  labels: string[];
  /** `modified`, else `created`, in epoch ms: the start of any embargo. */
  version_time_ms?: number;
  /**
   * Set when releasability markings limit who may receive it: per marking, the nationalities
   * and communities it allows (sorted). A partner must be admitted by every one of them: a
   * partner that is GBR and in FVEY passes "REL TO GBR, PAK" and "REL TO FVEY" together.
   */
  releasable_to?: string[][];
  /** The releasability markings, as a reason names them ("REL TO USA, GBR"). */
  releasability?: string[];
  /** The IEP 2.0 policies marking it (marking-iep.ts), sorted by label. */
  iep?: IepTerms[];
}

export interface ProjectionOptions {
  classify: MarkingClassifier;
  /**
   * The TLP level given to objects with no TLP marking. Left undefined (the default), such
   * objects are 'unmarked' and withheld: a missing marking is not a permission.
   */
  untaggedTlp?: TlpLevel;
}

/**
 * Reads object-level markings only. Granular markings are the sanitiser's (src/tearline): it
 * removes each part marked above the partner's ceiling or with an unknown marking, and withholds
 * the object when it cannot, so a green report with one red paragraph can still go out without it.
 */
export function projectIntel(obj: JsonObject, opts: ProjectionOptions): IntelProjection {
  const refs = new Set<string>();
  const omr = obj.object_marking_refs;
  if (Array.isArray(omr)) for (const r of omr) if (typeof r === 'string') refs.add(r);
  let unknown = false;
  let level = -1;
  const relTo: string[][] = [];
  const relLabels: string[] = [];
  const ieps: IepTerms[] = [];
  for (const ref of refs) {
    const c = opts.classify(ref);
    if (c.kind === 'unknown') unknown = true;
    else if (c.kind === 'tlp') level = Math.max(level, TLP_LEVELS.indexOf(c.level));
    else if (c.kind === 'releasability') {
      relLabels.push(c.label);
      if (c.to !== 'ALL') relTo.push([...c.to].sort());
    } else if (c.kind === 'iep') {
      // The IEP's TLP is the provider's redistribution limit: it can only make the level stricter.
      ieps.push(c.terms);
      level = Math.max(level, TLP_LEVELS.indexOf(c.terms.tlp));
    }
  }
  // A malformed marking list is an unknown marking: fail closed rather than read it as none.
  if (omr !== undefined && (!Array.isArray(omr) || omr.some((r) => typeof r !== 'string'))) unknown = true;
  const labels = Array.isArray(obj.labels)
    ? [...new Set(obj.labels.filter((l): l is string => typeof l === 'string'))].sort()
    : [];
  const stamp = typeof obj.modified === 'string' ? obj.modified : obj.created;
  const t = typeof stamp === 'string' ? Date.parse(stamp) : Number.NaN;
  const base = {
    id: String(obj.id),
    version: typeof stamp === 'string' ? stamp : '',
    type: String(obj.type),
    labels,
    ...(Number.isNaN(t) ? {} : { version_time_ms: t }),
    ...(relTo.length > 0 && { releasable_to: relTo }),
    ...(relLabels.length > 0 && { releasability: relLabels.sort() }),
    ...(ieps.length > 0 && {
      iep: ieps.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0)),
    }),
  };
  if (unknown) return { ...base, marking_state: 'unknown', tlp_defaulted: false };
  if (level >= 0)
    return { ...base, marking_state: 'tlp', tlp: TLP_LEVELS[level] as TlpLevel, tlp_defaulted: false };
  if (opts.untaggedTlp !== undefined) {
    return { ...base, marking_state: 'tlp', tlp: opts.untaggedTlp, tlp_defaulted: true };
  }
  return { ...base, marking_state: 'unmarked', tlp_defaulted: false };
}
