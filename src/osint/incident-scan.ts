import * as chrono from 'chrono-node';
import type { Casualties, StatedDate } from './osint-types.js';

// Nouns that name one violent act (the singular: "deadly attacks" in general is no incident).
const ATTACK_NOUNS = [
  'suicide bombing',
  'car bombing',
  'bombing',
  'attack',
  'shooting',
  'stabbing',
  'explosion',
  'blast',
  'massacre',
  'assault',
  'siege',
  'ambush',
  'hostage-taking',
  'hostage taking',
  'rampage',
];
const ATTACK = new RegExp(`\\b(${ATTACK_NOUNS.join('|')})(s?)\\b`, 'i');
// Verbs that report one act: an incident only when the sentence also gives casualty figures.
const ATTACK_VERBS: Record<string, string> = {
  attacked: 'attack',
  ambushed: 'ambush',
  stormed: 'attack',
  bombed: 'bombing',
  'shot dead': 'shooting',
  'opened fire': 'shooting',
  stabbed: 'stabbing',
  detonated: 'bombing',
  'suicide bomber': 'suicide bombing',
  bomber: 'bombing',
  gunman: 'shooting',
  gunmen: 'shooting',
  attacker: 'attack',
  attackers: 'attack',
  assailant: 'attack',
  assailants: 'attack',
  'blew himself up': 'suicide bombing',
  'blew herself up': 'suicide bombing',
};
const ATTACK_VERB = new RegExp(`\\b(${Object.keys(ATTACK_VERBS).join('|')})\\b`, 'i');
// An attack that did not happen: planned, foiled, threatened.
const UNREALISED =
  /\b(plan(?:s|ned|ning)?|plot(?:s|ted|ting)?|foil(?:ed|ing)?|thwart(?:ed|ing)?|prevent(?:ed|ing)?|attempt(?:ed|ing)?|threat(?:s|en(?:ed|ing))? of|warn(?:ed|ing|s)? of|prepar(?:e|ed|ing))\b[^.;]{0,25}$/i;
// Things that happened that are not attacks: named with the year the sentence gives.
const EVENT =
  /\b(withdrawal|invasion|coup|takeover|ceasefire|occupation|uprising|peace agreement|peace deal|evacuation)\b/i;

const NUMBER_WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  a: 1,
  dozens: 24,
  scores: 40,
  hundreds: 200,
  dozen: 12,
};
const NUM = `(\\d{1,3}(?:,\\d{3})+|\\d+|${Object.keys(NUMBER_WORDS)
  .filter((w) => w !== 'a')
  .join('|')})`;
const APPROX =
  '((?:at least|about|around|nearly|almost|more than|over|some|up to|roughly|an estimated|approximately)\\s+)?';
const VICTIMS =
  '(?:\\s+(?:people|persons|civilians|worshippers|concertgoers|children|soldiers|police(?:men| officers)?|officers|students|passengers|tourists|security personnel|members|others|of them|lives))?';

const KILLED: RegExp[] = [
  new RegExp(
    `\\b(?:killed|killing|kills|claimed the lives of|left|leaving)\\s+${APPROX}${NUM}${VICTIMS}(?:\\s+(?:dead|people dead))?`,
    'i',
  ),
  new RegExp(`\\bclaimed\\s+${APPROX}${NUM}\\s+lives`, 'i'),
  // "Two Swedish football supporters were shot dead": up to three words between figure and verb.
  new RegExp(
    `\\b${APPROX}${NUM}(?:\\s+[\\p{L}-]+){0,3}?\\s+(?:were\\s+|have been\\s+|had been\\s+|are\\s+)?(?:killed|shot dead|dead|died|lost their lives)`,
    'iu',
  ),
  // "killed a German tourist": one victim.
  /\b(?:killed|killing|stabbed to death|shot dead)\s+()(an?)\s+(?=\p{L})/iu,
  new RegExp(
    `\\bdeath toll\\s+(?:of|rose to|reached|climbed to|stood at|stands at|at)\\s+${APPROX}${NUM}`,
    'i',
  ),
];
const INJURED: RegExp[] = [
  new RegExp(`\\b(?:injured|injuring|wounded|wounding|injuries to)\\s+${APPROX}${NUM}`, 'i'),
  new RegExp(
    `\\b${APPROX}${NUM}${VICTIMS}\\s+(?:were\\s+|have been\\s+|others\\s+)?(?:injured|wounded|hurt)`,
    'i',
  ),
];

export interface CasualtyHit extends Casualties {
  start: number;
  end: number;
}

function numberOf(s: string): number | undefined {
  const w = s.toLowerCase();
  if (w === 'an') return 1;
  if (w in NUMBER_WORDS) return NUMBER_WORDS[w];
  const n = Number(w.replace(/,/g, ''));
  return Number.isSafeInteger(n) ? n : undefined;
}

