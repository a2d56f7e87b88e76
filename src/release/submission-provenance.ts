import { mapReferences } from '../stix/refs.js';
import { computeScoId } from '../stix/sco-id.js';
import { isJsonObject, type JsonObject, setOwn } from '../stix/types.js';
import { releasingIdentityIdOf } from '../tearline/tearline-identity.js';
import { SUBMISSION_PROVENANCE_EXTENSION_ID } from '../tearline/tearline-provenance.js';

/** Types only the hub defines: a partner's definition of a marking or extension is never adopted. */
const NOT_PROMOTABLE = new Set(['marking-definition', 'extension-definition']);

export interface PromotionInput {
  /** The submitted object with the partner's derived ids mapped back to the hub's originals. */
  mapped: JsonObject;
  partnerId: string;
  /** When the hub received it (RFC 3339). */
  receivedAt: string;
  hubName: string;
  /** Names an identity may not claim once promoted: every partner's and the hub's. */
  reservedNames: readonly string[];
  /** Hub objects promoted earlier from the same partner's submissions, by submitted id. */
  promoted: ReadonlyMap<string, string>;
  now: Date;
  /** A fresh UUID (version 4) for the new object's id. */
  newUuid(): string;
}

export type PromotionBuild =
  | { ok: true; object: JsonObject }
  | { ok: false; code: 'not-promotable'; message: string };

const fold = (s: string) => s.trim().toLowerCase();

/**
 * The hub object an analyst's promotion creates from a partner's submission: the partner's
 * content under a new id the hub mints (never the submitted id, so no object the partner did
 * not create gains a version, and nothing links the two outside the hub), created now by the
 * hub's identity, with references to objects promoted earlier from the same partner following
 * them to their hub ids. SDOs and SROs record their provenance in the hub's property extension
 * (tearline-provenance.ts), which the sanitiser always removes; an SCO keeps the deterministic id
 * of its content (STIX 2.1 section 2.9), so provenance would change the observable, and is kept
 * in the submission record and the ledger instead.
 */
export function buildPromotedObject(p: PromotionInput): PromotionBuild {
  const type = String(p.mapped.type);
  if (NOT_PROMOTABLE.has(type)) {
    return {
      ok: false,
      code: 'not-promotable',
      message: `a partner's ${type} is never adopted: the hub defines its own`,
    };
  }
  if (p.mapped.revoked === true) {
    return { ok: false, code: 'not-promotable', message: 'a revoked object cannot become intel' };
  }
  const hubIdentity = releasingIdentityIdOf(p.hubName);
  if (type === 'identity' && typeof p.mapped.name === 'string') {
    const claimed = fold(p.mapped.name);
    if (p.reservedNames.some((n) => fold(n) === claimed)) {
      return {
        ok: false,
        code: 'not-promotable',
        message: `this identity is named "${p.mapped.name}", as a partner or the hub is: it is not adopted`,
      };
    }
  }
  const object = mapReferences(p.mapped, (ref) => p.promoted.get(ref) ?? ref) as JsonObject;
  // Provenance is the hub's to write: a partner's own claim to it (naming anyone) goes.
  if (
    isJsonObject(object.extensions) &&
    Object.hasOwn(object.extensions, SUBMISSION_PROVENANCE_EXTENSION_ID)
  ) {
    const { [SUBMISSION_PROVENANCE_EXTENSION_ID]: _forged, ...rest } = object.extensions;
    if (Object.keys(rest).length > 0) setOwn(object, 'extensions', rest);
    else delete object.extensions;
  }
  if (p.mapped.created === undefined) {
    // An SCO: its id follows from its content, else it is a fresh UUIDv4 (section 2.9).
    setOwn(object, 'id', computeScoId(object) ?? `${type}--${p.newUuid()}`);
    return { ok: true, object };
  }
  const at = p.now.toISOString();
  setOwn(object, 'id', `${type}--${p.newUuid()}`);
  setOwn(object, 'created', at);
  setOwn(object, 'modified', at);
  setOwn(object, 'created_by_ref', hubIdentity);
  const extensions = isJsonObject(object.extensions) ? { ...object.extensions } : {};
  setOwn(extensions, SUBMISSION_PROVENANCE_EXTENSION_ID, {
    extension_type: 'property-extension',
    submitted_by_ref: p.partnerId,
    submitted_at: p.receivedAt,
    submitted_id: String(p.mapped.id),
    ...(typeof p.mapped.modified === 'string' && { submitted_version: p.mapped.modified }),
  });
  setOwn(object, 'extensions', extensions);
  return { ok: true, object };
}
