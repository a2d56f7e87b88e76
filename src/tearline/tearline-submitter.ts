import type { SubmitterConsent } from '../policy/agreement-types.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../stix/types.js';
import { SUBMISSION_PROVENANCE_EXTENSION_ID } from './tearline-provenance.js';

// The consent is an agreement term (policy/agreement-types.ts): 'none', 'hub-only' or 'named'.
export { SUBMITTER_CONSENTS, type SubmitterConsent } from '../policy/agreement-types.js';

/** A partner that may have submitted what is released, as the hub knows it. */
export interface SubmitterTrace {
  /** The partner's name, which an anonymous copy must not contain. */
  name: string;
  /** The consent of the partner's agreement in force when the copy is made. */
  consent: SubmitterConsent;
}

/** Every partner by identity id; a submitter missing here counts as consent 'none'. */
export type SubmitterCatalog = ReadonlyMap<string, SubmitterTrace>;

/** The partner an object was promoted from (the hub's provenance extension), if any. */
export function submitterOf(object: JsonObject): string | undefined {
  const extensions = object.extensions;
  if (!isJsonObject(extensions)) return undefined;
  const provenance = extensions[SUBMISSION_PROVENANCE_EXTENSION_ID];
  if (!isJsonObject(provenance)) return undefined;
  const by = provenance.submitted_by_ref;
  return typeof by === 'string' ? by : undefined;
}

/** What the sanitiser must do about the object's submitter for the partner it releases to. */
export type SubmitterRule =
  /** Not promoted from a submission, or released back to the partner that submitted it. */
  | { kind: 'none' }
  | { kind: 'withhold'; message: string }
  /** References to `id` become the hub's identity; the copy must not contain `name` or `id`. */
  | { kind: 'anonymise'; id: string; name: string }
  | { kind: 'named'; id: string };

export function submitterRuleFor(
  object: JsonObject,
  partnerId: string,
  submitters: SubmitterCatalog,
): SubmitterRule {
  const id = submitterOf(object);
  if (id === undefined || id === partnerId) return { kind: 'none' };
  const trace = submitters.get(id);
  const consent = trace?.consent ?? 'none';
  if (consent === 'none' || !trace) {
    return {
      kind: 'withhold',
      message:
        "promoted from a partner's submission, and that partner's agreement gives no consent to re-share it (submitter_consent: none)",
    };
  }
  return consent === 'named' ? { kind: 'named', id } : { kind: 'anonymise', id, name: trace.name };
}

/**
 * True when the copy names the submitter: its name inside any string or key (case-insensitive,
 * so "KABUL-AUTHORITIES" in a description counts) or its identity id. Names of one or two
 * characters are not looked for: they would match inside ordinary words.
 */
export function namesSubmitter(copy: JsonValue, rule: { id: string; name: string }): boolean {
  const id = rule.id.toLowerCase();
  const name = rule.name.trim().toLowerCase();
  const hit = (s: string) => {
    const text = s.toLowerCase();
    return text.includes(id) || (name.length > 2 && text.includes(name));
  };
  const walk = (value: JsonValue): boolean => {
    if (typeof value === 'string') return hit(value);
    if (typeof value !== 'object' || value === null) return false;
    if (Array.isArray(value)) return value.some(walk);
    return Object.keys(value).some((k) => hit(k) || walk(value[k] as JsonValue));
  };
  return walk(copy);
}

/** Removes repeats from every `*_refs` list (two references that both became the hub's identity). */
export function dedupeRefLists(copy: JsonObject): void {
  for (const key of Object.keys(copy)) {
    const value = copy[key];
    if (key.endsWith('_refs') && Array.isArray(value)) copy[key] = [...new Set(value)];
  }
}
