import type { GroupContextHit } from './group-context-scan.js';
import { isCapitalised, joinedSuffixAt, type Token } from './text-tokens.js';

/**
 * Groups no list holds, named with a cue other than "a group" in apposition:
 * - a name whose last word only armed groups bear: "The Resistance Front", "the Kata'ib Nour
 *   Brigades", "the Sinaloa Cartel"; and "Forces" after two qualifiers none of which makes a
 *   state's forces ("Syrian Democratic Forces", "Rapid Support Forces", never "Israel Defense
 *   Forces" or "Afghan National Security Forces");
 * - the names a text lists after an armed plural: "22 gangs, including Los Choneros and Los
 *   Lobos", "militant groups such as Ansar Dine";
 * - "members of X", "fighters from X": one to four capitalised words none of which is a common
 *   English word (not "members of Parliament").
 * Places inside such a name are part of it; a name the gazetteer knows is left to it by the caller.
 */

// Heads only armed groups' names end in.
const ARMED_HEADS = new Set([
  'front',
  'brigades',
  'brigade',
  'battalions',
  'battalion',
  'mujahideen',
  'cartel',
  'gang',
  'militia',
  'militias',
]);
// Qualifiers that make "X Forces" a state's.
const STATE_FORCES = new Set([
  'security',
  'defence',
  'defense',
  'armed',
  'special',
  'air',
  'naval',
  'police',
  'border',
  'government',
  'coalition',
  'federal',
  'ground',
  'land',
  'self-defense',
  'self-defence',
  'operations',
  'u.s',
  'us',
  'uk',
  'nato',
]);
// Plurals after which a list names armed groups: "gangs, including ...".
const ARMED_PLURALS = new Set(['gangs', 'cartels', 'militias', 'factions']);
// "militant groups, including ..." needs one of these before "groups".
const ARMED_KINDS = new Set([
  'militant',
  'armed',
  'rebel',
  'jihadist',
  'extremist',
  'terrorist',
  'insurgent',
]);
const LIST_CUE = /^,?\s+(?:including|such as|among them|notably|like)\s+$/;
const MEMBER_WORDS = new Set([
  'members',
  'member',
  'fighters',
  'militants',
  'commanders',
  'leader',
  'leaders',
  'cell',
  'cells',
  // "a splinter of the Ejército del Pueblo Paraguayo (EPP)".
  'splinter',
  'offshoot',
  'faction',
  'affiliate',
]);
const ORDINAL =
  /^(?:First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|Eleventh|Twelfth|Thirteenth|Fourteenth|Fifteenth|Sixteenth|Seventeenth|Eighteenth|Nineteenth|Twentieth)$/;
const SPLIT_WORDS = new Set(['splinter', 'offshoot', 'faction', 'affiliate']);
const INNER = new Set(['of', 'the', 'al', 'el', 'de', 'del', 'la', 'los', 'las', 'des', 'du', 'wal']);
const MAX_NAME = 5;

function single(text: string, a: Token, b: Token): boolean {
  const gap = text.slice(a.end, b.start);
  return gap === ' ' || gap === '-';
}

// "al-Sham", "el-Fatah": an article joined to a capitalised word.
const JOINED_ARTICLE = /^(?:al|el|ad|ar|as|an|ash)-\p{Lu}/u;

function word(t: Token | undefined, common: ReadonlySet<string> | undefined): boolean {
  if (t && JOINED_ARTICLE.test(t.text)) return true;
  if (!t || !isCapitalised(t.text) || /\d/.test(t.text)) return false;
  return common === undefined || !common.has(t.fold);
}

/** "Agrupación Campesina Armada (ACA-EP)": a capitalised word, common or not, that ends a name before its short form. */
function beforeShortForm(text: string, t: Token): boolean {
  return isCapitalised(t.text) && /^ \(\p{Lu}[\p{Lu}\d-]{1,9}\)/u.test(text.slice(t.end, t.end + 14));
}

/** A run of capitalised words (with lower-case joiners inside) starting at `from`. */
function nameFrom(
  text: string,
  tokens: readonly Token[],
  from: number,
  common?: ReadonlySet<string>,
): number | undefined {
  let to = from;
  while (to < tokens.length && to - from < MAX_NAME) {
    const t = tokens[to] as Token;
    if (to > from && !single(text, tokens[to - 1] as Token, t)) break;
    // Joiners inside a name, one or two ("de la"), each followed at last by a name word.
    const joined =
      INNER.has(t.fold) &&
      to > from &&
      (word(tokens[to + 1], common) ||
        (INNER.has(tokens[to + 1]?.fold ?? '') && word(tokens[to + 2], common)));
    if (word(t, common) || joined || beforeShortForm(text, t)) to++;
    else break;
  }
  while (to > from && !word(tokens[to - 1], common) && !beforeShortForm(text, tokens[to - 1] as Token)) to--;
  return to > from ? to : undefined;
}

