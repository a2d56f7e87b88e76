import { DAY_MS } from './text-dates.js';

// Dates an incident's sentences state relative to one another: how far apart two are, what
// "a week later" and "the following month" come to.

// "A week later, two bombers attacked ...", "The next day".
export const LATER =
  /^\s*(?:(a|one|two|three|four|five|six)\s+(days?|weeks?)\s+later|the\s+(?:next|following)\s+(day))\b/i;
const COUNT: Record<string, number> = { a: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6 };

/** The date a span after another: a day's date moves on; a month or a year stays as precise as it was. */
export function after(date: string, m: RegExpExecArray): string {
  if (!/^\d{4}-\d\d-\d\d$/.test(date)) return date;
  const days = m[3] ? 1 : (COUNT[(m[1] ?? '').toLowerCase()] ?? 1) * (/^week/i.test(m[2] ?? '') ? 7 : 1);
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

// "... and early the following month they shot dead 36 quarry workers".
export const NEXT_MONTH = /\b(?:the\s+(?:following|next)\s+month|a\s+month\s+later)\b/i;

/** The month after a date's month. */
export function monthAfter(date: string): string | undefined {
  const m = /^(\d{4})-(\d\d)/.exec(date);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
}

/** Two stated dates that cannot be one event's: neither holds the other and they lie over a month apart. */
export function apart(a: string, b: string): boolean {
  if (a.startsWith(b) || b.startsWith(a)) return false;
  const at = (d: string) => Date.parse(d.length === 4 ? `${d}-01-01` : d.length === 7 ? `${d}-01` : d);
  return Math.abs(at(a) - at(b)) > 31 * DAY_MS;
}
