import type { JsonObject } from '../stix/types.js';
import { uuidV5 } from '../stix/uuid.js';

/** Namespace of hub identity ids: the id follows from the hub's public name alone. */
const HUB_IDENTITY_NAMESPACE = '6f1f4b0e-2c7a-5d3e-9b8a-0e4c2d1f7a63';
/** Fixed so that every release carries the same version of the identity. */
const IDENTITY_CREATED = '2020-01-01T00:00:00.000Z';

export function releasingIdentityIdOf(hubName: string): string {
  return `identity--${uuidV5(HUB_IDENTITY_NAMESPACE, hubName)}`;
}

/**
 * The identity every tearline names as `created_by_ref`. Contract: a release pipeline must
 * release this object to a partner before or with the partner's first tearline, so the
 * reference resolves; the sanitiser treats it as always released.
 */
export function buildReleasingIdentity(hubName: string): JsonObject {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: releasingIdentityIdOf(hubName),
    created: IDENTITY_CREATED,
    modified: IDENTITY_CREATED,
    name: hubName,
    identity_class: 'organization',
  };
}
