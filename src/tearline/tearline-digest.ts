import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { JsonObject } from '../stix/types.js';

/** The RFC 8785 canonical JSON of a copy, or undefined if it holds something JSON cannot. */
export function canonicalJsonOf(copy: JsonObject): string | undefined {
  return canonicalize(copy);
}

/** tearline_digest: SHA-256 (lower-case hex) of the canonical JSON text, as the ledger records it. */
export function digestCanonicalJson(canonical: string): string {
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
