import * as chrono from 'chrono-node';
import type { StatedDate } from './osint-types.js';

const DATE_WORD =
  /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b(mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(19|20)\d\d\b|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\b(yesterday|today|tonight)\b|\bthis (morning|afternoon|evening)\b|\b(last|this|next) (week|month|year)\b/i;
// "on the night of 5 February": chrono reads "night of" as a time of today; the date is what follows.
const PART_OF_DAY = /\b(?:the\s+)?(?:night|morning|evening|afternoon|early hours)\s+of\s+/gi;
export const DAY_MS = 86_400_000;
// "arrested a man on Saturday", "found guilty on Tuesday": the date of a police or court step,
// not of the attack the sentence is also about.
const PROCEDURE =
  /\b(arrested|detained|captured|apprehended|charged|convicted|sentenced|guilty|jailed|acquitted|indicted|extradited|raided|searched|upheld|overturned|quashed)\b[^.;]{0,40}$/i;

// "ADEN, March 10 —", "BELEDWEYNE, Somalia, Feb 9 —": a dateline's date is the day of the
// report, not of what the sentence after it reports.
const DATELINE =
  /^\s*\p{Lu}[\p{Lu} .'’-]+,(?:\s*\p{Lu}[\p{L} .'’-]*,)?[^—–\n]{0,24}?(?:\(\p{L}+\)\s*)?(?:[—–]|\s-\s)/u;

// "TEHRAN —", "COTONOU —": a city in capitals and a dash, with neither country nor date.
const BARE_DATELINE = /^\s*\p{Lu}[\p{Lu}'’.-]+(?: \p{Lu}[\p{Lu}'’.-]+){0,2}\s+[—–]\s/u;

/** How many characters of a sentence its dateline takes ("QUETTA, Pakistan, Feb 28 —"), 0 if none. */
export function datelineLength(sentence: string): number {
  return (DATELINE.exec(sentence) ?? BARE_DATELINE.exec(sentence))?.[0].length ?? 0;
}

const PROCEDURE_NEXT =
  /^\s*,?\s*(?:it\s+|he\s+|she\s+|they\s+)?(?:arrested|detained|charged|convicted|sentenced|found|jailed|acquitted|indicted|extradited|raided|searched|upheld|overturned|quashed|dismissed|rejected|ruled)\b/i;

// "on the 17th instant", "on the 3rd", "on the 28th ultimo": not "on the 3rd of May" (chrono's).
const ORDINAL_DAY =
  /\bon\s+the\s+([1-9]|[12]\d|3[01])(?:st|nd|rd|th)\b(\s+(?:instant|inst\.|ultimo|ult\.))?(?!\s+(?:of\s+)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|this|last|that))/gi;

function iso(y: number, m: number, d?: number): string {
  const ym = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
  return d === undefined ? ym : `${ym}-${String(d).padStart(2, '0')}`;
}

/** A date the sentence states and where it stands in the sentence. */
interface DateAt {
  date: StatedDate;
  at: number;
}

