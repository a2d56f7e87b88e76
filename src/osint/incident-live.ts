import type { ItemSet } from './item-set.js';
import type { IncidentData } from './osint-types.js';
import { statedDate } from './text-dates.js';

// "14:05 - Residents report a loud explosion": an entry of a live page, stamped with a clock time.
const LIVE_ENTRY = /^\s*\d{1,2}[:.]\d{2}\s*(?:[-–—:]|\b(?:GMT|UTC|local)\b)/;

/**
 * "Live updates, Wednesday 22 April 2026. ... 14:05 - Residents report a loud explosion": a live
 * page tells its attack by the clock, under the day its header names. An attack first told in a
 * stamped entry, with no day of its own, happened on that day.
 */
export function dateLiveEntries(text: string, items: ItemSet, published: Date | undefined): void {
  // Only the header's first lines, and only their first characters: a text with no line break
  // is one line.
  const head = text.slice(0, 400).split('\n').slice(0, 4);
  let day: string | undefined;
  for (const line of head) {
    const d = statedDate(line, published);
    if (d?.length === 10) {
      day = d;
      break;
    }
  }
  if (!day) return;
  for (const i of items.list()) {
    if (i.kind !== 'incident') continue;
    const d = i.data as IncidentData;
    const first = i.evidence[0];
    if (d.date !== undefined || !first) continue;
    // The entry's stamp opens its line, just before the sentence (a bounded look back).
    const from = Math.max(0, first.sentenceStart - 16);
    const near = text.slice(from, first.sentenceStart + 24);
    const lineStart = near.lastIndexOf('\n', first.sentenceStart - from);
    if (LIVE_ENTRY.test(lineStart >= 0 ? near.slice(lineStart + 1) : from === 0 ? near : '')) d.date = day;
  }
}
