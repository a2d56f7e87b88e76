/**
 * How deep a YAML (or JSON) agreement nests, found by reading its lines without parsing, so that
 * `[[[[…` or `- - - - …` a hundred thousand deep is refused before the YAML parser, which
 * composes and converts recursively, runs out of stack. Conservative: it counts at least the
 * depth the parser will build. Block collections are tracked by the column where each one's
 * entries start (a `- ` entry, a `key:`), so compact entries (`- - key: x`) count as the levels
 * they are; a line closes every collection that starts at or right of its first column. Flow
 * brackets outside quotes and comments add to that; block scalars' text is skipped. A legitimate
 * agreement nests five or six levels.
 */

export interface DepthExcess {
  /** 0-based index of the character where the limit is passed. */
  index: number;
}

const BLOCK_SCALAR_HEADER = /(^|[\s:-])[|>][-+0-9]*\s*(#.*)?$/;

/** True when `line` holds a mapping `key:` from `from` on, outside quotes and flow brackets. */
function hasMappingKey(line: string, from: number): boolean {
  let quote = '';
  for (let k = from; k < line.length; k++) {
    const c = line[k] as string;
    if (quote) {
      if (quote === '"' && c === '\\') k++;
      else if (c === quote) quote = '';
    } else if ((c === '"' || c === "'") && k === from) quote = c;
    else if (c === '[' || c === '{' || (c === '#' && k > from && /\s/.test(line[k - 1] as string)))
      return false;
    else if (c === ':' && /\s/.test(line[k + 1] ?? ' ')) return true;
  }
  return false;
}

export function findExcessiveYamlDepth(text: string, maxDepth: number): DepthExcess | undefined {
  /** Columns where each open block collection's entries start, outermost first. */
  const open: number[] = [];
  let flow = 0;
  /** While inside a block scalar: lines indented more than this are its text. */
  let scalarParent = -1;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    let i = 0;
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
    const indent = i;
    const blank = i === line.length || line[i] === '#' || line[i] === '\r';
    if (scalarParent >= 0 && (blank || indent > scalarParent)) {
      lineStart = lineEnd + 1;
      continue;
    }
    scalarParent = -1;
    if (!blank && flow === 0) {
      while (open.length > 0 && (open[open.length - 1] as number) >= indent) open.pop();
      // Compact entries: each `- ` or `? ` opens a collection whose entries start at its column.
      while (i < line.length && (line[i] === '-' || line[i] === '?') && /\s/.test(line[i + 1] ?? ' ')) {
        open.push(i);
        if (open.length > maxDepth) return { index: lineStart + i };
        i += 2;
        while (line[i] === ' ') i++;
      }
      if (hasMappingKey(line, i)) {
        open.push(i);
        if (open.length > maxDepth) return { index: lineStart + i };
      }
    }
    let quote = '';
    for (let k = i; k < line.length; k++) {
      const c = line[k] as string;
      if (quote) {
        if (quote === '"' && c === '\\') k++;
        else if (c === quote) quote = '';
        continue;
      }
      const before = k === 0 ? ' ' : (line[k - 1] as string);
      if ((c === '"' || c === "'") && /[\s[{,:]/.test(before)) quote = c;
      else if (c === '#' && /\s/.test(before)) break;
      else if (c === '[' || c === '{') {
        flow++;
        if (open.length + flow > maxDepth) return { index: lineStart + k };
      } else if ((c === ']' || c === '}') && flow > 0) flow--;
    }
    if (flow === 0 && BLOCK_SCALAR_HEADER.test(line)) scalarParent = indent;
    lineStart = lineEnd + 1;
  }
  return undefined;
}