function hit(
  text: string,
  tokens: readonly Token[],
  from: number,
  to: number,
  rule: string,
): GroupContextHit {
  const name = text.slice((tokens[from] as Token).start, (tokens[to - 1] as Token).end);
  // "The Resistance Front": the article may be part of the name; it answers to both.
  const the = tokens[from - 1]?.fold === 'the' ? [`The ${name}`] : [];
  // "the Hafiz Gul Bahadur group": the word after the name is also how it is called.
  const after = tokens[to];
  const kind =
    after &&
    /^(?:group|faction|network|militia|movement)$/.test(after.text) &&
    text.slice((tokens[to - 1] as Token).end, after.start) === ' '
      ? [`${name} ${after.text}`]
      : [];
  return {
    entry: { kind: 'group', name, aliases: [name, ...the, ...kind], stixType: 'intrusion-set', source: rule },
    from,
    to,
  };
}

/** The capitalised name ending at `head` (inclusive), reading back; "The" at a sentence start is not in it. */
function nameEndingAt(text: string, tokens: readonly Token[], head: number): number {
  let from = head;
  while (from > 0 && head - from < MAX_NAME - 1) {
    const t = tokens[from - 1] as Token;
    // "The People's Anti-Fascist Front": a capitalised possessive after "the" begins the name
    // ("Bangladesh's Rapid Action Battalion", with no "the", is a country's).
    const possessive =
      /^['’]s $/.test(text.slice(t.end, (tokens[from] as Token).start)) &&
      isCapitalised(t.text) &&
      tokens[from - 2]?.fold === 'the';
    if (!single(text, t, tokens[from] as Token) && !possessive) break;
    if (t.fold === 'the') break;
    if (
      isCapitalised(t.text) ||
      (INNER.has(t.fold) && from - 2 >= 0 && isCapitalised(tokens[from - 2]?.text ?? ''))
    )
      from--;
    else break;
  }
  while (from < head && INNER.has((tokens[from] as Token).fold)) from++;
  return from;
}

// ", Réclamation et Réhabilitation (3R)": the rest of a name that holds commas, up to its short form.
const COMMA_NAME =
  /^(?:,\s+\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*)*)+,?\s+(?:et|and|y|e)\s+\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*)*(?=\s+\((?=\d*\p{Lu})[\p{Lu}\d]{2,7}\))/u;

/** Token index after a name that goes on with commas to its bracketed short form, else `to`. */
function commaNamed(text: string, tokens: readonly Token[], to: number): number {
  const end = (tokens[to - 1] as Token).end;
  const m = COMMA_NAME.exec(text.slice(end, end + 120));
  if (!m) return to;
  let k = to;
  while (k < tokens.length && (tokens[k] as Token).end <= end + m[0].length) k++;
  return k;
}

/** "the Allied Democratic Forces (ADF)": the short form defined beside the name is an alias. */
function withAcronym(text: string, h: GroupContextHit, tokens: readonly Token[]): GroupContextHit {
  const end = (tokens[h.to - 1] as Token).end;
  // "(3R)" is a short form, "(2019)" is not.
  const m = /^ \(((?=\d*\p{Lu})[\p{Lu}\d]{2,6})\)/u.exec(text.slice(end, end + 10));
  if (m?.[1]) h.entry.aliases = [...h.entry.aliases, m[1]];
  return h;
}

function headNamed(text: string, tokens: readonly Token[], i: number): GroupContextHit | undefined {
  const t = tokens[i] as Token;
  if (!isCapitalised(t.text)) return undefined;
  // "Front Line": the head must end the name.
  const next = tokens[i + 1];
  if (next && isCapitalised(next.text) && single(text, t, next)) return undefined;
  const from = nameEndingAt(text, tokens, i);
  // "the Philippine Army's 101st Infantry Brigade", "the army's Fourth Brigade": a numbered unit
  // is a state's.
  if (/^\d+(?:st|nd|rd|th)$/i.test(tokens[from - 1]?.text ?? '')) return undefined;
  if (ORDINAL.test((tokens[from] as Token).text) || ORDINAL.test(tokens[from - 1]?.text ?? ''))
    return undefined;
  // "CoBRA (Commando Battalion for Resolute Action)": a name that goes on past its head word
  // is a longer one, and its first words are no name of their own.
  if (/^ (?:for|of) \p{Lu}/u.test(text.slice(t.end, t.end + 6))) return undefined;
  if (ARMED_HEADS.has(t.fold))
    return i - from >= 1
      ? withAcronym(text, hit(text, tokens, from, i + 1, 'text:armed-name'), tokens)
      : undefined;
  if (t.fold !== 'forces' || i - from < 2) return undefined;
  for (let k = from; k < i; k++) if (STATE_FORCES.has((tokens[k] as Token).fold)) return undefined;
  return withAcronym(text, hit(text, tokens, from, i + 1, 'text:armed-name'), tokens);
}

