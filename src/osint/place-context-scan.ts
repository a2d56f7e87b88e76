import type { EntityHit } from './entity-scan.js';
import type { Gazetteer } from './gazetteer-build.js';
import { countryOfHit } from './hit-country.js';
import {
  ARTICLE_NAME,
  compassLead,
  isCapitalised,
  NAME_PREFIXES,
  NOT_PLACE_NAMES,
  type Token,
  tokensTaken,
} from './text-tokens.js';

/**
 * Places no gazetteer lists (villages, districts, small towns) that the text itself marks as
 * places by what surrounds them: "near Tessit in eastern Mali", "in Mpondwe, western Uganda",
 * "in Kuriga, in Nigeria's Kaduna state", "Burkina Faso's Oudalan province". The name must be
 * capitalised, not a common English word and not already a name the gazetteer knows, and it
 * must lie next to a country the gazetteer does know: that country is where it lies.
 */
export interface ContextPlace {
  kind: 'place';
  name: string;
  /** feature: terrain named by its head noun (place-feature-scan.ts). */
  placeKind: 'city' | 'province' | 'feature' | 'venue';
  /** ISO 3166 alpha-2 code of the country the text puts it in. */
  country: string;
  /** The known place the text puts it in, by name ("Stora torget, the main square in Uppsala"). */
  within?: string;
}

// "rode into Nadiagou, in Kompienga province": where armed men went.
const BEFORE = new Set(['in', 'near', 'at', 'outside', 'around', 'inside', 'from', 'into']);
const DIRECTION =
  /^(?:(?:north|south)(?:-?(?:east|west))?(?:ern)?|east(?:ern)?|west(?:ern)?|central|the|far|remote|rural|neighbou?ring)$/;
// "Oudalan province", "Kaduna state": an administrative unit named before its kind.
export const UNIT: ReadonlySet<string> = new Set([
  'province',
  'state',
  'region',
  'district',
  'county',
  'governorate',
  'prefecture',
  'lga',
]);
// Capitalised words that begin clauses or titles rather than name places.
const NOT_NAMES = NOT_PLACE_NAMES;
const MAX_WORDS = 3;
const PLACE_ARTICLES = new Set(['el', 'la', 'los', 'las', 'le', 'les']);
const UNKNOWN_NAME_TAIL =
  /^ (?:del|de|de la|de los|de las|do|da|dos|das|di|du|des|de l['’]|d['’])\s?\p{Lu}[\p{L}-]*/u;
// Units below a province that lie "of" a known one: "the Malanville commune of Alibori".
const LOCAL_UNIT = new Set([
  ...UNIT,
  'commune',
  'municipality',
  'regency',
  'territory',
  'department',
  'subdistrict',
  'locality',
]);
const SETTLEMENT = new Set([
  'outskirts',
  'town',
  'village',
  'city',
  'district',
  'edge',
  'suburb',
  'municipality',
  // "the centro poblado of Unión Mantaro", "the vereda of La Esperanza": Spanish settlements.
  'poblado',
  'vereda',
  'corregimiento',
  'caserio',
  'aldea',
  'hamlet',
]);

function nameLike(t: Token | undefined, g: Gazetteer): boolean {
  // "in al-Rashad, near Muqdadiya": an Arabic article before a capitalised name.
  if (t && ARTICLE_NAME.test(t.text)) return true;
  if (!t || !isCapitalised(t.text) || /\d/.test(t.text)) return false;
  // "Guma LGA": a unit's word, in capitals too, ends the name.
  if (LOCAL_UNIT.has(t.fold)) return false;
  return (NAME_PREFIXES.has(t.fold) || !g.commonWords.has(t.fold)) && !NOT_NAMES.has(t.fold);
}

/** Token index of the hit that starts at token i, if any. */
function hitsByToken(hits: readonly EntityHit[]): Map<number, EntityHit> {
  const m = new Map<number, EntityHit>();
  for (const h of hits) m.set(h.from, h);
  return m;
}

// ", about 30 km south of ", ", some 12 kilometres from ": what follows is the town it is measured from.
const DISTANCE_FROM =
  /^,\s*(?:(?:about|some|roughly|around|nearly|approximately|barely|just)\s+)?\d+(?:[.,]\d+)?\s*(?:km|kilomet(?:er|re)s?|miles)\s+(?:(?:north|south|east|west)(?:-?(?:east|west))?\s+)?(?:of|from)\s+(?:the\s+(?:town|city|village)\s+of\s+)?/i;

