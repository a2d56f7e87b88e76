import { foldAccents } from './text-fold.js';

/** A word of the text with its offsets; `exact` has accents folded, `fold` is also lower-cased. */
export interface Token {
  start: number;
  end: number;
  text: string;
  exact: string;
  fold: string;
}

// Letters and digits, joined inside a word by hyphens, apostrophes, periods (U.S, al-Qaida,
// Jama'at) or an ampersand (B&H). A trailing possessive ('s) is not part of the name.
const WORD = /[\p{L}\p{M}\p{N}]+(?:[-‐‑'’´ʼ.&][\p{L}\p{M}\p{N}]+)*/gu;
const POSSESSIVE = /['’ʼ]s$/u;
// "Gaza-based", "Kabul-born", "ISIS-linked": the name before the suffix is a token of its own.
const NAME_SUFFIX =
  /-(based|born|bred|linked|led|backed|affiliated|inspired|aligned|registered|headquartered)$/iu;

export function tokenize(text: string, from = 0, to = text.length): Token[] {
  const out: Token[] = [];
  WORD.lastIndex = from;
  for (let m = WORD.exec(text); m !== null && m.index < to; m = WORD.exec(text)) {
    let word = m[0];
    if (POSSESSIVE.test(word) && word.length > 2) word = word.slice(0, -2);
    const suffix = NAME_SUFFIX.exec(word);
    if (suffix && suffix.index > 0) word = word.slice(0, suffix.index);
    const exact = foldAccents(word);
    out.push({ start: m.index, end: m.index + word.length, text: word, exact, fold: exact.toLowerCase() });
  }
  return out;
}

/** "US-led", "Gaza-based": the suffix a name is joined to (a modifier of the next noun), if any. */
export function joinedSuffixAt(text: string, end: number): string | undefined {
  const m = /^[-‐‑]\p{L}+/u.exec(text.slice(end, end + 24));
  return m && NAME_SUFFIX.test(m[0]) ? m[0].slice(1).toLowerCase() : undefined;
}

export function isCapitalised(word: string): boolean {
  const first = word.charAt(0);
  return first !== first.toLowerCase() && first === first.toUpperCase();
}

// "outside al-Shuhayl", "the al-Rawda mosque": an Arabic article before a capitalised name.
export const ARTICLE_NAME = /^(?:al|el|ad|an|ar|as|ash|at|az)[-‐‑]\p{Lu}/u;

/** No lower-case letter at all: ISKP, U.S, FBI, ISIS-K. */
export function isAllCaps(word: string): boolean {
  return /\p{Lu}/u.test(word) && !/\p{Ll}/u.test(word);
}

/** Which tokens earlier hits already cover (1 at each), so a later scan does not claim them again. */
export function tokensTaken(
  tokens: readonly Token[],
  hits: readonly { from: number; to: number }[],
): Uint8Array {
  const taken = new Uint8Array(tokens.length);
  for (const h of hits) for (let k = h.from; k < h.to; k++) taken[k] = 1;
  return taken;
}

/**
 * Words that begin place names in Arabic and other languages and that English word lists also
 * hold ("Um Sumeima", "Bir Hakeim", "Ras Lanuf", "Tel Abyad"): capitalised, they are part of a name.
 */
export const NAME_PREFIXES: ReadonlySet<string> = new Set([
  'um',
  'umm',
  'abu',
  'bir',
  'ain',
  'ras',
  'tel',
  'tell',
  'kafr',
  'beit',
  'bani',
  'wadi',
  'jebel',
  'jabal',
  'deir',
  'dar',
  'sidi',
  'ban',
  'san',
  'santa',
]);

// "North Waziristan", "Far North region": a capitalised compass word that begins a place's name.
const COMPASS = new Set([
  'north',
  'south',
  'east',
  'west',
  'northern',
  'southern',
  'eastern',
  'western',
  'upper',
  'lower',
  'central',
  'far',
]);

/**
 * How many capitalised compass words begin a name at token i (0 when none): they count as part
 * of the name only before a word that is itself name-like ("North Waziristan") or, all compass,
 * before a unit ("Far North region"). Alone ("Central" before a known "Sulawesi") they are not.
 * `nameAt(k)`: token k is free (no earlier hit holds it) and name-like.
 */
export function compassLead(
  tokens: readonly Token[],
  i: number,
  nameAt: (k: number) => boolean,
  unit: ReadonlySet<string>,
): number {
  let k = i;
  while (
    k < tokens.length &&
    k - i < 2 &&
    COMPASS.has(tokens[k]?.fold ?? '') &&
    isCapitalised(tokens[k]?.text ?? '')
  )
    k++;
  if (k === i) return 0;
  if (nameAt(k) || unit.has(tokens[k]?.fold ?? '')) return k - i;
  return 0;
}

/** Capitalised words that follow "in" or "at" and are no places: days, months, feasts. */
export const NOT_PLACE_NAMES: ReadonlySet<string> = new Set([
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
  'january',
  'february',
  'march',
  'april',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
  // "at Christmas in 2016", "in Ramadan last year": feasts, not places.
  'christmas',
  'easter',
  'eid',
  'ramadan',
  'diwali',
  'passover',
  'hanukkah',
  'ashura',
  'nowruz',
]);

// "in Austrian town", "a Christian village": a people's or a faith's adjective, not a name.
export const PEOPLES_ADJECTIVE =
  /^(?:\p{Lu}\p{L}+(?:ian|ean|ese|ish|ite)|Pakistani|Iraqi|Afghan|Somali|Yemeni|Israeli|Saudi|Omani|Qatari|Kuwaiti|Bangladeshi|Nepali|Thai|Arab|Muslim|Hindu|Sunni|Shia|Shiite|Druze|Yazidi|Fulani|Hausa|Tuareg|Dogon|Kurd|Jewish)$/u;
