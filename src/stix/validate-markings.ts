import { isRfc5646Tag } from './language-codes.js';
import { isStandardTlpMarking } from './markings-tlp.js';
import { isIdentifierOfType } from './stix-formats.js';
import { type IssueSink, quote } from './validation-sink.js';
import type { ValidationContext } from './validation-types.js';

function checkMarkingRef(
  id: unknown,
  p: string,
  selfId: unknown,
  ctx: ValidationContext,
  s: IssueSink,
): void {
  if (typeof id !== 'string' || !isIdentifierOfType(id, 'marking-definition')) {
    s.error(p, 'invalid-marking-ref', `${p}: ${quote(id)} must be the id of a marking-definition`);
    return;
  }
  if (id === selfId) {
    s.error(p, 'circular-marking', `${p}: a marking definition must not mark itself; remove the reference`);
    return;
  }
  if (!isStandardTlpMarking(id) && !ctx.isKnownMarking?.(id)) {
    s.error(
      p,
      'unresolved-marking',
      `${p}: marking ${id} is not known; include its marking-definition in the bundle or store`,
    );
  }
}

const INDEX_RE = /^\[(\d+)\]$/;

/**
 * section 7.2.3.1 selectors: dot-separated steps, each a property (or dictionary key) name or a
 * list index `[n]` (so `external_references.[0].url`), resolving to something present here.
 */
export function resolvesSelector(obj: Readonly<Record<string, unknown>>, selector: string): boolean {
  const steps = selector.split('.');
  let cur: unknown = obj;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as string;
    if (step.length === 0) return false;
    const index = INDEX_RE.exec(step);
    if (index) {
      if (i === 0 || !Array.isArray(cur)) return false;
      const n = Number(index[1]);
      if (n >= cur.length) return false;
      cur = cur[n];
      continue;
    }
    if (step.includes('[') || step.includes(']')) return false;
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur) || !Object.hasOwn(cur, step))
      return false;
    cur = (cur as Record<string, unknown>)[step];
  }
  return true;
}

/** object_marking_refs and granular_markings (section 7.2.2, 7.2.3); unresolved markings fail closed. */
export function checkMarkings(
  obj: Readonly<Record<string, unknown>>,
  ctx: ValidationContext,
  s: IssueSink,
): void {
  const omr = obj.object_marking_refs;
  if (omr !== undefined) {
    if (!Array.isArray(omr))
      s.error(
        'object_marking_refs',
        'invalid-property-type',
        'object_marking_refs: must be a list of marking-definition ids',
      );
    else {
      if (omr.length === 0)
        s.error(
          'object_marking_refs',
          'empty-list',
          'object_marking_refs: must not be empty; omit it instead',
        );
      for (let i = 0; i < omr.length; i++)
        checkMarkingRef(omr[i], `object_marking_refs[${i}]`, obj.id, ctx, s);
    }
  }
  const gm = obj.granular_markings;
  if (gm === undefined) return;
  if (!Array.isArray(gm) || gm.length === 0) {
    s.error(
      'granular_markings',
      'invalid-property-type',
      'granular_markings: must be a non-empty list of granular markings',
    );
    return;
  }
  for (let i = 0; i < gm.length; i++) {
    const p = `granular_markings[${i}]`;
    const m = gm[i];
    if (typeof m !== 'object' || m === null || Array.isArray(m)) {
      s.error(
        p,
        'invalid-granular-marking',
        `${p}: must be an object with marking_ref or lang, and selectors`,
      );
      continue;
    }
    const g = m as Record<string, unknown>;
    if ((g.marking_ref === undefined) === (g.lang === undefined)) {
      s.error(p, 'invalid-granular-marking', `${p}: give exactly one of marking_ref or lang`);
    }
    if (g.marking_ref !== undefined) checkMarkingRef(g.marking_ref, `${p}.marking_ref`, obj.id, ctx, s);
    if (g.lang !== undefined && (typeof g.lang !== 'string' || !isRfc5646Tag(g.lang)))
      s.error(
        `${p}.lang`,
        'invalid-format',
        `${p}.lang: ${quote(g.lang)} is not an RFC 5646 language code like 'en'`,
      );
    for (const k in g) {
      if (k !== 'marking_ref' && k !== 'lang' && k !== 'selectors') {
        s.error(
          `${p}.${k}`,
          'invalid-granular-marking',
          `${p}.${k}: is not a granular marking property; remove it`,
        );
      }
    }
    const sel = g.selectors;
    if (!Array.isArray(sel) || sel.length === 0) {
      s.error(
        `${p}.selectors`,
        'invalid-granular-marking',
        `${p}.selectors: must be a non-empty list of selectors`,
      );
      continue;
    }
    for (let j = 0; j < sel.length; j++) {
      const sp = `${p}.selectors[${j}]`;
      const selector = sel[j];
      if (typeof selector !== 'string' || !resolvesSelector(obj, selector)) {
        s.error(
          sp,
          'unresolved-selector',
          `${sp}: ${quote(selector)} does not select a property or list item of this object`,
        );
      }
    }
  }
}
