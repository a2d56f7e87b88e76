import { type JsonProblem, locateJsonProblem } from './json-locate.js';
import {
  decodeUtf8Document,
  formatPosition,
  type JsonTextError,
  positionInText,
  TEXT_START,
  type TextPosition,
} from './json-text.js';

/**
 * Reading a JSON text as the hub must (see json-text.ts): JSON.parse, which is fast and does not
 * recurse, then two cheap checks that it cannot make, and a positioned second reading only when
 * something is wrong.
 *
 * The checks: every member has exactly one ':' outside strings, so a text with as many colons as
 * its parsed value has members has no duplicate names (JSON.parse would have kept only the last
 * of them); and no number parsed to ±Infinity.
 */

export interface TextShape {
  /** The deepest nesting of objects and arrays. */
  depth: number;
  /** Index of the first '{' or '[' deeper than the limit asked for, or -1. */
  tooDeepAt: number;
  /** ':' outside strings: one per member in a valid text. */
  colons: number;
}

/** One pass over the text, no recursion: how deep it nests and how many members it claims. */
export function measureJsonText(text: string, maxDepth: number): TextShape {
  let depth = 0;
  let max = 0;
  let tooDeepAt = -1;
  let colons = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x3a) colons++;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) max = depth;
      if (depth > maxDepth && tooDeepAt === -1) tooDeepAt = i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return { depth: max, tooDeepAt, colons };
}

export interface ValueAudit {
  /** Members of every object in the value. */
  members: number;
  /** A number that overflowed to ±Infinity. */
  nonFinite: boolean;
}

/** Counts a parsed value's members and looks for overflowed numbers, without recursion. */
export function auditJsonValue(value: unknown): ValueAudit {
  let members = 0;
  let nonFinite = false;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) nonFinite = true;
    } else if (Array.isArray(v)) {
      for (const x of v) if (typeof x === 'object' || typeof x === 'number') stack.push(x);
    } else if (typeof v === 'object' && v !== null) {
      for (const k in v) {
        members++;
        const x = (v as Record<string, unknown>)[k];
        if (typeof x === 'object' || typeof x === 'number') stack.push(x);
      }
    }
  }
  return { members, nonFinite };
}

/** Where the character at an index of the text stands in the input. */
export type PositionOf = (index: number) => TextPosition;

/** The error for a located problem. */
export function problemError(p: JsonProblem, positionOf: PositionOf): JsonTextError {
  const position = positionOf(p.index);
  const related =
    p.relatedIndex === undefined
      ? ''
      : ` (${p.related ?? 'see'} ${formatPosition(positionOf(p.relatedIndex))})`;
  const lead = p.code === 'invalid-json' ? 'not valid JSON at' : 'at';
  return { code: p.code, message: `${lead} ${formatPosition(position)}: ${p.what}${related}`, position };
}

/**
 * Explains why a text failed (JSON.parse threw, or the checks after it did) with the first
 * problem's position. `fallback` is used if the positioned reading finds nothing, which the
 * property tests say does not happen.
 */
export function explainJsonText(
  text: string,
  maxDepth: number,
  positionOf: PositionOf,
  fallback: string,
): JsonTextError {
  const p = locateJsonProblem(text, maxDepth);
  if (p) return problemError(p, positionOf);
  const position = positionOf(0);
  return {
    code: 'invalid-json',
    message: `not valid JSON at ${formatPosition(position)}: ${fallback}`,
    position,
  };
}

export type StrictParse = { ok: true; value: unknown } | { ok: false; error: JsonTextError };

/**
 * Parses a whole JSON text under the hub's rules: nesting checked before any parse, syntax errors
 * and duplicate names and overflowing numbers refused, every error with its position (`start`:
 * where the text begins in its input; `positionOf` for texts pieced together).
 */
export function parseJsonStrict(
  text: string,
  maxDepth: number,
  start: TextPosition | PositionOf = TEXT_START,
): StrictParse {
  const positionOf: PositionOf = typeof start === 'function' ? start : (i) => positionInText(text, i, start);
  const shape = measureJsonText(text, maxDepth);
  if (shape.tooDeepAt !== -1) {
    const position = positionOf(shape.tooDeepAt);
    return {
      ok: false,
      error: {
        code: 'too-deep',
        message: `at ${formatPosition(position)}: nesting deeper than ${maxDepth} levels`,
        position,
      },
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: explainJsonText(text, maxDepth, positionOf, (err as Error).message) };
  }
  const audit = auditJsonValue(value);
  if (audit.members !== shape.colons || audit.nonFinite)
    return {
      ok: false,
      error: explainJsonText(text, maxDepth, positionOf, 'duplicate member names or numbers out of range'),
    };
  return { ok: true, value };
}

/** After a leading byte order mark: its three bytes come before the first column. */
const AFTER_BOM: TextPosition = { offset: 3, line: 1, column: 1 };

/** A whole document's bytes under every rule: UTF-8 (one leading BOM ignored), then parseJsonStrict. */
export function parseJsonDocument(bytes: Uint8Array, maxDepth: number): StrictParse {
  const decoded = decodeUtf8Document(bytes);
  if (!decoded.ok) return decoded;
  return parseJsonStrict(decoded.text, maxDepth, decoded.bom ? AFTER_BOM : TEXT_START);
}
