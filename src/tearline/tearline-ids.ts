import { createHmac } from 'node:crypto';
import { uuidV5 } from '../stix/uuid.js';

const ID_RE = /^([a-z0-9][a-z0-9-]*)--[0-9a-fA-F-]{36}$/;

/**
 * The per-partner id namespace: HMAC-SHA256(hubSecret, partnerId) shaped as a UUID. Without
 * the hub secret, nobody can link a partner's ids to another partner's or to the hub's.
 */
export function derivePartnerNamespace(hubSecret: Uint8Array | string, partnerId: string): string {
  const mac = createHmac('sha256', hubSecret)
    .update(`tearline partner namespace\n${partnerId}`, 'utf8')
    .digest();
  const hex = mac.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A stable deriver of partner-visible ids: UUIDv5(namespace, originalId) under the original's
 * type prefix. Results are memoised (the same id is derived many times per release).
 */
export function createIdDeriver(namespace: string): (originalId: string) => string {
  const memo = new Map<string, string>();
  return (originalId) => {
    let derived = memo.get(originalId);
    if (derived === undefined) {
      const m = ID_RE.exec(originalId);
      if (!m) throw new Error(`deriveId: not a STIX id: ${originalId}`);
      derived = `${m[1]}--${uuidV5(namespace, originalId)}`;
      if (memo.size < 1_000_000) memo.set(originalId, derived);
    }
    return derived;
  };
}

/** The type prefix of a STIX id ('indicator' for 'indicator--...'), or undefined. */
export function typeOfId(id: string): string | undefined {
  const cut = id.indexOf('--');
  return cut > 0 ? id.slice(0, cut) : undefined;
}

/**
 * The same derived id marked as UUID version 4. STIX 2.1 (section 2.9) gives an SCO without
 * ID-contributing properties a UUIDv4; the bits stay HMAC-derived, so the id is still stable
 * per partner and unlinkable without the hub secret, but has the form the spec asks for.
 */
export function asUuidV4(id: string): string {
  const cut = id.indexOf('--') + 2;
  // type--xxxxxxxx-xxxx-Vxxx-...: the version digit is the 15th character of the UUID.
  return `${id.slice(0, cut + 14)}4${id.slice(cut + 15)}`;
}
