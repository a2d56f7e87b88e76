import type { Sentence } from './text-sentences.js';

// Where a sentence goes on to tell a second event, so that each clause is read as its own.

// ", and in May 2022 eight soldiers were killed ...", ", and early the following month they
// shot dead 36 ...": a second event told in the same sentence after a new time.
const SECOND_EVENT =
  /,\s+and\s+(?:(?:of|to|about|after|before|since)\s+)?(?=the\s+(?:[\p{L}-]+\s+)?(?:attack|bombing|shooting|massacre|ambush|raid|killing|abduction|kidnapping|assault)\s+(?:of|on|at|in)\b|(?:(?:early|late|later|then)\s+)?(?:in\s+(?:January|February|March|April|May|June|July|August|September|October|November|December|(?:19|20)\d\d)\b|on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|on\s+\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\b|the\s+(?:following|next)\s+(?:day|week|month|year)\b|(?:a|one|two|three)\s+(?:days?|weeks?|months?|years?)\s+later\b))/gu;
// "ISWAP overruns army base in Gajiram as Boko Haram kills 11 fishermen near Kukawa": a second
// act, by a named actor, told in the same breath.
const AS_EVENT =
  /\s+as\s+(?=(?:\p{Lu}[\p{L}'’-]*\s+){1,4}(?:kills?|killed|attacks?|attacked|storms?|stormed|bombs?|bombed|abducts?|abducted|kidnaps?|kidnapped|raids?|raided|ambush(?:es|ed)?|strikes?|struck)\b)/gu;
// "... killing 32 worshippers; two weeks later another attack in Quetta killed 12": a clause
// after a semicolon that tells a later or another act.
const SEMICOLON_EVENT =
  /;\s+(?=(?:(?:a|one|two|three|four|five|six)\s+(?:days?|weeks?|months?)\s+later|the\s+(?:next|following)\s+(?:day|week|month)|another\s+(?:[\p{L}-]+\s+)?(?:attack|bombing|blast|raid|ambush|shooting)|in\s+(?:January|February|March|April|May|June|July|August|September|October|November|December|(?:19|20)\d\d)\b(?!\s+of\s+(?:that|the\s+same)\s+year)))/giu;
/** The sentences, each cut where it goes on to tell a second event (SECOND_EVENT). */
export function clausesOf(text: string, sentences: readonly Sentence[]): Sentence[] {
  const out: Sentence[] = [];
  for (const [n, s] of sentences.entries()) {
    let from = s.start;
    const body = text.slice(s.start, s.end);
    // "Three policemen martyred in Bannu attack; four FC men killed in Mastung blast": a headline
    // joins two stories with a semicolon.
    if (n === 0 && text.includes('\n') && !/[.!?"”]$/.test(body) && body.includes(';')) {
      const at = body.indexOf(';');
      out.push({ ...s, end: s.start + at });
      from = s.start + at + 1;
      while (/\s/.test(text.charAt(from))) from++;
    }
    const cuts = [
      ...body.matchAll(SECOND_EVENT),
      ...body.matchAll(AS_EVENT),
      ...body.matchAll(SEMICOLON_EVENT),
    ].sort((a, b) => a.index - b.index);
    for (const m of cuts) {
      out.push({ ...s, start: from, end: s.start + m.index });
      from = s.start + m.index + m[0].length;
    }
    out.push({ ...s, start: from, end: s.end });
  }
  return out;
}
