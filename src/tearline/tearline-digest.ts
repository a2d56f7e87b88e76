import { hash } from 'node:crypto';
import type { JsonObject, JsonValue } from '../stix/types.js';

/**
 * RFC 8785 canonical JSON. Strings and numbers serialise exactly as ECMAScript JSON.stringify
 * does (the RFC defines them that way); object keys are sorted by UTF-16 code units, which is
 * what the default string sort compares. Checked against the `canonicalize` package by a
 * property test; written here because the copy is serialised once per partner per object.
 * Returns undefined for values JSON cannot hold (non-finite numbers).
 */
export function canonicalJsonOf(value: JsonObject): string | undefined {
  try {
    return serialise(value);
  } catch {
    return undefined;
  }
}

function serialise(value: JsonValue): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError('non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + serialise(value[i] as JsonValue);
    return `${out}]`;
  }
  const keys = Object.keys(value).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    out += `${i > 0 ? ',' : ''}${JSON.stringify(key)}:${serialise(value[key] as JsonValue)}`;
  }
  return `${out}}`;
}

/**
 * Canonical JSON of an object whose keys were all inserted in sorted order and that has no
 * array-index-like keys: JSON.stringify then already writes RFC 8785 (same strings, numbers
 * and key order), and much faster than a recursive serialiser.
 */
export function canonicalJsonOfOrdered(value: JsonObject): string | undefined {
  const text = JSON.stringify(value);
  // JSON.stringify writes null for NaN/Infinity where RFC 8785 has no form at all.
  return text.includes('null') && canonicalJsonOf(value) === undefined ? undefined : text;
}

/** tearline_digest: SHA-256 (lower-case hex) of the canonical JSON text, as the ledger records it. */
export function digestCanonicalJson(canonical: string): string {
  return hash('sha256', canonical, 'hex');
}
