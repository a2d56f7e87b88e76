/** A sentence of the text: [start, end) with surrounding white space left out. */
export interface Sentence {
  start: number;
  end: number;
}

// Words after which a period does not end a sentence (titles, months, initials of countries).
const ABBREVIATIONS = new Set(
  (
    'mr mrs ms dr gen lt col sgt capt maj cmdr adm st jr sr gov sen rep prof rev no vs etc approx est ' +
    'jan feb mar apr jun jul aug sep sept oct nov dec inc ltd co corp dept mt ft fig al e.g i.e ' +
    'u.s u.k u.n e.u u.s.a'
  ).split(' '),
);

const BOUNDARY = /([.!?…]+)(["”’')\]]*)(\s+|(?=[A-Z][a-z]))/g;

/**
 * Splits at line breaks and at sentence-ending punctuation followed by space (or run straight
 * into a capitalised word, as pasted text often is), except after known abbreviations and
 * single-letter initials. Offsets are into `text`.
 */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  const push = (a: number, b: number) => {
    let s = a;
    let e = b;
    while (s < e && /\s/.test(text.charAt(s))) s++;
    while (e > s && /\s/.test(text.charAt(e - 1))) e--;
    if (e > s) out.push({ start: s, end: e });
  };
  let lineStart = 0;
  const lines = text.split('\n');
  for (const line of lines) {
    let from = 0;
    BOUNDARY.lastIndex = 0;
    for (let m = BOUNDARY.exec(line); m !== null; m = BOUNDARY.exec(line)) {
      const at = m.index;
      if ((m[3] ?? '') === '' && (m[1] ?? '') !== '.') continue;
      const before = /([\p{L}.]+)$/u.exec(line.slice(Math.max(0, at - 12), at))?.[1] ?? '';
      const word = before.toLowerCase();
      // "shortly after 10 p.m. His son was hit": a time's "p.m." can end a sentence; not before a
      // day or a zone ("at 10 p.m. Sunday", "9 a.m. GMT").
      const clock =
        /^[ap]\.m$/i.test(word) &&
        /^\s+\p{Lu}/u.test(line.slice(at + 1)) &&
        !/^\s+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|^\s+(?:GMT|UTC|local|[A-Z]{2,4}T)\b/.test(
          line.slice(at + 1),
        );
      if (
        m[1] === '.' &&
        !clock &&
        (ABBREVIATIONS.has(word) || /^\p{L}$/u.test(before) || /\.\p{L}$/u.test(before))
      )
        continue;
      // "official.Following": only a lower-case word runs into the next sentence, never a name.
      if ((m[3] ?? '') === '' && !/\p{Ll}{2}$/u.test(before)) continue;
      const end = at + (m[1]?.length ?? 0) + (m[2]?.length ?? 0);
      push(lineStart + from, lineStart + end);
      from = end;
    }
    push(lineStart + from, lineStart + line.length);
    lineStart += line.length + 1;
  }
  return out;
}

/** The sentence holding offset `at` (binary search over `splitSentences`' output). */
export function sentenceAt(sentences: readonly Sentence[], at: number): Sentence | undefined {
  let lo = 0;
  let hi = sentences.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = sentences[mid] as Sentence;
    if (at < s.start) hi = mid - 1;
    else if (at >= s.end) lo = mid + 1;
    else return s;
  }
  return undefined;
}
