import { hash } from 'node:crypto';
import { tryCanonicalJson } from '../stix/canonical-json.js';
import type { JsonObject } from '../stix/types.js';

/** RFC 8785 canonical JSON of a copy, or undefined for values JSON cannot hold. */
export function canonicalJsonOf(value: JsonObject): string | undefined {
  return tryCanonicalJson(value);
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
