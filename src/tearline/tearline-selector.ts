import type { JsonValue } from '../stix/types.js';

/** One step of a path into an object: a property name or a list index. */
export type PathSegment = string | number;

const INDEX_RE = /^\[(0|[1-9][0-9]{0,8})\]$/;
const NAME_RE = /^[A-Za-z0-9_-]{1,250}$/;

/**
 * Parses a STIX granular-marking selector ('external_references.[1].url', 'labels.[0]').
 * Returns undefined for a selector that breaks the grammar.
 */
export function parseSelector(selector: string): PathSegment[] | undefined {
  if (selector.length === 0 || selector.length > 2000) return undefined;
  const out: PathSegment[] = [];
  for (const part of selector.split('.')) {
    const index = INDEX_RE.exec(part);
    if (index) out.push(Number(index[1]));
    else if (NAME_RE.test(part)) out.push(part);
    else return undefined;
  }
  // A selector starts at a property of the object, never at a list index.
  return typeof out[0] === 'string' ? out : undefined;
}

export function formatSelector(path: readonly PathSegment[]): string {
  return path.map((s) => (typeof s === 'number' ? `[${s}]` : s)).join('.');
}

/** The value a path selects, or undefined when it selects nothing. */
export function selectPath(root: JsonValue, path: readonly PathSegment[]): JsonValue | undefined {
  let cur: JsonValue | undefined = root;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[seg];
    } else {
      if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
      cur = Object.hasOwn(cur, seg) ? cur[seg] : undefined;
    }
    if (cur === undefined) return undefined;
  }
  return cur;
}
