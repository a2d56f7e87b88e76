import { usageError } from './cli-error.js';

/** What `--filter` (and the --type, --label, --group, --report options) select of a queue. */
export interface QueueFilterOptions {
  types?: string[];
  labels?: string[];
  group?: string;
}

const KEYS = ['type', 'label', 'group', 'report'] as const;
type Key = (typeof KEYS)[number];
const MAX_FILTER = 2000;

function values(raw: string): string[] {
  return raw
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

/**
 * `--filter "type=indicator,relationship label=isis-k"`: space- or semicolon-separated clauses
 * KEY=VALUE[,VALUE...], where KEY is type, label, group or report (a report is a group). Options
 * that say the same thing (--type T with --filter type=...) are refused, not merged, so a
 * selection never means something other than what one of them says.
 */
export function parseQueueFilter(
  filter: string | undefined,
  opts: { type?: string; label?: string; group?: string; report?: string },
): QueueFilterOptions {
  const given = new Map<Key, string>();
  for (const key of KEYS) {
    const v = opts[key];
    if (v !== undefined) given.set(key, `--${key}`);
  }
  const raw: Partial<Record<Key, string>> = { ...opts };
  if (filter !== undefined) {
    if (filter.length > MAX_FILTER) throw usageError(`--filter: at most ${MAX_FILTER} characters`);
    const clauses = filter.split(/[\s;]+/).filter((c) => c.length > 0);
    if (clauses.length === 0)
      throw usageError('--filter is empty: give KEY=VALUE clauses, e.g. type=indicator');
    for (const clause of clauses) {
      const eq = clause.indexOf('=');
      const key = clause.slice(0, eq).trim().toLowerCase();
      if (eq <= 0 || !(KEYS as readonly string[]).includes(key))
        throw usageError(
          `--filter: "${clause}" is not KEY=VALUE with KEY one of ${KEYS.join(', ')} (e.g. type=indicator,malware)`,
        );
      const value = clause.slice(eq + 1);
      if (values(value).length === 0) throw usageError(`--filter: "${clause}" gives ${key} no value`);
      const before = given.get(key as Key);
      if (before) throw usageError(`--filter: ${key} is given twice (${before} and "${clause}")`);
      given.set(key as Key, `"${clause}"`);
      raw[key as Key] = value;
    }
  }
  if (raw.group !== undefined && raw.report !== undefined)
    throw usageError('give a group or a report, not both (a report is the group of the items it cites)');
  const out: QueueFilterOptions = {};
  const types = raw.type === undefined ? undefined : values(raw.type);
  const labels = raw.label === undefined ? undefined : values(raw.label);
  if (types && types.length > 0) out.types = types;
  if (labels && labels.length > 0) out.labels = labels;
  const group = (raw.group ?? raw.report)?.trim();
  if (group) out.group = group;
  return out;
}
