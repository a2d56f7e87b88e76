// The ledger's entries use the project's one RFC 8785 implementation (src/stix, pure).
export { tryCanonicalJson as canonicalJson } from '../stix/canonical-json.js';
