import { canonicalJson } from '../stix/canonical-json.js';

/**
 * Whether two JSON texts of the same (id, version) say the same thing: equal text, or equal
 * RFC 8785 canonical forms (whitespace and key order do not make a conflict). Every adapter
 * uses this one rule, so duplicate versus conflict is the same on every database.
 */
export function isSameContent(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return canonicalJson(JSON.parse(a)) === canonicalJson(JSON.parse(b));
  } catch {
    return false;
  }
}
