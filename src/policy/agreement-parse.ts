import { type Document, isMap, isSeq, LineCounter, type Node, parseDocument, visit } from 'yaml';
import { decodeUtf8Document, positionInText } from '../stix/json-text.js';
import { findExcessiveYamlDepth } from './agreement-depth.js';
import type { AgreementError, AgreementParseResult } from './agreement-types.js';
import { type FieldPath, formatFieldPath, validateAgreementValue } from './agreement-validate.js';

/** Agreements are small documents; anything larger is a mistake or an attack on the parser. */
export const AGREEMENT_MAX_BYTES = 256 * 1024;
/** Deepest nesting accepted (an agreement needs five or six levels), checked before parsing. */
export const AGREEMENT_MAX_DEPTH = 64;

/**
 * An agreement file's bytes as text: UTF-8 only, one leading byte order mark ignored (the rule of
 * every surface, stix/json-text.ts).
 */
export function decodeAgreementFile(
  bytes: Uint8Array,
): { ok: true; text: string } | { ok: false; errors: AgreementError[] } {
  if (bytes.length > AGREEMENT_MAX_BYTES) return tooLarge();
  const decoded = decodeUtf8Document(bytes);
  if (decoded.ok) return { ok: true, text: decoded.text };
  const { line, column } = decoded.error.position;
  return {
    ok: false,
    errors: [{ code: 'agreement-encoding', path: '', line, column, message: decoded.error.message }],
  };
}

/** Parses an agreement file's bytes (see decodeAgreementFile, parseAgreement). */
export function parseAgreementFile(bytes: Uint8Array): AgreementParseResult {
  const decoded = decodeAgreementFile(bytes);
  return decoded.ok ? parseAgreement(decoded.text) : decoded;
}

function tooLarge(): { ok: false; errors: AgreementError[] } {
  return {
    ok: false,
    errors: [
      {
        code: 'agreement-too-large',
        path: '',
        message: `the agreement is larger than ${AGREEMENT_MAX_BYTES} bytes; split or shorten it`,
      },
    ],
  };
}

/**
 * Parses an agreement written in YAML or JSON (JSON is read by the YAML 1.2 parser so that
 * errors in either carry line numbers) and validates it. `source` names the file in messages.
 */
export function parseAgreement(text: string): AgreementParseResult {
  if (Buffer.byteLength(text, 'utf8') > AGREEMENT_MAX_BYTES) return tooLarge();
  // The YAML parser composes and converts recursively: deep nesting is refused before it runs.
  const deep = findExcessiveYamlDepth(text, AGREEMENT_MAX_DEPTH);
  if (deep) {
    const { line, column } = positionInText(text, deep.index);
    return {
      ok: false,
      errors: [
        {
          code: 'agreement-too-deep',
          path: '',
          line,
          column,
          message: `nesting deeper than ${AGREEMENT_MAX_DEPTH} levels at line ${line}, column ${column}`,
        },
      ],
    };
  }
  const lineCounter = new LineCounter();
  // The core schema keeps timestamps as strings and refuses custom tags' surprises; a low alias
  // limit stops "billion laughs" expansion.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, schema: 'core', prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const { line, col } = lineCounter.linePos(e.pos[0]);
        return {
          code: 'agreement-syntax' as const,
          path: '',
          line,
          column: col,
          message: `syntax error at line ${line}, column ${col}: ${e.message.split('\n')[0]}`,
        };
      }),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (err) {
    // An unresolved alias or an alias bomb: said at the alias that caused it.
    const message = (err as Error).message;
    const { line, col } = lineCounter.linePos(aliasOffset(doc, message));
    return {
      ok: false,
      errors: [
        {
          code: 'agreement-syntax',
          path: '',
          line,
          column: col,
          message: `syntax error at line ${line}, column ${col}: ${message.split('\n')[0]}`,
        },
      ],
    };
  }
  const { agreement, issues } = validateAgreementValue(value);
  if (agreement && issues.length === 0) return { ok: true, agreement };
  const errors: AgreementError[] = issues.map((issue) => {
    const line = lineOf(doc.contents, issue.path, lineCounter, issue.code === 'agreement-unknown-field');
    return {
      code: issue.code,
      path: formatFieldPath(issue.path),
      ...(line !== undefined && { line }),
      message: issue.message,
    };
  });
  return { ok: false, errors };
}

/** Where the alias named in `message` stands (else the first alias, else the start). */
function aliasOffset(doc: Document, message: string): number {
  let first: number | undefined;
  let named: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      const start = node.range?.[0];
      if (start === undefined) return;
      first ??= start;
      if (named === undefined && message.includes(node.source)) named = start;
    },
  });
  return named ?? first ?? 0;
}

/** The line of the node at `path`, or of its nearest existing ancestor (a missing field's parent). */
function lineOf(root: unknown, path: FieldPath, lc: LineCounter, wantKey: boolean): number | undefined {
  let node = root as Node | null | undefined;
  let line = startLine(node, lc);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === seg);
      if (!pair) return line;
      if (wantKey && i === path.length - 1) return startLine(pair.key as Node, lc) ?? line;
      next = pair.value;
      line = startLine(pair.key as Node, lc) ?? line;
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg];
    } else {
      return line;
    }
    node = next as Node | null | undefined;
    line = startLine(node, lc) ?? line;
  }
  return line;
}

function startLine(node: Node | null | undefined, lc: LineCounter): number | undefined {
  const start = node?.range?.[0];
  return start === undefined ? undefined : lc.linePos(start).line;
}

/** One line per error: 'FILE:LINE: path: message', the form editors and people both read. */
export function formatAgreementErrors(source: string, errors: readonly AgreementError[]): string {
  const where = (e: AgreementError) =>
    e.line === undefined ? '' : e.column === undefined ? `:${e.line}` : `:${e.line}:${e.column}`;
  return errors.map((e) => `${source}${where(e)}: ${e.message}`).join('\n');
}
