import { type IssueSink, quote } from './validation-sink.js';

/** hash-algorithm-ov (section 10.6) and the value shape of each, plus common non-vocabulary algorithms. */
const HASH_SHAPES: ReadonlyMap<string, RegExp> = new Map([
  ['MD5', /^[0-9a-fA-F]{32}$/],
  ['SHA-1', /^[0-9a-fA-F]{40}$/],
  ['SHA-256', /^[0-9a-fA-F]{64}$/],
  ['SHA-512', /^[0-9a-fA-F]{128}$/],
  ['SHA3-256', /^[0-9a-fA-F]{64}$/],
  ['SHA3-512', /^[0-9a-fA-F]{128}$/],
  ['SSDEEP', /^[a-zA-Z0-9/+:.]{1,128}$/],
  ['TLSH', /^(T1)?[0-9a-fA-F]{70}$/],
]);

const OTHER_SHAPES: ReadonlyMap<string, RegExp> = new Map([
  ['SHA-224', /^[0-9a-fA-F]{56}$/],
  ['SHA-384', /^[0-9a-fA-F]{96}$/],
  ['SHA3-224', /^[0-9a-fA-F]{56}$/],
  ['SHA3-384', /^[0-9a-fA-F]{96}$/],
  ['RIPEMD-160', /^[0-9a-fA-F]{40}$/],
  ['WHIRLPOOL', /^[0-9a-fA-F]{128}$/],
]);

const HASH_NAME_RE = /^[a-zA-Z0-9_-]{3,250}$/;

/** Maps spellings such as `sha256`, `SHA256`, `sha-256` to the vocabulary name. */
function canonicalHashName(name: string): string | undefined {
  const squashed = name.toUpperCase().replace(/[-_]/g, '');
  for (const known of HASH_SHAPES.keys()) if (known.replace(/-/g, '') === squashed) return known;
  for (const known of OTHER_SHAPES.keys()) if (known.replace(/-/g, '') === squashed) return known;
  return undefined;
}

export function isVocabHashName(name: string): boolean {
  return HASH_SHAPES.has(name);
}

/** The shape a value of this algorithm must have (any spelling), when we know the algorithm. */
export function hashShapeOf(name: string): { name: string; shape: RegExp } | undefined {
  const exact = HASH_SHAPES.get(name) ?? OTHER_SHAPES.get(name);
  if (exact) return { name, shape: exact };
  const canon = canonicalHashName(name);
  if (canon === undefined) return undefined;
  const shape = HASH_SHAPES.get(canon) ?? OTHER_SHAPES.get(canon);
  return shape ? { name: canon, shape } : undefined;
}

/** The `hashes` type (section 2.7): keys from hash-algorithm-ov (others warn), values matching the algorithm. */
export function checkHashes(value: unknown, path: string, s: IssueSink): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    s.error(path, 'invalid-property-type', `${path}: must be a dictionary of hash algorithm to hash value`);
    return;
  }
  let count = 0;
  for (const name in value) {
    count++;
    const v = (value as Record<string, unknown>)[name];
    const p = `${path}.${name}`;
    if (!HASH_NAME_RE.test(name)) {
      s.error(
        p,
        'invalid-property-name',
        `${p}: hash algorithm names must be 3-250 characters of a-z, A-Z, 0-9, _ and -`,
      );
    }
    if (typeof v !== 'string') {
      s.error(p, 'invalid-property-type', `${p}: a hash value must be a string`);
      continue;
    }
    if (HASH_SHAPES.has(name)) {
      if (!(HASH_SHAPES.get(name) as RegExp).test(v)) {
        s.error(p, 'invalid-hash-value', `${p}: ${quote(v)} is not a valid ${name} value`);
      }
      continue;
    }
    const known = hashShapeOf(name);
    if (known && !known.shape.test(v)) {
      s.error(p, 'invalid-hash-value', `${p}: ${quote(v)} is not a valid ${known.name} value`);
    }
    // An open vocabulary takes other values (section 2.14); an x_ name is declared custom, as the
    // reference validator also accepts, so only unmarked names outside the vocabulary are warned about.
    if (name.startsWith('x_')) continue;
    const fix = known && HASH_SHAPES.has(known.name) ? `; write it as '${known.name}'` : '';
    s.warn(p, 'hash-algorithm-unknown', `${p}: '${name}' is not in hash-algorithm-ov${fix}`);
  }
  if (count === 0) s.error(path, 'empty-list', `${path}: must hold at least one hash; omit it otherwise`);
}
