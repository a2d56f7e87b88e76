import { isHexCode } from './stix-formats.js';
import { isJsonObject, type JsonObject, type JsonValue, setOwn } from './types.js';

/** One identifier reference found in an object, with the JSON path where it stands. */
export interface ObjectRef {
  path: string;
  id: string;
}

/**
 * Whether `v` has the shape of an identifier: `prefix--` then 8-4-4-4-12 hex digits, the prefix
 * a lowercase letter or digit followed by lowercase letters, digits and hyphens. Looser than a
 * valid STIX identifier on purpose (validation judges those); char codes, not a regular
 * expression: this runs for every reference of every object imported.
 */
export function isIdentifierLike(v: string): boolean {
  const sep = v.length - 38;
  if (sep < 1 || v.charCodeAt(sep) !== 45 || v.charCodeAt(sep + 1) !== 45) return false;
  for (let i = 0; i < 36; i++) {
    const c = v.charCodeAt(sep + 2 + i);
    if (i === 8 || i === 13 || i === 18 || i === 23 ? c !== 45 : !isHexCode(c)) return false;
  }
  for (let i = 0; i < sep; i++) {
    const c = v.charCodeAt(i);
    const lowerOrDigit = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    if (!lowerOrDigit && (i === 0 || c !== 45)) return false;
  }
  return true;
}

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
      if (key.endsWith('_ref') && isIdentifierLike(v)) out.push({ path: here, id: v });
    } else if (Array.isArray(v)) {
      if (key.endsWith('_refs')) {
        for (let i = 0; i < v.length; i++) {
          const item = v[i];
          if (typeof item === 'string' && isIdentifierLike(item))
            out.push({ path: `${here}[${i}]`, id: item });
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

/** A copy of `value` whose `*_ref` / `*_refs` identifiers went through `map`. */
export function mapReferences(value: JsonValue, map: (id: string) => string): JsonValue {
  if (Array.isArray(value)) return value.map((v) => mapReferences(v, map));
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string' && key.endsWith('_ref')) setOwn(out, key, map(v));
    else if (Array.isArray(v) && key.endsWith('_refs'))
      setOwn(
        out,
        key,
        v.map((x) => (typeof x === 'string' ? map(x) : x)),
      );
    else setOwn(out, key, mapReferences(v, map));
  }
  return out;
}

/** Every identifier in `*_ref` / `*_refs` properties, at any depth. */
export function collectReferences(value: JsonValue, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) collectReferences(v, into);
  } else if (isJsonObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (typeof v === 'string' && key.endsWith('_ref')) into.add(v);
      else if (Array.isArray(v) && key.endsWith('_refs')) {
        for (const x of v) if (typeof x === 'string') into.add(x);
      } else collectReferences(v, into);
    }
  }
  return into;
}