/** "gangs, including A, B and C": each name of the list. */
function listed(
  text: string,
  tokens: readonly Token[],
  i: number,
  common: ReadonlySet<string>,
): GroupContextHit[] {
  const t = tokens[i] as Token;
  const armed =
    ARMED_PLURALS.has(t.fold) || (t.fold === 'groups' && ARMED_KINDS.has(tokens[i - 1]?.fold ?? ''));
  const next = tokens[i + 1];
  if (!armed || !next) return [];
  let at = i + 1;
  // "such as": the cue may be two words.
  if (next.fold === 'such' && tokens[i + 2]?.fold === 'as') at = i + 2;
  if (next.fold === 'among' && tokens[i + 2]?.fold === 'them') at = i + 2;
  const start = tokens[at + 1];
  if (!start || !LIST_CUE.test(text.slice(t.end, start.start))) return [];
  const out: GroupContextHit[] = [];
  let from = at + 1;
  for (let n = 0; n < 8; n++) {
    const to = nameFrom(text, tokens, from, common);
    if (to === undefined) break;
    out.push(hit(text, tokens, from, to, 'text:listed-armed'));
    const after = tokens[to];
    const gap = after ? text.slice((tokens[to - 1] as Token).end, after.start) : '';
    if (after && (gap === ', ' || gap === ' ') && (after.fold === 'and' || after.fold === 'or'))
      from = to + 1;
    else if (after && gap === ', ' && isCapitalised(after.text)) from = to;
    else break;
  }
  return out;
}

const BANNED = new Set(['banned', 'outlawed', 'proscribed', 'so-called', 'little-known', 'shadowy']);

// "a group tracked as SideWinder", "a cluster we track as Copper Mantis": how a vendor names
// the actor it follows. Not "tracked as CVE-2024-3400".
const TRACKED_AS = /^(?:tracked|track|tracks|tracking|reports|reported)$/;
// "a cluster we call COPPER MARTEN": the vendor's own name for it.
const WE_CALL = /^(?:call|name|dub|designate)$/;
// ... when what is named is an actor: not "a lightweight Go backdoor we call PINEKNOT".
const ACTOR_WORDS = /^(?:cluster|actor|group|adversary|set|operators?|activity|crew|team)$/;
const TOOL_WORDS =
  /^(?:backdoor|malware|implant|loader|tool|toolkit|ransomware|family|variant|stealer|infostealer|dropper|rat|webshell|rootkit|botnet|campaign|operation|wiper|worm|trojan|keylogger|payload|strain|exploit)$/;
// The words after a name that make it a people's: "members of the Hazara community".
const PEOPLE_WORDS =
  /^(?:community|communities|tribe|tribes|clan|clans|minority|people|population|ethnic|families)$/;

/**
 * What the words just before a vendor's naming say it names: "a cluster we call X" an actor, "a
 * backdoor we call X", "a wiper, which we track as X" a tool; nearest word first.
 */
function namedKind(tokens: readonly Token[], at: number): 'actor' | 'tool' | undefined {
  for (let k = at - 1; k >= Math.max(0, at - 6); k--) {
    const f = (tokens[k] as Token).fold;
    if (ACTOR_WORDS.test(f)) return 'actor';
    if (TOOL_WORDS.test(f)) return 'tool';
  }
  return undefined;
}
// "APT41", "FIN7", "UNC3886", "TA453", "Storm-0558", "DEV-0537": the actor codes vendors use.
const ACTOR_CODE = /^(?:APT|FIN|UNC|TA)\d{1,4}$|^(?:Storm|DEV)-\d{3,4}$/;

// "the Dagoberto Ramos front", "the Jorge Briceño column": a unit named for a person keeps the
// lower-case word for what it is, or the name is only the person's.
const UNIT_WORDS = new Set([
  'front',
  'column',
  'brigade',
  'battalion',
  'faction',
  'wing',
  'cell',
  'bloc',
  'katiba',
]);

function withUnit(text: string, tokens: readonly Token[], to: number): number {
  const next = tokens[to];
  const last = tokens[to - 1];
  if (!next || !last || !UNIT_WORDS.has(next.text) || text.slice(last.end, next.start) !== ' ') return to;
  return to + 1;
}

