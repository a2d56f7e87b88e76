import type { JsonObject } from '../stix/types.js';
import type { SanitisationProfile } from './tearline-profile.js';
import { END_TIMESTAMPS, type TypeRules } from './tearline-type-registry.js';

/** Metres in one unit of the last kept decimal of a degree of latitude (about 111.32 km / 10^d). */
function metresPerUnit(decimals: number): number {
  return Math.ceil(111_320 / 10 ** decimals);
}

const DAY_MS = 86_400_000;

/**
 * Rounds coordinates (raising `precision`, in metres, to what is left) and coarsens the listed
 * timestamps to the day: starts round down, ends (END_TIMESTAMPS) round up, so every
 * start <= end relation of the original still holds. Mutates the copy.
 */
export function applyPrecision(copy: JsonObject, rules: TypeRules, profile: SanitisationProfile): void {
  const decimals = profile.coordinate_decimals;
  if (rules.coordinates && decimals !== null) {
    let rounded = false;
    for (const key of ['latitude', 'longitude'] as const) {
      const value = copy[key];
      if (typeof value !== 'number') continue;
      copy[key] = roundTo(value, decimals);
      rounded = true;
    }
    if (rounded) {
      const precision = copy.precision;
      const coarse = metresPerUnit(decimals);
      copy.precision = typeof precision === 'number' && precision > coarse ? precision : coarse;
    }
  }
  for (const key of profile.coarsen_to_day) {
    const value = copy[key];
    if (typeof value !== 'string') continue;
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) continue;
    const floor = Math.floor(ms / DAY_MS) * DAY_MS;
    const day = END_TIMESTAMPS.has(key) && floor !== ms ? floor + DAY_MS : floor;
    copy[key] = new Date(day).toISOString().replace('.000Z', 'Z');
  }
  for (const key of ['created', 'modified'] as const) {
    const value = copy[key];
    if (typeof value === 'string') copy[key] = toMillisecondForm(value);
  }
}

const COARSER_THAN_MS = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,2}))?Z$/;

/**
 * created and modified MUST be written to the millisecond (section 3.2), and the copy is checked
 * against that. A version stored before the hub enforced it ('...:27Z'), or a profile that
 * coarsens created to the day, gives the same instant with three digits rather than a withheld copy.
 */
export function toMillisecondForm(timestamp: string): string {
  const m = COARSER_THAN_MS.exec(timestamp);
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(3, '0')}Z` : timestamp;
}

function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const rounded = Math.round(value * factor) / factor;
  // Normalise -0 so that serialisation is stable.
  return rounded === 0 ? 0 : rounded;
}
