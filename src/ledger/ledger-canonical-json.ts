import canonicalizeModule from 'canonicalize';

type Canonicalize = (input: unknown) => string | undefined;

/*
 * RFC 8785 via the canonicalize package. Its major versions differ in module shape (2.x is
 * CommonJS whose typings claim an ES default export; later ones are ES modules): accept a
 * callable default import or one wrapped in `.default`, so the ledger works with either.
 */
const imported: unknown = canonicalizeModule;
const canonicalize = (
  typeof imported === 'function' ? imported : (imported as { default?: unknown } | undefined)?.default
) as Canonicalize;
if (typeof canonicalize !== 'function') throw new Error('the canonicalize package exports no function');

/** RFC 8785 canonical JSON text of a JSON value; undefined for values JSON cannot hold. */
export function canonicalJson(value: unknown): string | undefined {
  return canonicalize(value);
}
