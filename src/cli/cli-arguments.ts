import { usageError } from './cli-error.js';

/** Options every command that opens a hub takes. */
export interface DataOption {
  data?: string;
}

/** The data directory option of every command that opens a hub: one wording everywhere. */
export const DATA_OPTION = [
  '--data <dir>',
  'data directory (default ./tearline-data or $TEARLINE_DATA)',
] as const;

/** What every option asking for a time says it takes (help text). */
export const TIME_FORMS = 'a date (midnight UTC) or an RFC 3339 timestamp';

/** `--at` of the commands that decide as of another time (explain, condition impact). */
export const DECIDE_AT_OPTION = [
  '--at <time>',
  `decide as of this time instead of now: ${TIME_FORMS}`,
] as const;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses a --at style option: a date (YYYY-MM-DD, taken as midnight UTC: what someone typing
 * "--valid-from 2026-12-01" means) or RFC 3339 with a zone; else a usage error naming the option.
 */
export function parseTimeOption(value: string | undefined, option: string): Date | undefined {
  if (value === undefined) return undefined;
  const dateOnly = DATE_ONLY.test(value);
  const t = Date.parse(dateOnly ? `${value}T00:00:00Z` : value);
  if (!(dateOnly || TIMESTAMP.test(value)) || Number.isNaN(t) || !isCalendarDay(value.slice(0, 10))) {
    throw usageError(
      `${option} "${value}" must be ${TIME_FORMS}, such as 2026-12-31 or 2026-12-31T09:30:00Z`,
    );
  }
  return new Date(t);
}

// Date.parse rolls 2026-02-30 over to March 2: a date must name a day that exists.
function isCalendarDay(ymd: string): boolean {
  const t = Date.parse(`${ymd}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(ymd);
}

/**
 * A whole-number option from `min` to `max`, written with at most as many digits as `max` (so a
 * long run of leading zeros is refused too); else a usage error naming the option and the range.
 */
export function wholeNumberOption(value: string, option: string, min: number, max: number): number {
  const n = Number(value);
  if (!new RegExp(`^\\d{1,${String(max).length}}$`).test(value) || n < min || n > max)
    throw usageError(`${option} "${value}" must be a whole number from ${min} to ${max}`);
  return n;
}

export function requireReason(reason: string | undefined, what: string): string {
  if (reason === undefined || reason.trim() === '')
    throw usageError(`--reason is required: say why you ${what}`);
  if (reason.length > 2000) throw usageError('--reason must be at most 2000 characters');
  return reason.trim();
}
