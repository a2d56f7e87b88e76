import { foldAccents } from './text-fold.js';
import { isAllCaps, isCapitalised, type Token, tokenize } from './text-tokens.js';

export type PlaceEntry =
  | { kind: 'country'; code: string; name: string }
  | { kind: 'region'; region: string; name: string }
  /** A first-level division of a country (province, state, department): country-region-data. */
  | {
      kind: 'province';
      name: string;
      country: string;
      /** Other countries with a first-level division of this name (Punjab: India and Pakistan). */
      also?: string[];
    }
  /** A sea, gulf or strait, with a point in it (our list). */
  | { kind: 'water'; name: string; latitude: number; longitude: number }
  | {
      kind: 'city';
      name: string;
      /** Cities of this name, most populous first. */
      choices: readonly {
        /** This city's own name (Hanover, Pennsylvania, in the entry named for Hannover). */
        name: string;
        country: string;
        population: number;
        latitude: number;
        longitude: number;
      }[];
      /** A capital or a city of a million: named without a locative cue. */
      major: boolean;
    };

export type GazetteerEntry =
  | {
      kind: 'group';
      name: string;
      aliases: readonly string[];
      stixType: 'intrusion-set' | 'threat-actor';
      /** 'misp-galaxy:VALUE' or 'store:ID'. */
      source: string;
      storedId?: string;
    }
  | { kind: 'organisation'; name: string; sector: string; country?: string }
  | PlaceEntry;

/** How the text's casing must agree with an alias. */
type CaseMode = 'exact' | 'title';

export interface Alias {
  entry: GazetteerEntry;
  /** Folded tokens, for lookup. */
  folds: readonly string[];
  /** Accent-folded tokens with case, for the case check. */
  exact: readonly string[];
  mode: CaseMode;
  /** One word that is also a common English word (SCOWL): needs more than capitals to count. */
  common: boolean;
  /** Which list it came from, for the evidence's rule. */
  list: string;
}

export interface AliasMatch {
  alias: Alias;
  /** Index of the first and one past the last token matched. */
  from: number;
  to: number;
}

/** Lower priority number wins when two matches cover the same tokens. */
const PRIORITY: Record<GazetteerEntry['kind'], number> = {
  group: 0,
  organisation: 1,
  country: 2,
  region: 3,
  water: 3,
  city: 4,
  province: 5,
};

/**
 * Every alias of every entry, indexed by its first folded token. Matching is by whole tokens,
 * so "Kabul" never matches inside "Kabulistan", and offsets are those of the text's tokens.
 */
export class PhraseIndex {
  readonly #byFirst = new Map<string, Alias[]>();

  constructor(private readonly commonWords: ReadonlySet<string>) {}

  add(surface: string, entry: GazetteerEntry, list: string): void {
    const tokens = tokenize(surface);
    if (tokens.length === 0) return;
    const letters = surface.replace(/[^\p{L}]/gu, '');
    // "M23", "3R": a code of letters and digits is a name too, matched exactly.
    if (letters.length < 2 && !(letters.length === 1 && /^(?=.*\d)[\p{Lu}\d]{2,4}$/u.test(surface))) return;
    const mode: CaseMode = isAllCaps(surface) || letters.length <= 3 ? 'exact' : 'title';
    const folds = tokens.map((t) => t.fold);
    const first = folds[0] as string;
    const list0 = this.#byFirst.get(first) ?? [];
    const same = list0.find(
      (a) => a.entry === entry && a.folds.join(' ') === folds.join(' ') && a.mode === mode,
    );
    if (same) {
      // "Al Qaeda" and "al Qaeda" both spell the name: a word either list writes in lower case
      // may be written either way (in title mode only capitalised words are checked).
      if (mode === 'title')
        same.exact = same.exact.map((w, k) => (w === tokens[k]?.exact ? w : w.toLowerCase()));
      return;
    }
    list0.push({
      entry,
      folds,
      exact: tokens.map((t) => t.exact),
      mode,
      common: tokens.length === 1 && this.commonWords.has(first),
      list,
    });
    this.#byFirst.set(first, list0);
  }

  /** The longest (then highest-priority) alias starting at token `i`, if its casing agrees. */
  matchAt(tokens: readonly Token[], i: number): AliasMatch | undefined {
    const head = tokens[i];
    if (!head) return undefined;
    const candidates = this.#byFirst.get(head.fold);
    if (!candidates) return undefined;
    let best: AliasMatch | undefined;
    for (const alias of candidates) {
      const n = alias.folds.length;
      if (i + n > tokens.length) continue;
      let ok = true;
      for (let k = 0; k < n && ok; k++) {
        const t = tokens[i + k] as Token;
        if (t.fold !== alias.folds[k]) ok = false;
        else if (alias.mode === 'exact') ok = t.exact === alias.exact[k];
        else if (isCapitalised(alias.exact[k] as string)) ok = isCapitalised(t.text);
        // Tokens of a phrase must be adjacent words, not across a sentence or a list.
        if (ok && k > 0) ok = adjacent(tokens[i + k - 1] as Token, t);
      }
      if (!ok) continue;
      if (
        !best ||
        n > best.to - best.from ||
        (n === best.to - best.from && PRIORITY[alias.entry.kind] < PRIORITY[best.alias.entry.kind])
      ) {
        best = { alias, from: i, to: i + n };
      }
    }
    return best;
  }
}

/** Two tokens of one name: separated by at most a space, a hyphen or a spaced dash. */
function adjacent(a: Token, b: Token): boolean {
  return b.start - a.end <= 3;
}

export function aliasSurface(text: string, m: AliasMatch, tokens: readonly Token[]): string {
  return text.slice((tokens[m.from] as Token).start, (tokens[m.to - 1] as Token).end);
}

export { foldAccents };
