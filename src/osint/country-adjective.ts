import { isCapitalised, type Token } from './text-tokens.js';

/**
 * A country's short form is an adjective, not a place, before a noun it qualifies: "the U.S.
 * Army", "US sanctions", "UK officials"; "in the U.S. on Monday" and "the UK. The" name places.
 */
// Nouns a country's short form qualifies ("U.S. forces"): then it names no place.
const QUALIFIED = new Set([
  'military',
  'forces',
  'troops',
  'officials',
  'official',
  'government',
  'army',
  'navy',
  'embassy',
  'envoy',
  'sanctions',
  'authorities',
  'intelligence',
  'administration',
  'citizen',
  'citizens',
  'nationals',
  'national',
  'soldiers',
  'diplomats',
  'prosecutors',
  'officers',
  'drone',
  'air',
  'special',
  'strikes',
  'airstrikes',
  'counterterrorism',
  'court',
  'law',
]);

/** The token after a country's short form is a noun it qualifies: capitalised ("U.S. Army") or one of QUALIFIED. */
export function attributive(text: string, tokens: readonly Token[], next: number): boolean {
  const t = tokens[next];
  const prev = tokens[next - 1] as Token;
  // "U.S. Army": the dotted form's last period is its own; "UK. The" ends a sentence.
  if (!t) return false;
  const gap = text.slice(prev.end, t.start);
  if (!(gap === ' ' || (gap === '. ' && prev.text.includes('.')))) return false;
  return QUALIFIED.has(t.fold) || (isCapitalised(t.text) && !/^\p{Lu}{2,}$/u.test(t.text));
}