function firstFigure(sentence: string, offset: number, patterns: readonly RegExp[]): CasualtyHit | undefined {
  let best: CasualtyHit | undefined;
  for (const re of patterns) {
    const m = re.exec(sentence);
    if (!m) continue;
    const raw = m[2] ?? '';
    const value = numberOf(raw);
    // A year is no casualty figure ("killed in 2021" does not match, "left 2021" might).
    if (value === undefined || value === 0 || (value >= 1900 && value <= 2100)) continue;
    const approximate = m[1] !== undefined || /^(dozens|scores|hundreds|dozen)$/i.test(raw);
    const hit = {
      value,
      approximate,
      text: m[0].trim(),
      start: offset + m.index,
      end: offset + m.index + m[0].length,
    };
    if (!best || hit.start < best.start) best = hit;
  }
  return best;
}

export interface IncidentCue {
  noun: string;
  start: number;
  end: number;
  killed?: CasualtyHit;
  injured?: CasualtyHit;
}

/** The attack noun of a sentence and the casualty figures it states. */
export function scanIncidentCue(sentence: string, offset: number): IncidentCue | undefined {
  const killed = firstFigure(sentence, offset, KILLED);
  const injured = firstFigure(sentence, offset, INJURED);
  const figures = killed !== undefined || injured !== undefined;
  let m: RegExpExecArray | null = null;
  let noun: string | undefined;
  for (const re of [new RegExp(ATTACK.source, 'gi')]) {
    for (let x = re.exec(sentence); x !== null; x = re.exec(sentence)) {
      // "deadly attacks" in general are no incident; "two explosions ... killing 84" are one.
      if (x[2] && !figures) continue;
      if (UNREALISED.test(sentence.slice(0, x.index))) continue;
      m = x;
      noun = (x[1] ?? 'attack').toLowerCase();
      break;
    }
  }
  if (!m && figures) {
    const v = ATTACK_VERB.exec(sentence);
    if (v) {
      m = v;
      noun = ATTACK_VERBS[(v[1] ?? '').toLowerCase()] ?? 'attack';
    }
  }
  if (!m || !noun) return undefined;
  return {
    noun,
    start: offset + m.index,
    end: offset + m.index + m[0].length,
    ...(killed && { killed }),
    ...(injured && { injured }),
  };
}

export interface EventCue {
  noun: string;
  year: string;
  start: number;
  end: number;
}

/** "the U.S. military's withdrawal from Afghanistan in 2021": an event noun and the year nearest it. */
export function scanEventCue(sentence: string, offset: number): EventCue | undefined {
  const m = EVENT.exec(sentence);
  if (!m) return undefined;
  let year: string | undefined;
  let distance = Number.POSITIVE_INFINITY;
  for (const y of sentence.matchAll(/\b(19[5-9]\d|20\d\d)\b/g)) {
    const d = Math.abs(y.index - m.index);
    // "since 2004" dates something else.
    if (/since\s*$/i.test(sentence.slice(Math.max(0, y.index - 7), y.index))) continue;
    if (d < distance && d < 80) {
      distance = d;
      year = y[1];
    }
  }
  if (!year) return undefined;
  return {
    noun: (m[1] ?? '').toLowerCase(),
    year,
    start: offset + m.index,
    end: offset + m.index + m[0].length,
  };
}

const DATE_WORD =
  /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b(mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(19|20)\d\d\b|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\b(yesterday|today|tonight)\b|\b(last|this|next) (week|month|year)\b/i;

/**
 * The date a sentence states, as precisely as it states it. Relative dates ("on Friday",
 * "last month") need the article's publication date; without it only dates with a year count.
 */
export function statedDate(sentence: string, published: Date | undefined): StatedDate | undefined {
  const results = chrono.parse(sentence, published ?? new Date(Date.UTC(2000, 0, 1)));
  for (const r of results) {
    // A date the text names, not a duration or a time of day ("after 30 hours", "at 10:30").
    if (!DATE_WORD.test(r.text)) continue;
    const s = r.start;
    const yearKnown = s.isCertain('year');
    if (!yearKnown && !published) continue;
    const y = String(s.get('year')).padStart(4, '0');
    const mo = String(s.get('month')).padStart(2, '0');
    const d = String(s.get('day')).padStart(2, '0');
    if (s.isCertain('weekday') && !s.isCertain('day') && published) {
      // News reports what happened: "on Sunday" is the last Sunday up to the publication date.
      let at = s.date();
      while (at.getTime() > published.getTime() + 86_400_000) at = new Date(at.getTime() - 7 * 86_400_000);
      return at.toISOString().slice(0, 10);
    }
    if (s.isCertain('day')) return `${y}-${mo}-${d}`;
    if (s.isCertain('month')) return `${y}-${mo}`;
    if (yearKnown) return y;
  }
  const year = /\bin\s+(19[5-9]\d|20\d\d)\b/.exec(sentence);
  return year?.[1];
}
