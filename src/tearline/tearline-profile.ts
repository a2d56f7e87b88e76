import { isTlpLevel, type TlpLevel } from '../stix/markings-tlp.js';
import { isJsonObject } from '../stix/types.js';

/**
 * The rules of a sanitisation, named so an agreement can reference them. Allow/deny lists hold
 * exact names or a prefix ending in '*' ('x_mitre_*').
 */
export interface SanitisationProfile {
  name: string;
  /** Level assumed for an object that carries no marking at all (fail closed: not 'clear'). */
  unmarked_level: TlpLevel;
  keep_confidence: boolean;
  /** external_references whose source_name matches are kept; all others dropped. */
  allow_external_reference_sources: readonly string[];
  /** Custom (x_*, or unknown for the type) properties kept; all others dropped. */
  allow_custom_properties: readonly string[];
  /** Extension keys (extension-definition ids or x-* names) kept; STIX-defined SCO extensions always are. */
  allow_extensions: readonly string[];
  /** Custom object types released at all; others are withheld. */
  allow_custom_types: readonly string[];
  /** Internal labels removed. */
  deny_labels: readonly string[];
  /** Decimals of latitude/longitude kept; null keeps them as they are. */
  coordinate_decimals: number | null;
  /** Top-level timestamp properties coarsened to the day. */
  coarsen_to_day: readonly string[];
  /**
   * Statement markings (copyright, terms of use) restrict nothing; 'carry' keeps them on the copy
   * (and releases their definitions with it), 'drop' leaves them out. A licence may require
   * the notice to travel with the data, so every built-in profile carries them.
   */
  statement_markings: 'carry' | 'drop';
}

const INTERNAL_LABELS = ['internal', 'internal:*', 'source:*', 'case:*', 'handling:*', 'tearline:*'];
const PUBLIC_CATALOGUES = ['cve', 'cwe', 'capec'];

export const STRICT_PROFILE: SanitisationProfile = {
  name: 'strict',
  unmarked_level: 'amber',
  keep_confidence: false,
  allow_external_reference_sources: PUBLIC_CATALOGUES,
  allow_custom_properties: [],
  allow_extensions: [],
  allow_custom_types: [],
  deny_labels: INTERNAL_LABELS,
  coordinate_decimals: 1,
  coarsen_to_day: [
    'first_seen',
    'last_seen',
    'first_observed',
    'last_observed',
    'valid_from',
    'valid_until',
    'start_time',
    'stop_time',
    'published',
  ],
  statement_markings: 'carry',
};

export const STANDARD_PROFILE: SanitisationProfile = {
  name: 'standard',
  unmarked_level: 'green',
  keep_confidence: false,
  allow_external_reference_sources: [...PUBLIC_CATALOGUES, 'mitre-attack', 'mitre-ics-attack'],
  allow_custom_properties: [],
  allow_extensions: [],
  allow_custom_types: [],
  deny_labels: INTERNAL_LABELS,
  coordinate_decimals: 2,
  coarsen_to_day: ['first_seen', 'last_seen', 'first_observed', 'last_observed'],
  statement_markings: 'carry',
};

export const ALLY_PROFILE: SanitisationProfile = {
  name: 'ally',
  unmarked_level: 'green',
  keep_confidence: true,
  allow_external_reference_sources: ['*'],
  allow_custom_properties: ['x_mitre_*'],
  allow_extensions: [],
  allow_custom_types: ['x-mitre-*'],
  deny_labels: INTERNAL_LABELS,
  coordinate_decimals: 4,
  coarsen_to_day: [],
  statement_markings: 'carry',
};

export const BUILT_IN_PROFILES: ReadonlyMap<string, SanitisationProfile> = new Map(
  [STRICT_PROFILE, STANDARD_PROFILE, ALLY_PROFILE].map((p) => [p.name, p]),
);

/** True when `name` equals an entry or starts with an entry's prefix before a trailing '*'. */
export function matchesNameList(list: readonly string[], name: string): boolean {
  for (const entry of list) {
    if (entry.endsWith('*') ? name.startsWith(entry.slice(0, -1)) : entry === name) return true;
  }
  return false;
}

export interface ProfileFieldError {
  field: string;
  message: string;
}

