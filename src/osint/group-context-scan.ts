import type { GazetteerEntry } from './gazetteer-index.js';
import { isCapitalised, type Token } from './text-tokens.js';

/**
 * Groups no list holds, named where the text itself says they are a group: "The Balochistan
 * Liberation Army, an ethnic separatist group, ...", "to Arid Viper, a group it has linked to
 * Hamas", "the militant group Jaish al-Adl". The name is one to five capitalised words (with
 * "of", "for", "the", "al" inside); a name the gazetteer already knows as a group or an
 * organisation is left to it.
 */
export interface GroupContextHit {
  entry: Extract<GazetteerEntry, { kind: 'group' }>;
  from: number;
  to: number;
}

// What a text calls a group in apposition: "X, a separatist group", "X, an armed movement".
const GROUP_NOUNS = new Set([
  'group',
  'groups',
  'movement',
  'militia',
  'faction',
  'organisation',
  'organization',
  'insurgency',
  'outfit',
]);
// Words before "group" that make the next name one: "the militant group X".
const GROUP_KINDS = new Set([
  'militant',
  'armed',
  'rebel',
  'separatist',
  'jihadist',
  'extremist',
  'terrorist',
  'insurgent',
  'hacker',
  'hacking',
  'hacktivist',
  'paramilitary',
]);
// Words that make "X, a member of the group" or "X, a leader of the group" a person, not a group.
const NOT_BETWEEN = new Set(['of', 'member', 'members', 'leader', 'commander', 'spokesman', 'founder']);
const ARMED_HEADS = new Set([
  'army',
  'front',
  'brigades',
  'brigade',
  'movement',
  'mujahideen',
  'battalion',
  'tigers',
]);
const CLAIMED = /^\s+(?:responsibility|the\s+(?:\w+\s+)?(?:attacks?|bombings?|killings?|assault|ambush))\b/i;
const INNER = new Set(['of', 'for', 'the', 'al', 'el', 'wal', 'and']);
const MAX_NAME = 5;
const MAX_BETWEEN = 4;

function nameWord(t: Token | undefined): boolean {
  // "al-Tavir", "el-Fatah": an article joined to a capitalised word.
  return t !== undefined && (isCapitalised(t.text) || /^(?:al|el|ad|ar|as|an|ash)-\p{Lu}/u.test(t.text));
}

function single(text: string, a: Token, b: Token): boolean {
  const gap = text.slice(a.end, b.start);
  return gap === ' ' || gap === '-';
}

/** The capitalised name that ends at token `end` (exclusive), reading back. */
function nameBefore(text: string, tokens: readonly Token[], end: number): number | undefined {
  let from = end;
  while (from > 0 && end - from < MAX_NAME) {
    const t = tokens[from - 1] as Token;
    const next = tokens[from] as Token | undefined;
    if (from < end && next && !single(text, t, next)) break;
    if (nameWord(t) || (INNER.has(t.fold) && from < end && from - 1 > 0 && nameWord(tokens[from - 2])))
      from--;
    else break;
  }
  while (from < end && (INNER.has((tokens[from] as Token).fold) || (tokens[from] as Token).fold === 'the'))
    from++;
  // "the 10th Front, a faction of dissidents": a numbered front's number is its name's.
  const ordinal = tokens[from - 1];
  if (
    from < end &&
    ordinal &&
    /^\d{1,3}(?:st|nd|rd|th)$/i.test(ordinal.text) &&
    single(text, ordinal, tokens[from] as Token)
  )
    from--;
  return from < end ? from : undefined;
}

/** The capitalised name that starts at token `from`, reading on. */
function nameAfter(text: string, tokens: readonly Token[], from: number): number | undefined {
  let to = from;
  while (to < tokens.length && to - from < MAX_NAME) {
    const t = tokens[to] as Token;
    if (to > from && !single(text, tokens[to - 1] as Token, t)) break;
    if (nameWord(t) || (INNER.has(t.fold) && to > from && nameWord(tokens[to + 1]))) to++;
    else break;
  }
  return to > from && nameWord(tokens[to - 1]) ? to : undefined;
}

