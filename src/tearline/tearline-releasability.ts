import { isReleasableTo, parseReleasability } from '../policy/marking-releasability.js';
import type { JsonObject } from '../stix/types.js';

/** A releasability marking as the sanitiser reads it: who it admits and how a message names it. */
export interface GranularReleasability {
  to: readonly string[] | 'ALL';
  label: string;
}

const parsed = new WeakMap<JsonObject, GranularReleasability | null>();

/**
 * The releasability (REL TO, ACS) a catalogued marking definition states, undefined when it
 * states none. One the hub cannot read is never catalogued (src/release/release-facts.ts),
 * so on a part it counts as unknown and the part goes.
 */
export function releasabilityOf(def: JsonObject | undefined): GranularReleasability | undefined {
  if (def === undefined) return undefined;
  let found = parsed.get(def);
  if (found === undefined) {
    const r = parseReleasability(def);
    found = r?.kind === 'releasable' ? { to: r.to, label: r.label } : null;
    parsed.set(def, found);
  }
  return found ?? undefined;
}

/** Whether a partner of these nationality and communities may receive what the marking covers. */
export function admits(rel: GranularReleasability, partner: readonly string[]): boolean {
  return rel.to === 'ALL' || isReleasableTo([rel.to], partner);
}
