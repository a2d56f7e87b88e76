import { TLP_MARKINGS } from '../stix/markings-tlp.js';
import { buildReleasingIdentity } from '../tearline/tearline-identity.js';

/**
 * Ids only the hub defines: the standard TLP 1.0 and 2.0 marking definitions (fixed by their
 * standards), the hub's own identity, and each partner's identity (kept in the partner store).
 * No import, analyst push or promotion may define or version them: an object under such an id is
 * a duplicate when it says exactly what the hub's own says, and a conflict otherwise, and either
 * way nothing is stored. Partners never reach here (their objects stay in their own space).
 */
export interface ReservedIds {
  /** The hub's own JSON for a reserved `id`, or undefined when the id is not reserved. */
  contentOf(id: string): string | undefined;
}

const TLP_CONTENT = new Map(TLP_MARKINGS.map((m) => [m.id, JSON.stringify(m.definition)]));

/** The reserved ids every store knows without asking anyone: the standard TLP definitions. */
export const STANDARD_RESERVED: ReservedIds = { contentOf: (id) => TLP_CONTENT.get(id) };

/** Only identities and marking definitions can be reserved: other ids need no look-up. */
export function mayBeReserved(id: string): boolean {
  return id.startsWith('identity--') || id.startsWith('marking-definition--');
}

/**
 * The standard ids and the hub's identity, then `partnerIdentity` (the partner store's identity
 * JSON for a partner id, looked up in the writer's transaction).
 */
export function hubReservedIds(
  hubName: string,
  partnerIdentity: (id: string) => string | undefined,
): ReservedIds {
  const hub = buildReleasingIdentity(hubName);
  const hubJson = JSON.stringify(hub);
  return {
    contentOf: (id) => {
      if (!mayBeReserved(id)) return undefined;
      if (id === hub.id) return hubJson;
      return TLP_CONTENT.get(id) ?? (id.startsWith('identity--') ? partnerIdentity(id) : undefined);
    },
  };
}
