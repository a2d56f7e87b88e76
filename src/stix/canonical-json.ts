/**
 * RFC 8785 (JCS) canonical JSON. Strings and numbers serialise exactly as ECMAScript
 * JSON.stringify does (the RFC defines them that way); object keys are sorted by UTF-16 code
 * units, which is what the default string sort compares. Property-tested against the
 * `canonicalize` package (the RFC author's); written out because the ledger, the tearline
 * digests and duplicate detection call it on hot paths.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new TypeError('canonicalJson: non-finite number');
    if (
      value === undefined ||
      typeof value === 'function' ||
      typeof value === 'symbol' ||
      typeof value === 'bigint'
    ) {
      throw new TypeError(`canonicalJson: a ${typeof value} has no JSON form`);
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    out += `${i > 0 ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(obj[key])}`;
  }
  return `${out}}`;
}

/** The same, or undefined for a value JSON cannot hold (a non-finite number, say). */
export function tryCanonicalJson(value: unknown): string | undefined {
  try {
    return canonicalJson(value);
  } catch {
    return undefined;
  }
}
