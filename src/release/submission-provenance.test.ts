import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeScoId } from '../stix/sco-id.js';
import type { JsonObject } from '../stix/types.js';
import { validateObject } from '../stix/validate.js';
import { NOTHING_RELEASED } from '../tearline/tearline-context.js';
import { releasingIdentityIdOf } from '../tearline/tearline-identity.js';
import { ALLY_PROFILE, BUILT_IN_PROFILES } from '../tearline/tearline-profile.js';
import { SUBMISSION_PROVENANCE_EXTENSION_ID } from '../tearline/tearline-provenance.js';
import { sanitise } from '../tearline/tearline-sanitise.js';
import { releasedAll, testContext } from '../tearline/tearline-test-objects.js';
import { buildPromotedObject, type PromotionInput } from './submission-provenance.js';

const PARTNER = 'identity--7d9c9a3e-2b1f-4c5d-8e6f-0a1b2c3d4e5f';
const INDICATOR = 'indicator--11111111-2222-4333-8444-555555555555';
const NOW = new Date('2026-12-01T10:00:00.000Z');

function sighting(extra: JsonObject = {}): JsonObject {
  return {
    type: 'sighting',
    spec_version: '2.1',
    id: 'sighting--aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
    created: '2026-11-30T08:00:00.000Z',
    modified: '2026-11-30T08:00:00.000Z',
    created_by_ref: PARTNER,
    sighting_of_ref: INDICATOR,
    where_sighted_refs: [PARTNER],
    count: 3,
    ...extra,
  };
}

function input(mapped: JsonObject, extra: Partial<PromotionInput> = {}): PromotionInput {
  let n = 0;
  return {
    mapped,
    partnerId: PARTNER,
    receivedAt: '2026-11-30T09:00:00.000Z',
    hubName: 'hub.example',
    reservedNames: ['hub.example', 'allied-service', 'kabul-authorities'],
    promoted: new Map(),
    now: NOW,
    newUuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    ...extra,
  };
}

function built(p: PromotionInput): JsonObject {
  const r = buildPromotedObject(p);
  if (!r.ok) throw new Error(r.message);
  return r.object;
}

describe('promoted objects', () => {
  it('are new hub objects: a hub id, created now by the hub, provenance in the extension, valid STIX', () => {
    const o = built(input(sighting()));
    expect(o.id).toBe('sighting--00000000-0000-4000-8000-000000000001');
    expect(o.created).toBe(NOW.toISOString());
    expect(o.modified).toBe(NOW.toISOString());
    expect(o.created_by_ref).toBe(releasingIdentityIdOf('hub.example'));
    expect(o.sighting_of_ref).toBe(INDICATOR);
    expect((o.extensions as JsonObject)[SUBMISSION_PROVENANCE_EXTENSION_ID]).toEqual({
      extension_type: 'property-extension',
      submitted_by_ref: PARTNER,
      submitted_at: '2026-11-30T09:00:00.000Z',
      submitted_id: 'sighting--aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      submitted_version: '2026-11-30T08:00:00.000Z',
    });
    expect(validateObject(o).valid).toBe(true);
  });

  it('carry only the hub’s own provenance: a partner’s claim to it is dropped', () => {
    const forged = {
      [SUBMISSION_PROVENANCE_EXTENSION_ID]: {
        extension_type: 'property-extension',
        submitted_by_ref: 'identity--00000000-0000-4000-8000-0000000000aa',
      },
    };
    const o = built(input(sighting({ extensions: forged })));
    expect((o.extensions as JsonObject)[SUBMISSION_PROVENANCE_EXTENSION_ID]).toMatchObject({
      submitted_by_ref: PARTNER,
    });
    const domain: JsonObject = {
      type: 'domain-name',
      spec_version: '2.1',
      id: 'domain-name--00000000-0000-4000-8000-0000000000fe',
      value: 'forged.example',
      extensions: forged,
    };
    const sco = built(input(domain));
    expect(sco.extensions).toBeUndefined();
    expect(sco.id).toBe(computeScoId({ type: 'domain-name', value: 'forged.example' }));
  });

  it('follow references to objects promoted earlier from the same partner', () => {
    const observed = 'observed-data--12345678-1234-4234-8234-123456789abc';
    const o = built(
      input(sighting({ observed_data_refs: [observed] }), {
        promoted: new Map([[observed, 'observed-data--99999999-9999-4999-8999-999999999999']]),
      }),
    );
    expect(o.observed_data_refs).toEqual(['observed-data--99999999-9999-4999-8999-999999999999']);
  });

  it('keep an observable’s deterministic id and carry no provenance in it', () => {
    const domain: JsonObject = {
      type: 'domain-name',
      spec_version: '2.1',
      id: 'domain-name--00000000-0000-4000-8000-0000000000ff',
      value: 'bad.example',
    };
    const o = built(input(domain));
    expect(o.id).toBe(computeScoId(domain));
    expect(o.extensions).toBeUndefined();
  });

  it('are refused for markings, extension definitions, revoked objects and identities named as a partner or the hub', () => {
    const refused = [
      {
        type: 'marking-definition',
        spec_version: '2.1',
        id: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
        created: '2026-01-01T00:00:00.000Z',
        definition_type: 'statement',
        definition: { statement: 'not red at all' },
      },
      { ...sighting(), type: 'extension-definition' },
      sighting({ revoked: true }),
      {
        type: 'identity',
        spec_version: '2.1',
        id: PARTNER,
        created: '2026-01-01T00:00:00.000Z',
        modified: '2026-02-01T00:00:00.000Z',
        created_by_ref: PARTNER,
        name: ' Allied-Service ',
      },
    ];
    for (const o of refused) {
      const r = buildPromotedObject(input(o));
      expect(r.ok, JSON.stringify(o)).toBe(false);
      expect(r.ok === false && r.code).toBe('not-promotable');
    }
  });

  it('never reach a tearline with their provenance, whatever the profile allows', () => {
    const profiles = [...BUILT_IN_PROFILES.values(), { ...ALLY_PROFILE, allow_extensions: ['*'] }];
    let released = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...profiles),
        fc.string({ minLength: 1, maxLength: 20 }),
        (profile, note) => {
          const o = built(input(sighting({ description: `seen ${note}` })));
          // The submitter consented to re-sharing under the hub's name (none would withhold every copy).
          const ctx = testContext({
            profile,
            submitters: new Map([[PARTNER, { name: 'submitting-partner', consent: 'hub-only' }]]),
          });
          const r = sanitise(o, ctx, releasedAll(ctx, [INDICATOR]));
          if (!r.ok) return; // withheld copies carry nothing at all
          released++;
          const text = JSON.stringify(r.tearline);
          expect(text).not.toContain(SUBMISSION_PROVENANCE_EXTENSION_ID);
          expect(text).not.toContain(PARTNER);
          expect(text).not.toContain('sighting--aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
          expect(r.removed).toContainEqual({
            path: `extensions.${SUBMISSION_PROVENANCE_EXTENSION_ID}`,
            rule: 'submission-provenance',
          });
        },
      ),
      { numRuns: 50 },
    );
    expect(released).toBeGreaterThan(25);
    expect(sanitise(built(input(sighting())), testContext(), NOTHING_RELEASED).ok).toBe(false);
  });
});
