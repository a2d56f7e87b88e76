import { visit } from 'jsonc-parser';
import type { JsonTextErrorCode } from './json-text.js';

/**
 * What is wrong with a JSON text, and where (a UTF-16 index into it). Found by a second,
 * positioned reading, only once JSON.parse has failed or the cheap checks after it (member count,
 * numbers) said something is wrong: V8's messages name no position ("Unexpected end of JSON
 * input"), and JSON.parse keeps the last of two equal member names without a word.
 */
export interface JsonProblem {
  code: Exclude<JsonTextErrorCode, 'invalid-utf8'>;
  index: number;
  /** What is wrong, without the position (the caller knows where the text starts). */
  what: string;
  /** Where a duplicate member name first appeared, or where the unclosed object or array opened. */
  relatedIndex?: number;
  /** How to name that place: 'first at', 'opened at'. */
  related?: string;
}

// jsonc-parser's ParseErrorCode (a const enum, not importable under isolated modules).
const EXPECTED: Record<number, string> = {
  1: 'expected a JSON value (JSON has no NaN, Infinity, undefined, comments or unquoted names)',
  2: 'expected a number',
  3: 'expected a member name in double quotes',
  4: 'expected a JSON value',
  5: "expected ':' after the member name",
  7: "expected '}' to close the object",
  8: "expected ']' to close the array",
  9: 'expected the end of the input after the value',
  10: 'expected a JSON value (comments are not JSON)',
  11: 'expected the end of a comment (comments are not JSON)',
  12: "expected '\"' to end the string",
  13: 'expected a digit',
  14: 'expected four hex digits after \\u',
  15: 'expected an escape: \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX',
  16: 'expected an escape (\\n, \\t, \\u0000 ...) for a control character in a string',
};
const COMMA_EXPECTED = 6;

function describeFound(text: string, index: number, length: number): string {
  if (index >= text.length) return 'the end of the input';
  const c = text.charCodeAt(index);
  if (c < 0x20 || c === 0x7f || c === 0xfeff) return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  const token = text.slice(index, index + Math.max(1, Math.min(length, 24)));
  return JSON.stringify(length > 24 ? `${token}…` : token);
}

const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't', 'u']);
const HEX4 = /^[0-9a-fA-F]{4}$/;

/**
 * jsonc-parser places errors inside a string or number at the start of its token: move to the
 * character at fault (the raw control character, the bad escape, where a digit or the closing
 * quote was due).
 */
function faultIn(text: string, code: number, index: number, length: number): [number, number] {
  const end = index + length;
  if (code === 12 || code === 13) return [end, 1];
  for (let i = index; i < end; i++) {
    const c = text.charCodeAt(i);
    if (code === 16 && c < 0x20) return [i, 1];
    if (c !== 0x5c) continue;
    const next = text[i + 1] ?? '';
    if (code === 15 && !ESCAPES.has(next)) return [i, 2];
    if (code === 14 && next === 'u' && !HEX4.test(text.slice(i + 2, i + 6))) return [i, 6];
    i++;
  }
  return [index, length];
}

class Found {
  constructor(readonly problem: JsonProblem) {}
}

interface Open {
  kind: 'object' | 'array';
  index: number;
  names?: Map<string, number>;
}

/**
 * The first problem in `text` in reading order: a syntax error, a duplicate member name, a
 * number beyond a double, or nesting deeper than `maxDepth` (checked as it descends, so this
 * reading never recurses past it). Undefined when the text is I-JSON.
 */
export function locateJsonProblem(text: string, maxDepth: number): JsonProblem | undefined {
  const open: Open[] = [];
  // jsonc-parser reports an unclosed object or array just after closing it.
  let closed: Open | undefined;
  const close = () => {
    closed = open.pop();
  };
  const stop = (p: JsonProblem): never => {
    throw new Found(p);
  };
  const enter = (kind: Open['kind'], index: number) => {
    if (open.length >= maxDepth)
      stop({ code: 'too-deep', index, what: `nesting deeper than ${maxDepth} levels` });
    open.push(kind === 'object' ? { kind, index, names: new Map() } : { kind, index });
  };
  try {
    visit(
      text,
      {
        onObjectBegin: (index) => enter('object', index),
        onObjectEnd: close,
        onArrayBegin: (index) => enter('array', index),
        onArrayEnd: close,
        onObjectProperty: (name, index) => {
          const names = open[open.length - 1]?.names;
          const first = names?.get(name);
          if (first !== undefined)
            stop({
              code: 'duplicate-member',
              index,
              relatedIndex: first,
              related: 'first at',
              what: `duplicate member name ${JSON.stringify(name)} (I-JSON, RFC 7493: names must be unique)`,
            });
          names?.set(name, index);
        },
        onLiteralValue: (value, index, length) => {
          if (typeof value === 'number' && !Number.isFinite(value))
            stop({
              code: 'number-out-of-range',
              index,
              what: `number ${text.slice(index, index + Math.min(length, 40))} is beyond what a double holds (I-JSON, RFC 7493)`,
            });
        },
        onError: (code, tokenIndex, tokenLength) => {
          const [index, length] = faultIn(text, code, tokenIndex, tokenLength);
          const top = open[open.length - 1];
          const expected =
            code === COMMA_EXPECTED
              ? `expected ',' or '${top?.kind === 'array' ? ']' : '}'}'`
              : (EXPECTED[code] ?? 'expected valid JSON');
          const what = `${expected}, found ${describeFound(text, index, length)}`;
          const unclosed = code === 7 || code === 8 ? closed : undefined;
          stop(
            unclosed
              ? { code: 'invalid-json', index, what, relatedIndex: unclosed.index, related: 'opened at' }
              : { code: 'invalid-json', index, what },
          );
        },
      },
      { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
    );
  } catch (err) {
    if (err instanceof Found) return err.problem;
    throw err;
  }
  return undefined;
}
