const DAY_MS = 86_400_000;

export type ReportPeriod =
  | { ok: true; from: string; to: string; ms: number }
  | { ok: false; code: 'empty-period' };

/**
 * The period a disclosure report covers, [from, to), as the console and `report disclosures`
 * both read it: a `to` written as a date (YYYY-MM-DD) means up to the end of that day (UTC), so
 * the same date twice is that one day and "to today" includes today; a timestamp is the exclusive
 * end itself. An empty or backward period is refused (the caller words it for its surface).
 */
export function reportPeriod(from: Date, toStart: Date, toText: string): ReportPeriod {
  const to = /^\d{4}-\d{2}-\d{2}$/.test(toText) ? toStart.getTime() + DAY_MS : toStart.getTime();
  const ms = to - from.getTime();
  if (!(ms > 0)) return { ok: false, code: 'empty-period' };
  return { ok: true, from: from.toISOString(), to: new Date(to).toISOString(), ms };
}
