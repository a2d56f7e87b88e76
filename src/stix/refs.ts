import type { JsonValue } from './types.js';

/** One identifier reference found in an object, with the JSON path where it stands. */
export interface ObjectRef {
  path: string;
  id: string;
}

const ID_LIKE =
  /^[a-z0-9][a-z0-9-]*--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * Every `*_ref` and `*_refs` value that is a STIX identifier, at any depth (granular markings,
 * extensions, nested types). Values that are not identifiers (such as the local keys of
 * observed-data's deprecated `objects`) are not references and are skipped.
 */
export function collectRefs(obj: JsonValue, out: ObjectRef[] = [], path = ''): ObjectRef[] {
  if (Array.isArray(obj)) {
    for (let i = 0; i < obj.length; i++) {
      const v = obj[i] as JsonValue;
      if (typeof v === 'object' && v !== null) collectRefs(v, out, `${path}[${i}]`);
    }
    return out;
  }
  if (typeof obj !== 'object' || obj === null) return out;
  for (const key in obj) {
    const v = obj[key] as JsonValue;
    const here = path === '' ? key : `${path}.${key}`;
    if (typeof v === 'string') {
      if (key.endsWith('_ref') && ID_LIKE.test(v)) out.push({ path: here, id: v });
    } else if (Array.isArray(v)) {
      if (key.endsWith('_refs')) {
        for (let i = 0; i < v.length; i++) {
          const item = v[i];
          if (typeof item === 'string' && ID_LIKE.test(item)) out.push({ path: `${here}[${i}]`, id: item });
        }
      } else {
        collectRefs(v, out, here);
      }
    } else if (typeof v === 'object' && v !== null) {
      collectRefs(v, out, here);
    }
  }
  return out;
}