/** The hit for a place the text marks on tokens from..to-1, named as the text writes it. */
export function placeHit(
  text: string,
  tokens: readonly Token[],
  from: number,
  to: number,
  where: { placeKind: ContextPlace['placeKind']; country: string; within?: string | undefined },
  rule: string,
  confidence: number,
): EntityHit {
  const start = (tokens[from] as Token).start;
  const end = (tokens[to - 1] as Token).end;
  const { placeKind, country, within } = where;
  const name = text.slice(start, end);
  return {
    entry: { kind: 'place', name, placeKind, country, ...(within !== undefined && { within }) },
    start,
    end,
    from,
    to,
    rule,
    confidence,
  };
}

/** A scan for places the gazetteer alone misses, given the hits found so far (it never overlaps them). */
export type PlaceScan = (
  text: string,
  tokens: readonly Token[],
  hits: readonly EntityHit[],
  g: Gazetteer,
) => EntityHit[];

export const scanContextPlaces: PlaceScan = (text, tokens, hits, g) => {
  const taken = tokensTaken(tokens, hits);
  const byToken = hitsByToken(hits);
  // A country, or a province the gazetteer knows ("near Argelia, in Cauca department").
  // Places this scan has claimed, by first token: "the departments of Mayo-Sava and Mayo-Tsanaga
  // ... raid Tourou, in Mayo-Tsanaga" puts Tourou where the first mention put Mayo-Tsanaga.
  const claimedCountry = new Map<string, string>();
  const countryAt = (i: number): string | undefined => {
    const claimed = tokens[i] ? claimedCountry.get(tokens[i].fold) : undefined;
    if (claimed && taken[i]) return claimed;
    const h = byToken.get(i);
    const e = h?.entry;
    if (e?.kind === 'country') return e.code;
    // "in the Diffa region": a town's name before a unit word is the unit around it.
    if (e?.kind === 'city' && h && UNIT.has(tokens[h.to]?.fold ?? '')) return e.choices[0]?.country;
    return e?.kind === 'province' ? e.country : undefined;
  };
  // "at Breitscheidplatz in Berlin": a town the gazetteer knows holds the unknown name.
  const townAt = (i: number) => {
    const e = byToken.get(i)?.entry;
    return e?.kind === 'city' && e.choices[0] !== undefined
      ? { name: e.name, country: e.choices[0].country }
      : undefined;
  };

  // The one country an article names, if it names only one: where its unknown units lie.
  const named = new Set(hits.flatMap((h) => (h.entry.kind === 'country' ? [h.entry.code] : [])));
  const sole = named.size === 1 ? [...named][0] : undefined;
  // "Ituri province": an unknown name and a unit word at token j, in the article's one country.
  const unitAt = (j: number): number => {
    // "into the Syrian state": a people's adjective before a unit word describes a state.
    if (g.demonyms.has(tokens[j]?.fold ?? '')) return -1;
    let to = j + compassLead(tokens, j, (k) => !taken[k] && nameLike(tokens[k], g), UNIT);
    while (to < tokens.length && to - j < MAX_WORDS && !taken[to] && nameLike(tokens[to], g)) to++;
    return to > j && UNIT.has(tokens[to]?.fold ?? '') ? to : -1;
  };

  // The country named last before token i, within a few sentences (a binary search: a long text
  // asks this at every unknown name).
  const countries = hits
    .flatMap((h) => (h.entry.kind === 'country' ? [{ end: h.end, code: h.entry.code }] : []))
    .sort((a, b) => a.end - b.end);
  const lastCountryBefore = (i: number): string | undefined => {
    const at = (tokens[i] as Token).start;
    let lo = 0;
    let hi = countries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((countries[mid] as { end: number }).end <= at) lo = mid + 1;
      else hi = mid;
    }
    const best = countries[lo - 1];
    return best && at - best.end < 600 ? best.code : undefined;
  };

  let about: string | null | undefined = null;
  const main = () => {
    if (about === null) about = mainCountry(hits);
    return about;
  };
  const out: EntityHit[] = [];
  // Tokens from..to-1 name a place the text marks: a hit, and no later scan claims them again.
  const claim = (
    from: number,
    to: number,
    placeKind: ContextPlace['placeKind'],
    country: string,
    rule: string,
    confidence: number,
    within?: string,
  ) => {
    out.push(placeHit(text, tokens, from, to, { placeKind, country, within }, rule, confidence));
    for (let k = from; k < to; k++) taken[k] = 1;
    if (to - from === 1) claimedCountry.set((tokens[from] as Token).fold, country);
  };
  const gapIs = (a: number, re: RegExp) =>
    re.test(text.slice((tokens[a] as Token).end, (tokens[a + 1] as Token | undefined)?.start ?? text.length));

  for (let i = 1; i < tokens.length; i++) {
    // "in neighbouring Piagapo": an adjective of nearness between the preposition and the name.
    const near = /^(?:neighbou?ring|nearby)$/.test((tokens[i - 1] as Token).fold) && i > 1;
    const lead = tokens[near ? i - 2 : i - 1] as Token;
    // "the outskirts of Barsalogho", "the town of Kuriga": "of" after a word for a settlement.
    const ofSettlement = lead.fold === 'of' && SETTLEMENT.has(tokens[i - 2]?.fold ?? '');
    // "an attack on Kafolo, in northern Ivory Coast".
    const attackOn = lead.fold === 'on' && /^(?:attacks?|assaults?|raids?)$/.test(tokens[i - 2]?.fold ?? '');
    // "insurgents entered Mazeze, in Chiúre district", "the road north of Koui in Ouham-Pendé".
    // ... and a timeline's present tense: "Boko Haram fighters raid Tourou, in Mayo-Tsanaga".
    const entered =
      /^(?:entered|stormed|overran|raided|attacked|besieged|enter|storm|storms|overrun|overruns|raid|raids|attack|attacks)$/.test(
        lead.fold,
      ) && lead.text === lead.fold;
    const compassOf =
      lead.fold === 'of' && /^(?:north|south|east|west)(?:-?(?:east|west))?$/.test(tokens[i - 2]?.fold ?? '');
    // "- 5 October: Shangil Tobaya, North Darfur: 3 civilians killed": a brief's line names its
    // place after the date.
    const lineHead =
      gapIs(i - 1, /^:\s+$/) &&
      /(?:^|\n)[ \t]*[-•*][ \t][^\n:]{1,30}$/.test(text.slice(Math.max(0, lead.start - 40), lead.end));
    const led =
      (BEFORE.has(lead.fold) || ofSettlement || attackOn || entered || compassOf) &&
      gapIs(i - 1, /^ $/) &&
      !(near && !gapIs(i - 2, /^ $/));
    if (!(led || lineHead)) continue;
    // Up to three capitalised words the gazetteer does not know, joined by single spaces or hyphens.
    let to = i + compassLead(tokens, i, (k) => !taken[k] && nameLike(tokens[k], g), UNIT);
    // "in Lam Phaya": a common word opens a name when a word that is no common one follows.
    const opener = tokens[i] as Token;
    if (
      to === i &&
      !taken[i] &&
      isCapitalised(opener.text) &&
      !NOT_NAMES.has(opener.fold) &&
      !taken[i + 1] &&
      nameLike(tokens[i + 1], g) &&
      gapIs(i, /^ $/)
    )
      to = i + 1;
    // "El Mango", "La Esperanza": after a Spanish or French article any capitalised word goes on.
    const goesOn = (k: number) =>
      nameLike(tokens[k], g) ||
      (k > i && PLACE_ARTICLES.has(tokens[k - 1]?.fold ?? '') && isCapitalised(tokens[k]?.text ?? ''));
    // "were killed in Tole, in Gimbi district": a common word is a name where the text says
    // where it lies; "at Point Triple, where the borders of Benin, Niger and Burkina Faso meet":
    // or that it is a place.
    let k2 = i;
    while (
      k2 < tokens.length &&
      k2 - i < 2 &&
      !taken[k2] &&
      isCapitalised((tokens[k2] as Token).text) &&
      !NOT_NAMES.has((tokens[k2] as Token).fold) &&
      (k2 === i || gapIs(k2 - 1, /^ $/))
    )
      k2++;
    const rest = k2 > i ? text.slice((tokens[k2 - 1] as Token).end, (tokens[k2 - 1] as Token).end + 8) : '';
    if (
      to === i &&
      k2 > i &&
      BEFORE.has(lead.fold) &&
      ((/^,\s+in\s+/.test(rest) &&
        (countryAt(k2 + 1) !== undefined || townAt(k2 + 1) !== undefined || unitAt(k2 + 1) > 0)) ||
        (/^,\s+where\b/.test(rest) && main() !== undefined))
    )
      to = k2;
    const whereAfter =
      to > i &&
      /^,\s+where\b/.test(text.slice((tokens[to - 1] as Token).end, (tokens[to - 1] as Token).end + 8));
    const whereCountry = whereAfter ? (sole ?? lastCountryBefore(i) ?? main()) : undefined;
    if (whereCountry) {
      claim(i, to, 'city', whereCountry, 'place:where-clause', 0.6);
      continue;
    }
    while (to < tokens.length && to - i < MAX_WORDS && !taken[to] && goesOn(to)) {
      to++;
      if (!gapIs(to - 1, /^[ -]$/)) break;
    }
    if (to === i) continue;
    // "Petite-Rivière de l'Artibonite": a particle and a capitalised word go on with the name.
    const tail = UNKNOWN_NAME_TAIL.exec(
      text.slice((tokens[to - 1] as Token).end, (tokens[to - 1] as Token).end + 40),
    );
    if (tail) {
      const end = (tokens[to - 1] as Token).end + tail[0].length;
      let k = to;
      while (k < tokens.length && (tokens[k] as Token).end <= end) k++;
      if ((tokens[k - 1] as Token).end === end && ![...Array(k - to).keys()].some((d) => taken[to + d]))
        to = k;
    }
    // What follows the name must put it in a known country.
    let j = to;
    const sep = text.slice(
      (tokens[to - 1] as Token).end,
      (tokens[to] as Token | undefined)?.start ?? text.length,
    );
    // "al-Shabaab gunmen stormed Mpeketoni and killed 48": a name armed men took by storm is a
    // place, in the country the article is about.
    if (
      /^(?:stormed|overran|besieged)$/.test(lead.fold) &&
      /^(?:,\s*| |\.\s*)$/.test(sep) &&
      countryAt(j) === undefined &&
      townAt(j) === undefined
    ) {
      const about = main();
      if (about) {
        claim(i, to, 'city', about, 'place:stormed', 0.6);
        continue;
      }
    }
    if (!/^(?:,\s*| )$/.test(sep)) continue;
    if (sep === ' ' && tokens[j]?.fold !== 'in') continue;
    // "at Youga, near Bittou in Boulgou province": a place near a known town lies in its country.
    if (sep !== ' ' && tokens[j]?.fold === 'near') {
      const near = townAt(j + 1);
      if (near) {
        claim(i, to, 'city', near.country, 'place:near-town', 0.6);
        continue;
      }
    }
    // "in Fantio, about 30 km south of Téra": a place a distance from a known town lies in its country.
    if (sep !== ' ') {
      const from = (tokens[to - 1] as Token).end;
      const measured = DISTANCE_FROM.exec(text.slice(from, from + 80));
      if (measured) {
        let k = j;
        while (k < tokens.length && (tokens[k] as Token).start < from + measured[0].length) k++;
        const town = townAt(k);
        if (town) {
          claim(i, to, 'city', town.country, 'place:distance-from-town', 0.6);
          continue;
        }
      }
    }
    // "in Suárez, also in Cauca".
    if (tokens[j]?.fold === 'also' && tokens[j + 1]?.fold === 'in') j++;
    if (tokens[j]?.fold === 'in') j++;
    while (
      j < tokens.length &&
      DIRECTION.test((tokens[j] as Token).fold) &&
      countryAt(j) === undefined &&
      j - to < 4
    )
      j++;
    // "in the southern department of Putumayo".
    let unitOf = false;
    if (
      (LOCAL_UNIT.has(tokens[j]?.fold ?? '') || tokens[j]?.fold === 'department') &&
      tokens[j + 1]?.fold === 'of'
    ) {
      j += 2;
      unitOf = true;
    }
    // "at Guéné, in the Malanville commune of Alibori department": a local unit of a known one.
    else {
      let k = j;
      while (k < tokens.length && k - j < MAX_WORDS && !taken[k] && nameLike(tokens[k], g)) k++;
      if (k > j && LOCAL_UNIT.has(tokens[k]?.fold ?? '') && tokens[k + 1]?.fold === 'of') j = k + 2;
    }
    // An unknown unit lies in the article's one country, or in a digest in the country its
    // section named last ("MOZAMBIQUE ... entered Mazeze, in Chiúre district"); "in El Plateado,
    // in Argelia municipality": a local unit too.
    const context = sole ?? lastCountryBefore(i) ?? main();
    let unitEnd = context === undefined ? -1 : unitAt(j);
    // "in the district of Pichari": a unit's name, whatever the gazetteer knows of it.
    if (unitEnd < 0 && context !== undefined && unitOf && !taken[j] && nameLike(tokens[j], g))
      unitEnd = j + 1;
    if (unitEnd < 0 && context !== undefined) {
      let k = j;
      while (k < tokens.length && k - j < MAX_WORDS && !taken[k] && nameLike(tokens[k], g)) k++;
      if (k > j && LOCAL_UNIT.has(tokens[k]?.fold ?? '')) unitEnd = k;
    }
    // "in Lam Phaya, in Yala": after a comma too, a known town named with "in" holds it.
    const town = sep === ' ' || tokens[to]?.fold === 'in' ? townAt(j) : undefined;
    // "fighters raid Tourou, in Mayo-Tsanaga": a name an attack's verb takes, said to lie in
    // another, is a place of the article's country even when neither is known.
    const raided =
      entered && tokens[to]?.fold === 'in' && sep !== ' ' && nameLike(tokens[j], g) ? context : undefined;
    const country = countryAt(j) ?? (unitEnd > 0 ? context : undefined) ?? town?.country ?? raided;
    if (!country) continue;
    // "in Tole, in Gimbi district": inside the district named for the town.
    const unitTown = byToken.get(j)?.entry;
    const within =
      town && !countryAt(j)
        ? town.name
        : unitTown?.kind === 'city' && UNIT.has(tokens[(byToken.get(j) as EntityHit).to]?.fold ?? '')
          ? unitTown.name
          : undefined;
    claim(i, to, 'city', country, 'place:named-in-country', 0.7, within);
  }

  // "in Ituri province", "in the Wadi region": a unit the gazetteer does not know, in the one
  // country the article names.
  // ... or in the country of the known place it is said to be of ("in Bacho district of Narathiwat").
  for (let i = 1; i < tokens.length; i++) {
    // "in neighbouring Argo district".
    const beside =
      /^(?:neighbou?ring|nearby)$/.test((tokens[i - 1] as Token).fold) &&
      BEFORE.has(tokens[i - 2]?.fold ?? '');
    if (!BEFORE.has((tokens[i - 1] as Token).fold) && !beside) continue;
    const from = tokens[i]?.fold === 'the' ? i + 1 : i;
    const to = unitAt(from);
    if (to < 0) continue;
    const of = tokens[to + 1]?.fold === 'of' ? (countryAt(to + 2) ?? townAt(to + 2)?.country) : undefined;
    const country = sole ?? of ?? (beside ? (lastCountryBefore(i) ?? main()) : undefined);
    if (country === undefined) continue;
    const owner = of === undefined ? undefined : byToken.get(to + 2)?.entry;
    claim(
      from,
      to,
      'province',
      country,
      sole ? 'place:unit-in-article-country' : 'place:unit-of-known-place',
      0.6,
      owner && owner.kind !== 'country' ? owner.name : undefined,
    );
  }

  // "Burkina Faso's Oudalan province", "Istanbul's Beyoglu district": a possessive, a name, a unit.
  for (const h of hits) {
    const country = h.entry.kind === 'place' ? undefined : countryOfHit(h);
    if (!country) continue;
    if (!/^['’]s $/.test(text.slice(h.end, h.end + 3))) continue;
    const from = h.to;
    let to = from + compassLead(tokens, from, (k) => !taken[k] && nameLike(tokens[k], g), UNIT);
    while (to < tokens.length && to - from < MAX_WORDS && !taken[to] && nameLike(tokens[to], g)) to++;
    const unit = tokens[to];
    // "a raid on Burkina Faso's Tougan": after "in/on/at" and a country's possessive, a name that
    // ends the clause is a place there (a person would not be "in Nigeria's Buhari").
    const lead = tokens[h.from - 1]?.fold ?? '';
    const ends = /^(?:$|[,.;:\n]|\s+\p{Ll})/u.test(
      text.slice(
        (tokens[to - 1] as Token | undefined)?.end ?? 0,
        ((tokens[to - 1] as Token | undefined)?.end ?? 0) + 2,
      ),
    );
    // "in Cameroon's Anglophone regions": a word before plural units describes them.
    const plural =
      unit !== undefined &&
      /^(?:regions|provinces|states|districts|areas|territories|departments)$/.test(unit.fold);
    if (
      to > from &&
      (!unit || !UNIT.has(unit.fold)) &&
      !plural &&
      h.entry.kind === 'country' &&
      ['in', 'on', 'at', 'near'].includes(lead) &&
      ends
    ) {
      claim(from, to, 'city', country, 'place:in-country-possessive', 0.6);
      continue;
    }
    if (to === from || !unit || !UNIT.has(unit.fold)) continue;
    // "Abyan's Ahwar district": a unit inside the province or town that owns it.
    const owner = h.entry.kind === 'country' ? undefined : h.entry.name;
    claim(from, to, 'province', country, 'place:unit-of-country', 0.7, owner);
  }
  return out;
};

/**
 * "Chad's Lac province": a town the gazetteer knows only in another country (Laç, Albania),
 * named as a unit of the country before it, is that unit of that country.
 */
export function asUnitOfCountry(
  h: EntityHit,
  text: string,
  tokens: readonly Token[],
  hits: readonly EntityHit[],
): EntityHit {
  if (h.entry.kind !== 'city' || !UNIT.has(tokens[h.to]?.fold ?? '')) return h;
  // "Thailand's southern Yala province": a direction may come between.
  const owner = hits.find(
    (o) =>
      o.end < h.start &&
      h.start - o.end <= 40 &&
      /^['’]s (?:(?:(?:north|south)(?:-?(?:east|west))?|east|west)(?:ern)?\s+|central\s+)?$/i.test(
        text.slice(o.end, h.start),
      ),
  )?.entry;
  if (owner?.kind !== 'country') {
    // "in the Bari region" of an article about Somalia: a town of a country the article never
    // names (Bari, Italy) is the unit of the same name in the country it is about.
    const named = new Set(hits.flatMap((o) => (o.entry.kind === 'country' ? [o.entry.code] : [])));
    const about = mainCountry(hits.filter((o) => o !== h));
    if (owner !== undefined || !about || h.entry.choices.some((c) => named.has(c.country))) return h;
    return {
      ...h,
      entry: { kind: 'place', name: text.slice(h.start, h.end), placeKind: 'province', country: about },
      rule: 'place:unit-of-main-country',
      confidence: 0.6,
    };
  }
  // "Mali's Ménaka region": the unit around a town of that country, named after it.
  if (h.entry.choices.some((c) => c.country === owner.code))
    return { ...h, entry: { kind: 'place', name: h.entry.name, placeKind: 'province', country: owner.code } };
  return {
    ...h,
    entry: { kind: 'place', name: text.slice(h.start, h.end), placeKind: 'province', country: owner.code },
    rule: 'place:unit-of-country',
    confidence: 0.7,
  };
}

/** The country an article names most often, itself (counting twice) or through its towns. */
function mainCountry(hits: readonly EntityHit[]): string | undefined {
  const counts = new Map<string, number>();
  for (const o of hits) {
    const code = o.entry.kind === 'country' || o.entry.kind === 'city' ? countryOfHit(o) : undefined;
    if (code) counts.set(code, (counts.get(code) ?? 0) + (o.entry.kind === 'country' ? 2 : 1));
  }
  let best: string | undefined;
  for (const [code, n] of counts) if (best === undefined || n > (counts.get(best) ?? 0)) best = code;
  return best;
}

// Particles inside a place's name: "San Miguel del Ene", "Vila Nova de Gaia".
const NAME_TAIL = /^ (?:del|de|de la|de los|de las|do|da|dos|das|di|du|des) \p{Lu}[\p{L}'’-]*/u;

/**
 * "the village of San Miguel del Ene": a town the gazetteer knows ("San Miguel") followed by a
 * particle and a capitalised word is the start of a longer name it does not know; that name lies
 * in the country the article is about.
 */
export function withNameTail(
  h: EntityHit,
  text: string,
  tokens: readonly Token[],
  hits: readonly EntityHit[],
): EntityHit {
  if (h.entry.kind !== 'city') return h;
  const tail = NAME_TAIL.exec(text.slice(h.end, h.end + 40));
  if (!tail) return h;
  const end = h.end + tail[0].length;
  let to = h.to;
  while (to < tokens.length && (tokens[to] as Token).end <= end) to++;
  if ((tokens[to - 1] as Token).end !== end) return h;
  // A name the gazetteer knows after the particle ("Rio de Janeiro" is one already) is its own.
  if (hits.some((o) => o.start > h.end && o.start < end)) return h;
  const country = mainCountry(hits) ?? h.entry.choices[0]?.country;
  if (!country) return h;
  return placeHit(text, tokens, h.from, to, { placeKind: 'city', country }, 'place:name-tail', 0.6);
}
