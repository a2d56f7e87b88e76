import { tlp2MarkingId } from '../stix/markings-tlp.js';
import type { JsonObject } from '../stix/types.js';
import { createSanitiseContext, releasedSetOf } from './tearline-context.js';
import type { ForbiddenTermFilter } from './tearline-forbidden.js';
import { type SanitisationProfile, STRICT_PROFILE } from './tearline-profile.js';
import type { SubmitterCatalog } from './tearline-submitter.js';
import type { MarkingCatalog, ReleasedSet, SanitiseContext, StatementCatalog } from './tearline-types.js';

/**
 * Hand-written objects and contexts shared by the tearline table tests. Test support only;
 * nothing in the product imports it.
 */
export const HUB_IDENTITY = 'identity--0d6f2c1a-6a3e-4f3b-9d5b-1f0e2a3b4c5d';
export const GREEN = tlp2MarkingId('green');
export const AMBER = tlp2MarkingId('amber');
export const RED = tlp2MarkingId('red');
export const TLP1_AMBER = 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82';
export const UNKNOWN_MARKING = 'marking-definition--00000000-0000-4000-8000-00000000dead';
export const COPYRIGHT_MARKING = 'marking-definition--17d82bb2-eeeb-4898-bda5-3ddbcd2b799d';

export function testContext(
  overrides: {
    profile?: SanitisationProfile;
    ceiling?: SanitiseContext['partner']['ceiling'];
    partnerId?: string;
    hubSecret?: string;
    markings?: MarkingCatalog;
    statements?: StatementCatalog;
    untaggedLevel?: SanitiseContext['partner']['ceiling'];
    forbidden?: ForbiddenTermFilter;
    submitters?: SubmitterCatalog;
  } = {},
): SanitiseContext {
  return createSanitiseContext({
    hubSecret: overrides.hubSecret ?? 'test hub secret',
    partnerId: overrides.partnerId ?? 'partner-a',
    ceiling: overrides.ceiling ?? 'amber',
    releasingIdentityId: HUB_IDENTITY,
    profile: overrides.profile ?? STRICT_PROFILE,
    markings: overrides.markings ?? new Map([[COPYRIGHT_MARKING, 'clear']]),
    ...(overrides.statements ? { statements: overrides.statements } : {}),
    ...(overrides.untaggedLevel ? { untaggedLevel: overrides.untaggedLevel } : {}),
    ...(overrides.forbidden ? { forbidden: overrides.forbidden } : {}),
    ...(overrides.submitters ? { submitters: overrides.submitters } : {}),
  });
}

/** Every given id counts as released, under its derived id. */
export function releasedAll(ctx: SanitiseContext, ids: readonly string[]): ReleasedSet {
  return releasedSetOf(new Map(ids.map((id) => [id, ctx.partner.deriveId(id)])));
}

export const MALWARE_ID = 'malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b';
export const CAMPAIGN_ID = 'campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';
export const SOURCE_ID = 'identity--f431f809-377b-45e0-aa1c-6a4751cae5ff';

export function indicator(extra: JsonObject = {}): JsonObject {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
    created: '2024-01-03T10:00:00.000Z',
    modified: '2024-01-04T10:00:00.000Z',
    created_by_ref: SOURCE_ID,
    name: 'Kerman follow-up',
    description: 'Beaconing seen after the attack',
    pattern: "[ipv4-addr:value = '198.51.100.7']",
    pattern_type: 'stix',
    valid_from: '2024-01-03T10:00:00.000Z',
    object_marking_refs: [GREEN],
    ...extra,
  };
}
