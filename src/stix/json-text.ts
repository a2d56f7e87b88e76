/**
 * The rules every JSON text the hub reads keeps, on every surface (import, validate, both TAXII
 * POSTs, agreement files), and where a text breaks them:
 *
 * - UTF-8 only (RFC 8259 section 8.1; STIX is UTF-8). Invalid bytes are refused with their byte
 *   offset, never replaced with U+FFFD and stored.
 * - One byte order mark (EF BB BF) at the very start of a document is ignored: RFC 8259 lets a
 *   parser do so, and Windows editors write one. Anywhere else it is an error like any other
 *   stray character.
 * - I-JSON (RFC 7493): member names unique within an object, numbers a double can hold.
 *
 * Positions: `offset` counts bytes from the start of the input, `line` and `column` count from 1,
 * columns in characters (UTF-16 code units).
 */

export type JsonTextErrorCode =
  | 'invalid-utf8'
  | 'invalid-json'
  | 'duplicate-member'
  | 'number-out-of-range'
  | 'too-deep';

export interface TextPosition {
  offset: number;
  line: number;
  column: number;
}

export interface JsonTextError {
  code: JsonTextErrorCode;
  /** Says where (line, column, byte) and what was expected or what is wrong. */
  message: string;
  position: TextPosition;
}

/** Where a text starts in its input: element texts of an import start part-way into a file. */
export const TEXT_START: TextPosition = { offset: 0, line: 1, column: 1 };

export function formatPosition(p: TextPosition): string {
  return `line ${p.line}, column ${p.column} (byte ${p.offset})`;
}

/** The position of the character at `index` (UTF-16) of `text`, which starts at `start`. */
export function positionInText(text: string, index: number, start: TextPosition = TEXT_START): TextPosition {
  const end = Math.max(0, Math.min(index, text.length));
  let newlines = 0;
  let lastNewline = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    newlines++;
    lastNewline = i;
  }
  return {
    offset: start.offset + Buffer.byteLength(text.slice(0, end), 'utf8'),
    line: start.line + newlines,
    column: newlines === 0 ? start.column + end : end - lastNewline,
  };
}

/** True when the bytes start with a UTF-8 byte order mark. */
export function startsWithBom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

export interface Utf8Fault {
  /** Offset of the first byte that is not valid UTF-8 at its place. */
  offset: number;
  reason: string;
}

const hex = (b: number) => `0x${b.toString(16).padStart(2, '0')}`;

/**
 * The first place in bytes[from, to) that is not UTF-8, or undefined. For error reports only:
 * the hot paths check with the native validator (buffer.isUtf8) and call this once it says no.
 */
export function findInvalidUtf8(bytes: Uint8Array, from = 0, to = bytes.length): Utf8Fault | undefined {
  let i = from;
  while (i < to) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else if (b >= 0x80 && b <= 0xbf)
      return { offset: i, reason: `byte ${hex(b)} continues a character that never started` };
    else return { offset: i, reason: `byte ${hex(b)} never occurs in UTF-8` };
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      if (i + k >= to)
        return { offset: i, reason: `the input ends inside a ${need + 1}-byte character that starts here` };
      const c = bytes[i + k] as number;
      if ((c & 0xc0) !== 0x80)
        return {
          offset: i,
          reason: `byte ${hex(c)} should continue the ${need + 1}-byte character started by ${hex(b)}`,
        };
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min) return { offset: i, reason: `an overlong encoding of U+${cp.toString(16).toUpperCase()}` };
    if (cp >= 0xd800 && cp <= 0xdfff)
      return { offset: i, reason: `an encoded surrogate U+${cp.toString(16).toUpperCase()}` };
    if (cp > 0x10ffff) return { offset: i, reason: 'a code point beyond U+10FFFF' };
    i += need + 1;
  }
  return undefined;
}

/** Line and column of byte `offset` in bytes that are valid UTF-8 up to there. */
export function positionOfByte(
  bytes: Uint8Array,
  offset: number,
  start: TextPosition = TEXT_START,
): TextPosition {
  let line = start.line;
  let lineStart = 0;
  for (let i = 0; i < offset && i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const before = Buffer.from(bytes.buffer, bytes.byteOffset + lineStart, Math.max(0, offset - lineStart));
  const chars = before.toString('utf8').length;
  return {
    offset: start.offset + offset,
    line,
    column: line === start.line ? start.column + chars : chars + 1,
  };
}

/** The error for bytes that are not UTF-8 (call only when they are not). */
export function utf8Error(bytes: Uint8Array, start: TextPosition = TEXT_START): JsonTextError {
  const fault = findInvalidUtf8(bytes) ?? { offset: 0, reason: 'not UTF-8' };
  const position = positionOfByte(bytes, fault.offset, start);
  const utf16 =
    start.offset === 0 &&
    bytes.length >= 2 &&
    ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
      ? ' (the input starts with a UTF-16 byte order mark: save it as UTF-8)'
      : '';
  return {
    code: 'invalid-utf8',
    message: `not UTF-8 at ${formatPosition(position)}: ${fault.reason}${utf16}`,
    position,
  };
}

const fatalDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export type DecodedText = { ok: true; text: string; bom: boolean } | { ok: false; error: JsonTextError };

/**
 * A whole document's bytes as text under the rules above: one leading byte order mark skipped,
 * anything that is not UTF-8 refused with where it is.
 */
export function decodeUtf8Document(bytes: Uint8Array): DecodedText {
  const bom = startsWithBom(bytes);
  const body = bom ? bytes.subarray(3) : bytes;
  try {
    return { ok: true, text: fatalDecoder.decode(body), bom };
  } catch {
    return { ok: false, error: utf8Error(body, bom ? { offset: 3, line: 1, column: 1 } : TEXT_START) };
  }
}
