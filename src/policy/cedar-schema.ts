/**
 * The Cedar schema every release policy is validated against. Policies see the decision-relevant
 * projection of an intel object, never the object itself or its id: that is what lets decisions be
 * memoised per projection (see decision-memo.ts), and why operator policies may not name objects.
 *
 * - Intel.tlp: 0 clear, 1 green, 2 amber, 3 amber+strict, 4 red; 5 when marking_state is not "tlp".
 * - Intel.marking_state: "tlp" (a TLP level is known), "unmarked" (no marking and no hub default),
 *   "unknown" (a marking the hub does not understand: it may restrict sharing, so it blocks).
 * - context.agreement_state: "active", "expired" or "not-yet-valid" at the decision time.
 */
export const CEDAR_SCHEMA = `
entity Partner = {
  "enabled": Bool,
  "unmet_conditions": Set<String>,
};
entity Intel = {
  "stix_type": String,
  "marking_state": String,
  "tlp": Long,
  "labels": Set<String>,
  "in_neighbourhood": Bool,
  "in_location": Bool,
};
action "release" appliesTo {
  principal: [Partner],
  resource: [Intel],
  context: {
    "agreement_state": String,
  },
};
`;

export const CEDAR_SCHEMA_NAME = 'tearline-release-v1';

/** A Cedar string literal. Cedar escapes differ from JSON's (\u{...}), so this is not JSON.stringify. */
export function formatCedarString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\u{${code.toString(16)}}`;
    else out += ch;
  }
  return `${out}"`;
}

export function formatCedarStringSet(items: readonly string[]): string {
  return `[${items.map(formatCedarString).join(', ')}]`;
}
