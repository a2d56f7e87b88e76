import type { EntityHit } from './entity-scan.js';
import { ARTICLE_NAME, isCapitalised, PEOPLES_ADJECTIVE, type Token } from './text-tokens.js';

// Words before a place name that say it is one ("in Kabul", "near Jalalabad").
export const LOCATIVE = new Set([
  'in',
  'at',
  'near',
  'from',
  'outside',
  'to',
  'into',
  'across',
  'of',
  'around',
  'inside',
  'between',
  'opposite',
  'beside',
]);
// Places of worship: venue heads that proper names also keep in lower case.
const WORSHIP_HEADS = ['mosque', 'church', 'cathedral', 'synagogue', 'temple', 'shrine'];
// The last word of a named venue: "Crocus City Hall", "Hamid Karzai International Airport".
const VENUE_HEADS = new Set([
  'hall',
  'airport',
  ...WORSHIP_HEADS,
  'hotel',
  'stadium',
  'arena',
  'theatre',
  'theater',
  'market',
  'bazaar',
  'mall',
  'station',
  'square',
  'bridge',
  'pub',
  'restaurant',
  'cafe',
  'café',
  'hospital',
  'museum',
  'embassy',
  'consulate',
  'gurdwara',
  'basilica',
  'nightclub',
  'university',
  'college',
  'school',
  'academy',
  'seminary',
  'madrasa',
  'monastery',
  'club',
  'restaurant',
  'cafe',
  'barracks',
  'terminal',
  'avenue',
  'street',
  'boulevard',
  'beach',
  'estate',
  'plantation',
  'ranch',
  'camp',
  'junction',
  'roundabout',
  'gymnasium',
  'auditorium',
  'base',
  // "Wuppertal Hauptbahnhof", "the Masjid ...": heads in other languages that English copy keeps.
  'hauptbahnhof',
  'bahnhof',
  // "the Urfahraner Markt in Linz", "the Alter Markt".
  'markt',
  // Only after a word for its kind: "Mecula Health Centre", not "the Combating Terrorism Center".
  'centre',
  'center',
  // "the Bannu Cantonment": a garrison's quarter.
  'cantonment',
]);
const CENTRE_KINDS = new Set([
  'health',
  'medical',
  'shopping',
  'trade',
  'community',
  'cultural',
  'convention',
  'commercial',
  'sports',
  'youth',
  'islamic',
  'business',
  'transit',
  'reception',
  'detention',
]);
// Heads a proper name keeps in lower case ("the Imam Zaman mosque"); a lower-case "airport" or
// "bridge" after a city is mostly a description ("the Minneapolis-Saint Paul airport").
const LOWER_CASE_HEADS = new Set([
  ...WORSHIP_HEADS,
  'station',
  ...['estate', 'plantation', 'ranch', 'nightclub'],
  // "at al-Jalaa camp", "the Zamzam camp".
  'camp',
  // "at Zoobe junction", "the KM4 roundabout".
  'junction',
  'roundabout',
  // "stormed the Radisson Blu hotel".
  'hotel',
  // "at the Pracha Samakkhi market in Saba Yoi" (not "the Saba Yoi market", a town's).
  'market',
  'bazaar',
  // "outside the Marco Fidel Suárez air base".
  'base',
]);
// Heads whose one-word name is no description ("the Movida nightclub", "the Santa Ana estate"):
// unless the word is a place the gazetteer knows ("a Kabul hotel") or a people's adjective.
const ONE_WORD_NAME_HEADS = new Set(['estate', 'plantation', 'ranch', 'nightclub', 'junction', 'roundabout']);
// Words that may sit inside a venue's name without a capital.
// Not 'of': in "Abbey Gate of Hamid Karzai International Airport" the venue starts after it.
const VENUE_INNER = new Set(['de', 'al', 'el']);
// Lower-case words that say which kind of station a named one is.
const KIND_WORDS = new Set([
  'air',
  'naval',
  'military',
  'railway',
  'rail',
  'train',
  'bus',
  'metro',
  'subway',
  'underground',
  'police',
  'petrol',
  'fire',
]);
// Words that open a noun phrase, not a name.
const DETERMINERS = new Set(['the', 'a', 'an', 'this', 'that', 'its', 'their', 'his', 'her']);

