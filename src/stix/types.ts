/** A JSON value as JSON.parse returns it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * A STIX object as the hub handles it: the parsed JSON, of which only `type` and `id`
 * are known to be strings once it has passed validation.
 */
export interface StixObject extends JsonObject {
  type: string;
  id: string;
}

/** `(id, version)` identifies one version of an object; see `versionOf`. */
export interface VersionKey {
  id: string;
  version: string;
}

/**
 * The version of an object in the store and over TAXII: `modified`, else `created`
 * (marking definitions), else '' for objects that cannot be versioned (most SCOs).
 */
export function versionOf(obj: JsonObject): string {
  const modified = obj.modified;
  if (typeof modified === 'string') return modified;
  const created = obj.created;
  if (typeof created === 'string') return created;
  return '';
}

/**
 * Sets an own property, `__proto__` included: JSON.parse makes such a key an ordinary property of
 * the object it builds, while plain assignment on a new object would set its prototype instead
 * and the value would vanish from the copy.
 */
export function setOwn(o: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__')
    Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
