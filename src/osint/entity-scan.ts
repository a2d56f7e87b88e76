import { attributive } from './country-adjective.js';
import type { Gazetteer } from './gazetteer-build.js';
import type { AliasMatch, GazetteerEntry } from './gazetteer-index.js';
import { type GroupContextHit, scanGroupContext } from './group-context-scan.js';
import { scanGroupCues } from './group-cue-scan.js';
import { scanOrgCues } from './org-cue-scan.js';
import {
  asUnitOfCountry,
  type ContextPlace,
  placeHit,
  scanContextPlaces,
  withNameTail,
} from './place-context-scan.js';
import { scanFeaturePlaces } from './place-feature-scan.js';
import { MODEL_RULE, scanModelPlaces } from './place-model-scan.js';
import { foldName } from './text-fold.js';
import { type Sentence, sentenceAt } from './text-sentences.js';
import { ARTICLE_NAME, isAllCaps, isCapitalised, joinedSuffixAt, type Token } from './text-tokens.js';
import { scanLeadVenues } from './venue-lead-scan.js';
import { LOCATIVE, scanVenues } from './venue-scan.js';

/** A gazetteer name or a named venue found in the text. */
export interface EntityHit {
  entry: GazetteerEntry | ContextPlace | { kind: 'venue'; name: string };
  start: number;
  end: number;
  /** Token range, for rules that look at neighbours. */
  from: number;
  to: number;
  rule: string;
  confidence: number;
}

// The kind of unit after a province's name ("Borno state", "Tillabéri region").
const UNIT_AFTER = new Set([
  'province',
  'state',
  'region',
  'department',
  'district',
  'governorate',
  'prefecture',
  'county',
]);
const ACTOR_SUFFIXES = new Set(['led', 'backed', 'linked', 'affiliated', 'inspired', 'aligned']);
const PLACE_KINDS = new Set(['city', 'country', 'region', 'province', 'water']);
// Lower-case particles inside Spanish, Portuguese, French and Italian place names.
const NAME_PARTICLES = new Set(['de', 'del', 'do', 'da', 'dos', 'das', 'di', 'du', 'des', 'la']);

function sentenceFirstToken(tokens: readonly Token[], i: number, sentences: readonly Sentence[]): boolean {
  const t = tokens[i] as Token;
  const s = sentenceAt(sentences, t.start);
  return s !== undefined && s.start === t.start;
}

// Words after a town's name that make it a description of people: "Lamu residents".
const TOWNS_PEOPLE = new Set([
  'residents',
  'resident',
  'officials',
  'police',
  'people',
  'elders',
  'elder',
  'leaders',
  'authorities',
  'governor',
  'county',
  'traders',
  'farmers',
  'families',
  'villagers',
  'locals',
  'youths',
  'native',
  'natives',
  'man',
  'woman',
  'men',
  'women',
]);
// The last word of a body's name before a country's: "Global Affairs Canada", "Air France".
const INSTITUTION_WORDS = new Set([
  'affairs',
  'statistics',
  'radio',
  'television',
  'air',
  'airlines',
  'post',
  'telecom',
  'revenue',
  'parks',
  'safety',
  'health',
  'immigration',
  'customs',
]);

