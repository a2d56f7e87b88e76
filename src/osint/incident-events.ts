import type { EntityHit } from './entity-scan.js';
import { clausesOf } from './incident-clauses.js';
import { dateLiveEntries } from './incident-live.js';
import {
  type CasualtyHit,
  figuresOf,
  type IncidentCue,
  numberOf,
  SEVERAL_ATTACKS,
  scanCasualties,
  scanIncidentCue,
} from './incident-scan.js';
import { after, apart, LATER, monthAfter, NEXT_MONTH } from './incident-times.js';
import { placeUnplaced, THAT_DAY, type Unplaced } from './incident-unplaced.js';
import { evidenceOf, type ItemSet } from './item-set.js';
import type { Extraction, IncidentData, LocationData } from './osint-types.js';
import { datelineLength, statedDate } from './text-dates.js';
import { keyOf } from './text-fold.js';
import type { Sentence } from './text-sentences.js';
import { joinedSuffixAt } from './text-tokens.js';

export interface PlacedHit {
  hit: EntityHit;
  item: Extraction;
}

/** How many sentences after an attack may still tell its figures ("The army said 51 soldiers were killed"). */
const FOLLOW_ON = 3;
const SAME_DAY =
  /^\s*(?:(?:hours|minutes|moments) later|later (?:that|the same) (?:day|night|evening)|(?:on )?the same (?:day|night|evening)|that (?:same )?(?:night|evening|afternoon))\b/i;
// Those killed were the attackers: a security operation, not casualties of an attack.
const ATTACKERS_KILLED =
  /\b(militants?|attackers?|assailants?|fighters|insurgents|gunmen|suspects?|jihadists|terrorists|rebels|bombers?)\b/i;
const ANAPHOR =
  /^\s*(?:The|This|That)\s+(?:[\p{L}-]+\s+)?(?:killings?|attacks?|shooting|bombing|blast|explosion|ambush|raid|massacre|assault|abduction|kidnapping|stabbing)\s+(?:took place|happened|occurred|hit|struck|targeted|was carried out)\b/iu;
const AGENT_ONLY = /^(?:suicide bomber|bomber|gunm[ae]n|attackers?|assailants?|drone)$/i;
const ATTACKERS_COUNTED =
  /\b(?:attackers?|assailants?|gunmen|militants?|insurgents|jihadists|terrorists|bombers?)\b/i;
