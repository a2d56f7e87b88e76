import { type CasualtyHit, figuresOf } from './incident-scan.js';
import { evidenceOf, type ItemSet } from './item-set.js';
import type { Extraction, IncidentData, LocationData } from './osint-types.js';
import { datelineLength } from './text-dates.js';
import { keyOf } from './text-fold.js';
import type { Sentence } from './text-sentences.js';

/** An attack the text told with its dead but never said where. */
export interface Unplaced {
  noun: string;
  killed: CasualtyHit;
  injured?: CasualtyHit | undefined;
  date: string | undefined;
  start: number;
  end: number;
}

// "It was that Thursday evening, a little after seven, ...": a feature gives the day late, with
// "that" pointing back at the attack it is about.
export const THAT_DAY = /\bthat\s+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b/;

/**
 * "TORIBÍO, Cauca - ... When it exploded, it killed two police officers": a feature that tells
 * its attack without a place is filed from where it happened. The attack goes to the dateline's
 * town, when nothing else took its dead, with the day the text gave late if it gave none.
 */
export function placeUnplaced(
  text: string,
  sentences: readonly Sentence[],
  placed: readonly { hit: { start: number; end: number }; item: Extraction }[],
  items: ItemSet,
  unplaced: Unplaced | undefined,
  lateDay: string | undefined,
  headline: number | undefined,
): void {
  if (!unplaced) return;
  const incidents = items.list().filter((i) => i.kind === 'incident');
  const took = incidents.some((i) => {
    const k = (i.data as IncidentData).killed;
    return k !== undefined && k.value === unplaced.killed.value;
  });
  // ... and not a headline's toll, which the body tells with its place.
  if (took || unplaced.killed.value >= 500 || unplaced.start === headline) return;
  const lead = sentences.find((s) => s.start !== headline);
  if (!lead) return;
  const length = datelineLength(text.slice(lead.start, lead.end));
  if (length === 0) return;
  const town = placed.find((p) => {
    const d = p.item.data as LocationData;
    return (
      p.hit.start >= lead.start &&
      p.hit.end <= lead.start + length &&
      (d.placeKind === 'city' || d.placeKind === 'venue')
    );
  })?.item;
  if (!town || incidents.some((i) => (i.data as IncidentData).place === town.key)) return;
  const date = unplaced.date ?? lateDay;
  const name = `${town.name} ${unplaced.noun}`;
  items.add(
    keyOf('incident', name),
    name,
    {
      kind: 'incident',
      noun: unplaced.noun,
      place: town.key,
      ...(date && { date }),
      ...figuresOf(unplaced),
    },
    evidenceOf(sentences, unplaced.start, unplaced.end, 'incident:dateline-place', 0.5),
  );
}