/** Every date a sentence states, in order, each as precisely as it is stated (see statedDate). */
function statedDates(sentence: string, published: Date | undefined): DateAt[] {
  const text = sentence.replace(PART_OF_DAY, (m) => ' '.repeat(m.length));
  const results = chrono.parse(text, published ?? new Date(Date.UTC(2000, 0, 1)));
  const dateline = datelineLength(text);
  const out: DateAt[] = [];
  let previousEnd = -1;
  for (const r of results) {
    // "February last year": the year was read with the month before it.
    const consumed =
      previousEnd >= 0 &&
      /^(?:last|this) year$/i.test(r.text) &&
      /^\s+(?:of\s+)?$/.test(text.slice(previousEnd, r.index));
    previousEnd = r.index + r.text.length;
    if (consumed) continue;
    // A date the text names, not a duration or a time of day ("after 30 hours", "at 10:30").
    if (!DATE_WORD.test(r.text)) continue;
    // "province of La Mar", "Theresa May": a month's name alone after a capitalised word is a
    // name's end, not a month.
    if (
      /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?[,;]?$/i.test(r.text) &&
      /(?:^|\s)(?!(?:In|On|By|Since|Until|From|Last|Next|Early|Late|Mid|This|That|Before|After|During|Through|Between|And|Or|Of)\s)\p{Lu}[\p{L}'’-]*\s$/u.test(
        text.slice(Math.max(0, r.index - 20), r.index),
      )
    )
      continue;
    // "in Junín": chrono's word boundary is ASCII, so it reads "Jun" inside a name.
    if (/^\p{L}/u.test(text.slice(r.index + r.text.length)) || /\p{L}$/u.test(text.slice(0, r.index)))
      continue;
    // "In October 2021 ... struck Friday prayers", "In February 2024 ... during Sunday Mass": a
    // weekday naming a prayer or a service is that month's, not
    // the week of publication ("during Friday prayers" alone is the day it happened).
    if (
      /^\s+(?:prayers?|Mass|service|sermon|worship)\b/i.test(text.slice(r.index + r.text.length)) &&
      /day$/i.test(r.text) &&
      results.some((o) => o !== r && o.start.isCertain('year'))
    )
      continue;
    // "a bomb went off during a Sunday service", "the Friday market": a weekday that says what
    // kind of thing, not when.
    if (
      /^\p{L}+day$/iu.test(r.text) &&
      /\b(?:a|an|the|its|their|his|her)\s+$/i.test(text.slice(Math.max(0, r.index - 6), r.index))
    )
      continue;
    // "last week", "this weekend": no day a reader could name.
    if (/\b(?:week|weekend)\b/i.test(r.text)) continue;
    if (procedureBefore(text.slice(0, r.index))) continue;
    // "officials said on Monday": the day it was told, not the day it happened.
    if (
      /\b(?:said|says|told|announced|reported|confirmed|added|stated)\s+(?:(?:late|early)\s+)?(?:on\s+)?$/i.test(
        text.slice(Math.max(0, r.index - 30), r.index),
      )
    )
      continue;
    if (r.index + r.text.length <= dateline) continue;
    // "– press release, 27 September 2026, 11:40", "Statement of 3 May": when it was told.
    if (
      /\b(?:press\s+release|statement|communiqu[eé]|bulletin|update|briefing|report)(?:\s+(?:of|dated|issued))?,?\s+(?:on\s+)?$/i.test(
        text.slice(Math.max(0, r.index - 30), r.index),
      )
    )
      continue;
    // "A court on Tuesday convicted eight over the attack in Nice on 14 July 2016".
    if (PROCEDURE_NEXT.test(text.slice(r.index + r.text.length))) continue;
    // "the 2019 peace agreement ...; in May of that year": the year the sentence named before.
    const thatYear = /^\s+(?:of\s+)?(?:that|the\s+same)\s+year\b/i.test(text.slice(r.index + r.text.length))
      ? [...text.slice(0, r.index).matchAll(/\b(?:19|20)\d\d\b/g)].pop()?.[0]
      : undefined;
    // "in February last year", "in March this year": the month of that year.
    const rel = /^\s+(?:of\s+)?(last|this)\s+year\b/i.exec(text.slice(r.index + r.text.length));
    const relYear =
      rel && published && r.start.isCertain('month') && !r.start.isCertain('year')
        ? String(published.getUTCFullYear() - (rel[1]?.toLowerCase() === 'last' ? 1 : 0))
        : undefined;
    // "this morning": the day of publication, which chrono reads as a time of day.
    const thisDay =
      published && /^this (?:morning|afternoon|evening)$/i.test(r.text)
        ? published.toISOString().slice(0, 10)
        : undefined;
    const date =
      thisDay ??
      (relYear !== undefined
        ? iso(
            Number(relYear),
            r.start.get('month') ?? 1,
            r.start.isCertain('day') ? (r.start.get('day') ?? 1) : undefined,
          )
        : thatYear && r.start.isCertain('month')
          ? iso(
              Number(thatYear),
              r.start.get('month') ?? 1,
              r.start.isCertain('day') ? (r.start.get('day') ?? 1) : undefined,
            )
          : calendarDate(r.start, published));
    if (date) out.push({ date, at: r.index });
  }
  // "on the 17th instant", "on the 3rd": a day of the month of publication (of the month before
  // if that day is still to come, or with "ultimo").
  if (published)
    for (const m of text.matchAll(ORDINAL_DAY)) {
      if (out.some((d) => Math.abs(d.at - m.index) < 12)) continue;
      const day = Number(m[1]);
      let y = published.getUTCFullYear();
      let mo = published.getUTCMonth() + 1;
      if (/ultimo/i.test(m[2] ?? '') || day > published.getUTCDate()) {
        mo -= 1;
        if (mo === 0) {
          mo = 12;
          y -= 1;
        }
      }
      if (day >= 1 && day <= 31) out.push({ date: iso(y, mo, day), at: m.index });
    }
  out.sort((a, b) => a.at - b.at);
  // "in the last days of 2024", "at the end of 2023": its December.
  const yearEnd = /\b(?:(?:last|final|closing)\s+(?:days|weeks)|end)\s+of\s+(19[5-9]\d|20\d\d)\b/i.exec(
    sentence,
  );
  if (yearEnd?.[1]) {
    out.push({ date: `${yearEnd[1]}-12`, at: yearEnd.index });
    out.sort((a, b) => a.at - b.at);
  }
  // "in 2019", "the 2020 murder", "in the summer of 2019": a year chrono does not read as a date.
  // Beside chrono's dates only "in 2019", so that the act's own clause can hold it ("early this
  // year, weeks after fighters stormed a base in 2024").
  const inYear = /\bin\s+(19[5-9]\d|20\d\d)\b(?!\s*[-–,]?\s*\d)/i.exec(sentence);
  if (
    out.length > 0 &&
    inYear?.[1] &&
    !out.some((d) => Math.abs(d.at - inYear.index) < 12) &&
    !procedureBefore(text.slice(0, inYear.index))
  ) {
    out.push({ date: inYear[1], at: inYear.index });
    out.sort((a, b) => a.at - b.at);
  }
  if (out.length === 0) {
    // "captured by troops in 2023": the year of a police step, as for chrono's dates.
    const plainYear = /\bin\s+(19[5-9]\d|20\d\d)\b/i.exec(sentence);
    const year =
      (plainYear && !procedureBefore(text.slice(0, plainYear.index)) ? plainYear : null) ??
      // "the 2020 murder", "the insurgents' 2021 assault on Palma".
      /\b(?:the|its|their|\p{L}+['’]s?)\s+(19[5-9]\d|20\d\d)\s+\p{L}/u.exec(sentence) ??
      /\b(?:spring|summer|autumn|fall|winter)\s+(?:of\s+)?(19[5-9]\d|20\d\d)\b/i.exec(sentence);
    if (year?.[1]) out.push({ date: year[1], at: year.index });
  }
  return out;
}

/** The day, month or year chrono read, resolved against the publication date where it must be. */
function calendarDate(s: chrono.ParsedComponents, published: Date | undefined): StatedDate | undefined {
  const yearKnown = s.isCertain('year');
  if (!yearKnown && !published) return undefined;
  let y = s.get('year') ?? 0;
  const mo = s.get('month') ?? 1;
  const d = s.get('day') ?? 1;
  if (s.isCertain('weekday') && !s.isCertain('day') && published) {
    let at = s.date();
    while (at.getTime() > published.getTime() + DAY_MS) at = new Date(at.getTime() - 7 * DAY_MS);
    return at.toISOString().slice(0, 10);
  }
  if (!yearKnown && published) {
    // "on 3 March" in an article of 10 February 2024 is 3 March 2023.
    const first = Date.UTC(y, mo - 1, s.isCertain('day') ? d : 1);
    if (first > published.getTime() + DAY_MS) y -= 1;
  }
  if (s.isCertain('day')) return iso(y, mo, d);
  if (s.isCertain('month')) return iso(y, mo);
  if (yearKnown) return String(y).padStart(4, '0');
  return undefined;
}

/**
 * The date a sentence states, as precisely as it states it. Relative dates ("on Friday",
 * "last month", "on 3 January") need the article's publication date; without it only dates
 * with a year count. News reports what happened: a date without a year, or a weekday, is the
 * latest such date up to the publication date, never one after it. The date of an arrest or a
 * verdict is not the date of what the sentence reports. Given where the event is told in the
 * sentence (`near`), the date nearest it: "a court on Thursday upheld the sentence of a man who
 * shot dead four people in March 2019" dates the shooting by "March 2019".
 */
export function statedDate(
  sentence: string,
  published: Date | undefined,
  near?: number,
): StatedDate | undefined {
  const dates = statedDates(sentence, published);
  if (near === undefined) return dates[0]?.date;
  if (dates.length < 2) return dates[0] && dayBefore(dates[0], sentence, near);
  // "... early this year, after its fighters stormed a base at Dharjaale in the last days of
  // 2024": the date that follows the act in its own clause is the act's.
  const own = dates.find((d) => d.at > near && !/[,;]/.test(sentence.slice(near, d.at)));
  if (own) return own.date;
  let best = dates[0] as DateAt;
  for (const d of dates) if (Math.abs(d.at - near) < Math.abs(best.at - near)) best = d;
  return dayBefore(best, sentence, near);
}

const DAYS_AFTER: Record<string, number> = { a: 1, one: 1, the: 1, two: 2, three: 3 };

/** "A woman died on Sunday, a day after a man stabbed three people": the act was the day before. */
function dayBefore(d: DateAt, sentence: string, near: number): StatedDate {
  if (d.at >= near || !/^\d{4}-\d\d-\d\d$/.test(d.date)) return d.date;
  const m = /\b(a|one|the|two|three)\s+days?\s+after\b[^,;.]{0,60}$/i.exec(sentence.slice(d.at, near));
  const back = m ? DAYS_AFTER[(m[1] ?? '').toLowerCase()] : undefined;
  if (!back) return d.date;
  return new Date(Date.parse(`${d.date}T00:00:00Z`) - back * DAY_MS).toISOString().slice(0, 10);
}

// Who raids as a procedure: "police raided a flat on Tuesday"; "militants raided a post" is an attack.
const ENFORCERS =
  /\b(?:police|officers|agents|detectives|investigators|troops|soldiers|security forces|army|forces)\b[^.;]{0,30}$/i;

function procedureBefore(before: string): boolean {
  const m = PROCEDURE.exec(before);
  if (!m) return false;
  return m[1]?.toLowerCase() !== 'raided' || ENFORCERS.test(before.slice(0, m.index));
}
