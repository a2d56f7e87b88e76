import { loadGazetteer } from '../app/osint-data-load.js';
import { extractArticle } from './article-extract.js';
import type { Extraction, IncidentData } from './osint-types.js';

// What the rule tests extract from sentences of our own: one gazetteer per test file, one
// publication date unless a test needs its own.
const g = loadGazetteer();
const PUBLISHED = '2025-06-12';

export function extractAt(text: string, at = PUBLISHED): Extraction[] {
  return extractArticle(text, g, { published: new Date(at) });
}

/** The names of what the text yields of one kind, in order. */
export function namesOf(text: string, kind: Extraction['kind'] | string, at?: string): string[] {
  return extractAt(text, at)
    .filter((i) => i.kind === kind)
    .map((i) => i.name);
}

/** The text each item of one kind was found at, every mention. */
export function surfacesOf(text: string, kind: string, at?: string): string[] {
  return extractAt(text, at)
    .filter((i) => i.kind === kind)
    .flatMap((i) => i.evidence.map((e) => text.slice(e.start, e.end)));
}

/** The incidents the text yields: place by name, noun, date and figures. */
export function incidentsOf(text: string, at?: string) {
  const items = extractAt(text, at);
  const byKey = new Map(items.map((i) => [i.key, i]));
  return items
    .filter((i) => i.kind === 'incident')
    .map((i) => {
      const d = i.data as IncidentData;
      return {
        place: byKey.get(d.place ?? '')?.name,
        noun: d.noun,
        date: d.date,
        killed: d.killed?.value,
        injured: d.injured?.value,
      };
    });
}