/** A city that is not a capital or a city of a million needs "in", "near"... before it, or ", Country" after. */
function hasPlaceCue(
  text: string,
  tokens: readonly Token[],
  m: AliasMatch,
  g: Gazetteer,
  lastPlaceEnd: number,
): boolean {
  const prev = tokens[m.from - 1];
  if (prev && LOCATIVE.has(prev.fold) && (tokens[m.from] as Token).start - prev.end <= 2) return true;
  // "in northern Cauca", "of south-eastern Borno": a direction between.
  const before = tokens[m.from - 2];
  if (
    prev &&
    before &&
    /^(?:(?:north|south)(?:-?(?:east|west))?|east|west)(?:ern)?$|^central$/.test(prev.fold) &&
    (LOCATIVE.has(before.fold) || before.fold === 'of') &&
    text.slice(before.end, (tokens[m.from] as Token).start) === ` ${prev.text} `
  )
    return true;
  // "assaults on Kayes": after an attack's "on"; not "an attack on Taylor Swift concerts", where a
  // capitalised word goes on with the name.
  const next = tokens[m.to];
  if (
    prev?.fold === 'on' &&
    /\b(?:attacks?|assaults?|raids?|offensive|advance|march)\s+on\s+$/i.test(
      text.slice(Math.max(0, prev.start - 12), (tokens[m.from] as Token).start),
    ) &&
    !(next && isCapitalised(next.text) && next.start - (tokens[m.to - 1] as Token).end === 1)
  )
    return true;
  // "neighbouring Borno": a place beside the one just told.
  if (prev && (prev.fold === 'neighbouring' || prev.fold === 'neighboring')) return true;
  // "in Cologne and Wesel": the second of a pair of places.
  if (prev && (prev.fold === 'and' || prev.fold === 'or') && lastPlaceEnd === m.from - 1) return true;
  // "Pakistan's Balochistan", "Nigeria's Borno": a place the text says lies in the one before.
  if (
    prev &&
    lastPlaceEnd === m.from &&
    /^['’]s $/u.test(text.slice(prev.end, (tokens[m.from] as Token).start))
  )
    return true;
  // "in Quito, Cuenca and Esmeraldas": the next of a list of places.
  if (prev && lastPlaceEnd === m.from && text.slice(prev.end, (tokens[m.from] as Token).start) === ', ')
    return true;
  // "the Ségou region": a city's name before a unit word names the province around it.
  const unit = tokens[m.to];
  if (unit && UNIT_AFTER.has(unit.fold) && text.slice((tokens[m.to - 1] as Token).end, unit.start) === ' ')
    return true;
  const last = tokens[m.to - 1] as Token;
  const after = text.slice(last.end, last.end + 40);
  // "the Solingen festival stabbing", "the Mpeketoni massacre": a town's name before an attack.
  if (
    /^\s(?:[\p{Ll}-]+\s)?(?:attacks?|bombings?|stabbings?|shootings?|massacres?|blasts?|raids?|ambush|siege|explosions?|car bomb|truck bomb|suicide bombing)\b/u.test(
      after,
    ) &&
    /\bthe\s+$/i.test(
      text.slice(Math.max(0, (tokens[m.from] as Token).start - 5), (tokens[m.from] as Token).start),
    )
  )
    return true;
  const comma = /^,\s*(\p{Lu}[\p{L}.]*(?:\s\p{Lu}[\p{L}.]*)*)/u.exec(after);
  if (comma) {
    const next = g.index.matchAt(tokens, m.to);
    const k = next?.alias.entry.kind;
    if (k === 'country' || k === 'region' || k === 'province') return true;
  }
  return false;
}

function acceptMatch(
  text: string,
  tokens: readonly Token[],
  sentences: readonly Sentence[],
  m: AliasMatch,
  g: Gazetteer,
  lastPlaceEnd: number,
): number {
  const { entry, common, mode } = m.alias;
  const initial = sentenceFirstToken(tokens, m.from, sentences);
  // A common English word as a name ("Turkey", "Chad", "Hope") counts only mid-sentence.
  if (common && initial && mode === 'title') return 0;
  if (PLACE_KINDS.has(entry.kind)) {
    // "a US-led coalition": the country as an actor, no place (as "Afghan" is none); "a
    // Gaza-based exchanger" still says where something is.
    const suffix = joinedSuffixAt(text, (tokens[m.to - 1] as Token).end);
    if (suffix !== undefined && ACTOR_SUFFIXES.has(suffix)) return 0;
    // "Maguindanao del Sur", "Santiago de Cali": the tail of a longer name is not the place.
    const particle = tokens[m.from - 1];
    const head = tokens[m.from - 2];
    if (
      particle &&
      head &&
      NAME_PARTICLES.has(particle.text) &&
      isCapitalised(head.text) &&
      text.slice(head.end, (tokens[m.from] as Token).start) === ` ${particle.text} `
    )
      return 0;
    // "Wadi al-Shay", "Ras al-Ain": a name an Arabic article continues is a longer one.
    const after = tokens[m.to];
    if (
      after &&
      ARTICLE_NAME.test(after.text) &&
      text.slice((tokens[m.to - 1] as Token).end, after.start) === ' '
    )
      return 0;
  }
  switch (entry.kind) {
    case 'city': {
      // "Helena Matsinhe", "Lakki Marwat": a town's name another capitalised name continues is
      // part of a longer one (a person's, or a place no list holds that the later scans read).
      const more = tokens[m.to];
      if (
        !entry.major &&
        more &&
        text.slice((tokens[m.to - 1] as Token).end, more.start) === ' ' &&
        isCapitalised(more.text) &&
        !isAllCaps(more.text) &&
        !g.commonWords.has(more.fold) &&
        !g.index.matchAt(tokens, m.to)
      )
        return 0;
      const cue = hasPlaceCue(text, tokens, m, g, lastPlaceEnd);
      if (common && !cue) return 0;
      if (entry.major) return cue ? 0.95 : 0.85;
      return cue ? 0.75 : 0;
    }
    case 'province': {
      // "in Norte de Santander", "Borno state": a cue says it is a place; a province whose
      // name is a common word ("Delta", "Plateau") needs its unit word.
      const unit = UNIT_AFTER.has(tokens[m.to]?.fold ?? '');
      if (common) return unit ? 0.75 : 0;
      // A name of two words or more that is no common word ("Northern Ireland") needs no cue.
      return unit || m.to - m.from > 1 || hasPlaceCue(text, tokens, m, g, lastPlaceEnd) ? 0.75 : 0;
    }
    case 'group':
      return m.alias.folds.length > 1 || mode === 'exact' ? 0.95 : 0.85;
    case 'country':
      // "US$1 million": a currency; "Global Affairs Canada", "Radio France": a body named for it.
      if (/^\$/.test(text.slice((tokens[m.to - 1] as Token).end, (tokens[m.to - 1] as Token).end + 1)))
        return 0;
      if (
        INSTITUTION_WORDS.has(tokens[m.from - 1]?.fold ?? '') &&
        isCapitalised(tokens[m.from - 1]?.text ?? '') &&
        text.slice((tokens[m.from - 1] as Token).end, (tokens[m.from] as Token).start) === ' '
      )
        return 0;
      // "the U.S. Army", "US sanctions", "UK officials": a short form before a noun is an adjective.
      if (
        m.to - m.from === 1 &&
        isAllCaps((tokens[m.from] as Token).text) &&
        attributive(text, tokens, m.to) &&
        !(m.to < tokens.length && sentenceFirstToken(tokens, m.to, sentences))
      )
        return 0;
      return common ? 0.7 : 0.9;
    default:
      return common ? 0.7 : 0.9;
  }
}

/** The hit a gazetteer match makes, on its tokens. */
function hitOf(m: AliasMatch, tokens: readonly Token[], confidence: number): EntityHit {
  return {
    entry: m.alias.entry,
    start: (tokens[m.from] as Token).start,
    end: (tokens[m.to - 1] as Token).end,
    from: m.from,
    to: m.to,
    rule: `gazetteer:${m.alias.list}`,
    confidence,
  };
}

/**
 * Groups, organisations and places the gazetteer names, longest match first, whole tokens
 * only, with the casing the alias needs; then named venues around them.
 */
export function scanEntities(
  text: string,
  tokens: readonly Token[],
  sentences: readonly Sentence[],
  g: Gazetteer,
): EntityHit[] {
  const { featured, silent } = scanMarkedEntities(text, tokens, sentences, g);
  const marked = [...featured, ...scanModelPlaces(text, tokens, featured, sentences, g)].filter(
    (h) => !silent.has(h),
  );
  return [...marked, ...otherMentions(text, tokens, marked)].sort((a, b) => a.start - b.start);
}

/**
 * What the gazetteer and the hand-written cues find, before the place model reads what is left
 * (the model is trained on exactly these hits); `silent` are the hits that only say which
 * country the text is about and are no places themselves.
 */
export function scanMarkedEntities(
  text: string,
  tokens: readonly Token[],
  sentences: readonly Sentence[],
  g: Gazetteer,
): { featured: EntityHit[]; silent: ReadonlySet<EntityHit> } {
  const out: EntityHit[] = [];
  // 1: a place name (a venue may contain it), 2: anything else the gazetteer named.
  const taken = new Uint8Array(tokens.length);
  let lastPlaceEnd = -1;
  const unmarked: AliasMatch[] = [];
  for (let i = 0; i < tokens.length; ) {
    let m = g.index.matchAt(tokens, i);
    if (!m) {
      i++;
      continue;
    }
    // "Niger State": a country's name before a unit word is the division of another country so
    // named; "bordering Kaduna State": a town's name before a capitalised unit word is the unit
    // named after it, in the town's country.
    const kind = m.alias.entry.kind;
    const unitOf =
      kind === 'country'
        ? countryNamedUnit(text, tokens, m, g)
        : kind === 'city'
          ? townNamedUnit(text, tokens, m)
          : undefined;
    if (unitOf) {
      for (let k = m.from; k < unitOf.to; k++) taken[k] = 1;
      lastPlaceEnd = unitOf.to;
      out.push(unitOf);
      i = unitOf.to;
      continue;
    }
    const confidence = acceptMatch(text, tokens, sentences, m, g, lastPlaceEnd);
    if (confidence > 0) {
      const place = PLACE_KINDS.has(kind);
      // "Cotabato City", "Quezon City": the city's own name ends in "City".
      const cityWord = tokens[m.to];
      if (
        kind === 'city' &&
        cityWord?.text === 'City' &&
        text.slice((tokens[m.to - 1] as Token).end, cityWord.start) === ' '
      )
        m = { ...m, to: m.to + 1 };
      for (let k = m.from; k < m.to; k++) taken[k] = place ? 1 : 2;
      if (place) lastPlaceEnd = m.to;
      out.push(hitOf(m, tokens, confidence));
      i = m.to;
    } else {
      if (m.alias.entry.kind === 'city' && !m.alias.common) unmarked.push(m);
      i++;
    }
  }
  // "... in the city of Turbat. ... a convoy passed through Turbat": a town the text marked as
  // one where it first named it is that town at its other mentions too.
  const townsMarked = new Set(out.filter((h) => h.entry.kind === 'city').map((h) => h.entry));
  for (const m of unmarked) {
    if (!townsMarked.has(m.alias.entry) || taken.subarray(m.from, m.to).some((t) => t !== 0)) continue;
    // Not "Poso Pesisir" (a longer name) nor "Lamu residents" (the town's people).
    const next = tokens[m.to];
    const joined = next !== undefined && text.slice((tokens[m.to - 1] as Token).end, next.start) === ' ';
    if (joined && (isCapitalised(next.text) || TOWNS_PEOPLE.has(next.fold))) continue;
    taken.fill(1, m.from, m.to);
    out.push(hitOf(m, tokens, 0.6));
  }
  out.sort((a, b) => a.start - b.start);
  bracketedShortForms(text, tokens, out, taken);
  // Groups the text calls groups; a place inside one ("Balochistan" in the Balochistan
  // Liberation Army) is part of its name, a group or body the gazetteer knows is left to it.
  const cued = scanGroupCues(text, tokens, g.commonWords);
  // "The ADF, a Ugandan armed group": a short form the text defined is that group, not another.
  const defined = new Map<string, GroupContextHit['entry']>();
  for (const c of cued) {
    // Only a name the text itself defined, or a short form defined beside a name the gazetteer
    // knows ("the Allied Democratic Forces (ADF)"), which is then the gazetteer's group.
    let known = false;
    for (let k = c.from; k < c.to; k++) if (taken[k] === 2) known = true;
    if (!known) {
      for (const a of c.entry.aliases) defined.set(a, c.entry);
      continue;
    }
    const short = c.entry.aliases.filter((a) => /^\p{Lu}{2,6}$/u.test(a));
    if (short.length === 0) continue;
    const listed = out.find((h) => h.from <= c.from && h.to >= c.to && h.entry.kind === 'group')?.entry;
    if (listed?.kind === 'group') for (const a of short) defined.set(a, listed);
  }
  for (const gh of [...scanGroupContext(text, tokens), ...cued]) {
    const same = defined.get(gh.entry.name);
    if (same) gh.entry = same;
    // "at 10.40 WIT, a group of eight ...": a time zone after a clock time is no group.
    if (
      /\d{1,2}[.:]\d\d\s*$/.test(
        text.slice(Math.max(0, (tokens[gh.from] as Token).start - 8), (tokens[gh.from] as Token).start),
      )
    )
      continue;
    let known = false;
    // A listed name or "members of X" that is a place ("fighters from Syria") is that place;
    // a name ending in an armed word may hold one ("Balochistan Liberation Front").
    // A name given its own acronym in brackets ("Mujahidin Indonesia Timur (MIT)") is one, places and all.
    const acronym = /^ \(\p{Lu}{2,7}\)/u.test(
      text.slice((tokens[gh.to - 1] as Token).end, (tokens[gh.to - 1] as Token).end + 10),
    );
    const strict =
      !acronym && (gh.entry.source === 'text:listed-armed' || gh.entry.source === 'text:members-of');
    for (let k = gh.from; k < gh.to; k++) if (taken[k] === 2 || (strict && taken[k] === 1)) known = true;
    if (known) continue;
    // "Bangladesh's Rapid Action Battalion": an armed name a country owns is its state's force.
    const owner = out.find((h) => h.to === gh.from && h.entry.kind === 'country');
    if (
      gh.entry.source === 'text:armed-name' &&
      owner &&
      /^['’]s $/.test(text.slice(owner.end, (tokens[gh.from] as Token).start))
    )
      continue;
    for (let n = out.length - 1; n >= 0; n--) {
      const h = out[n] as EntityHit;
      if (h.from < gh.to && h.to > gh.from) out.splice(n, 1);
    }
    for (let k = gh.from; k < gh.to; k++) taken[k] = 2;
    out.push({
      entry: gh.entry,
      start: (tokens[gh.from] as Token).start,
      end: (tokens[gh.to - 1] as Token).end,
      from: gh.from,
      to: gh.to,
      rule:
        gh.entry.source === 'text:called-a-group'
          ? 'group:called-a-group'
          : `group:${gh.entry.source.slice(5)}`,
      confidence: 0.6,
    });
  }
  // Bodies named by what they are ("the Interior Ministry"); a place in the name is part of it.
  for (const o of scanOrgCues(text, tokens, taken)) {
    for (let n = out.length - 1; n >= 0; n--) {
      const h = out[n] as EntityHit;
      if (h.from < o.to && h.to > o.from) out.splice(n, 1);
    }
    out.push(o);
  }
  // A town the gazetteer knows, on exactly these tokens ("the Quetta railway station").
  const knownPlace = (from: number, to: number) => {
    const m = g.index.matchAt(tokens, from);
    return m !== undefined && m !== null && m.to === to && PLACE_KINDS.has(m.alias.entry.kind);
  };
  const venues = scanVenues(text, tokens, taken, knownPlace);
  const result = out.filter(
    (h) =>
      !venues.some(
        (v) => h.start >= v.start && h.end <= v.end && h.entry.kind === 'city' && h.from === v.from,
      ),
  );
  // A venue led by its kind word replaces the places inside it ("Anglais" is no town).
  for (const v of scanLeadVenues(text, tokens, taken)) {
    if (venues.some((w) => w.from < v.to && w.to > v.from)) continue;
    for (let n = result.length - 1; n >= 0; n--) {
      const h = result[n] as EntityHit;
      if (h.from < v.to && h.to > v.from && h.entry.kind !== 'group') result.splice(n, 1);
    }
    venues.push({ entry: { kind: 'venue', name: v.name }, ...v, rule: 'venue:kind-first', confidence: 0.7 });
  }
  // A province counts only in an article about its country (article-extract.ts says why); one
  // that does not must not hold its tokens either ("Adan" of Yemen in "Adan Yabaal", Somalia).
  const about = new Set<string>();
  // "the Philippine Army", "Nigerien troops": a people's adjective says which country a text that
  // names none is about, for placing the names it does not know; it is no place itself and is
  // dropped below.
  // Only when no country is named: "a Chinese mining company in Tajikistan" is in Tajikistan.
  const peoples = result.some((h) => h.entry.kind === 'country') ? [] : demonymHits(tokens, g, taken);
  for (const h of peoples) about.add((h.entry as { code: string }).code);
  for (const h of result) {
    if (h.entry.kind === 'country') about.add(h.entry.code);
    if (h.entry.kind === 'city') about.add(h.entry.choices[0]?.country ?? '');
  }
  // Its unit word ("Diyala province") says which it is, wherever the article is about.
  const located = result.filter(
    (h) =>
      h.entry.kind !== 'province' ||
      UNIT_AFTER.has(tokens[h.to]?.fold ?? '') ||
      // "the 2002 Bali bombings": an event named by its year and its place.
      (/\bthe\s+(?:19|20)\d\d\s+$/i.test(text.slice(Math.max(0, h.start - 12), h.start)) &&
        /^\s+(?:attacks|bombings|attack|bombing|massacre|shootings?|blasts?)\b/i.test(
          text.slice(h.end, h.end + 12),
        )) ||
      [h.entry.country, ...(h.entry.also ?? [])].some((c) => about.has(c)),
  );
  // "the Savanes region" of an article about Togo: a province name several countries use is the
  // one in the country the article names.
  for (const h of located) {
    if (h.entry.kind !== 'province' || about.has(h.entry.country)) continue;
    const other = (h.entry.also ?? []).find((c) => about.has(c));
    if (other) h.entry = { ...h.entry, country: other };
  }
  const named = [...located, ...venues, ...peoples].map((h) =>
    withNameTail(asUnitOfCountry(h, text, tokens, located), text, tokens, located),
  );
  const context = [...named, ...scanContextPlaces(text, tokens, named, g)];
  const silent = new Set<EntityHit>(peoples);
  return { featured: [...context, ...scanFeaturePlaces(text, tokens, context, g)], silent };
}

/**
 * A town the text marked as one where it first named it ("in Iraq's Amirli") is that town where
 * it names it again with no mark ("a residential district of Amirli overnight").
 */
function otherMentions(text: string, tokens: readonly Token[], hits: readonly EntityHit[]): EntityHit[] {
  const towns = new Map<string, EntityHit>();
  for (const h of hits)
    if (h.entry.kind === 'place' && h.entry.placeKind === 'city') towns.set(text.slice(h.start, h.end), h);
  if (towns.size === 0) return [];
  const startAt = new Map(tokens.map((t, i) => [t.start, i]));
  const endAt = new Map(tokens.map((t, i) => [t.end, i]));
  // Tokens some hit already holds: a mention inside another name is that name's.
  const held = new Uint8Array(tokens.length);
  for (const h of hits) held.fill(1, h.from, h.to);
  const out: EntityHit[] = [];
  for (const [name, h] of towns) {
    // ... and in capitals at a dateline ("TORIBÍO, Cauca -").
    for (const form of [name, name.toUpperCase()]) {
      for (let at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + form.length)) {
        const end = at + form.length;
        if (/\p{L}/u.test(text.charAt(at - 1)) || /\p{L}/u.test(text.charAt(end))) continue;
        if (form !== name && !(at === 0 || text.charAt(at - 1) === '\n') && text.charAt(end) !== ',')
          continue;
        const from = startAt.get(at);
        const last = endAt.get(end);
        if (from === undefined || last === undefined || held.subarray(from, last + 1).includes(1)) continue;
        held.fill(1, from, last + 1);
        // A name only the place model took keeps its rule: incidents are not placed by it.
        const rule = h.rule === MODEL_RULE ? MODEL_RULE : 'place:named-before';
        out.push({ ...h, start: at, end, from, to: last + 1, rule, confidence: Math.min(h.confidence, 0.5) });
      }
    }
  }
  return out;
}

const BRACKETED = /^ \((\p{Lu}{2,7})\)/u;

/**
 * A group named with its short form in brackets defines that short form for the article:
 * "Islamic State Sahel Province (ISSP)" makes a later "ISSP" that group, not the Sinai Province
 * the gazetteer also abbreviates so. And a known name inside a longer one whose short form is not
 * the known group's ("West Papua National Liberation Army (TPNPB)", not Colombia's ELN) is not
 * that group: the hit is dropped and its tokens freed for the scans that read names from the text.
 */
function bracketedShortForms(
  text: string,
  tokens: readonly Token[],
  out: EntityHit[],
  taken: Uint8Array,
): void {
  const defined = new Map<string, EntityHit['entry']>();
  for (let n = out.length - 1; n >= 0; n--) {
    const h = out[n] as EntityHit;
    if (h.entry.kind !== 'group') continue;
    const short = BRACKETED.exec(text.slice(h.end, h.end + 12))?.[1];
    if (!short) continue;
    const own = h.entry.aliases.includes(short);
    const prev = tokens[h.from - 1];
    const longer =
      prev !== undefined &&
      prev.fold !== 'the' &&
      isCapitalised(prev.text) &&
      (tokens[h.from] as Token).start - prev.end === 1;
    if (!own && longer && h.to - h.from > 1) {
      out.splice(n, 1);
      for (let k = h.from; k < h.to; k++) taken[k] = 0;
      continue;
    }
    defined.set(short, h.entry);
  }
  for (const h of out) {
    if (h.entry.kind !== 'group') continue;
    const same = defined.get(text.slice(h.start, h.end));
    if (same) h.entry = same;
  }
}

/** Country evidence from people's adjectives ("Philippine", "South African"), on free tokens only. */
function demonymHits(tokens: readonly Token[], g: Gazetteer, taken: Uint8Array): EntityHit[] {
  const out: EntityHit[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (taken[i] || !isCapitalised(t.text)) continue;
    const next = tokens[i + 1];
    const two = next && next.start - t.end === 1 ? g.demonyms.get(`${t.fold} ${next.fold}`) : undefined;
    const code = two ?? g.demonyms.get(t.fold);
    const country = code ? g.countries.get(code) : undefined;
    if (!country) continue;
    const to = two ? i + 2 : i + 1;
    out.push({
      entry: country,
      start: t.start,
      end: (tokens[to - 1] as Token).end,
      from: i,
      to,
      rule: 'country:demonym',
      confidence: 0.5,
    });
    i = to - 1;
  }
  return out;
}

function countryNamedUnit(
  text: string,
  tokens: readonly Token[],
  m: AliasMatch,
  g: Gazetteer,
): EntityHit | undefined {
  const unit = tokens[m.to];
  const last = tokens[m.to - 1] as Token;
  if (!unit || !UNIT_AFTER.has(unit.fold) || text.slice(last.end, unit.start) !== ' ') return undefined;
  const code = m.alias.entry.kind === 'country' ? m.alias.entry.code : undefined;
  const name = text.slice((tokens[m.from] as Token).start, last.end);
  const division = g.countryNamedUnits.get(foldName(name));
  if (!division || division.country === code) return undefined;
  // Named with its unit ("Niger State"), so it is never taken for the country of its name.
  return placeHit(
    text,
    tokens,
    m.from,
    m.to + 1,
    { placeKind: 'province', country: division.country },
    'place:division-named-as-country',
    0.75,
  );
}

/**
 * "Kaduna State", "Garissa County": a known town's name and a capitalised unit word, the unit
 * named after the town. Named as the town is (as a province is, "Zamfara" for "Zamfara State"),
 * its evidence covering the unit word.
 */
function townNamedUnit(text: string, tokens: readonly Token[], m: AliasMatch): EntityHit | undefined {
  const unit = tokens[m.to];
  const last = tokens[m.to - 1] as Token;
  const e = m.alias.entry;
  if (e.kind !== 'city' || !unit || !UNIT_AFTER.has(unit.fold) || !isCapitalised(unit.text)) return undefined;
  if (text.slice(last.end, unit.start) !== ' ') return undefined;
  const country = e.choices[0]?.country;
  if (country === undefined) return undefined;
  const hit = placeHit(
    text,
    tokens,
    m.from,
    m.to,
    { placeKind: 'province', country },
    'place:unit-named-as-town',
    0.75,
  );
  return { ...hit, end: unit.end, to: m.to + 1 };
}
