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

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
