import { isUtf8 } from 'node:buffer';
import { parseJsonStrict } from '../stix/json-strict.js';
import {
  formatPosition,
  positionInText,
  TEXT_START,
  type TextPosition,
  utf8Error,
} from '../stix/json-text.js';

/**
 * Splits a byte stream into STIX object texts without parsing the whole document, so files of
 * any size import with bounded memory. Accepts a bundle (its `objects` array is streamed element
 * by element), a single object, a top-level array of objects, and JSON Lines or concatenated
 * values (each value an object or a bundle). Each element's exact text is kept.
 *
 * Only structure is tracked here (strings, nesting, the separators between elements); each
 * element then goes to JSON.parse, which says whether it is JSON inside. Two things JSON.parse
 * cannot say are gathered on the way, at almost no cost: whether the element's bytes are UTF-8
 * (the native validator, before they are decoded: decoding would replace bad bytes with U+FFFD)
 * and how many ':' stand outside its strings (one per member, so the importer can tell that
 * JSON.parse dropped a duplicate member name). Hand-written because streaming JSON libraries
 * tokenise every value in JavaScript, several times slower than finding boundaries and letting
 * V8 parse.
 *
 * Positions: byte offsets from the start of the input; lines from 1; columns from 1, counted
 * in bytes up to where an element starts and in characters inside it.
 */

export type SplitItem =
  | {
      kind: 'object';
      text: string;
      location: string;
      /** Where the element's first byte stands in the input. */
      start: TextPosition;
      /** ':' outside strings in the element: its member count if it has no duplicate names. */
      colons: number;
    }
  /** A bundle's own properties (all but `objects`) and how many objects it held; only with `envelopes`. */
  | { kind: 'envelope'; envelope: Record<string, unknown>; objectCount: number; location: string }
  | { kind: 'error'; code: SplitErrorCode; message: string; location: string; raw: string; rawBytes: number };

export type SplitErrorCode =
  | 'not-json'
  | 'invalid-json'
  | 'invalid-utf8'
  | 'not-an-object'
  | 'too-large'
  | 'too-deep'
  | 'truncated'
  | 'not-a-bundle'
  | 'duplicate-member'
  | 'number-out-of-range';

export interface SplitOptions {
  /** Largest element kept, in bytes; a larger one becomes a 'too-large' error. */
  maxObjectBytes: number;
  /** Deepest nesting accepted inside one object. */
  maxDepth: number;
  /** How much of a rejected element's text is kept for the quarantine. */
  maxRawBytes: number;
  /** Also report each bundle's envelope once its objects end (for checking it). */
  envelopes?: boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isStructural(c: number): boolean {
  return c === QUOTE || c === OPEN_BRACE || c === CLOSE_BRACE || c === OPEN_BRACKET || c === CLOSE_BRACKET;
}

/** Strings at or below this length are scanned in JavaScript; longer ones with a native search. */
const SHORT_SCAN = 48;

/**
 * Index of the next quote at or after `from` (escaped or not), -1 if none. Most strings are
 * short keys and values, for which a loop beats the cost of calling into Buffer#indexOf.
 */
function findQuote(chunk: Buffer, from: number): number {
  const stop = Math.min(chunk.length, from + SHORT_SCAN);
  for (let j = from; j < stop; j++) if (chunk[j] === QUOTE) return j;
  return stop === chunk.length ? -1 : chunk.indexOf(QUOTE, stop);
}

/**
 * 'between': between top-level values. 'value': inside a top-level object, buffered whole.
 * 'stream': inside an array whose elements are items (a bundle's objects, a top-level array).
 * 'tail': inside a bundle after its objects array; the rest is kept to check the envelope.
 */
type Mode = 'between' | 'value' | 'stream' | 'tail';

/** Bytes of one element, gathered across chunks with a size cap. */
class ElementBuffer {
  parts: Buffer[] = [];
  bytes = 0;
  overflow = false;
  constructor(
    private readonly max: number,
    private readonly keep: number,
  ) {}
  add(part: Buffer): void {
    if (part.length === 0) return;
    this.bytes += part.length;
    if (this.overflow) return;
    if (this.bytes > this.max) {
      this.overflow = true;
      this.parts = [Buffer.concat([...this.parts, part]).subarray(0, this.keep)];
      return;
    }
    // Copy: the stream may reuse the chunk's memory once we return.
    this.parts.push(Buffer.from(part));
  }
  all(): Buffer {
    return this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts);
  }
  text(limit = Number.POSITIVE_INFINITY): string {
    const all = this.all();
    return all.toString('utf8', 0, Math.min(all.length, limit));
  }
  reset(): void {
    this.parts = [];
    this.bytes = 0;
    this.overflow = false;
  }
}

