import type { EntityHit } from './entity-scan.js';
import type { Gazetteer } from './gazetteer-build.js';
import { countryOfHit } from './hit-country.js';
import { type PlaceScan, placeHit } from './place-context-scan.js';
import {
  ARTICLE_NAME,
  compassLead,
  isCapitalised,
  NAME_PREFIXES,
  NOT_PLACE_NAMES,
  PEOPLES_ADJECTIVE,
  type Token,
  tokensTaken,
} from './text-tokens.js';

/**
 * Places no list holds that the text marks without naming their country beside them:
 * - terrain by its own head noun: "the Hamrin mountains", "the Swat Valley", "the Sambisa
 *   forest" (the head is part of the name);
 * - a local unit named before its kind in lower case: "the Maru area", "from Lubero territory";
 * - a town after "near", "outside", "the town/village of", "the road to" in a sentence about an attack:
 *   "at a meadow near Pahalgam, in Indian-administered Kashmir", "near the town of Tarmiyah";
 * The country is the one the article names nearest to the place (a town or province the
 * gazetteer knows counts as its country); with no country named, nothing is claimed.
 */

const FEATURE_HEADS = new Set([
  'mountains',
  'hills',
  'valley',
  'desert',
  'forest',
  'plateau',
  'highlands',
  'marshes',
  'massif',
  'river',
]);
const STRONG_BEFORE = new Set(['near', 'outside']);
// "in Molenbeek on Monday": after a bare "in", only a clause's end or one of these words shows
// the name is a place rather than an adjective ("in Bavarian park").
const AFTER_IN = new Set([
  'on',
  'in',
  'near',
  'and',
  'after',
  'before',
  'during',
  'when',
  'where',
  'late',
  'early',
  'last',
  'this',
  'overnight',
  'at',
  'as',
  'while',
  'killing',
  'leaving',
  'wounding',
  'injuring',
  // "the attack on a military post in Boulkessi rose to 23": the sentence's verb.
  'rose',
  'was',
  'were',
  'has',
  'had',
  'that',
  'which',
  'killed',
  'wounded',
  'injured',
  'left',
  'claimed',
]);
const SETTLEMENTS = new Set([
  'town',
  'village',
  'hamlet',
  'settlement',
  'suburb',
  'neighbourhood',
  'neighborhood',
  'township',
  'island',
  'outskirts',
]);
// "Knivsta, a small town south of the city": what a name is, said right after it.
// ... or with "is": "Mamove is a farming village of a few thousand people".
const APPOSITIVE_SETTLEMENT =
  /^(?:,|\s+is)\s+(?:a|an)\s+(?:[\p{L}-]+\s+){0,3}?(?:town|village|city|suburb|district|island|hamlet|settlement|neighbourhood|neighborhood|municipality|port|county|centre|center)\b(?!\s+(?:elder|chief|head|leader|official|council|councillor|resident|man|woman|mayor))/u;
// "Stora torget, the main square in Uppsala": a venue named, then said what it is and where.
const APPOSITIVE_VENUE =
  /^,\s+(?:the|a|an)\s+(?:[\p{Ll}-]+\s+){0,2}?(?:square|market|mosque|church|station|hotel|stadium|mall|bazaar|shrine|temple|school|hospital|university|airport|plaza|park|camp|base|checkpoint)\s+(?:in|of|at|near|on|beside|by|next to|opposite|outside|behind)\b/u;
