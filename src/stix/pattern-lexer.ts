/** Tokens of the STIX 2.1 patterning language (section 9), with their line and column (1-based). */
export type TokenKind =
  | 'ident'
  | 'string'
  | 'int'
  | 'float'
  | 'bool'
  | 'binary'
  | 'hex'
  | 'timestamp'
  | 'keyword'
  | 'op'
  | 'punct'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** Keyword/operator/punctuation text, identifier name, or decoded string content. */
  text: string;
  line: number;
  column: number;
}

export interface PatternSyntaxError {
  line: number;
  column: number;
  message: string;
}

const KEYWORDS = new Set([
  'AND',
  'OR',
  'NOT',
  'FOLLOWEDBY',
  'LIKE',
  'MATCHES',
  'ISSUPERSET',
  'ISSUBSET',
  'EXISTS',
  'IN',
  'START',
  'STOP',
  'SECONDS',
  'TIMES',
  'WITHIN',
  'REPEATS',
]);

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isIdentStart = (c: string | undefined) => c !== undefined && /[A-Za-z_]/.test(c);
const isIdentPart = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_-]/.test(c);

/** Splits a pattern into tokens, or returns the first lexical error. */
export function tokenizePattern(text: string): { tokens: Token[] } | { error: PatternSyntaxError } {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const at = (pos: number) => ({ line, column: pos - lineStart + 1 });
  const fail = (pos: number, message: string) => ({ error: { ...at(pos), message } });

  /** Reads a quoted body starting at the opening quote; returns content and the index after the closing quote. */
  const readQuoted = (open: number): { content: string; end: number } | undefined => {
    let j = open + 1;
    let out = '';
    while (j < text.length) {
      const c = text[j];
      if (c === '\\') {
        const next = text[j + 1];
        if (next !== "'" && next !== '\\') return undefined;
        out += next;
        j += 2;
        continue;
      }
      if (c === "'") return { content: out, end: j + 1 };
      if (c === '\n') {
        line++;
        lineStart = j + 1;
      }
      out += c;
      j++;
    }
    return undefined;
  };

  while (i < text.length) {
    const c = text[i] as string;
    if (c === '\n') {
      line++;
      i++;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    const pos = at(i);
    if ((c === 't' || c === 'h' || c === 'b') && text[i + 1] === "'") {
      const q = readQuoted(i + 1);
      if (!q) return fail(i, 'unterminated literal; close it with a single quote');
      const kind = c === 't' ? 'timestamp' : c === 'h' ? 'hex' : 'binary';
      tokens.push({ kind, text: q.content, ...pos });
      i = q.end;
      continue;
    }
    if (c === "'") {
      const q = readQuoted(i);
      if (!q) return fail(i, "unterminated string; close it with ' (escape quotes inside as \\')");
      tokens.push({ kind: 'string', text: q.content, ...pos });
      i = q.end;
      continue;
    }
    if (
      isDigit(c) ||
      ((c === '-' || c === '+') && (isDigit(text[i + 1]) || text[i + 1] === '.')) ||
      (c === '.' && isDigit(text[i + 1]))
    ) {
      let j = i + (c === '-' || c === '+' ? 1 : 0);
      while (isDigit(text[j])) j++;
      let kind: TokenKind = 'int';
      if (text[j] === '.' && isDigit(text[j + 1])) {
        kind = 'float';
        j++;
        while (isDigit(text[j])) j++;
      }
      const raw = text.slice(i, j);
      if (kind === 'int' && /^[+-]?0\d/.test(raw))
        return fail(i, `integer ${raw} must not have leading zeros`);
      tokens.push({ kind, text: raw, ...pos });
      i = j;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (isIdentPart(text[j])) j++;
      const word = text.slice(i, j);
      if (KEYWORDS.has(word)) tokens.push({ kind: 'keyword', text: word, ...pos });
      else if (word === 'true' || word === 'false') tokens.push({ kind: 'bool', text: word, ...pos });
      else tokens.push({ kind: 'ident', text: word, ...pos });
      i = j;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '==' || two === '!=' || two === '<>' || two === '<=' || two === '>=') {
      tokens.push({ kind: 'op', text: two === '==' ? '=' : two === '<>' ? '!=' : two, ...pos });
      i += 2;
      continue;
    }
    if (c === '=' || c === '<' || c === '>') {
      tokens.push({ kind: 'op', text: c, ...pos });
      i++;
      continue;
    }
    if ('[]():.,*'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, ...pos });
      i++;
      continue;
    }
    return fail(i, `unexpected character '${c}'`);
  }
  tokens.push({ kind: 'eof', text: '', ...at(i) });
  return { tokens };
}