// "the Lusanga displacement site", "the Kakuma refugee camp": a name, its kind, a site word.
const SITE =
  /(?:^|[^\p{L}])((?:\p{Lu}[\p{L}'’-]*\s+){1,3})(?:displacement|IDP|refugee|mining|gold|transit)\s+(?:site|camp|settlement)\b/gu;

/** "X displacement site": a site named by the name before its kind. */
export function scanSites(text: string, tokens: readonly Token[], taken: Uint8Array): EntityHit[] {
  const out: EntityHit[] = [];
  for (const m of text.matchAll(SITE)) {
    const start = m.index + m[0].indexOf(m[1] as string);
    const end = m.index + m[0].length;
    const from = tokens.findIndex((t) => t.start === start);
    const to = tokens.findIndex((t) => t.end === end) + 1;
    if (from < 0 || to <= from) continue;
    // Not "the UN refugee camp": a known body or group is no site's name.
    let known = false;
    for (let k = from; k < to; k++) if (taken[k] === 2) known = true;
    if (known || DETERMINERS.has((tokens[from] as Token).fold)) continue;
    out.push({
      entry: { kind: 'venue', name: text.slice(start, end) },
      start,
      end,
      from,
      to,
      rule: 'venue:named-site',
      confidence: 0.6,
    });
  }
  return out;
}

/** Named venues: capitalised words ending in a venue word, not after a possessive boundary. */
export function scanVenues(
  text: string,
  tokens: readonly Token[],
  taken: Uint8Array,
  knownPlace: (from: number, to: number) => boolean = () => false,
): EntityHit[] {
  const out: EntityHit[] = [];
  for (let i = 1; i < tokens.length; i++) {
    const head = tokens[i] as Token;
    if (!VENUE_HEADS.has(head.fold)) continue;
    if ((head.fold === 'centre' || head.fold === 'center') && !CENTRE_KINDS.has(tokens[i - 1]?.fold ?? ''))
      continue;
    const lowerHead = head.text === head.fold && LOWER_CASE_HEADS.has(head.fold);
    if (!lowerHead && !isCapitalised(head.text)) continue;
    // "Garissa University College": the venue ends at the last of its venue words.
    const next = tokens[i + 1];
    if (next && VENUE_HEADS.has(next.fold) && isCapitalised(next.text) && next.start - head.end === 1)
      continue;
    let from = i;
    // "Bologna Centrale railway station": a lower-case word for the kind of station is the name's;
    // "the PNS Siddique naval air station": two.
    const kindAt = (k: number) => {
      const w = tokens[k];
      return (
        w !== undefined &&
        KIND_WORDS.has(w.fold) &&
        w.text === w.fold &&
        text.slice(w.end, (tokens[k + 1] as Token).start) === ' '
      );
    };
    const kinds = lowerHead && kindAt(i - 1) ? (kindAt(i - 2) ? 2 : 1) : 0;
    const named = tokens[i - kinds - 1]?.text ?? '';
    if (kinds > 0 && (isCapitalised(named) || ARTICLE_NAME.test(named))) from = i - kinds;
    while (from > 0) {
      const prev = tokens[from - 1] as Token;
      const gap = text.slice(prev.end, (tokens[from] as Token).start);
      if (gap !== ' ' && gap !== '-') break;
      if (text.slice(prev.end - 2, prev.end + 2).match(/['’]s/)) break;
      if (
        !(
          isCapitalised(prev.text) ||
          ARTICLE_NAME.test(prev.text) ||
          (VENUE_INNER.has(prev.fold) && from - 1 > 0)
        )
      )
        break;
      from--;
    }
    while (
      from < i &&
      // "El Arish General Hospital" keeps its capitalised article.
      ((VENUE_INNER.has((tokens[from] as Token).fold) && !isCapitalised((tokens[from] as Token).text)) ||
        DETERMINERS.has((tokens[from] as Token).fold))
    )
      from++;
    if (from === i) continue;
    // "the Cotabato Regional and Medical Center": a centre is named by more than its kind.
    if ((head.fold === 'centre' || head.fold === 'center') && from >= i - 1) continue;
    // "the Quetta railway station": a known town and a kind of station describe it; a name of its
    // own ("Bologna Centrale", "Jabri") makes it one.
    const kind = tokens[i - 1];
    if (lowerHead && kind && KIND_WORDS.has(kind.fold) && kind.text === kind.fold && from < i - 1) {
      const nameEnd = i - Math.max(kinds, 1);
      let own = false;
      for (let k = from; k < nameEnd; k++) if (taken[k] !== 1) own = true;
      if (!own || knownPlace(from, nameEnd)) continue;
    }
    // "the Saba Yoi market": a known town before a lower-case head describes it.
    if (lowerHead && (head.fold === 'market' || head.fold === 'bazaar')) {
      let own = false;
      for (let k = from; k < i; k++) if (taken[k] !== 1) own = true;
      if (!own || knownPlace(from, i)) continue;
    }
    // "the Imam Zaman mosque", "at Saint-Charles station": a head in lower case after a name of
    // two words or a hyphenated one, itself after "the" or a place word; not "the Shiite mosque".
    if (lowerHead) {
      const lead = tokens[from - 1];
      const multi = i - from >= 2 || /[-‐‑]/.test((tokens[from] as Token).text);
      const oneWord =
        ONE_WORD_NAME_HEADS.has(head.fold) &&
        taken[from] === 0 &&
        !PEOPLES_ADJECTIVE.test((tokens[from] as Token).text);
      if (!lead || !(lead.fold === 'the' || LOCATIVE.has(lead.fold)) || !(multi || oneWord)) continue;
    }
    // A venue the gazetteer already names as something else (White House) is that thing.
    let inside = false;
    for (let k = from; k <= i; k++) if (taken[k] === 2) inside = true;
    if (inside) continue;
    const start = (tokens[from] as Token).start;
    out.push({
      entry: { kind: 'venue', name: text.slice(start, head.end) },
      start,
      end: head.end,
      from,
      to: i + 1,
      rule: 'venue:capitalised-name',
      confidence: 0.7,
    });
  }
  for (const site of scanSites(text, tokens, taken))
    if (!out.some((v) => v.from < site.to && v.to > site.from)) out.push(site);
  // "Birmingham New Street station": the street inside the station's name is no venue of its own.
  return out.filter(
    (v) => !out.some((w) => w !== v && w.from <= v.from && w.to >= v.to && w.to - w.from > v.to - v.from),
  );
}