export type ProfileParseResult =
  | { ok: true; profile: SanitisationProfile }
  | { ok: false; errors: ProfileFieldError[] };

const NAME_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const MAX_LIST = 1000;
const MAX_ENTRY = 256;
const LIST_FIELDS = [
  'allow_external_reference_sources',
  'allow_custom_properties',
  'allow_extensions',
  'allow_custom_types',
  'deny_labels',
  'coarsen_to_day',
] as const;
const KNOWN_FIELDS = new Set([
  'name',
  'extends',
  'unmarked_level',
  'keep_confidence',
  'coordinate_decimals',
  'statement_markings',
  ...LIST_FIELDS,
]);

/**
 * Reads a custom profile (parsed JSON). `extends` names a built-in profile whose fields are the
 * defaults (else 'strict'); unknown fields are errors, so a misspelt rule never falls back silently.
 */
export function parseProfile(input: unknown): ProfileParseResult {
  const errors: ProfileFieldError[] = [];
  if (!isJsonObject(input)) {
    return { ok: false, errors: [{ field: '', message: 'a profile must be a JSON object' }] };
  }
  for (const key of Object.keys(input)) {
    if (!KNOWN_FIELDS.has(key)) errors.push({ field: key, message: `unknown field '${key}'; remove it` });
  }
  const name = input.name;
  if (typeof name !== 'string' || !NAME_RE.test(name)) {
    errors.push({
      field: 'name',
      message: 'name must be 1-64 of a-z, 0-9, _ or -, starting with a letter or digit',
    });
  }
  let base = STRICT_PROFILE;
  if (input.extends !== undefined) {
    const found = typeof input.extends === 'string' ? BUILT_IN_PROFILES.get(input.extends) : undefined;
    if (found) base = found;
    else {
      const names = [...BUILT_IN_PROFILES.keys()].join(', ');
      errors.push({ field: 'extends', message: `extends must name a built-in profile (${names})` });
    }
  }
  const profile: SanitisationProfile = { ...base, name: typeof name === 'string' ? name : base.name };
  if (input.unmarked_level !== undefined) {
    if (isTlpLevel(input.unmarked_level)) profile.unmarked_level = input.unmarked_level;
    else
      errors.push({
        field: 'unmarked_level',
        message: 'unmarked_level must be clear, green, amber, amber+strict or red',
      });
  }
  if (input.keep_confidence !== undefined) {
    if (typeof input.keep_confidence === 'boolean') profile.keep_confidence = input.keep_confidence;
    else errors.push({ field: 'keep_confidence', message: 'keep_confidence must be true or false' });
  }
  const statements = input.statement_markings;
  if (statements !== undefined) {
    if (statements === 'carry' || statements === 'drop') profile.statement_markings = statements;
    else
      errors.push({ field: 'statement_markings', message: "statement_markings must be 'carry' or 'drop'" });
  }
  const decimals = input.coordinate_decimals;
  if (decimals !== undefined) {
    if (
      decimals === null ||
      (Number.isInteger(decimals) && (decimals as number) >= 0 && (decimals as number) <= 8)
    ) {
      profile.coordinate_decimals = decimals as number | null;
    } else {
      errors.push({
        field: 'coordinate_decimals',
        message: 'coordinate_decimals must be an integer 0-8 or null',
      });
    }
  }
  for (const field of LIST_FIELDS) {
    const value = input[field];
    if (value === undefined) continue;
    const list = readNameList(value, field, errors);
    if (list) profile[field] = list;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, profile };
}

function readNameList(value: unknown, field: string, errors: ProfileFieldError[]): string[] | undefined {
  if (!Array.isArray(value)) {
    errors.push({ field, message: `${field} must be a list of strings` });
    return undefined;
  }
  if (value.length > MAX_LIST) {
    errors.push({ field, message: `${field} has ${value.length} entries; at most ${MAX_LIST}` });
    return undefined;
  }
  const out: string[] = [];
  value.forEach((entry, i) => {
    if (typeof entry !== 'string' || entry.length === 0 || entry.length > MAX_ENTRY) {
      errors.push({
        field: `${field}[${i}]`,
        message: `must be a non-empty string of at most ${MAX_ENTRY} characters`,
      });
    } else {
      out.push(entry);
    }
  });
  return out;
}
