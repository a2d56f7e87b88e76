import { isStandardTlpMarking } from '../stix/markings-tlp.js';
import type { JsonObject, JsonValue } from '../stix/types.js';
import type { RemovalPlan } from './tearline-removal.js';
import type { PathSegment } from './tearline-selector.js';
import type { ReleasedSet } from './tearline-types.js';

/** Top-level properties whose references the sanitiser rewrites itself (markings, creator). */
const OWN_REFS = new Set(['id', 'created_by_ref', 'object_marking_refs', 'granular_markings']);

function isRefKey(key: string): 'one' | 'many' | undefined {
  if (key.endsWith('_ref')) return 'one';
  if (key.endsWith('_refs')) return 'many';
  return undefined;
}

/**
 * Plans the reference closure: every `*_ref` / `*_refs` (nested ones included) outside the
 * content already planned for removal must resolve to something released to the partner;
 * the rest are removed (a required one then withholds the object as 'dangling-reference').
 * Returns original id -> partner id for each reference that stays.
 */
export function planReferenceClosure(
  obj: JsonObject,
  releasingIdentityId: string,
  released: ReleasedSet,
  plan: RemovalPlan,
): Map<string, string> {
  const mapping = new Map<string, string>();
  const resolve = (target: JsonValue | undefined): boolean => {
    if (typeof target !== 'string') return false;
    if (target === releasingIdentityId || isStandardTlpMarking(target)) {
      mapping.set(target, target);
      return true;
    }
    const partnerId = released.partnerIdOf(target);
    if (partnerId === undefined) return false;
    mapping.set(target, partnerId);
    return true;
  };
  const walk = (value: JsonValue, path: PathSegment[]): void => {
    if (typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        const at = [...path, i];
        if (!plan.isRemoved(at)) walk(item, at);
      });
      return;
    }
    for (const key of Object.keys(value)) {
      if (path.length === 0 && OWN_REFS.has(key)) continue;
      const at = [...path, key];
      if (plan.isRemoved(at)) continue;
      const child = value[key] as JsonValue;
      const kind = isRefKey(key);
      if (kind === 'one') {
        if (!resolve(child)) plan.add(at, 'reference-closure');
      } else if (kind === 'many') {
        if (!Array.isArray(child)) plan.add(at, 'reference-closure');
        else {
          child.forEach((item, i) => {
            if (!resolve(item)) plan.add([...at, i], 'reference-closure');
          });
        }
      } else {
        walk(child, at);
      }
    }
  };
  walk(obj, []);
  return mapping;
}

/** Rewrites every reference left in the copy to the id the partner knows it by. */
export function rewriteReferences(copy: JsonObject, mapping: ReadonlyMap<string, string>): void {
  const walk = (value: JsonValue, top: boolean): void => {
    if (typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item, false);
      return;
    }
    for (const key of Object.keys(value)) {
      if (top && OWN_REFS.has(key)) continue;
      const child = value[key] as JsonValue;
      const kind = isRefKey(key);
      if (kind === 'one' && typeof child === 'string') value[key] = mapping.get(child) ?? child;
      else if (kind === 'many' && Array.isArray(child)) {
        value[key] = child.map((item) => (typeof item === 'string' ? (mapping.get(item) ?? item) : item));
      } else walk(child, false);
    }
  };
  walk(copy, true);
}
