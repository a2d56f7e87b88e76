import { collectRefs } from '../stix/refs.js';
import { versionKeyOf } from '../stix/timestamp.js';
import type { JsonObject } from '../stix/types.js';
import type { IncomingObject } from './ports.js';

/**
 * An object version with everything the store needs taken out of it once: a large import does
 * that on another thread, so the thread that writes never touches the parsed object.
 */
export interface PreparedObject {
  id: string;
  /** The version key (normalised `modified`, else `created`, else ''), as versionKeyOf. */
  version: string;
  type: string;
  specVersion: string | null;
  created: string | null;
  modified: string | null;
  /** Every reference as collectRefs finds it, flat: path, id, path, id, ... */
  refs: readonly string[];
  /**
   * The exact JSON received: as text, or as its UTF-8 bytes (a large import hands them over
   * from its worker thread as they came in, so this thread neither decodes nor re-encodes them).
   */
  json: string | Buffer;
  /** Where it came from, e.g. 'file:bundle.json#objects[17]'. */
  source: string;
}

type StoredFields = Pick<PreparedObject, 'id' | 'version' | 'type' | 'specVersion' | 'created' | 'modified'>;

/**
 * What the store takes out of a validated object besides its references (its `id` and `type`
 * are strings by then): one definition for the importing thread and the front's worker.
 */
export function storedFieldsOf(obj: JsonObject): StoredFields {
  return {
    id: obj.id as string,
    version: versionKeyOf(obj),
    type: obj.type as string,
    specVersion: typeof obj.spec_version === 'string' ? obj.spec_version : null,
    created: typeof obj.created === 'string' ? obj.created : null,
    modified: typeof obj.modified === 'string' ? obj.modified : null,
  };
}

/** The store's view of a validated object. */
export function prepareObject(item: IncomingObject): PreparedObject {
  const refs: string[] = [];
  for (const r of collectRefs(item.object)) refs.push(r.path, r.id);
  return {
    ...storedFieldsOf(item.object),
    refs,
    json: item.json,
    source: item.source,
  };
}