export function scanGroupCues(
  text: string,
  tokens: readonly Token[],
  common: ReadonlySet<string>,
): GroupContextHit[] {
  const out: GroupContextHit[] = [];
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (ACTOR_CODE.test(t.text)) {
      // "the group, which is also known as APT35": another name of the group just named.
      const last = out[out.length - 1];
      if (/\b(?:known as|aka|a\.k\.a\.)\s+$/i.test(text.slice(Math.max(0, t.start - 20), t.start)) && last)
        last.entry = { ...last.entry, aliases: [...last.entry.aliases, t.text] };
      else out.push(hit(text, tokens, i, i + 1, 'text:actor-code'));
      continue;
    }
    const weCall =
      WE_CALL.test(t.fold) && tokens[i - 1]?.fold === 'we' && namedKind(tokens, i - 1) === 'actor';
    if (
      weCall ||
      (TRACKED_AS.test(t.fold) &&
        tokens[i + 1]?.fold === 'as' &&
        single(text, t, tokens[i + 1] as Token) &&
        namedKind(tokens, i) !== 'tool')
    ) {
      const from = weCall ? (tokens[i + 1]?.fold === 'as' ? i + 2 : i + 1) : i + 2;
      const first = tokens[from];
      const before = tokens[from - 1] as Token;
      // ... also in quotes: 'another vendor reports as "Sable Argali"'.
      const opens = first !== undefined && /^ ["“]?$/.test(text.slice(before.end, first.start));
      if (first && opens && !/^CVE$/i.test(first.text)) {
        let to = from;
        while (to < tokens.length && to - from < 3 && isCapitalised((tokens[to] as Token).text)) {
          to++;
          const next = tokens[to];
          if (!next || !single(text, tokens[to - 1] as Token, next)) break;
        }
        if (to > from && !/^CVE-/i.test(text.slice(first.start, first.start + 4)))
          out.push(hit(text, tokens, from, to, 'text:tracked-as'));
      }
      continue;
    }
    if (ARMED_HEADS.has(t.fold) || t.fold === 'forces') {
      const h = headNamed(text, tokens, i);
      if (h) out.push(h);
      continue;
    }
    if (ARMED_PLURALS.has(t.fold) || t.fold === 'groups') {
      out.push(...listed(text, tokens, i, common));
      continue;
    }
    // "Commanders blamed the Comandos de la Frontera", "an attack claimed by X": two words at least.
    const blame = t.fold === 'blamed' || (t.fold === 'by' && tokens[i - 1]?.fold === 'claimed');
    // "blamed on X": the same, with its preposition.
    const at = t.fold === 'blamed' && tokens[i + 1]?.fold === 'on' ? i + 1 : i;
    const nextWord = tokens[at + 1];
    if (blame && nextWord && single(text, tokens[at] as Token, nextWord)) {
      const from = nextWord.fold === 'the' ? at + 2 : at + 1;
      const to = nameFrom(text, tokens, from, common);
      if (to !== undefined && to - from >= 2)
        out.push(hit(text, tokens, from, withUnit(text, tokens, to), 'text:members-of'));
      continue;
    }
    // "members of the X", "fighters from X".
    const of = tokens[i + 1];
    if (MEMBER_WORDS.has(t.fold) && of && (of.fold === 'of' || of.fold === 'from') && single(text, t, of)) {
      let from = i + 2;
      if (tokens[from]?.fold === 'the') from++;
      // "members of the banned X": what the state made of the group is not its name.
      if (BANNED.has(tokens[from]?.fold ?? '')) from++;
      // A common first word ("Révolution, Paix et Justice (RPJ)") still opens a name with commas.
      const first = tokens[from];
      const opens =
        first !== undefined && isCapitalised(first.text) && commaNamed(text, tokens, from + 1) > from + 1;
      const named = nameFrom(text, tokens, from, common) ?? (opens ? from + 1 : undefined);
      const to = named === undefined ? undefined : commaNamed(text, tokens, named);
      // "a faction of the Militarized Communist Party": after the words for a part of a group,
      // only a whole name (not one cut short at a common word) is taken.
      const cut =
        to !== undefined &&
        SPLIT_WORDS.has(t.fold) &&
        (to - from < 2 ||
          (tokens[to] !== undefined &&
            /^[ -]$/.test(text.slice((tokens[to - 1] as Token).end, (tokens[to] as Token).start)) &&
            (isCapitalised((tokens[to] as Token).text) || INNER.has((tokens[to] as Token).fold))));
      // "fighters of the Kurdish-led Syrian Democratic Forces": the group comes after the modifier.
      // "members of the Hazara community": a people, not a group.
      const people = to !== undefined && PEOPLE_WORDS.test(tokens[to]?.fold ?? '');
      if (
        to !== undefined &&
        !cut &&
        !people &&
        joinedSuffixAt(text, (tokens[to - 1] as Token).end) === undefined
      )
        out.push(
          withAcronym(text, hit(text, tokens, from, withUnit(text, tokens, to), 'text:members-of'), tokens),
        );
    }
  }
  return out;
}
