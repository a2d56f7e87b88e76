/**
 * The "dirty word search" of cross-domain guards (NIST SP 800-53 AC-4(15), AC-4(27)): terms
 * and regular expressions that must never leave, checked on the serialised copy after every
 * other rule, so that it does not depend on markings having been right.
 */
export interface ForbiddenTermRule {
  /** Shown to officers and in withheld reasons; the term itself never is. */
  name: string;
  source: 'hub' | 'agreement';
  /** A literal, matched case-insensitively (Unicode case folding) after NFKC normalisation. */
  term?: string;
  /** A JavaScript regular expression, run over the canonical JSON text (strings JSON-escaped). */
  regex?: string;
  /**
   * Flags for `regex`; default 'i'. Start a regex with its literal part where you can
   * ('[a-z0-9-]\\.hub\\.internal' rather than '\\b[a-z0-9-]+\\.hub\\.internal'): a leading
   * character class is retried at every position of every word and scans tens of times slower.
   */
  flags?: string;
}

export interface ForbiddenTermHit {
  name: string;
  source: 'hub' | 'agreement';
}

export interface ForbiddenTermFilter {
  readonly size: number;
  /** The first rule that matches the canonical JSON of a copy, or undefined. */
  scan(canonicalJson: string): ForbiddenTermHit | undefined;
}

export type ForbiddenTermCompileResult =
  | { ok: true; filter: ForbiddenTermFilter }
  | { ok: false; errors: { field: string; message: string }[] };

const MAX_RULES = 10_000;
const MAX_PATTERN = 1000;
const FLAGS_RE = /^[imsu]{0,4}$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the range starts after ASCII
const NON_ASCII = /[^\x00-\x7f]/;

interface CompiledRule {
  hit: ForbiddenTermHit;
  re: RegExp;
  normalise: boolean;
}

export const NO_FORBIDDEN_TERMS: ForbiddenTermFilter = { size: 0, scan: () => undefined };

/**
 * Compiles hub-wide and agreement rules once; errors name the rule by index and field.
 * `scan` reports a term rule before a regex rule when both match.
 */
export function compileForbiddenTerms(rules: readonly ForbiddenTermRule[]): ForbiddenTermCompileResult {
  const errors: { field: string; message: string }[] = [];
  if (rules.length > MAX_RULES) {
    return {
      ok: false,
      errors: [{ field: 'rules', message: `${rules.length} rules; at most ${MAX_RULES}` }],
    };
  }
  const compiled: CompiledRule[] = [];
  const termSources: string[] = [];
  rules.forEach((rule, i) => {
    const at = `rules[${i}]`;
    if (typeof rule.name !== 'string' || rule.name.length === 0 || rule.name.length > 200) {
      errors.push({ field: `${at}.name`, message: 'name must be 1-200 characters' });
      return;
    }
    const hit = { name: rule.name, source: rule.source };
    if ((rule.term === undefined) === (rule.regex === undefined)) {
      errors.push({ field: at, message: `rule '${rule.name}' must have exactly one of term or regex` });
      return;
    }
    if (rule.term !== undefined) {
      if (typeof rule.term !== 'string') {
        errors.push({ field: `${at}.term`, message: `term of rule '${rule.name}' must be a string` });
        return;
      }
      const term = rule.term.normalize('NFKC');
      if (term.length < 2 || term.length > MAX_PATTERN) {
        errors.push({
          field: `${at}.term`,
          message: `term of rule '${rule.name}' must be 2-${MAX_PATTERN} characters`,
        });
        return;
      }
      // Match the term as it appears inside a JSON string (quotes and backslashes escaped).
      const escaped = JSON.stringify(term).slice(1, -1);
      compiled.push({ hit, re: new RegExp(escapeRegExp(escaped), 'iu'), normalise: true });
      termSources.push(escaped);
      return;
    }
    const flags = rule.flags ?? 'i';
    if (typeof flags !== 'string') {
      errors.push({ field: `${at}.flags`, message: `flags of rule '${rule.name}' must be a string` });
      return;
    }
    if (typeof rule.regex !== 'string' || rule.regex.length === 0 || rule.regex.length > MAX_PATTERN) {
      errors.push({
        field: `${at}.regex`,
        message: `regex of rule '${rule.name}' must be 1-${MAX_PATTERN} characters`,
      });
      return;
    }
    if (!FLAGS_RE.test(flags)) {
      errors.push({ field: `${at}.flags`, message: `flags of rule '${rule.name}' may only use i, m, s, u` });
      return;
    }
    try {
      compiled.push({ hit, re: new RegExp(rule.regex, flags), normalise: false });
    } catch (err) {
      errors.push({
        field: `${at}.regex`,
        message: `regex of rule '${rule.name}' does not compile: ${(err as Error).message}`,
      });
    }
  });
  if (errors.length > 0) return { ok: false, errors };
  const terms = compiled.filter((c) => c.normalise);
  const patterns = compiled.filter((c) => !c.normalise);
  // One regex finds whether any term occurs in a single pass over the text; only on a hit are
  // the terms tried one by one to name the rule.
  const anyTerm = termSources.length > 0 ? new RegExp(buildTrieSource(termSources), 'iu') : undefined;
  return {
    ok: true,
    filter: {
      size: compiled.length,
      scan(text) {
        if (anyTerm) {
          // NFKC only changes non-ASCII text; skipping it for ASCII saves most of the cost.
          const normalised = NON_ASCII.test(text) ? text.normalize('NFKC') : text;
          if (anyTerm.test(normalised)) {
            const hit = terms.find((c) => c.re.test(normalised));
            if (hit) return hit.hit;
          }
        }
        return patterns.find((c) => c.re.test(text))?.hit;
      },
    },
  };
}

interface TrieNode {
  end: boolean;
  next: Map<string, TrieNode>;
}

/**
 * The terms as one regex with shared prefixes factored ('ab|ac' as 'a(?:b|c)'): at each position
 * the engine follows one branch instead of trying every term, about three times faster than a
 * flat alternation for 200 terms and more so for more.
 */
export function buildTrieSource(terms: readonly string[]): string {
  const root: TrieNode = { end: false, next: new Map() };
  for (const term of terms) {
    let node = root;
    for (const ch of term.toLowerCase()) {
      let child = node.next.get(ch);
      if (!child) {
        child = { end: false, next: new Map() };
        node.next.set(ch, child);
      }
      node = child;
    }
    node.end = true;
  }
  const emit = (node: TrieNode): string => {
    const branches = [...node.next].map(([ch, child]) => escapeRegExp(ch) + emit(child));
    if (branches.length === 0) return '';
    const body = branches.length === 1 ? (branches[0] as string) : `(?:${branches.join('|')})`;
    return node.end ? `(?:${body})?` : body;
  };
  return emit(root);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
