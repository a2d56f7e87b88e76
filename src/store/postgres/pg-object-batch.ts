import { collectRefs } from '../../stix/refs.js';
import { versionKeyOf } from '../../stix/timestamp.js';
import type { IncomingObject, PutResult } from '../ports.js';

/** The (id, version key) of each object of a batch, in batch order: what the store looks up. */
export interface BatchKeys {
  ids: string[];
  versions: string[];
}

export function keyBatch(batch: readonly IncomingObject[]): BatchKeys {
  return {
    ids: batch.map((b) => b.object.id as string),
    versions: batch.map((b) => versionKeyOf(b.object)),
  };
}

export interface BatchState {
  /** The highest `added` in the store, read under the writer lock. */
  lastAddedUs: number;
  nowUs: number;
  /** The stored latest version of each id of the batch that has one. */
  latest: readonly { id: string; version: string; addedUs: number }[];
  /** Stored JSON of each (id, version) of the batch that is already there, keyed `id\0version`. */
  present: ReadonlyMap<string, string>;
  actor: string | null;
  /** The hub's own JSON of each reserved id of the batch (reserved-ids.ts): never stored over. */
  reserved: ReadonlyMap<string, string>;
  isSameContent: (stored: string, received: string) => boolean;
}

/** Column arrays for one multi-row INSERT … SELECT FROM unnest(…) each. */
export interface BatchPlan {
  results: PutResult[];
  columns: {
    addedUs: number[];
    id: string[];
    version: string[];
    type: string[];
    specVersion: (string | null)[];
    created: (string | null)[];
    modified: (string | null)[];
    isLatest: boolean[];
    source: string[];
    importedBy: (string | null)[];
    json: string[];
  };
  /** Stored rows that are no longer the latest of their id. */
  unsetLatest: number[];
  refs: { srcAddedUs: number[]; srcId: string[]; path: string[]; dstId: string[] };
  stored: { id: string; version: string; json: string }[];
}

const textOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * Decides, in batch order and exactly as the SQLite adapter does row by row, what each object
 * becomes: a duplicate or conflict of a stored (or earlier in-batch) version, or a new row with
 * the next `added` (max(now, last + 1)) and the latest flag moved if its version is newer.
 */
export function planObjectBatch(batch: readonly IncomingObject[], keys: BatchKeys, s: BatchState): BatchPlan {
  const latest = new Map<string, { version: string; addedUs: number; row?: number }>();
  for (const l of s.latest) latest.set(l.id, { version: l.version, addedUs: l.addedUs });
  const present = new Map(s.present);
  const plan: BatchPlan = {
    results: [],
    columns: {
      addedUs: [],
      id: [],
      version: [],
      type: [],
      specVersion: [],
      created: [],
      modified: [],
      isLatest: [],
      source: [],
      importedBy: [],
      json: [],
    },
    unsetLatest: [],
    refs: { srcAddedUs: [], srcId: [], path: [], dstId: [] },
    stored: [],
  };
  const c = plan.columns;
  let last = s.lastAddedUs;
  batch.forEach((item, i) => {
    const obj = item.object;
    const id = keys.ids[i] as string;
    const version = keys.versions[i] as string;
    const fixed = s.reserved.get(id);
    if (fixed !== undefined) {
      const outcome = s.isSameContent(fixed, item.json) ? 'duplicate' : 'conflict';
      plan.results.push({ outcome, id, version, reserved: true });
      return;
    }
    const key = `${id}\u0000${version}`;
    const had = present.get(key);
    if (had !== undefined) {
      plan.results.push({ outcome: s.isSameContent(had, item.json) ? 'duplicate' : 'conflict', id, version });
      return;
    }
    present.set(key, item.json);
    const prev = latest.get(id);
    const isLatest = prev === undefined || version > prev.version;
    const added = Math.max(s.nowUs, last + 1);
    last = added;
    const row = c.addedUs.length;
    c.addedUs.push(added);
    c.id.push(id);
    c.version.push(version);
    c.type.push(obj.type as string);
    c.specVersion.push(textOrNull(obj.spec_version));
    c.created.push(textOrNull(obj.created));
    c.modified.push(textOrNull(obj.modified));
    c.isLatest.push(isLatest);
    c.source.push(item.source);
    c.importedBy.push(s.actor);
    c.json.push(item.json);
    if (isLatest) {
      if (prev?.row !== undefined) c.isLatest[prev.row] = false;
      else if (prev) plan.unsetLatest.push(prev.addedUs);
      latest.set(id, { version, addedUs: added, row });
    }
    for (const ref of collectRefs(obj)) {
      plan.refs.srcAddedUs.push(added);
      plan.refs.srcId.push(id);
      plan.refs.path.push(ref.path);
      plan.refs.dstId.push(ref.id);
    }
    plan.results.push({ outcome: prev ? 'new-version' : 'added', id, version, addedUs: added });
    plan.stored.push({ id, version, json: item.json });
  });
  return plan;
}
