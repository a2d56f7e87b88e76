/**
 * How names compare: accents folded (NFKD without combining marks), quotes and dashes unified,
 * and (for `foldName`) lower case. A folded token is never longer in tokens than the original,
 * so offsets into the text stay those of the original tokens.
 */
const QUOTES = /[’‘´`ʼʻ′]/g;
const DASHES = /[‐‑‒–—―−]/g;

/** Accents and punctuation variants folded; case kept. */
export function foldAccents(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(QUOTES, "'")
    .replace(DASHES, '-');
}

/** As `foldAccents`, lower-cased: the key names are compared by. */
export function foldName(s: string): string {
  return foldAccents(s).toLowerCase();
}

/** A key for an item: its kind and folded name with runs of anything but letters and digits as one '-'. */
export function keyOf(kind: string, name: string): string {
  const slug = foldName(name)
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-|-$/g, '');
  return `${kind}:${slug}`;
}