function hitOf(text: string, tokens: readonly Token[], from: number, to: number): GroupContextHit {
  const name = text.slice((tokens[from] as Token).start, (tokens[to - 1] as Token).end);
  return {
    entry: { kind: 'group', name, aliases: [name], stixType: 'intrusion-set', source: 'text:called-a-group' },
    from,
    to,
  };
}

export function scanGroupContext(text: string, tokens: readonly Token[]): GroupContextHit[] {
  const out: GroupContextHit[] = [];
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    // "X, a/an [up to four words] group"; "X, the [words] organisation," (then the noun must end
    // the apposition: "X, the group's spokesman" is a person).
    const article = t.fold === 'a' || t.fold === 'an' || t.fold === 'the';
    if (article && /^,\s$/.test(text.slice((tokens[i - 1] as Token).end, t.start))) {
      let k = i + 1;
      while (k < tokens.length && k - i <= MAX_BETWEEN && !GROUP_NOUNS.has((tokens[k] as Token).fold)) {
        if (NOT_BETWEEN.has((tokens[k] as Token).fold)) break;
        k++;
      }
      const noun = tokens[k];
      if (!noun || !GROUP_NOUNS.has(noun.fold)) continue;
      // "X, the insurgent movement that has fought ..." ends there too.
      if (
        t.fold === 'the' &&
        !/^(?:[,.;)]| (?:that|which|whose|behind)\b)/.test(text.slice(noun.end, noun.end + 8))
      )
        continue;
      let from = nameBefore(text, tokens, i);
      // "the Sahel and Lakurawa, an armed group": the apposition is the last of two names; a
      // name with other inner words keeps its "and" ("Movement for Oneness and Jihad ...").
      if (from !== undefined) {
        const inner = tokens.slice(from, i - 1).filter((w) => INNER.has(w.fold));
        if (inner.length === 1 && inner[0]?.fold === 'and') from = tokens.indexOf(inner[0], from) + 1;
        out.push(hitOf(text, tokens, from, i));
      }
      continue;
    }
    // "The Balochistan Liberation Army claimed the attacks": a name ending in an armed group's
    // word that claims an attack (a state's army does not claim attacks, it reports them).
    if (t.fold === 'claimed' && CLAIMED.test(text.slice(t.end, t.end + 40))) {
      const from = nameBefore(text, tokens, i);
      const head = tokens[i - 1];
      if (from !== undefined && head && ARMED_HEADS.has(head.fold) && i - from >= 2 && single(text, head, t))
        out.push(hitOf(text, tokens, from, i));
      continue;
    }
    // "the militant group X".
    if (GROUP_NOUNS.has(t.fold) && GROUP_KINDS.has(tokens[i - 1]?.fold ?? '')) {
      // One space, on the same line ("terrorist organisation\nThe court" names nothing).
      const next = tokens[i + 1];
      const from = next && next.fold !== 'the' && /^,? $/.test(text.slice(t.end, next.start)) ? i + 1 : -1;
      const to = from > 0 ? nameAfter(text, tokens, from) : undefined;
      if (to !== undefined) out.push(hitOf(text, tokens, from, to));
    }
  }
  // "Burkina Faso: Islamist Armed Group Massacres Villagers": in a title-cased headline every
  // word is capitalised, so "group" is followed by words, not a name.
  return out.filter((h) => !titleCased(text, (tokens[h.from] as Token).start));
}

/** Whether the line holding offset `at` is a title-cased heading (most of its words capitalised). */
function titleCased(text: string, at: number): boolean {
  const start = text.lastIndexOf('\n', at) + 1;
  const nl = text.indexOf('\n', at);
  const line = text.slice(start, nl < 0 ? Math.min(text.length, start + 300) : Math.min(nl, start + 300));
  const words = line.match(/\p{L}[\p{L}'’-]{3,}/gu) ?? [];
  if (words.length < 4) return false;
  const capitalised = words.filter((w) => isCapitalised(w)).length;
  return capitalised / words.length >= 0.8;
}
