import { type JsonObject, type JsonValue, setOwn } from '../stix/types.js';
import type { Removal, TearlineResult } from './tearline-types.js';

/** What `tearline preview --json` prints. */
export interface TearlinePreview {
  original: JsonObject;
  tearline: JsonObject | null;
  withheld: null | { code: string; message: string };
  removed: Removal[];
}

export function buildPreview(original: JsonObject, result: TearlineResult): TearlinePreview {
  return result.ok
    ? { original, tearline: result.tearline, withheld: null, removed: result.removed }
    : { original, tearline: null, withheld: { code: result.code, message: result.message }, removed: [] };
}

/** Original and tearline in two columns (long lines wrapped), then each removal with its rule. */
export function renderPreviewText(preview: TearlinePreview, width: number): string {
  const column = Math.max(30, Math.floor((width - 3) / 2));
  const left = wrapLines(JSON.stringify(preview.original, null, 2), column);
  const right = preview.tearline
    ? wrapLines(JSON.stringify(alignKeys(preview.tearline, preview.original), null, 2), column)
    : [`WITHHELD (${preview.withheld?.code})`, ...wrapLines(preview.withheld?.message ?? '', column)];
  const rows = [`${'original'.padEnd(column)} | tearline`, `${'-'.repeat(column)}-+-${'-'.repeat(column)}`];
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    rows.push(`${(left[i] ?? '').padEnd(column)} | ${right[i] ?? ''}`.trimEnd());
  }
  if (preview.removed.length > 0) {
    rows.push('', 'removed:');
    const pathWidth = Math.max(...preview.removed.map((r) => r.path.length));
    for (const r of preview.removed) rows.push(`  ${r.path.padEnd(pathWidth)}  (${r.rule})`);
  } else if (preview.tearline) {
    rows.push('', 'removed: nothing');
  }
  return `${rows.join('\n')}\n`;
}

/** For reading side by side only: the copy's keys in the original's order, new keys last. */
function alignKeys(copy: JsonObject, original: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(original))
    if (Object.hasOwn(copy, key)) setOwn(out, key, copy[key] as JsonValue);
  for (const key of Object.keys(copy)) if (!Object.hasOwn(out, key)) setOwn(out, key, copy[key] as JsonValue);
  return out;
}

function wrapLines(text: string, width: number): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line.length <= width) {
      out.push(line);
      continue;
    }
    const indent = ' '.repeat(Math.min(line.length - line.trimStart().length + 2, width / 2));
    out.push(line.slice(0, width));
    for (let at = width; at < line.length; at += width - indent.length) {
      out.push(indent + line.slice(at, at + width - indent.length));
    }
  }
  return out;
}
