import type { EntityHit } from './entity-scan.js';

/** The ISO code of the country a gazetteer or text hit lies in, if it says (a country is its own). */
export function countryOfHit(h: EntityHit): string | undefined {
  const e = h.entry;
  if (e.kind === 'country') return e.code;
  if (e.kind === 'province' || e.kind === 'place') return e.country;
  if (e.kind === 'city') return e.choices[0]?.country;
  return undefined;
}
