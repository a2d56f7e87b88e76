import { isStandardTlpMarking } from '../stix/markings-tlp.js';
import type { JsonObject, JsonValue } from '../stix/types.js';
import type { RemovalNode, RemovalPlan } from './tearline-removal.js';
import type { PathSegment } from './tearline-selector.js';
import type { ReleasedSet } from './tearline-types.js';

/** Top-level properties whose references the sanitiser rewrites itself (markings, creator). */
export const OWN_REFS: ReadonlySet<string> = new Set([
  'id',
  'created_by_ref',
  'object_marking_refs',
  'granular_markings',
]);

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
  // One mutable path; the removal trie is followed alongside so removed content is skipped.
  const path: PathSegment[] = [];
  const walk = (value: JsonValue, node: RemovalNode | undefined): void => {
    if (typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const child = node?.children?.get(i);
        if (child?.rule) continue;
        path.push(i);
        walk(value[i] as JsonValue, child);
        path.pop();
      }
      return;
    }
    for (const key of Object.keys(value)) {
      if (path.length === 0 && OWN_REFS.has(key)) continue;
      const child = node?.children?.get(key);
      if (child?.rule) continue;
      const item = value[key] as JsonValue;
      const kind = isRefKey(key);
      if (kind === 'one') {
        if (!resolve(item)) plan.add([...path, key], 'reference-closure');
      } else if (kind === 'many') {
        if (!Array.isArray(item)) plan.add([...path, key], 'reference-closure');
        else {
          for (let i = 0; i < item.length; i++) {
            if (child?.children?.get(i)?.rule) continue;
            if (!resolve(item[i])) plan.add([...path, key, i], 'reference-closure');
          }
        }
      } else {
        path.push(key);
        walk(item, child);
        path.pop();
      }
    }
  };
  walk(obj, plan.root);
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