const VAGUE = /\b(?:dozens|scores|hundreds|dozen)\b/i;
const COURT_PLACE = /\b(?:court|jury|tribunal|judges?|trial)\s+(?:[\p{L}-]+\s+)?in\s+$/iu;
// "on the road between Mangai and Milimani in Lamu county": the ends of a road are not the scene.
const BETWEEN = /\bbetween\s+(?:\p{Lu}[\p{L}'’-]*\s+){1,3}(?:and\s+)?$|\bbetween\s+$/u;
const ANY_ATTACK_WORD =
  /\b(attack|bomb|bombing|shooting|stabbing|explosion|blast|massacre|ambush|siege|rampage|raid|hostage-taking|attackers|gunmen|assailants|militants|killings|mortar|rockets?|missiles?|jihadists|insurgents|bandits|terrorists)\b/i;
// What an article's agent words stand for as its attack noun: "gunmen killed three farmers".
const AGENT_AS_NOUN: Record<string, string> = {
  attackers: 'attack',
  gunmen: 'shooting',
  assailants: 'attack',
  militants: 'attack',
  killings: 'attack',
  mortar: 'mortar attack',
  rocket: 'rocket attack',
  rockets: 'rocket attack',
  missile: 'missile strike',
  missiles: 'missile strike',
  jihadists: 'attack',
  insurgents: 'attack',
  bandits: 'attack',
  terrorists: 'attack',
};

// A province is less specific than a town, more than its country; a sea is where a ship was hit.
const RANK: Record<LocationData['placeKind'], number> = {
  venue: 0,
  city: 1,
  feature: 1,
  province: 1.5,
  water: 2,
  country: 2,
  region: 9,
};

function loc(p: Extraction): LocationData {
  return p.data as LocationData;
}

/** The most specific place a sentence names as where something happened (a venue, a town, a country). */
function placeOf(places: readonly PlacedHit[], near?: number): Extraction | undefined {
  let best: PlacedHit | undefined;
  const distance = (p: PlacedHit) => (near === undefined ? 0 : Math.abs(p.hit.start - near));
  for (const p of places) {
    const r = RANK[loc(p.item).placeKind];
    if (r >= 9) continue;
    const rb = best === undefined ? 9 : RANK[loc(best.item).placeKind];
    // Of two of one rank, the one inside the other ("Breitscheidplatz in Berlin"), else the one
    // nearer the act ("an offensive in the Cal Miskaad mountains, after its fighters stormed a
    // base at Dharjaale").
    // A district inside a town is more specific than the town ("Baghdad's Karrada district").
    const inner = best !== undefined && loc(p.item).within === best.item.key;
    const outer = best !== undefined && loc(best.item).within === p.item.key;
    const nearer = best !== undefined && r === rb && !outer && distance(p) < distance(best);
    if (!best || (r < rb && !outer) || inner || nearer) best = p;
  }
  return best?.item;
}

/** The same place, or one inside the other ("Mali" and "Tessit, in eastern Mali"). */
function samePlace(a: Extraction, b: Extraction, items: ItemSet): boolean {
  if (a.key === b.key) return true;
  const inside = (x: Extraction, y: Extraction): boolean => {
    for (let at: string | undefined = loc(x).within, n = 0; at && n < 4; n++) {
      if (at === y.key) return true;
      const next = items.get(at);
      at = next ? loc(next).within : undefined;
    }
    // A town and a province of one country: the text rarely names two provinces for one event.
    const wide = loc(y).placeKind === 'country' || loc(y).placeKind === 'province';
    return wide && loc(x).country !== undefined && loc(x).country === loc(y).country;
  };
  return inside(a, b) || inside(b, a);
}

interface Open {
  item: Extraction;
  sentence: number;
  /** Its place is the dateline's city, taken for want of another: a later sentence's scene replaces it. */
  weak?: boolean;
}

/** An attack told before any sentence says where: its figures and date wait for the scene. */
interface Pending {
  figures: { killed?: CasualtyHit; injured?: CasualtyHit };
  date: string | undefined;
  sentence: number;
}

const BATTLE =
  /\b(?:(?:fighting|clashes|battles?|war|conflict|insurgency|offensive)\b[^.;]{0,20}\b(?:killed|left|claimed)|occupied|retook|recaptured)\b/i;
// "The insurgency, which began in 2009, has killed more than 40,000 people": a war's running
// toll (not "the deadliest attack of the conflict, the car bombing in Omagh that killed 29").
const WAR_TOLL =
  /\b(?:fighting|clashes|battles?|war|conflict|insurgency|offensive|violence)\b(?:(?!\b(?:bomb\w*|attack\w*|blast|explosion|shooting|ambush|raid|massacre)\b)[^.;]){0,60}\b(?:has|have|had)\s+(?:so\s+far\s+)?(?:killed|left|claimed)\b/i;
const WAY_TO =
  /\b(?:(?:on|making)\s+(?:their|his|her|its)\s+way\s+to|bound\s+for|heading\s+(?:to|for)|travell?ing\s+to)\b([^,.;]{0,40})$/i;

/** The place after this is where victims were going, unless a new place word comes between ("a bus heading for Nairobi near Mandera"). */
function towardsPlace(before: string): boolean {
  const m = WAY_TO.exec(before);
  return m !== null && !/\b(?:near|at|outside|when|and)\b/i.test(m[1] ?? '');
}

const TREATED =
  /\b(?:treated|taken|admitted|discharged|rushed|airlifted|flown|brought|evacuated|transferred|recovering|receiving treatment|succumbed|(?:later|since)\s+died|(?:wounded|injured)(?:\s+[\p{L}-]+){0,3}\s+died)\b/iu;
const TAKEN_FROM = /\b(?:abduct\w*|kidnap\w*|snatch\w*|seized)\b[^.;,]{0,60}\bfrom\s+$/i;

// "The five dead were buried in Diffa": a funeral's town and figures tell no new attack.
// Not "women bombers struck a wedding, a funeral and a hospital": a funeral as a target.
const BURIAL =
  /\b(?:buried|burial|laid to rest|mourners)\b|\bfunerals?\s+(?:of|for|was|were|took place|held|prayers?)\b/i;
// A revised toll: "the toll rose to 14", "the death toll had risen to nine".
const REVISED = /\b(?:toll|risen|rose|climbed|increased|raising|bringing)\b/i;
const TOLL_UPDATE =
  /\b(?:toll\s+(?:has\s+)?(?:risen|rose|climbed|now stands|stands)|final (?:figures|toll|count)|(?:latest|updated|revised) (?:figures|toll|count))\b/i;
const FINAL = /\bfinal (?:figures|toll|count)\b/i;
// "one of the wounded fighters ... succumbed", "two of the injured later died".
const WOUNDED_DIED =
  /\b(one|two|three|four|five|\d{1,2})\s+of\s+the\s+(?:wounded|injured)\b[^.;]{0,80}?\b(?:succumbed|died)\b/i;
// An authority's new count announced in one sentence and told in the next.
const REVISION =
  /\b(?:revised|updated|corrected)\s+(?:the|its|their|his|her)\s+(?:(?:death|casualty)\s+)?(?:toll|figures?|count)\b/i;
const NEW_COUNT = /\b(?:now (?:counts?|stands?|puts?)|revised|updated|latest (?:count|toll|figures?))\b/i;

const ANOTHER_ATTACK =
  /\b(?:a\s+(?:second|third|separate|further|fresh)|another)\s+(?:[\p{L}-]+\s+)?(?:attack|assault|raid|bombing|ambush|explosion|blast|shooting|killing|abduction)\b/iu;
const WEAPON_WENT_OFF =
  /\b(?:bomb|grenade|device|explosives?|car bomb|mine)\b[^.;]{0,60}\b(?:exploded|went off|detonated|blew up)\b/i;
const ARMED_MEN =
  /\b(?:insurgents|militants|gunmen|armed men|fighters|attackers|assailants|bandits|jihadists|rebels|guerrillas|terrorists|militiamen|fired|shelled)\b/i;

// One more person, named by an indefinite article.
const ONE_MORE = /^(?:an?|another|one)\s/i;

/** What a later sentence adds to an incident: figures and a date it did not have, a more specific place. */
function addTo(
  open: Extraction,
  place: Extraction | undefined,
  figures: { killed?: CasualtyHit; injured?: CasualtyHit },
  date: string | undefined,
  items: ItemSet,
): void {
  const d = open.data as IncidentData;
  const f = figuresOf(figures);
  // A headline's "kills dozens" gives way to the body's "killing at least 32".
  const vague = (h: { text: string } | undefined) => h !== undefined && VAGUE.test(h.text);
  // ... and "At least two of our men have been martyred", then "four people have been killed":
  // a first figure said to be a floor gives way to a higher one.
  const revised =
    f.killed !== undefined &&
    d.killed !== undefined &&
    (REVISED.test(f.killed.text) || (d.killed.approximate && !f.killed.approximate && !vague(f.killed))) &&
    f.killed.value > d.killed.value;
  if (f.killed && (!d.killed || (vague(d.killed) && !vague(f.killed)) || revised)) d.killed = f.killed;
  if (f.injured && (!d.injured || (vague(d.injured) && !vague(f.injured)))) d.injured = f.injured;
  // "An off-duty officer was seriously wounded ... A 67-year-old man ... was hit in the arm":
  // people told one by one add up.
  else if (f.injured && d.injured && ONE_MORE.test(f.injured.text) && f.injured.text !== d.injured.text)
    d.injured = { ...d.injured, value: d.injured.value + 1, text: `${d.injured.text}; ${f.injured.text}` };
  // "in March 2019", then "on 18 March 2019": the later sentence says which day.
  if (date && (!d.date || (date.length > d.date.length && date.startsWith(d.date)))) d.date = date;
  const now = d.place ? items.get(d.place) : undefined;
  if (place && (!now || RANK[loc(place).placeKind] < RANK[loc(now).placeKind])) d.place = place.key;
}

// "coordinated assaults on Kayes, Nioro du Sahel and several other towns in July".
const ATTACKS_ON =
  /\b(attacks|assaults|raids|bombings|ambushes)\s+(?:on|in|against)\s+(?:the\s+)?(?:towns?\s+of\s+)?$/i;
const SINGULAR: Record<string, string> = {
  attacks: 'attack',
  assaults: 'assault',
  raids: 'raid',
  bombings: 'bombing',
  ambushes: 'ambush',
};

/**
 * Dated attacks on a list of towns told in one breath, with no figures: one incident each. A list
 * of countries or provinces, or one with no date, is a campaign, not incidents.
 */
function listedAttacks(
  text: string,
  s: Sentence,
  sentence: string,
  scene: readonly PlacedHit[],
  items: ItemSet,
  published: Date | undefined,
): boolean {
  const towns = scene.filter((h) => RANK[loc(h.item).placeKind] <= RANK.city);
  const first = towns[0];
  if (!first) return false;
  const lead = ATTACKS_ON.exec(text.slice(Math.max(s.start, first.hit.start - 60), first.hit.start));
  if (!lead || SEVERAL_ATTACKS.test(sentence)) return false;
  // "picked up by the Anti-Terrorist Squad in simultaneous raids in Bhopal, Indore and Jabalpur".
  if (
    /raids/i.test(lead[1] ?? '') &&
    /\b(?:police|squad|agents|officers|troops|security forces|arrest\w*|picked up|detain\w*)\b/i.test(
      sentence,
    )
  )
    return false;
  const listed = [first];
  for (const h of towns.slice(1)) {
    const prev = listed[listed.length - 1] as PlacedHit;
    if (!/^(?:,\s*|,?\s+and\s+)$/.test(text.slice(prev.hit.end, h.hit.start))) break;
    listed.push(h);
  }
  const date = statedDate(sentence, published, first.hit.start - s.start);
  if (listed.length < 2 || !date) return false;
  const noun = SINGULAR[(lead[1] ?? '').toLowerCase()] ?? 'attack';
  for (const h of listed) {
    const name = `${h.item.name} ${noun}`;
    items.add(
      keyOf('incident', name),
      name,
      { kind: 'incident', noun, place: h.item.key, date },
      evidenceOf([s], h.hit.start, h.hit.end, 'incident:listed-places', 0.5),
    );
  }
  return true;
}

/** The incident already told on a day. */
function toldOn(items: ItemSet, day: string): Extraction | undefined {
  return items.list().find((i) => i.kind === 'incident' && (i.data as IncidentData).date === day);
}

/** An incident's name, told apart by its date from another at the same place. */
function incidentName(name: string, date: string | undefined, items: ItemSet): string {
  const have = items.get(keyOf('incident', name))?.data as IncidentData | undefined;
  return have && date && have.date !== date ? `${name} (${date})` : name;
}

// "raided the village last year", "attacked posts in the district": a place the text named before.
const PLACE_REFERENCE =
  /\b(?:the|that|this)\s+(?:same\s+)?(village|town|city|community|settlement|district|area|province|region|camp)\b/i;

/**
 * The place "the village" or "the district" stands for: the scene of the attack last told when
 * it is of that kind, else the last place of that kind named before the sentence.
 */
function placeReferredTo(
  text: string,
  s: Sentence,
  sentence: string,
  sentences: readonly Sentence[],
  placed: readonly PlacedHit[],
  lastScene: Extraction | undefined,
  items: ItemSet,
): Extraction | undefined {
  const m = PLACE_REFERENCE.exec(sentence);
  if (!m) return undefined;
  const settlement = /^(?:village|town|city|community|settlement|camp)$/i.test(m[1] ?? '');
  const fits = (p: Extraction) => {
    const kind = loc(p).placeKind;
    return settlement ? kind === 'city' : kind === 'city' || kind === 'province' || kind === 'feature';
  };
  if (lastScene && fits(lastScene)) return lastScene;
  // The town of the venue last told ("the Chalerm Night Market in the centre of Betong").
  const around = lastScene && loc(lastScene).within ? items.get(loc(lastScene).within ?? '') : undefined;
  if (around && settlement && fits(around)) return around;
  // Else a place of its kind the two sentences before named.
  const at = sentences.findIndex((x) => x.end > s.start);
  const from = sentences[Math.max(0, at - 2)]?.start ?? 0;
  let found: PlacedHit | undefined;
  for (const p of placed) {
    if (p.hit.start >= s.start || p.hit.start < from || p.item.kind !== 'location' || !fits(p.item)) continue;
    // Where the wounded were taken is not "the village".
    if (/\bto\s+$/.test(text.slice(Math.max(0, p.hit.start - 4), p.hit.start))) continue;
    if (!found || p.hit.start > found.hit.start) found = p;
  }
  return found?.item;
}

/** A later sentence names where the attack being told happened: it is filed under that place. */
function moveTo(open: Open, place: Extraction, items: ItemSet): void {
  const d = open.item.data as IncidentData;
  d.place = place.key;
  const name = `${place.name} ${d.noun}`;
  items.rekey(open.item, keyOf('incident', name), name);
  open.weak = false;
}

/**
 * Incidents, one per event rather than one per sentence: a sentence with an attack word and a
 * place opens one (when it also states figures, a date or a venue); the next sentences that
 * tell the same event (no other place, or a place inside the same one) add their figures, date
 * and a more specific place to it. A sentence with figures and a place but no attack word
 * counts only in an article that speaks of an attack elsewhere, and not when the dead are the
 * attackers.
 */
export function gatherIncidents(
  text: string,
  sentences: readonly Sentence[],
  placed: readonly PlacedHit[],
  items: ItemSet,
  published: Date | undefined,
): void {
  const word = ANY_ATTACK_WORD.exec(text)?.[1]?.toLowerCase();
  const articleNoun = word === undefined ? undefined : (AGENT_AS_NOUN[word] ?? word);
  let open: Open | undefined;
  // The town the sentence before named when it told no attack, and its date: "Insurgents entered
  // Mazeze on 26 November. They beheaded four civilians."
  let before: { place: Extraction; date: string | undefined; sentence: number; armed: boolean } | undefined;
  let here: typeof before;
  let pending: Pending | undefined;
  let unplaced: (Unplaced & { sentence: number }) | undefined;
  let listed: { item: Extraction; clause: number } | undefined;
  let lateDay: string | undefined;
  // The headline: a first line with no closing stop, as titles are written.
  const firstLine = /^[^\n]*/.exec(text)?.[0].trim() ?? '';
  const headline = text.includes('\n') && !/[.!?"”]$/.test(firstLine) ? sentences[0]?.start : undefined;
  // The places of one clause, by a binary search over the places in text order: a long text has
  // thousands of clauses and places.
  const ordered = [...placed].sort((a, b) => a.hit.start - b.hit.start);
  const inClause = (s: Sentence): PlacedHit[] => {
    let lo = 0;
    let hi = ordered.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((ordered[mid] as PlacedHit).hit.start < s.start) lo = mid + 1;
      else hi = mid;
    }
    const out: PlacedHit[] = [];
    for (let k = lo; k < ordered.length && (ordered[k] as PlacedHit).hit.start < s.end; k++)
      out.push(ordered[k] as PlacedHit);
    return out;
  };
  const clauses = clausesOf(text, sentences);
  // A witness's words are about the attack being told: quoted sentences do not count in how far
  // the next sentence is from it ("Sixteen people were wounded" after two sentences of quotes).
  const told: number[] = [];
  let telling = 0;
  for (const c of clauses) {
    const said = text.slice(c.start, c.end);
    // ... nor do a list's numbers and items ("2.", "a. Naib Subedar ...").
    if (!/^\s*["“”]/.test(said) && !LIST_ITEM.test(said) && !HEADING.test(said)) telling++;
    told.push(telling);
  }
  const apartBy = (from: number, to: number) => (told[to] ?? 0) - (told[from] ?? 0);
  clauses.forEach((s, si) => {
    const sentence = text.slice(s.start, s.end);
    if (BURIAL.test(sentence)) return;
    if (lateDay === undefined && THAT_DAY.test(sentence)) lateDay = statedDate(sentence, published);
    // "crossed from Gaza into southern Israel": where attackers came from is not where it happened.
    const officeSeat = (h: PlacedHit) =>
      /\b(?:mayor|governor|chief|councillor|councilor|lawmaker|legislator|chairman|administrator|emir|sultan|bishop|archbishop|imam|MP)\s+of\s+(?:the\s+)?$/i.test(
        text.slice(Math.max(s.start, h.hit.start - 30), h.hit.start),
      );
    let places = inClause(s).filter(
      (h) =>
        h.hit.end <= s.end &&
        h.item.kind === 'location' &&
        // ... unless people were taken from it: "the abduction of 276 schoolgirls from Chibok".
        (!/\bfrom\s+(?:neighbou?ring\s+)?$/i.test(
          text.slice(Math.max(s.start, h.hit.start - 18), h.hit.start),
        ) ||
          TAKEN_FROM.test(text.slice(Math.max(s.start, h.hit.start - 80), h.hit.start))) &&
        // "a tourist from Ipoh, in Malaysia's Perak state": where a victim came from.
        !/\bfrom\s+\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*)?,\s+in\s+(?:\p{Lu}[\p{L}'’-]*['’]s\s+)?$/u.test(
          text.slice(Math.max(s.start, h.hit.start - 60), h.hit.start),
        ) &&
        // "taken to hospital in Quetta": where the wounded were brought, not where it happened.
        // ... but "struck a wedding, a funeral and a hospital in Gwoza": a hospital as a target.
        !(
          /\b(?:hospitals?|clinic|health (?:cent(?:re|er)|post)|(?:taken|brought|flown|airlifted|evacuated|transferred|rushed|driven|shifted)\s+(?:by\s+\w+\s+)?to)\s+(?:in\s+|the\s+)?(?:\p{Lu}[\p{L}'’-]*\s+)?$/iu.test(
            text.slice(Math.max(s.start, h.hit.start - 40), h.hit.start),
          ) &&
          (TREATED.test(text.slice(s.start, s.end)) ||
            !/\b(?:hospitals?|clinic|health (?:cent(?:re|er)|post))\s+in\s+$/i.test(
              text.slice(Math.max(s.start, h.hit.start - 20), h.hit.start),
            ))
        ) &&
        // "the Diocese of Fada N'Gourma said 14 people had been killed": a see is who tells it.
        !/\b(?:diocese|archdiocese|eparchy|emirate|parish)\s+of\s+(?:the\s+)?$/i.test(
          text.slice(Math.max(s.start, h.hit.start - 20), h.hit.start),
        ) &&
        // "the Somalia-based affiliate of al-Qaeda": where a group is based, not where it struck.
        joinedSuffixAt(text, h.hit.end) === undefined &&
        // "14 wounded were being treated in Kabul hospitals": the town's hospitals, not the scene.
        !(
          /^\s+(?:hospitals?|clinics?|infirmar(?:y|ies))\b/i.test(text.slice(h.hit.end, h.hit.end + 14)) &&
          TREATED.test(text.slice(s.start, s.end))
        ) &&
        // "were treated for gunshot wounds at Minna General Hospital": a hospital where the
        // wounded were treated is not where they were hurt.
        !(
          /\b(?:hospital|clinic|infirmary|medical cent(?:er|re))$/i.test(h.item.name) &&
          TREATED.test(text.slice(s.start, s.end))
        ) &&
        // "taken to the Cotabato Regional and Medical Center in Cotabato City", "driven down the
        // mountain to Hospital Francisco de Paula Santander in Santander de Quilichao".
        !/\b(?:taken|brought|flown|airlifted|evacuated|transferred|rushed|driven|moved|referred|shifted)\b[^.;]{0,40}?\bto\s+[^.;]{0,60}?\b(?:hospital|clinic|cent(?:er|re)|infirmary)\b[^,.;]{0,50}?\s+in\s+$/iu.test(
          text.slice(Math.max(s.start, h.hit.start - 170), h.hit.start),
        ) &&
        // "the vice mayor of Tipo-Tipo town": an office's seat, not where it happened.
        !officeSeat(h) &&
        // "a police spokesman in Damaturu said": where the one who told it is.
        !/\b(?:spokes(?:man|woman|person)|officials?|sources?|governor|minister|authorities|police|statement|reporters|correspondents?|journalists?|briefing|(?:press|news) conference|head|chief|elder|councillor|leader)\s+in\s+(?:the\s+)?$/i.test(
          text.slice(Math.max(s.start, h.hit.start - 30), h.hit.start),
        ) &&
        // "according to the departmental police command in Cúcuta": who told it, and where.
        !/\baccording to\b[^,.;]{0,50}\bin\s+$/i.test(
          text.slice(Math.max(s.start, h.hit.start - 70), h.hit.start),
        ) &&
        // "traders on their way to the weekly market in Buni Yadi": where victims were going.
        !towardsPlace(text.slice(Math.max(s.start, h.hit.start - 60), h.hit.start)) &&
        // "the most serious were driven to Santander de Quilichao, and two were later moved to
        // Popayán": where the wounded were moved on to.
        !(
          /\b(?:moved|transferred|referred|sent)\s+(?:on\s+)?to\s+$/i.test(
            text.slice(Math.max(s.start, h.hit.start - 22), h.hit.start),
          ) && /\b(?:wounded|injured|hurt|hospital|treatment)\b/i.test(text.slice(s.start, s.end))
        ) &&
        // "travelling from Turbat to Karachi": the ends of a route are not where it happened.
        !/\bfrom\s+\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*)?\s+to\s+$/u.test(
          text.slice(Math.max(s.start, h.hit.start - 50), h.hit.start),
        ) &&
        // "raided the village from the direction of the Boni Forest": where they came from.
        !/\bdirection\s+of\s+(?:the\s+)?$/i.test(
          text.slice(Math.max(s.start, h.hit.start - 26), h.hit.start),
        ) &&
        // "fled towards the Komadougou Yobé river": where attackers went.
        !/\b(?:towards?|fled (?:to|into))\s+(?:the\s+)?$/i.test(
          text.slice(Math.max(s.start, h.hit.start - 16), h.hit.start),
        ) &&
        // "which speaks for Iraq's security forces": a country's institutions are not a scene.
        !/^['’]s\s+(?:[\p{L}-]+\s+)?(?:forces|army|military|government|police|authorities|officials|ministry|president|prime minister|intelligence|navy|air force)\b/iu.test(
          text.slice(h.hit.end, h.hit.end + 40),
        ) &&
        // "the rest of Khyber Pakhtunkhwa", "which borders Afghanistan's Nuristan and Kunar":
        // the places around the scene.
        !/\b(?:the\s+rest\s+of|borders|bordering|bordered\s+by)\s+(?:\p{Lu}[\p{L}'’-]*\s+){0,3}(?:and\s+)?$/u.test(
          text.slice(Math.max(s.start, h.hit.start - 60), h.hit.start),
        ),
    );
    // "gunmen shot dead the chief of Tizegorou, a village in ...": with no other place named, the
    // seat of the victim's office is where it happened.
    if (places.length === 0)
      places = inClause(s).filter(
        (h) =>
          h.hit.end <= s.end &&
          h.item.kind === 'location' &&
          officeSeat(h) &&
          RANK[loc(h.item).placeKind] <= RANK.city,
      );
    // "north of Baghdad": the point a distance is measured from, which stands for the scene only
    // when the sentence names no town ("on the road north of Koui in Ouham-Pendé prefecture").
    const measuredFrom = (h: PlacedHit) =>
      /\b(?:north|south|east|west)(?:-?(?:east|west))?\s+of\s+$/i.test(
        text.slice(Math.max(s.start, h.hit.start - 20), h.hit.start),
      );
    const named = places.filter((h) => !measuredFrom(h));
    const town = named.some((h) => RANK[loc(h.item).placeKind] <= RANK.city);
    const distance = (h: PlacedHit) =>
      /\d\s*(?:km|kilomet(?:er|re)s?|miles)\s+(?:[\p{L}-]+\s+)?$/iu.test(
        text
          .slice(Math.max(s.start, h.hit.start - 45), h.hit.start)
          .replace(/\s*(?:north|south|east|west)(?:-?(?:east|west))?\s+of\s+$/i, ' '),
      );
    places = town ? named : places.filter((h) => !measuredFrom(h) || !distance(h));
    // Places the sentence names that are not where it happened, when it names another: a
    // court's town ("A court in Paris convicted ... over the murder in Conflans"), the dateline's
    // city, and the ends of a road.
    // "QUETTA, Pakistan, Feb 28 —": where the report was filed, not what it reports.
    const dateline = datelineLength(sentence);
    const scene = places.filter((h) => {
      const before = text.slice(Math.max(s.start, h.hit.start - 40), h.hit.start);
      const inDateline = h.hit.end - s.start <= dateline;
      // "in al-Rashad, near Muqdadiya": the town after a town and "near" is where the first lies.
      const landmark =
        /,\s+(?:near|close to|outside)\s+$/i.test(before) &&
        places.some(
          (o) =>
            o !== h &&
            o.hit.end <= h.hit.start &&
            h.hit.start - o.hit.end < 16 &&
            RANK[loc(o.item).placeKind] <= RANK.city,
        );
      return !COURT_PLACE.test(before) && !BETWEEN.test(before) && !inDateline && !landmark;
    });
    before = here && here.sentence < si ? here : undefined;
    const townHere = placeOf(scene.filter((h) => RANK[loc(h.item).placeKind] <= RANK.city));
    // ... only a dated sentence with armed men in it: "Insurgents entered Mazeze on 26 November".
    // ... only a dated sentence: "Insurgents entered Mazeze on 26 November", "By eight o'clock on
    // Friday evening, March 27, the Chalerm Night Market was crowded".
    const hereDate = townHere ? statedDate(sentence, published) : undefined;
    // A sentence that names no place keeps the one before ("Families queued for grilled chicken").
    if (townHere && hereDate)
      here = { place: townHere, date: hereDate, sentence: si, armed: ARMED_MEN.test(sentence) };
    else if (scene.length > 0 || (here && si - here.sentence > 2)) here = undefined;
    const recent = open && apartBy(open.sentence, si) <= FOLLOW_ON ? open : undefined;
    const openPlace = recent ? items.get((recent.item.data as IncidentData).place ?? '') : undefined;
    // The dateline's city stands for the scene only when no attack is being told already.
    const cue: IncidentCue | undefined = scanIncidentCue(sentence, s.start);
    // "... the deadliest attack in Guanajuato since July 2020, when gunmen killed 27 people in
    // Irapuato": the other act's place is told after it.
    const laterPlaces = cue?.another ? scene.filter((h) => h.hit.start > (cue?.start ?? 0)) : [];
    let place = placeOf(
      laterPlaces.length > 0 ? laterPlaces : scene.length > 0 ? scene : recent ? [] : places,
      cue?.start,
    );
    // "The killings took place near Arak", "The attack happened at Festplassen": the attack just
    // told, and where.
    const anaphor = ANAPHOR.test(sentence);
    const stated = listedDead(text, s, si, clauses) ?? cue ?? scanCasualties(sentence, s.start);
    // "It said 17 attackers had been killed": the attackers' dead are no casualty figure.
    // With an attack word only the figure's own words count ("killing four fighters" of a
    // militia are its victims); without one, the words after it too ("51 soldiers ... and 160
    // militants died").
    const attackersDead =
      stated.killed !== undefined &&
      (cue
        ? ATTACKERS_COUNTED.test(stated.killed.text) ||
          /^\s+of\s+(?:the\s+)?(?:attackers|assailants|gunmen|militants|insurgents)\b/i.test(
            text.slice(stated.killed.end, stated.killed.end + 30),
          )
        : ATTACKERS_KILLED.test(text.slice(stated.killed.start, stated.killed.end + 25)));
    // With no attack word, such a sentence still adds to the attack just told ("The army said 51
    // soldiers were killed and 160 militants died"); it opens none.
    // "The conflict in the northeast, now in its 17th year, has killed more than 40,000 people":
    // a war's toll belongs to no attack.
    const figures = WAR_TOLL.test(sentence)
      ? {}
      : attackersDead && cue
        ? { ...(stated.injured && { injured: stated.injured }) }
        : stated;
    // An agent word counts as an attack only with its victims' figures: "killed three of the
    // attackers" leaves none.
    if (attackersDead && cue && !figures.injured && AGENT_ONLY.test(text.slice(cue.start, cue.end))) return;
    const hasFigures = figures.killed !== undefined || figures.injured !== undefined;
    // "The bus had halted for the night in the Kiremu area of East Wollega zone": the sentence
    // right after an attack placed only at its region, naming a town inside it, says where.
    const finer =
      !cue &&
      !hasFigures &&
      recent !== undefined &&
      si - recent.sentence <= 1 &&
      place !== undefined &&
      openPlace !== undefined &&
      ((RANK[loc(openPlace).placeKind] >= RANK.province &&
        // "The camp, in Markha district in the west of Shabwa province": a district inside it too.
        (RANK[loc(place).placeKind] <= RANK.city || loc(place).within === openPlace.key) &&
        samePlace(place, openPlace, items)) ||
        (recent.weak === true &&
          (RANK[loc(place).placeKind] <= RANK.city || loc(place).within === openPlace.key)) ||
        // "raided his estate near Yby Yaú ... About eight gunmen reached the main house of the
        // Estancia Santa Clara": the venue the armed men reached, told right after.
        (loc(place).placeKind === 'venue' &&
          RANK[loc(openPlace).placeKind] >= RANK.city &&
          (loc(place).within === undefined || loc(place).within === openPlace.key) &&
          ARMED_MEN.test(sentence))) &&
      scene.length > 0;
    if (finer && recent && place) {
      moveTo(recent, place, items);
      recent.sentence = si;
      // "The attackers arrived in Fantio ... late on Saturday afternoon": and when, if the
      // attack had no day yet.
      const d = recent.item.data as IncidentData;
      const day = d.date === undefined || d.date.length < 10 ? statedDate(sentence, published) : undefined;
      if (day && (d.date === undefined || day.startsWith(d.date))) d.date = day;
      return;
    }
    // "The rounds landed shortly before midnight on Sunday": the sentence right after an attack
    // told with no day, naming no other place, gives its day.
    if (!cue && !hasFigures && recent && si - recent.sentence <= 1 && scene.length === 0) {
      const d = recent.item.data as IncidentData;
      const day = d.date === undefined ? statedDate(sentence, published) : undefined;
      if (day) {
        d.date = day;
        return;
      }
    }
    if (!cue && !hasFigures && listedAttacks(text, s, sentence, scene, items, published)) return;
    // "Gunmen on motorbikes rode into Nadiagou, in Kompienga province": armed men reaching a town
    // just after an attack was told without one say where it happened.
    const arrival =
      !cue &&
      !hasFigures &&
      !recent &&
      pending !== undefined &&
      apartBy(pending.sentence, si) <= FOLLOW_ON &&
      place !== undefined &&
      RANK[loc(place).placeKind] <= RANK.city &&
      ARMED_MEN.test(sentence);
    if (!cue && !hasFigures && !arrival && !(anaphor && recent && place)) return;
    // "Hours later, gunmen attacked ...": the day of the event the article just told.
    const openDay = open ? (open.item.data as IncidentData).date : undefined;
    // "A week later, two bombers attacked ...": that long after the event the article just told.
    const later = LATER.exec(sentence);
    const sameDay =
      open && SAME_DAY.test(sentence) ? openDay : later && openDay ? after(openDay, later) : undefined;
    const told = (cue ?? figures.killed ?? figures.injured)?.start;
    // "... and early the following month they shot dead 36 quarry workers": the month after.
    const openDate = open ? (open.item.data as IncidentData).date : undefined;
    const nextMonth = openDate && NEXT_MONTH.test(sentence) ? monthAfter(openDate) : undefined;
    const ownDate = statedDate(sentence, published, told === undefined ? undefined : told - s.start);
    let date = nextMonth ?? ownDate ?? sameDay;
    // "Kuchi has been hit before: six were killed when gunmen raided the village last year": an
    // act told at another time is another attack, even at the same place.
    const recentDate = recent ? (recent.item.data as IncidentData).date : undefined;
    // "On 18 May, a second attack targeted the Lusanga displacement site": said to be another.
    // "- 17 Sep, Katsina State: Gunmen abducted 12 worshippers": a brief's line with a day of its
    // own tells another event.
    const ownLine =
      LIST_ITEM.test(sentence) &&
      ownDate?.length === 10 &&
      recentDate?.length === 10 &&
      ownDate !== recentDate;
    const elsewhen =
      ownLine ||
      (ownDate !== undefined && recentDate !== undefined && !nextMonth && apart(ownDate, recentDate)) ||
      (cue !== undefined && (cue.another === true || ANOTHER_ATTACK.test(sentence)));
    // The act told just after the town it happened in, with nothing told there yet.
    const carried =
      !place &&
      (cue || hasFigures) &&
      before !== undefined &&
      si - before.sentence <= 2 &&
      // ... brought there by armed men, or a weapon that went off there.
      (before.armed || (cue !== undefined && WEAPON_WENT_OFF.test(sentence))) &&
      !(open && open.sentence >= si - 1) &&
      !(recent && openPlace && samePlace(before.place, openPlace, items))
        ? before
        : undefined;
    if (carried && !BATTLE.test(sentence) && (!ownDate || !carried.date || !apart(ownDate, carried.date))) {
      place = carried.place;
      // The day of the act, not of a later count ("the toll confirmed on 19 May stands at 18").
      date = carried.date ?? date;
    }
    // "... deployed to the area on Sunday and condemned the attack": the day after the attack
    // last told is that attack again, not another in "the area".
    const anotherTime =
      elsewhen || (!recent && ownDate !== undefined && (!openDate || apart(ownDate, openDate)));
    // "Leaders condemned Saturday's shooting": the day of an attack already told is that attack.
    const told2 = anotherTime && ownDate?.length === 10 ? toldOn(items, ownDate) : undefined;
    const toldPlace = told2 ? items.get((told2.data as IncidentData).place ?? '') : undefined;
    // ... named again by its day and a wider place ("condemned Saturday's shooting in Northern Ireland").
    if (
      told2 &&
      (!place ||
        !toldPlace ||
        RANK[loc(place).placeKind] > RANK[loc(toldPlace).placeKind] ||
        samePlace(place, toldPlace, items))
    ) {
      addTo(told2, place, figures, date, items);
      return;
    }
    if (anotherTime && !place && (cue || hasFigures)) {
      const openAt = open ? items.get((open.item.data as IncidentData).place ?? '') : undefined;
      place = placeReferredTo(text, s, sentence, sentences, placed, openAt, items);
      // "His killing is the third of a prominent local figure in Fresnillo in six months. In
      // November 2025, councillor Teresa Gaytán was shot dead": the one town the sentence before
      // named, when it told no attack of its own.
      const prev = si > 0 ? (clauses[si - 1] as Sentence) : undefined;
      const towns = prev
        ? inClause(prev).filter((h) => h.item.kind === 'location' && RANK[loc(h.item).placeKind] <= RANK.city)
        : [];
      const one = new Set(towns.map((h) => h.item.key));
      // ... a sentence that counts a series there ("the third ... in Fresnillo in six months").
      const series =
        prev !== undefined &&
        /\b(?:second|third|fourth|fifth|latest)\b/i.test(text.slice(prev.start, prev.end));
      if (
        !place &&
        series &&
        one.size === 1 &&
        prev &&
        !scanIncidentCue(text.slice(prev.start, prev.end), prev.start)
      )
        place = towns[0]?.item;
    }
    // "The explosion struck the Imam Zaman mosque": a venue the text puts nowhere, told without
    // figures just after an attack, is where that attack happened.
    const venueOfOpen =
      place !== undefined &&
      loc(place).placeKind === 'venue' &&
      loc(place).country === undefined &&
      !hasFigures;
    // "NIAMEY — Gunmen opened fire ... The shooting happened in Ikarfane": the scene a later
    // sentence names replaces the dateline's city.
    if (recent?.weak && place && scene.length > 0 && !(openPlace && samePlace(place, openPlace, items)))
      moveTo(recent, place, items);
    // The headline's attack retold by the lead, which names the town: "Drone attack in
    // Colombia's Arauca kills two" / "... on an army base in Saravena, ..., killing two soldiers".
    // One attack when the lead's toll does not contradict the headline's and the places lie in
    // one country (or the headline's is a sea or a region).
    const headlineToll = recent ? (recent.item.data as IncidentData).killed?.value : undefined;
    const sameToll =
      recent !== undefined &&
      headline !== undefined &&
      (recent.item.evidence[0]?.sentenceStart ?? -1) === headline &&
      // Only the lead retells the headline: a later sentence's town is no new scene for it.
      recent.item.evidence.every((e) => e.sentenceStart === headline) &&
      si <= 2 &&
      (figures.killed === undefined || headlineToll === undefined || headlineToll === figures.killed.value) &&
      place !== undefined &&
      openPlace !== undefined &&
      (loc(openPlace).country === undefined || loc(place).country === loc(openPlace).country) &&
      RANK[loc(place).placeKind] <= RANK[loc(openPlace).placeKind];
    if (
      (anaphor || sameToll) &&
      !elsewhen &&
      recent &&
      place &&
      openPlace &&
      !samePlace(place, openPlace, items)
    )
      moveTo(recent, place, items);
    // "On Tuesday the Ministry of Interior revised the figure. Its spokesman said that eight
    // people had died ... and that 14 wounded were being treated": a revision announced, then told.
    const lastSentence = sentences[si - 1];
    const announced =
      lastSentence !== undefined && REVISION.test(text.slice(lastSentence.start, lastSentence.end));
    if (
      recent &&
      !elsewhen &&
      (!place || venueOfOpen || anaphor || sameToll || (openPlace && samePlace(place, openPlace, items)))
    ) {
      // "- On the side of the armed forces: six soldiers killed and nine wounded; - Among the
      // civilian population: four killed ...": a toll's lines add up.
      const d0 = recent.item.data as IncidentData;
      const summed =
        LIST_ITEM.test(sentence) && listed?.item === recent.item && listed.clause === si - 1
          ? {
              killed: figures.killed && d0.killed ? d0.killed.value + figures.killed.value : undefined,
              injured: figures.injured && d0.injured ? d0.injured.value + figures.injured.value : undefined,
            }
          : undefined;
      const killedBefore = d0.killed?.value;
      addTo(recent.item, place, figures, date, items);
      // "one of the wounded fighters had succumbed to his wounds, raising the number of martyrs
      // to three": who died of wounds leaves the wounded.
      const died = WOUNDED_DIED.exec(sentence);
      const n = died ? (numberOf(died[1] as string) ?? 0) : 0;
      if (
        n > 0 &&
        d0.injured &&
        d0.injured.value > n &&
        killedBefore !== undefined &&
        d0.killed !== undefined &&
        d0.killed.value === killedBefore + n
      )
        d0.injured = { ...d0.injured, value: d0.injured.value - n };
      if (summed?.killed !== undefined && d0.killed) d0.killed = { ...d0.killed, value: summed.killed };
      if (summed?.injured !== undefined && d0.injured) d0.injured = { ...d0.injured, value: summed.injured };
      listed =
        LIST_ITEM.test(sentence) && (figures.killed || figures.injured)
          ? { item: recent.item, clause: si }
          : undefined;
      // "With the two deaths, the office now counts 19 dead and 12 injured": a new count of the
      // hurt replaces the first, which those who died have left.
      const recount =
        figures.injured && (NEW_COUNT.test(sentence) || FINAL.test(sentence) || announced)
          ? figuresOf({ injured: figures.injured }).injured
          : undefined;
      // "Final figures: eight people killed": the last count stands.
      const dk = (recent.item.data as IncidentData).killed;
      if (figures.killed && (FINAL.test(sentence) || announced) && dk && figures.killed.value !== dk.value)
        (recent.item.data as IncidentData).killed = figuresOf({ killed: figures.killed }).killed as typeof dk;
      if (recount) (recent.item.data as IncidentData).injured = recount;
      const at = cue ?? figures.killed ?? figures.injured;
      const ev = evidenceOf(sentences, at?.start ?? s.start, at?.end ?? s.end, 'incident:same-event', 0.6);
      items.add(recent.item.key, recent.item.name, recent.item.data, ev);
      recent.sentence = si;
      return;
    }
    // "16:10 - The toll has risen to six dead", "Final figures from the district police chief:
    // eight people killed ... and 17 wounded": a live page's later count of the attack it is
    // about, however many entries came between, when no other attack was told since.
    if (!place && !recent && open && hasFigures && (TOLL_UPDATE.test(sentence) || announced) && !elsewhen) {
      const d = open.item.data as IncidentData;
      const f = figuresOf(figures);
      if (f.killed && (!d.killed || f.killed.value > d.killed.value || announced)) d.killed = f.killed;
      if (f.injured && (!d.injured || FINAL.test(sentence) || announced)) d.injured = f.injured;
      const at = figures.killed ?? figures.injured;
      items.add(
        open.item.key,
        open.item.name,
        open.item.data,
        evidenceOf(sentences, at?.start ?? s.start, at?.end ?? s.end, 'incident:toll-update', 0.6),
      );
      open.sentence = si;
      return;
    }
    if (!place) {
      // Not "attacked three towns, killing at least 10": the sum of several attacks.
      if ((cue || hasFigures) && !recent && !SEVERAL_ATTACKS.test(sentence)) {
        pending = { figures, date, sentence: si };
        // Kept for the dateline's town, if no later sentence says where ("When it exploded, it
        // killed two police officers ... Eleven people were wounded").
        const noun = cue?.noun ?? articleNoun;
        if (!unplaced && noun && figures.killed && !VAGUE.test(figures.killed.text) && !attackersDead)
          unplaced = {
            noun,
            killed: figures.killed,
            injured: figures.injured,
            date,
            start: s.start,
            end: s.end,
            sentence: si,
          };
        else if (unplaced && !unplaced.injured && figures.injured && si - unplaced.sentence <= 1)
          unplaced.injured = figures.injured;
      }
      return;
    }
    if (SEVERAL_ATTACKS.test(sentence)) return;
    const venue = loc(place).placeKind === 'venue';
    let noun = cue?.noun;
    if (!cue) {
      // An article that told an attack already speaks of one, whatever its words.
      const spoken = articleNoun ?? (open ? (open.item.data as IncidentData).noun : undefined);
      if (!spoken || attackersDead) return;
      if (figures.killed === undefined && figures.injured === undefined && !arrival) return;
      // "left hundreds dead in the early 2000s": with no attack word, a vague toll is history.
      if (!date && [figures.killed, figures.injured].every((h) => h === undefined || VAGUE.test(h.text)))
        return;
      // "fighting that killed more than 1,000 people": a battle's or a war's dead, not an attack's.
      if (BATTLE.test(sentence) || WAR_TOLL.test(sentence)) return;
      noun = spoken;
    }
    // What was told at another time is not this attack's.
    // ... and not figures told with no date (this attack's) to an attack of another year.
    const background =
      date !== undefined && published !== undefined && apart(date, published.toISOString().slice(0, 10));
    const waiting =
      pending &&
      si - pending.sentence <= FOLLOW_ON &&
      !(pending.date && date && apart(pending.date, date)) &&
      !(pending.date === undefined && background)
        ? pending
        : undefined;
    if (!noun || !(hasFigures || venue || date || waiting)) return;
    const name = incidentName(`${place.name} ${noun}`, date, items);
    const anchor = cue ?? figures.killed ?? figures.injured;
    const item = items.add(
      keyOf('incident', name),
      name,
      { kind: 'incident', noun, place: place.key, ...(date && { date }), ...figuresOf(figures) },
      evidenceOf(
        sentences,
        anchor?.start ?? s.start,
        anchor?.end ?? s.end,
        cue ? (hasFigures ? 'incident:casualties' : 'incident:place') : 'incident:figures-and-place',
        hasFigures ? 0.8 : 0.6,
      ),
    );
    addTo(item, undefined, figures, date, items);
    // "Militiamen killed sixteen civilians late Saturday. The attack hit a site ... at Ngbaye":
    // what the sentence before told without a place belongs to this attack.
    if (waiting) addTo(item, undefined, waiting.figures, waiting.date, items);
    pending = undefined;
    open = { item, sentence: si, weak: scene.length === 0 && dateline > 0 };
  });
  placeUnplaced(text, sentences, placed, items, unplaced, lateDay, headline);
  dateLiveEntries(text, items, published);
  if (headline !== undefined) forgetHeadlineRetold(items, headline);
}

// A script's or a brief's heading line: "PRESENTER (LEAD):", "STORY 1 - BURKINA FASO", "Good evening."
const HEADING = /^\s*(?:[^a-z\n]{2,60}|[^\n]{1,40}:|(?:Good (?:morning|afternoon|evening)|Hello)[.!]?)\s*$/;
// A numbered or lettered line of a list: "2.", "a. Naib Subedar ...", "- Ahmad Fauzi".
const LIST_ITEM = /^\s*(?:(?:[a-z]|\d{1,2}|[ivx]{1,4})[.)](?:\s|$)|[-•*]\s)/;
// "... paid the ultimate sacrifice and embraced shahadat:" and a list of the dead.
const DEAD_LIST_INTRO =
  /\b(?:killed|martyred|died|dead|embraced (?:shahadat|martyrdom)|lost their lives|ultimate sacrifice)\b[^.:;]{0,40}:\s*$/i;

/** The dead a sentence introduces with a colon and lists line by line after it. */
function listedDead(
  text: string,
  s: Sentence,
  si: number,
  clauses: readonly Sentence[],
): { killed?: CasualtyHit; injured?: CasualtyHit } | undefined {
  const sentence = text.slice(s.start, s.end);
  if (!DEAD_LIST_INTRO.test(sentence) || scanCasualties(sentence, s.start).killed) return undefined;
  let n = 0;
  for (let k = si + 1; k < clauses.length; k++) {
    const c = clauses[k] as Sentence;
    if (!/^\s*(?:(?:[a-z]|\d{1,2})[.)]|[-•*])\s+\p{Lu}/u.test(text.slice(c.start, c.end))) break;
    n++;
  }
  if (n < 2) return undefined;
  const at = s.end - 1;
  return { killed: { value: n, approximate: false, text: sentence.trim(), start: at, end: s.end } };
}

/**
 * "... as Boko Haram kills 11 fishermen near Kukawa": an attack told only in the headline, with
 * no date, whose toll the body gives to an attack it tells in full, is that attack.
 */
function forgetHeadlineRetold(items: ItemSet, headline: number): void {
  const incidents = items.list().filter((i) => i.kind === 'incident');
  for (const i of incidents) {
    const d = i.data as IncidentData;
    if (d.date || !i.evidence.every((e) => e.sentenceStart === headline)) continue;
    const same = incidents.find((o) => {
      const od = o.data as IncidentData;
      return (
        o !== i &&
        od.date !== undefined &&
        ((d.killed && od.killed?.value === d.killed.value) ||
          (d.injured && od.injured?.value === d.injured.value))
      );
    });
    // "Two soldiers killed, four wounded as gunmen ambush Army patrol in Butig", told in full
    // at "Barangay Malungun, Butig" after a press release's letterhead: the same attack, whose
    // figures the headline may give more of.
    const inside =
      same ??
      incidents.find((o) => o !== i && (o.data as IncidentData).date !== undefined && agrees(d, o, items));
    if (!inside) continue;
    const od = inside.data as IncidentData;
    if (!od.killed && d.killed) od.killed = d.killed;
    if (!od.injured && d.injured) od.injured = d.injured;
    items.remove(i);
  }
}

/** A headline's attack and one the body tells: places one inside the other, no figure against another. */
function agrees(d: IncidentData, o: Extraction, items: ItemSet): boolean {
  const od = o.data as IncidentData;
  const a = d.place ? items.get(d.place) : undefined;
  const b = od.place ? items.get(od.place) : undefined;
  if (!a || !b || a.key === b.key) return false;
  const within = (x: Extraction, y: Extraction) => loc(x).within === y.key;
  const clash = (p?: { value: number }, q?: { value: number }) =>
    p !== undefined && q !== undefined && p.value !== q.value;
  return (within(a, b) || within(b, a)) && !clash(d.killed, od.killed) && !clash(d.injured, od.injured);
}