const ROADS = new Set(['road', 'highway', 'route']);
// Lower-case words after a settlement's name: "Naulala village", "Dan Kurmi town".
const SETTLEMENT_AFTER = new Set(['village', 'hamlet', 'settlement', 'town', 'camp']);
const VILLAGE_UNITS = new Set(['barangay', 'brgy', 'sitio', 'purok', 'kebele']);
// Lower-case words inside a name: "Nioro du Sahel", "Dar es Salaam".
const PARTICLES = new Set(['du', 'de', 'del', 'des', 'la', 'le', 'el', 'es', 'da', 'do', 'di', 'dos', 'das']);
// "the Maru area", "Lubero territory": a local unit named before its kind, in lower case.
const LOCAL_UNITS = new Set([
  'area',
  'territory',
  'district',
  'county',
  'municipality',
  'prefecture',
  'governorate',
]);
const UNIT_LEAD = new Set(['the', 'in', 'from', 'of']);
// "an attack on Dogon Noma village", "stormed Kukawa town": a settlement named before its kind.
const SETTLEMENT_HEADS = new Set(['village', 'town']);
const RAID_LEAD = new Set(['attacked', 'raided', 'stormed', 'invaded', 'overran']);
const SETTLEMENT_LEAD = new Set([
  ...UNIT_LEAD,
  'on',
  'at',
  'near',
  'outside',
  'into',
  'attacked',
  'raided',
  'stormed',
  'invaded',
  'overran',
]);
const PEOPLES_NOUNS = new Set([
  'border',
  'side',
  'forces',
  'army',
  'government',
  'police',
  'troops',
  'officials',
  'authorities',
  'militants',
  'fighters',
  'capital',
  'coast',
  'frontier',
  'soldiers',
  'refugees',
  'nationals',
  'citizens',
]);
const APPOSITIVE_LEAD = new Set(['in', 'at', 'near', 'outside', 'from', 'to', 'into']);
const ATTACK =
  /\b(?:attack|attacked|attacks|bomb|bombing|bombed|shooting|shot|stabbing|explosion|exploded|blast|massacre|ambush|ambushed|siege|raid|raided|killed|killing|kidnapped|abducted|kidnappings?|abductions?|gunmen|fire|stormed|overran|hijacked|beheaded|assaults?)\b/i;
const NOT_NAMES = NOT_PLACE_NAMES;
const MAX_WORDS = 3;

function nameLike(t: Token | undefined, g: Gazetteer): boolean {
  if (!t || !(isCapitalised(t.text) || ARTICLE_NAME.test(t.text)) || /\d/.test(t.text)) return false;
  return (NAME_PREFIXES.has(t.fold) || !g.commonWords.has(t.fold)) && !NOT_NAMES.has(t.fold);
}

/** The country of the known place nearest to offset `at`; `located` is sorted by offset. */
function nearestCountry(located: readonly { start: number; code: string }[], at: number): string | undefined {
  let lo = 0;
  let hi = located.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((located[mid] as { start: number }).start < at) lo = mid + 1;
    else hi = mid;
  }
  const after = located[lo];
  const before = located[lo - 1];
  if (!before) return after?.code;
  if (!after) return before.code;
  return at - before.start <= after.start - at ? before.code : after.code;
}

function sentenceAround(text: string, at: number): string {
  // Within 1,000 characters either way: a text with no stop or line break must not be searched
  // end to end at every name (2 MB of it took 14 s).
  const lo = Math.max(0, at - 1000);
  const back = text.slice(lo, at + 1);
  const from = lo + Math.max(back.lastIndexOf('.'), back.lastIndexOf('\n')) + 1;
  const dot = text.indexOf('.', at);
  return text.slice(from, dot < 0 || dot - at > 1000 ? Math.min(text.length, at + 1000) : dot);
}

