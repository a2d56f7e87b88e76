/**
 * ISO 8601 durations (PnYnMnWnDTnHnMnS) as agreements use them for embargoes and windows.
 * Years and months are calendar units, so a duration is applied to an instant rather than
 * turned into a fixed number of milliseconds.
 */
export interface IsoDuration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const DURATION_RE =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** The parsed duration, or undefined when the text is not an ISO 8601 duration. */
export function parseIsoDuration(text: string): IsoDuration | undefined {
  const m = DURATION_RE.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]));
  return { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6), seconds: n(7) };
}

/** The instant `sign` * duration after `fromMs` (epoch milliseconds), in UTC calendar arithmetic. */
export function addIsoDuration(fromMs: number, d: IsoDuration, sign: 1 | -1 = 1): number {
  const t = new Date(fromMs);
  t.setUTCFullYear(t.getUTCFullYear() + sign * d.years, t.getUTCMonth() + sign * d.months);
  const fixedMs =
    ((d.weeks * 7 + d.days) * 86_400 + d.hours * 3_600 + d.minutes * 60) * 1000 +
    Math.round(d.seconds * 1000);
  return t.getTime() + sign * fixedMs;
}

export function isZeroDuration(d: IsoDuration): boolean {
  return Object.values(d).every((v) => v === 0);
}
