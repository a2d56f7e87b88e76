import type { EntityHit } from './entity-scan.js';
import type { Token } from './text-tokens.js';
import { isCapitalised } from './text-tokens.js';

/**
 * Bodies of a state no list holds, named by the word that says what they are: "Spain's National
 * Police", "the Interior Ministry", "the National Court in Madrid", "the Kenya Defence Forces",
 * "the Central Reserve Police Force". The head must be title-cased (the text treats it as a
 * name: "Niger's interior ministry" is a description) and follow one to three capitalised
 * words; a body the gazetteer knows, or a group, keeps its own hit.
 */

// Head words, last word first: [the words, STIX industry sector].
const HEADS: readonly (readonly [readonly string[], string])[] = [
  [['ministry'], 'government-national'],
  [['police'], 'law-enforcement'],
  [['police', 'force'], 'law-enforcement'],
  [['police', 'service'], 'law-enforcement'],
  [['gendarmerie'], 'law-enforcement'],
  [['guard'], 'defense'],
  [['court'], 'government-national'],
  [['defence', 'forces'], 'defense'],
  [['defense', 'forces'], 'defense'],
  [['armed', 'forces'], 'defense'],
  [['security', 'service'], 'government-national'],
  [['intelligence', 'service'], 'government-national'],
  [['intelligence', 'agency'], 'government-national'],
  [["prosecutor's", 'office'], 'law-enforcement'],
  [['police', 'authority'], 'law-enforcement'],
  [['authority'], 'government-national'],
  [['task', 'force'], 'defense'],
  [['battalion'], 'defense'],
  [['air', 'force'], 'defense'],
  // "the United States Africa Command", "the Western Naval Command".
  [['command'], 'defense'],
  [['police', 'office'], 'law-enforcement'],
  [['prosecutor', 'general'], 'law-enforcement'],
  [['department'], 'government-national'],
  [['committee'], 'government-national'],
  [['organisation'], 'government-national'],
  [['organization'], 'government-national'],
];
// The heads by their last word: a token is tried only against heads that could end at it.
const BY_LAST = new Map<string, (typeof HEADS)[number][]>();
for (const h of HEADS) {
  const last = h[0][h[0].length - 1] as string;
  BY_LAST.set(last, [...(BY_LAST.get(last) ?? []), h]);
}
const LONGER = new Set(HEADS.filter(([w]) => w.length > 1).map(([w]) => w.join(' ')));
// Capitalised words that start a sentence or a title rather than a name.
const NOT_MODIFIERS = new Set([
  'the',
  'a',
  'an',
  'its',
  'their',
  'his',
  'her',
  'our',
  'this',
  'that',
  'and',
  'of',
]);
const MAX_MODIFIERS = 3;
// "the Republic of Mozambique": words a state's own name has before its "of".
const STATE_WORDS = new Set(['republic', 'kingdom', 'federation', 'emirate', 'sultanate', 'principality']);

/** Token-level taken marks: 1 a place, 2 a group or a known body (see scanEntities). */
export function scanOrgCues(text: string, tokens: readonly Token[], taken: Uint8Array): EntityHit[] {
  const out: EntityHit[] = [];
  const gap = (a: number) => text.slice((tokens[a] as Token).end, (tokens[a + 1] as Token).start);
  for (let end = 1; end < tokens.length; end++) {
    const heads = BY_LAST.get((tokens[end] as Token).fold.replace('’', "'"));
    if (!heads) continue;
    for (const [words, sector] of heads) {
      const first = end - words.length + 1;
      if (first < 1) continue;
      let head = true;
      for (let k = 0; k < words.length; k++) {
        const t = tokens[first + k] as Token;
        if (t.fold.replace('’', "'") !== words[k] || !isCapitalised(t.text) || taken[first + k]) head = false;
        if (k > 0 && gap(first + k - 1) !== ' ') head = false;
      }
      // "Central Reserve Police Force": the longer head, at its own last word.
      const next = tokens[end + 1];
      if (words.length === 1 && next && gap(end) === ' ' && LONGER.has(`${words[0]} ${next.fold}`))
        head = false;
      // "the Mandan Police Station": a building named after its body is a place.
      if (
        next &&
        gap(end) === ' ' &&
        /^(?:station|post|academy|lines|headquarters|checkpoint|barracks)$/.test(next.fold)
      )
        head = false;
      if (!head) continue;
      // The name's own words before the head: capitalised, joined by single spaces; a country
      // the text names there ("the Kenya Defence Forces") is part of the name.
      let from = first;
      while (from > 0 && first - from < MAX_MODIFIERS) {
        const t = tokens[from - 1] as Token;
        if (gap(from - 1) !== ' ' || !isCapitalised(t.text) || NOT_MODIFIERS.has(t.fold)) break;
        if (taken[from - 1] === 2 || /\d/.test(t.text) || /^\p{Lu}+$/u.test(t.text)) break;
        from--;
      }
      // "the Federal Court of Justice", "the Ministry of Migration and Displacement": what the
      // body is of, in capitals, belongs to its name (and names it with no word before the head).
      let last = end;
      if (tokens[end + 1]?.fold === 'of' && gap(end) === ' ') {
        // "the Armed Forces of the Philippines": a country named with its article.
        const article = tokens[end + 2]?.fold === 'the' && gap(end + 1) === ' ' ? 1 : 0;
        let k = end + 2 + article;
        while (
          k < tokens.length &&
          gap(k - 1) === ' ' &&
          (isCapitalised((tokens[k] as Token).text) ||
            ((tokens[k] as Token).fold === 'and' && k > end + 2) ||
            // "... of the Democratic Republic of the Congo": a country's own "of the".
            // "... of the Republic of Mozambique": and one before the country's name.
            (/^(?:of|the)$/.test((tokens[k] as Token).fold) &&
              k > end + 2 &&
              (taken[k] === 1 || STATE_WORDS.has((tokens[k - 1] as Token).fold)))) &&
          taken[k] !== 2
        )
          k++;
        while (k > end + 2 + article && /^(?:and|of|the)$/.test((tokens[k - 1] as Token).fold)) k--;
        if (k > end + 2 + article) last = k - 1;
      }
      if (from === first && last === end) continue;
      const start = (tokens[from] as Token).start;
      const stop = (tokens[last] as Token).end;
      out.push({
        entry: { kind: 'organisation', name: text.slice(start, stop), sector },
        start,
        end: stop,
        from,
        to: last + 1,
        rule: 'identity:named-by-kind',
        confidence: 0.6,
      });
      for (let k = from; k <= last; k++) taken[k] = 2;
      break;
    }
  }
  return out;
}