export class JsonSplitter {
  readonly #opts: SplitOptions;
  #items: SplitItem[] = [];
  #mode: Mode = 'between';
  #depth = 0;
  #inString = false;
  #prevChunkBackslashes = 0;
  #line = 1;
  /** Offset in the input of the first byte of line #line. */
  #lineStart = 0;
  /** Next newline of the current chunk not yet counted in #line (-1: none). */
  #nextNewline = -1;
  #offset = 0;
  #values = 0;
  #sawGarbage = false;
  /** After something that is not JSON between values: the rest of its line is skipped. */
  #skipLine = false;
  /** Bytes of a leading byte order mark read so far (3: all of it). */
  #bomBytes = 0;
  #valueStart: TextPosition = TEXT_START;
  #buf: ElementBuffer;
  #inElement = false;
  #elemStart = 0;
  #elemPos: TextPosition = TEXT_START;
  #elemIsObject = false;
  #elemTooDeep: TextPosition | undefined;
  #elemIndex = 0;
  #colons = 0;
  #streamDepth = 1;
  /** Between a stream's elements: after '[', after an element, or after a ','. */
  #sep: 'open' | 'element' | 'comma' = 'open';
  // The last short string seen at depth 1 of a top-level object (to spot the key `objects`).
  #stringStart = -1;
  #shortString: Buffer[] = [];
  #lastDepth1String = '';
  /** A streamed bundle's text before its objects array, kept to check the whole envelope at its end. */
  #envelope = '';
  #tail: ElementBuffer;
  #tailStart: TextPosition = TEXT_START;

  constructor(opts: SplitOptions) {
    this.#opts = opts;
    this.#buf = new ElementBuffer(opts.maxObjectBytes, opts.maxRawBytes);
    this.#tail = new ElementBuffer(TAIL_BYTES, 1024);
  }

  /** Feeds a chunk; returns the items it completed. */
  push(chunk: Buffer): SplitItem[] {
    this.#scan(chunk);
    this.#offset += chunk.length;
    return this.#drain();
  }

