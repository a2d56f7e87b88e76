import { type JsonObject, type JsonValue, setOwn } from '../stix/types.js';
import { formatSelector, type PathSegment } from './tearline-selector.js';
import type { Removal, RemovalRule } from './tearline-types.js';

export interface RemovalNode {
  rule?: RemovalRule;
  children?: Map<PathSegment, RemovalNode>;
}

/** The set of paths to take out of one object, each with the rule that asks for it. */
export class RemovalPlan {
  readonly root: RemovalNode = {};
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** The first rule to remove a path wins; paths inside a removed one are already gone. */
  add(path: readonly PathSegment[], rule: RemovalRule): void {
    let node = this.root;
    for (const seg of path) {
      if (node.rule) return;
      node.children ??= new Map();
      let next = node.children.get(seg);
      if (!next) {
        next = {};
        node.children.set(seg, next);
      }
      node = next;
    }
    if (!node.rule) {
      node.rule = rule;
      this.#size++;
    }
  }

  /** The node at a path, or undefined when nothing under it is removed. */
  nodeAt(path: readonly PathSegment[]): RemovalNode | undefined {
    let node: RemovalNode | undefined = this.root;
    for (const seg of path) {
      node = node.children?.get(seg);
      if (!node) return undefined;
    }
    return node;
  }

  isRemoved(path: readonly PathSegment[]): boolean {
    let node: RemovalNode | undefined = this.root;
    for (const seg of path) {
      node = node.children?.get(seg);
      if (!node) return false;
      if (node.rule) return true;
    }
    return false;
  }
}

export interface AppliedRemovals {
  /** Keys of every object are in sorted order (the top level may gain keys later). */
  copy: JsonObject;
  /**
   * False when some key looks like an array index: JavaScript then orders it first whatever
   * the insertion order, so JSON.stringify of the copy is not canonical JSON.
   */
  keysInOrder: boolean;
  removed: Removal[];
  /** For each top-level property that is gone, the rule that caused it (for required checks). */
  goneTopLevel: Map<string, RemovalRule>;
  /** Where a path of the original is in the copy, or undefined if it is gone. */
  mapPath(path: readonly PathSegment[]): PathSegment[] | undefined;
}

const PRUNED = Symbol('pruned');
type Rebuilt = JsonValue | typeof PRUNED;

/**
 * Makes a fresh copy of `obj` without the planned paths. Lists are re-indexed; a list or
 * object left empty by a removal is removed too (STIX forbids empty lists), recorded as
 * 'empty-after-removal'.
 */
export function applyRemovals(obj: JsonObject, plan: RemovalPlan): AppliedRemovals {
  const removed: Removal[] = [];
  const goneTopLevel = new Map<string, RemovalRule>();
  const indexMaps = new Map<string, number[]>();
  const pruned = new Set<string>();
  let lastCause: RemovalRule = 'empty-after-removal';
  const order = { keysInOrder: true };

  const rebuild = (value: JsonValue, node: RemovalNode | undefined, path: PathSegment[]): Rebuilt => {
    if (!node?.children) return cloneSorted(value, order);
    if (Array.isArray(value)) {
      const out: JsonValue[] = [];
      const map: number[] = [];
      value.forEach((item, i) => {
        const child = node.children?.get(i);
        const at = [...path, i];
        const next = child?.rule ? remove(at, child.rule) : rebuild(item, child, at);
        if (next === PRUNED) map.push(-1);
        else {
          map.push(out.length);
          out.push(next);
        }
      });
      if (out.length !== value.length) indexMaps.set(formatSelector(path), map);
      return out.length === 0 && value.length > 0 ? prune(path) : out;
    }
    if (typeof value !== 'object' || value === null) return value;
    const out: JsonObject = {};
    let kept = 0;
    const keys = sortedKeys(value, order);
    for (const key of keys) {
      const child = node.children.get(key);
      const at = [...path, key];
      const next = child?.rule ? remove(at, child.rule) : rebuild(value[key] as JsonValue, child, at);
      if (next === PRUNED) {
        if (path.length === 0) goneTopLevel.set(key, lastCause);
      } else {
        setOwn(out, key, next);
        kept++;
      }
    }
    return kept === 0 && keys.length > 0 && path.length > 0 ? prune(path) : out;
  };
  const remove = (path: PathSegment[], rule: RemovalRule): typeof PRUNED => {
    removed.push({ path: formatSelector(path), rule });
    lastCause = rule;
    return PRUNED;
  };
  const prune = (path: PathSegment[]): typeof PRUNED => {
    const at = formatSelector(path);
    pruned.add(at);
    removed.push({ path: at, rule: 'empty-after-removal' });
    return PRUNED;
  };

  const copy = rebuild(obj, plan.root, []) as JsonObject;
  const mapPath = (path: readonly PathSegment[]): PathSegment[] | undefined => {
    if (plan.isRemoved(path)) return undefined;
    const out: PathSegment[] = [];
    const prefix: PathSegment[] = [];
    for (const seg of path) {
      if (typeof seg === 'number') {
        const map = indexMaps.get(formatSelector(prefix));
        const next = map ? map[seg] : seg;
        if (next === undefined || next < 0) return undefined;
        out.push(next);
      } else {
        out.push(seg);
      }
      prefix.push(seg);
      if (pruned.has(formatSelector(prefix))) return undefined;
    }
    return out;
  };
  return { copy, keysInOrder: order.keysInOrder, removed, goneTopLevel, mapPath };
}

function sortedKeys(value: JsonObject, order: { keysInOrder: boolean }): string[] {
  const keys = Object.keys(value).sort();
  for (const key of keys) {
    const c = key.charCodeAt(0);
    if (c >= 48 && c <= 57 && INDEX_LIKE.test(key)) order.keysInOrder = false;
  }
  return keys;
}

const INDEX_LIKE = /^(?:0|[1-9][0-9]*)$/;

/** A deep copy with every object's keys inserted in sorted order. */
function cloneSorted(value: JsonValue, order: { keysInOrder: boolean }): JsonValue {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => cloneSorted(v, order));
  const out: JsonObject = {};
  for (const key of sortedKeys(value, order)) setOwn(out, key, cloneSorted(value[key] as JsonValue, order));
  return out;
}

export function cloneJson(value: JsonValue): JsonValue {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(cloneJson);
  const out: JsonObject = {};
  for (const key of Object.keys(value)) setOwn(out, key, cloneJson(value[key] as JsonValue));
  return out;
}