export const scanFeaturePlaces: PlaceScan = (text, tokens, hits, g) => {
  const taken = tokensTaken(tokens, hits);
  // One space between token a and the next; false at the last token.
  const single = (a: number) => {
    const next = tokens[a + 1];
    return next !== undefined && text.slice((tokens[a] as Token).end, next.start) === ' ';
  };
  // The end of a name that starts at token i: up to MAX_WORDS free words one space apart that `ok` takes.
  const nameRunFrom = (i: number, ok: (k: number) => boolean): number => {
    let to = i + 1;
    while (to < tokens.length && to - i < MAX_WORDS && !taken[to] && single(to - 1) && ok(to)) to++;
    return to;
  };
  // The first of up to MAX_WORDS free, name-like words before token i, one space apart (i if none).
  const nameStart = (i: number): number => {
    let from = i;
    while (
      from > 0 &&
      i - from < MAX_WORDS &&
      !taken[from - 1] &&
      nameLike(tokens[from - 1], g) &&
      single(from - 1)
    )
      from--;
    return from;
  };
  const articleAttack = ATTACK.test(text);
  const located: { start: number; code: string }[] = [];
  // A province of a country the article never names ("Savanes", a region of Ivory Coast too, in
  // an article about Togo) says nothing about where the names near it lie.
  const named = new Set(hits.flatMap((h) => (h.entry.kind === 'country' ? [h.entry.code] : [])));
  for (const h of hits) {
    const code = countryOfHit(h);
    if (code && !(h.entry.kind === 'province' && named.size > 0 && !named.has(code)))
      located.push({ start: h.start, code });
  }
  located.sort((a, b) => a.start - b.start);
  const out: EntityHit[] = [];
  const push = (
    from: number,
    to: number,
    placeKind: 'city' | 'feature' | 'province' | 'venue',
    rule: string,
    confidence: number,
    // The country the text puts it in, when it says ("Kayes, Nioro du Sahel": Kayes's).
    known?: string,
  ) => {
    const country = known ?? nearestCountry(located, (tokens[from] as Token).start);
    if (!country) return;
    out.push(placeHit(text, tokens, from, to, { placeKind, country }, rule, confidence));
    for (let k = from; k < to; k++) taken[k] = 1;
  };

  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    // "the Hamrin mountains": "the", one to three unknown capitalised words, the head.
    if (FEATURE_HEADS.has(t.fold)) {
      const from = nameStart(i);
      // A river goes by its name alone ("the Panj river" is the Panj); mountains keep theirs.
      if (from < i && tokens[from - 1]?.fold === 'the' && single(from - 1))
        push(from, t.fold === 'river' ? i : i + 1, 'feature', 'place:terrain', 0.7);
      continue;
    }
    // "stormed Kuchi community": the Nigerian word for a village, only after the act (not "the
    // Hazara community").
    const community = t.fold === 'community' && t.text === t.fold;
    if ((SETTLEMENT_HEADS.has(t.fold) && t.text === t.fold) || community) {
      const from = nameStart(i);
      const people = from === i - 1 && PEOPLES_ADJECTIVE.test((tokens[from] as Token).text);
      const leads = community ? RAID_LEAD : SETTLEMENT_LEAD;
      if (from < i && !people && leads.has(tokens[from - 1]?.fold ?? '') && single(from - 1))
        push(from, i, 'city', 'place:settlement-head', 0.6);
      continue;
    }
    if (LOCAL_UNITS.has(t.fold) && t.text === t.fold) {
      const from = nameStart(i);
      if (from < i && UNIT_LEAD.has(tokens[from - 1]?.fold ?? '') && single(from - 1))
        // "the Yankara area" is a village's surroundings, as fine as a town; "Lubero territory" a unit.
        push(from, i, t.fold === 'area' ? 'city' : 'province', 'place:local-unit', 0.6);
      continue;
    }
    // "near Pahalgam", "outside the town of Tarmiyah", "the village of Dioura", "the road to Hombori".
    const settlementOf = t.fold === 'of' && SETTLEMENTS.has(tokens[i - 1]?.fold ?? '');
    const roadTo = (t.fold === 'to' || t.fold === 'from') && ROADS.has(tokens[i - 1]?.fold ?? '');
    // "the abduction of 276 schoolgirls from Chibok in 2014": where people were taken from.
    // "stormed a military base at Dharjaale in the last days of 2024": "at" as a bare "in".
    const bareIn =
      t.fold === 'in' ||
      t.fold === 'at' ||
      (t.fold === 'from' && /\b(?:abduct\w*|kidnap\w*)\b/i.test(sentenceAround(text, t.start)));
    if (!(STRONG_BEFORE.has(t.fold) || settlementOf || roadTo || bareIn) || !single(i)) continue;
    let at = i;
    if (
      !settlementOf &&
      tokens[i + 1]?.fold === 'the' &&
      SETTLEMENTS.has(tokens[i + 2]?.fold ?? '') &&
      tokens[i + 3]?.fold === 'of'
    )
      at = i + 3;
    // "in neighbouring Piagapo": nearness said between the preposition and the name.
    if (/^(?:neighbou?ring|nearby)$/.test(tokens[at + 1]?.fold ?? '') && single(at + 1)) at++;
    // "in Barangay Baguindan": the Philippine village's unit word before its name is not the name.
    // After it, any capitalised word is the name's ("Barangay Bud Datu").
    const unitLed =
      VILLAGE_UNITS.has(tokens[at + 1]?.fold ?? '') &&
      single(at + 1) &&
      isCapitalised(tokens[at + 2]?.text ?? '');
    if (unitLed) at++;
    const word = (k: number) =>
      nameLike(tokens[k], g) || (unitLed && isCapitalised((tokens[k] as Token).text));
    let to = at + 1 + compassLead(tokens, at + 1, (k) => !taken[k] && word(k), LOCAL_UNITS);
    while (to < tokens.length && to - at - 1 < MAX_WORDS && !taken[to] && word(to)) {
      to++;
      if (to < tokens.length && !single(to - 1)) break;
    }
    if (to === at + 1) continue;
    // "in Indian-administered Kashmir": a compound ending in a lower-case word describes a place.
    if (bareIn && /-\p{Ll}+$/u.test((tokens[to - 1] as Token).text)) continue;
    if (bareIn && /-\p{Ll}+$/u.test((tokens[at + 1] as Token).text)) continue;
    // The name ends the clause or is followed by a lower-case word: "near Pahalgam, in ...".
    const after = text.slice(
      (tokens[to - 1] as Token).end,
      (tokens[to] as Token | undefined)?.start ?? text.length,
    );
    if (
      !(/^[,.;:\n]/.test(after) || to === tokens.length) &&
      !(
        after === ' ' &&
        !isCapitalised(tokens[to]?.text ?? 'x') &&
        (!bareIn || AFTER_IN.has(tokens[to]?.fold ?? ''))
      )
    )
      continue;
    // "near" and "outside" mark a place in any sentence of an article about an attack; a bare
    // "in" only in a sentence about one.
    const strong = STRONG_BEFORE.has(t.fold) && !bareIn;
    if (!(strong ? articleAttack : ATTACK.test(sentenceAround(text, t.start)))) continue;
    // "near the Somali border", "outside Afghan army posts": a people's name before its noun.
    if (after === ' ' && PEOPLES_NOUNS.has(tokens[to]?.fold ?? '')) continue;
    push(at + 1, to, 'city', 'place:near-attack', 0.6);
  }

  // "The village, Nayéga, lies 20 km west of ...": a settlement's name told in apposition.
  for (let i = 2; i < tokens.length; i++) {
    const kind = tokens[i - 1] as Token;
    if (tokens[i - 2]?.fold !== 'the' || !SETTLEMENTS.has(kind.fold) || taken[i] || !nameLike(tokens[i], g))
      continue;
    if (text.slice(kind.end, (tokens[i] as Token).start) !== ', ') continue;
    const to = nameRunFrom(i, (k) => nameLike(tokens[k], g));
    if (!/^,\s/.test(text.slice((tokens[to - 1] as Token).end))) continue;
    push(i, to, 'city', 'place:settlement-apposition', 0.6);
  }

  // "assaults on Kayes, Nioro du Sahel and several other towns": an unknown name listed with a
  // known town, in a sentence about an attack, is a town of the same country. The list must
  // go on with "and" ("in Kayes, Diallo said" lists nothing).
  if (ATTACK.test(text)) {
    const tokenAt = new Map(tokens.map((t, k) => [t.start, k]));
    for (const h of hits) {
      if (h.entry.kind !== 'city' && !(h.entry.kind === 'place' && h.entry.placeKind === 'city')) continue;
      const country = countryOfHit(h);
      const sep = /^(?:,\s+|,?\s+and\s+)/.exec(text.slice(h.end, h.end + 6));
      if (!country || !sep) continue;
      const from = tokenAt.get(h.end + sep[0].length);
      if (from === undefined || taken[from] || !nameLike(tokens[from], g)) continue;
      let to = from + 1;
      while (to < tokens.length && to - from < MAX_WORDS + 1 && !taken[to] && single(to - 1)) {
        const w = tokens[to] as Token;
        if (nameLike(w, g)) to++;
        else if (PARTICLES.has(w.text) && nameLike(tokens[to + 1], g) && single(to)) to += 2;
        else break;
      }
      const rest = text.slice((tokens[to - 1] as Token).end, (tokens[to - 1] as Token).end + 6);
      const last = /\band\s+$/.test(sep[0]);
      if (!(last ? /^[,.;\s]/.test(rest) : /^,?\s+and\s/.test(rest))) continue;
      if (!ATTACK.test(sentenceAround(text, h.start))) continue;
      push(from, to, 'city', 'place:listed-with-town', 0.6, country);
    }
  }

  // "- 3 Nov, Naulala village: armed group raided ...", "Kuchi village": a name with its word for
  // a settlement, in an article about an attack.
  for (let i = 1; articleAttack && i < tokens.length; i++) {
    const word = tokens[i] as Token;
    if (!SETTLEMENT_AFTER.has(word.text)) continue;
    const from = nameStart(i);
    if (from === i) continue;
    // Not "a Malian army camp", "the Austrian town": a people's adjective.
    if (
      i - from === 1 &&
      (g.demonyms.has((tokens[from] as Token).fold) ||
        /(?:ian|an|ese|ish)$/.test((tokens[from] as Token).fold))
    )
      continue;
    // Not "the Naulala village elder": a settlement word that names a person's office.
    if (
      /^\s+(?:elders?|chiefs?|heads?|leaders?|council|headm[ae]n|guards?)\b/i.test(
        text.slice(word.end, word.end + 12),
      )
    )
      continue;
    // "Kalma camp": a camp is a venue, named with its word.
    if (word.text === 'camp') push(from, i + 1, 'venue', 'place:named-settlement', 0.6);
    else push(from, i, 'city', 'place:named-settlement', 0.6);
  }

  // "in Knivsta, a small town south of the city", "at Stora torget, the main square in Uppsala":
  // the text says what the name is right after it. A venue's name may keep a lower-case word of
  // its own language ("torget"), never a common English one.
  const ownWord = (k: number) => {
    const w = tokens[k];
    return w !== undefined && /^\p{Ll}{3,}$/u.test(w.text) && !g.commonWords.has(w.fold);
  };
  for (let i = 0; i < tokens.length; i++) {
    // A venue needs its preposition; a settlement says what it is by itself ("raided Kanyatsi, a trading centre").
    const led = i > 0 && APPOSITIVE_LEAD.has((tokens[i - 1] as Token).fold);
    // "in Lions Park, a park opposite ...": led and capitalised, a name's common first word.
    const opens =
      nameLike(tokens[i], g) ||
      (led &&
        isCapitalised((tokens[i] as Token).text) &&
        isCapitalised(tokens[i + 1]?.text ?? '') &&
        single(i));
    // ... or opens a sentence: "Toribío, a Nasa indigenous town in the mountains of northern Cauca".
    const opensSentence =
      i === 0 ||
      /^(?:[.!?]["”’]?\s+|\s*\n\s*)$/.test(
        text.slice((tokens[i - 1] as Token).end, (tokens[i] as Token).start),
      );
    if (!((i > 0 && single(i - 1)) || opensSentence) || taken[i] || !opens) continue;
    // "Kongens Have, a park": mid-sentence, a capitalised word goes on a name, common or not.
    const to = nameRunFrom(
      i,
      (k) => nameLike(tokens[k], g) || ownWord(k) || isCapitalised((tokens[k] as Token).text),
    );
    const rest = text.slice((tokens[to - 1] as Token).end, (tokens[to - 1] as Token).end + 80);
    if (APPOSITIVE_SETTLEMENT.test(rest)) push(i, to, 'city', 'place:appositive', 0.7);
    else if (led) {
      const venue = APPOSITIVE_VENUE.exec(rest);
      if (!venue) continue;
      push(i, to, 'venue', 'place:appositive-venue', 0.6);
      // The known town right after it holds it, so an attack told at both is one.
      const after = (tokens[to - 1] as Token).end + venue[0].length;
      const town = hits.find((h) => h.start > after && h.start <= after + 2 && h.entry.kind === 'city');
      const added = out[out.length - 1];
      if (town && added?.from === i && added.entry.kind === 'place') added.entry.within = town.entry.name;
    }
  }
  return out;
};