  /** Ends the input; reports a truncation if it stopped inside a value. */
  end(): SplitItem[] {
    const at = this.#position(this.#offset);
    if (this.#mode !== 'between') {
      const inStreamElement = this.#mode === 'stream' && this.#inElement;
      const location = inStreamElement ? this.#elementLocation() : this.#valueLocation();
      const hasRaw = this.#inElement;
      const expected = this.#inString
        ? `inside a string: expected '"' to end it`
        : this.#inElement
          ? `inside the value that starts at ${formatPosition(this.#elemPos)}: expected '}' or ']' to close it`
          : this.#mode === 'stream'
            ? "in an array of objects: expected ',' or ']'"
            : "in the bundle after its objects: expected '}' to close it";
      this.#items.push({
        kind: 'error',
        code: 'truncated',
        message: `the input ends at ${formatPosition(at)} ${expected}; the JSON is truncated`,
        location,
        raw: hasRaw ? this.#buf.text(this.#opts.maxRawBytes) : '',
        rawBytes: hasRaw ? this.#buf.bytes : 0,
      });
    } else if (this.#values === 0 && !this.#sawGarbage) {
      this.#error(
        'not-json',
        `the input is empty at ${formatPosition(at)}: expected a STIX bundle, an object or JSON Lines`,
        'byte 0',
        '',
        0,
      );
    }
    return this.#drain();
  }

  #drain(): SplitItem[] {
    const out = this.#items;
    this.#items = [];
    return out;
  }

  #error(code: SplitErrorCode, message: string, location: string, raw: string, rawBytes: number): void {
    this.#items.push({ kind: 'error', code, message, location, raw, rawBytes });
  }

  /** The position of an input offset on the current line (lines counted up to it). */
  #position(offset: number): TextPosition {
    return { offset, line: this.#line, column: offset - this.#lineStart + 1 };
  }

  /** The position of byte i of the chunk being scanned. */
  #here(chunk: Buffer, i: number): TextPosition {
    this.#countLines(chunk, i);
    return this.#position(this.#offset + i);
  }

  #valueLocation(): string {
    return `line ${this.#valueStart.line}`;
  }

  #elementLocation(): string {
    const here = `${this.#streamDepth === 2 ? 'objects' : ''}[${this.#elemIndex}]`;
    return this.#values > 1 || this.#valueStart.line > 1 ? `line ${this.#valueStart.line} ${here}` : here;
  }

  #scan(chunk: Buffer): void {
    const n = chunk.length;
    let i = 0;
    this.#elemStart = 0;
    this.#stringStart = this.#stringStart === -1 ? -1 : 0;
    this.#nextNewline = chunk.indexOf(NEWLINE);
    while (i < n) {
      if (this.#inString) {
        const q = findQuote(chunk, i);
        if (q === -1) break;
        i = q + 1;
        if ((q === 0 || chunk[q - 1] === BACKSLASH) && this.#isEscaped(chunk, q)) continue;
        this.#inString = false;
        this.#onStringEnd(chunk, q);
        continue;
      }
      // Inside an object element only quotes, braces and brackets matter: skip the rest here
      // (colons, commas, blanks, numbers, literals) without a call per byte, counting colons.
      if (this.#inElement && this.#elemIsObject) {
        let c = chunk[i] as number;
        let colons = 0;
        while (!isStructural(c)) {
          if (c === COLON) colons++;
          if (++i === n) break;
          c = chunk[i] as number;
        }
        this.#colons += colons;
        if (i === n) break;
        i = this.#onStructural(chunk, i, c);
        continue;
      }
      const c = chunk[i] as number;
      i = this.#mode === 'between' ? this.#onBetween(chunk, i, c) : this.#onStructural(chunk, i, c);
    }
    this.#countLines(chunk, n);
    this.#carryOver(chunk);
  }

  /**
   * Lines are counted only where a position needs them (where a value or element starts, where
   * something is wrong) and at the end of each chunk, by jumping from newline to newline: not a
   * test per byte.
   */
  #countLines(chunk: Buffer, upTo: number): void {
    let nl = this.#nextNewline;
    while (nl !== -1 && nl < upTo) {
      this.#line++;
      this.#lineStart = this.#offset + nl + 1;
      nl = chunk.indexOf(NEWLINE, nl + 1);
    }
    this.#nextNewline = nl;
  }

  #isEscaped(chunk: Buffer, q: number): boolean {
    let count = 0;
    let k = q - 1;
    while (k >= 0 && chunk[k] === BACKSLASH) {
      count++;
      k--;
    }
    if (k < 0) count += this.#prevChunkBackslashes;
    return count % 2 === 1;
  }

  #onBetween(chunk: Buffer, i: number, c: number): number {
    if (this.#skipLine) {
      const eol = chunk.indexOf(NEWLINE, i);
      if (eol === -1) return chunk.length;
      this.#skipLine = false;
      return eol;
    }
    if (isSpace(c) && this.#bomBytes !== 1 && this.#bomBytes !== 2) return i + 1;
    // One byte order mark at the very start is ignored (see stix/json-text.ts), even split over chunks.
    if (this.#offset + i === this.#bomBytes && this.#bomBytes < 3 && c === BOM[this.#bomBytes]) {
      this.#bomBytes++;
      return i + 1;
    }
    const at = this.#here(chunk, i);
    if (this.#bomBytes === 1 || this.#bomBytes === 2) {
      this.#bomBytes = 3;
      this.#garbage(chunk, i, this.#position(0), 'a byte order mark, but its bytes stop half-way');
      return i;
    }
    this.#values++;
    this.#valueStart = at;
    if (c === OPEN_BRACE) {
      this.#mode = 'value';
      this.#depth = 1;
      this.#lastDepth1String = '';
      this.#beginElement(chunk, i, true);
      return i + 1;
    }
    if (c === OPEN_BRACKET) {
      this.#mode = 'stream';
      this.#streamDepth = 1;
      this.#depth = 1;
      this.#elemIndex = 0;
      this.#sep = 'open';
      return i + 1;
    }
    this.#values--;
    // Checked on this byte alone: the rest of a mark may be in the next chunk.
    const found =
      c === BOM[0]
        ? 'byte 0xef (a byte order mark? only one, at the very start of the input, is ignored)'
        : describeByte(c);
    return this.#garbage(chunk, i, at, found);
  }

  /** Not a value we can use: reports up to the end of the line and goes on after it. */
  #garbage(chunk: Buffer, i: number, at: TextPosition, found: string): number {
    const eol = chunk.indexOf(NEWLINE, i);
    const end = eol === -1 ? chunk.length : eol;
    this.#skipLine = eol === -1;
    this.#error(
      'not-json',
      `not JSON at ${formatPosition(at)}: expected '{' or '[', found ${found}`,
      `line ${at.line}`,
      chunk.toString('utf8', i, Math.min(end, i + this.#opts.maxRawBytes)),
      end - i,
    );
    this.#sawGarbage = true;
    return end;
  }

  #beginElement(chunk: Buffer, i: number, isObject: boolean): void {
    this.#inElement = true;
    this.#elemStart = i;
    this.#elemPos = this.#here(chunk, i);
    this.#elemIsObject = isObject;
    this.#elemTooDeep = undefined;
    this.#colons = 0;
    this.#buf.reset();
  }

  /** A stream's elements are separated by exactly one ',' (RFC 8259): anything else is reported. */
  #separatorError(chunk: Buffer, i: number, expected: string, found: string): void {
    const at = this.#here(chunk, i);
    this.#error(
      'invalid-json',
      `not valid JSON at ${formatPosition(at)}: expected ${expected}, found ${found}`,
      this.#elementLocation(),
      '',
      0,
    );
  }

  #onStructural(chunk: Buffer, i: number, c: number): number {
    const atItemLevel = this.#mode === 'stream' && this.#depth === this.#streamDepth;
    if (atItemLevel && !this.#inElement) {
      if (isSpace(c)) return i + 1;
      if (c === COMMA) {
        if (this.#sep === 'element') this.#sep = 'comma';
        else this.#separatorError(chunk, i, this.#sep === 'open' ? "an object or ']'" : 'an object', "','");
        return i + 1;
      }
      if (c === CLOSE_BRACKET) {
        if (this.#sep === 'comma')
          this.#separatorError(chunk, i, "an object after ','", "']' (JSON has no trailing commas)");
        this.#depth--;
        if (this.#streamDepth === 1) this.#finishTopValue();
        else {
          this.#mode = 'tail';
          this.#tail.reset();
          this.#elemStart = i + 1;
          this.#tailStart = this.#here(chunk, i + 1);
        }
        return i + 1;
      }
      if (this.#sep === 'element') this.#separatorError(chunk, i, "',' or ']'", describeByte(c));
      this.#beginElement(chunk, i, c === OPEN_BRACE);
    } else if (atItemLevel && !this.#elemIsObject && (c === COMMA || c === CLOSE_BRACKET || isSpace(c))) {
      this.#endElement(chunk, i); // a scalar element ends here; the delimiter is read again
      return i;
    }
    if (c === QUOTE) {
      this.#inString = true;
      if (this.#mode === 'value' && this.#depth === 1) {
        this.#stringStart = i + 1;
        this.#shortString = [];
      }
      return i + 1;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (
        this.#mode === 'value' &&
        this.#depth === 1 &&
        c === OPEN_BRACKET &&
        this.#lastDepth1String === 'objects'
      ) {
        if (this.#startBundleIfEnvelope(chunk, i)) return i + 1;
      }
      this.#depth++;
      if (
        this.#inElement &&
        this.#elemTooDeep === undefined &&
        this.#depth - (this.#mode === 'stream' ? this.#streamDepth : 0) > this.#opts.maxDepth
      ) {
        this.#elemTooDeep = this.#here(chunk, i);
      }
      return i + 1;
    }
    if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      this.#depth--;
      if (this.#depth === 0 && this.#mode === 'value') {
        this.#endElement(chunk, i + 1);
        this.#finishTopValue();
      } else if (this.#depth === 0 && this.#mode === 'tail') {
        this.#tail.add(chunk.subarray(this.#elemStart, i + 1));
        this.#checkEnvelope();
        this.#finishTopValue();
      } else if (this.#mode === 'stream' && this.#inElement && this.#depth === this.#streamDepth) {
        this.#endElement(chunk, i + 1);
      }
    }
    return i + 1;
  }

  /**
   * At `[` after a depth-1 string `objects`: if the text so far plus `[]}` parses as an object
   * whose last key is `objects` and whose type (if already given) is `bundle`, stream it.
   */
  #startBundleIfEnvelope(chunk: Buffer, i: number): boolean {
    this.#buf.add(chunk.subarray(this.#elemStart, i));
    if (this.#buf.overflow) return false;
    const prefix = this.#buf.text();
    let envelope: unknown;
    try {
      envelope = JSON.parse(`${prefix}[]}`);
    } catch {
      this.#elemStart = i;
      return false;
    }
    const keys = Object.keys(envelope as object);
    const type = (envelope as { type?: unknown }).type;
    if (keys[keys.length - 1] !== 'objects' || (type !== undefined && type !== 'bundle')) {
      this.#elemStart = i;
      return false;
    }
    if (!isUtf8(this.#buf.all())) {
      const e = utf8Error(this.#buf.all(), this.#valueStart);
      this.#error('invalid-utf8', e.message, this.#valueLocation(), '', 0);
    }
    this.#envelope = prefix;
    this.#mode = 'stream';
    this.#streamDepth = 2;
    this.#depth = 2;
    this.#elemIndex = 0;
    this.#sep = 'open';
    this.#inElement = false;
    this.#buf.reset();
    return true;
  }

  /**
   * At the end of a streamed bundle: its envelope with the objects array left out (the text
   * before it, `[]`, the text after it) must be I-JSON like any other text, and a bundle.
   */
  #checkEnvelope(): void {
    const where = this.#valueLocation();
    if (this.#tail.overflow) {
      this.#error(
        'too-large',
        `the bundle holds more than ${TAIL_BYTES} bytes after its objects array (from ${formatPosition(this.#tailStart)})`,
        where,
        '',
        0,
      );
      return;
    }
    const tailBytes = this.#tail.all();
    if (!isUtf8(tailBytes)) {
      this.#error('invalid-utf8', utf8Error(tailBytes, this.#tailStart).message, where, '', 0);
      return;
    }
    const head = this.#envelope;
    const tail = tailBytes.toString('utf8');
    const text = `${head}[]${tail}`;
    const positionOf = (index: number) =>
      index < head.length + 2
        ? positionInText(head, Math.min(index, head.length), this.#valueStart)
        : positionInText(tail, index - head.length - 2, this.#tailStart);
    const parsed = parseJsonStrict(text, this.#opts.maxDepth, positionOf);
    this.#envelope = '';
    if (!parsed.ok) {
      this.#error(parsed.error.code, `the bundle's envelope is ${parsed.error.message}`, where, '', 0);
      return;
    }
    const type = (parsed.value as { type?: unknown }).type;
    if (type !== undefined && type !== 'bundle') {
      this.#error(
        'not-a-bundle',
        `the document has an 'objects' array but its type is ${JSON.stringify(type)}, not 'bundle'`,
        where,
        '',
        0,
      );
      return;
    }
    if (this.#opts.envelopes) {
      const envelope = Object.assign(Object.create(null), parsed.value) as Record<string, unknown>;
      delete envelope.objects;
      const location = this.#values > 1 || this.#valueStart.line > 1 ? this.#valueLocation() : 'bundle';
      this.#items.push({ kind: 'envelope', envelope, objectCount: this.#elemIndex, location });
    }
  }

  #onStringEnd(chunk: Buffer, q: number): void {
    if (this.#stringStart === -1) return;
    const start = this.#stringStart;
    this.#stringStart = -1;
    const total = this.#shortString.reduce((s, b) => s + b.length, 0) + (q - start);
    if (total > 16) {
      this.#lastDepth1String = '';
      return;
    }
    this.#shortString.push(chunk.subarray(start, q));
    this.#lastDepth1String = Buffer.concat(this.#shortString).toString('utf8');
  }

  #endElement(chunk: Buffer, end: number): void {
    // An element that began in this chunk is decoded straight from it: no copy into the buffer.
    const start = this.#elemStart;
    const direct = this.#buf.bytes === 0 && end - start <= this.#opts.maxObjectBytes;
    if (!direct) this.#buf.add(chunk.subarray(start, end));
    const textOf = (limit = Number.POSITIVE_INFINITY) =>
      direct ? chunk.toString('utf8', start, Math.min(end, start + limit)) : this.#buf.text(limit);
    const location = this.#mode === 'stream' ? this.#elementLocation() : this.#valueLocation();
    if (this.#mode === 'stream') {
      this.#elemIndex++;
      this.#sep = 'element';
    }
    this.#inElement = false;
    const bytes = direct ? end - start : this.#buf.bytes;
    const cap = this.#opts.maxRawBytes;
    if (!direct && this.#buf.overflow) {
      const limit = this.#opts.maxObjectBytes;
      this.#error(
        'too-large',
        `object is ${bytes} bytes, over the limit of ${limit} (max_object_bytes); it starts at ${formatPosition(this.#elemPos)}`,
        location,
        textOf(cap),
        bytes,
      );
    } else if (this.#elemTooDeep) {
      this.#error(
        'too-deep',
        `at ${formatPosition(this.#elemTooDeep)}: the object nests deeper than ${this.#opts.maxDepth} levels`,
        location,
        textOf(cap),
        bytes,
      );
    } else if (!this.#elemIsObject) {
      const text = textOf(cap);
      const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
      this.#error(
        'not-an-object',
        `at ${formatPosition(this.#elemPos)}: expected a STIX object '{…}', found ${shown}`,
        location,
        text,
        bytes,
      );
    } else {
      const raw = direct ? chunk.subarray(start, end) : this.#buf.all();
      if (isUtf8(raw))
        this.#items.push({
          kind: 'object',
          text: raw.toString('utf8'),
          location,
          start: this.#elemPos,
          colons: this.#colons,
        });
      else this.#error('invalid-utf8', utf8Error(raw, this.#elemPos).message, location, textOf(cap), bytes);
    }
    this.#buf.reset();
  }

  #finishTopValue(): void {
    this.#mode = 'between';
    this.#depth = 0;
    this.#inElement = false;
  }

  /** Keeps what continues into the next chunk: the open element, a depth-1 string, the tail. */
  #carryOver(chunk: Buffer): void {
    let k = chunk.length - 1;
    let trailing = 0;
    while (k >= 0 && chunk[k] === BACKSLASH) {
      trailing++;
      k--;
    }
    this.#prevChunkBackslashes = this.#inString
      ? k < 0
        ? this.#prevChunkBackslashes + trailing
        : trailing
      : 0;
    if (this.#inElement) this.#buf.add(chunk.subarray(this.#elemStart));
    if (this.#mode === 'tail') this.#tail.add(chunk.subarray(this.#elemStart));
    if (this.#stringStart !== -1) {
      const piece = chunk.subarray(this.#stringStart);
      if (this.#shortString.reduce((s, b) => s + b.length, 0) + piece.length <= 16)
        this.#shortString.push(Buffer.from(piece));
      else this.#shortString = [Buffer.alloc(17)];
    }
  }
}

const BOM = [0xef, 0xbb, 0xbf];
/** Largest part of a bundle after its objects array that is kept to check the envelope. */
const TAIL_BYTES = 64 * 1024;

function describeByte(c: number): string {
  if (c >= 0x21 && c < 0x7f) return JSON.stringify(String.fromCharCode(c));
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}
