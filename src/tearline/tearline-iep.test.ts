import { describe, expect, it } from 'vitest';
import { IEP_EXTENSION_ID } from '../policy/marking-iep.js';
import { tlp2MarkingId } from '../stix/markings-tlp.js';
import type { JsonObject } from '../stix/types.js';
import { NOTHING_RELEASED } from './tearline-context.js';
import { STANDARD_PROFILE } from './tearline-profile.js';
import { sanitise } from './tearline-sanitise.js';
import { statementCopyOf } from './tearline-statements.js';
import { GREEN, HUB_IDENTITY, indicator, SOURCE_ID, testContext } from './tearline-test-objects.js';

const IEP = 'marking-definition--da05d443-ad8d-46fc-abf5-31d3d00290f1';
const def = (tlp: string): JsonObject => ({
  type: 'marking-definition',
  spec_version: '2.1',
  id: IEP,
  created: '2024-01-10T14:52:41.853Z',
  name: 'IEP data marking',
  created_by_ref: SOURCE_ID,
  extensions: {
    [IEP_EXTENSION_ID]: {
      extension_type: 'property-extension',
      encrypt_in_transit: 'may',
      permitted_actions: 'externally-visible-direct-actions',
      affected_party_notifications: 'may',
      tlp,
      provider_attribution: 'must-not',
      unmodified_resale: 'must-not',
      iep_id: '0224bfdf-ea3a-49c3-96f6-66d908bb1845',
      iep_version: 2.0,
      description: 'This is an Information Exchange Policy',
      start_date: '2022-10-01T00:00:00Z',
      x_internal_note: 'from desk 4',
    },
  },
});

describe('IEP markings in the copy', () => {
  it("travel with the copy even where the profile drops statements; the IEP's TLP is the copy's level", () => {
    const r = sanitise(
      indicator({ object_marking_refs: [IEP] }),
      testContext({
        ceiling: 'amber',
        profile: { ...STANDARD_PROFILE, statement_markings: 'drop' },
        statements: new Map([[IEP, def('amber')]]),
      }),
      NOTHING_RELEASED,
    );
    if (!r.ok) throw new Error(r.message);
    expect(r.tearline.object_marking_refs).toEqual([tlp2MarkingId('amber'), IEP]);
    // provider_attribution must-not: the copy names the hub, never the provider.
    expect(r.tearline.created_by_ref).toBe(HUB_IDENTITY);
    // Its definition goes too, under that profile, so the partner can resolve it.
    const definition = sanitise(
      def('amber'),
      testContext({
        profile: { ...STANDARD_PROFILE, statement_markings: 'drop' },
        statements: new Map([[IEP, def('amber')]]),
      }),
      NOTHING_RELEASED,
    );
    expect(definition).toMatchObject({ ok: true, partnerObjectId: IEP });
  });

  it('an IEP above the ceiling withholds the object; on a granular part it removes only that part', () => {
    const statements = new Map([[IEP, def('amber')]]);
    const whole = sanitise(
      indicator({ object_marking_refs: [IEP] }),
      testContext({ ceiling: 'green', statements }),
      NOTHING_RELEASED,
    );
    expect(whole).toMatchObject({ ok: false, code: 'marking-above-ceiling' });
    const part = sanitise(
      indicator({
        object_marking_refs: [GREEN],
        granular_markings: [{ marking_ref: IEP, selectors: ['description'] }],
      }),
      testContext({ ceiling: 'green', statements }),
      NOTHING_RELEASED,
    );
    if (!part.ok) throw new Error(part.message);
    expect(part.tearline.description).toBeUndefined();
    expect(part.removed.map((x) => x.rule)).toContain('granular-marking');
    const kept = sanitise(
      indicator({
        object_marking_refs: [GREEN],
        granular_markings: [{ marking_ref: IEP, selectors: ['description'] }],
      }),
      testContext({ ceiling: 'amber', statements }),
      NOTHING_RELEASED,
    );
    if (!kept.ok) throw new Error(kept.message);
    // The part keeps its IEP; the copy's level is the strictest it still holds.
    expect(kept.tearline.granular_markings).toEqual([{ marking_ref: IEP, selectors: ['description'] }]);
    expect(kept.tearline.object_marking_refs).toEqual([tlp2MarkingId('amber')]);
  });

  it("the partner's copy of the definition holds the IEP fields as read, nothing of ours", () => {
    const copy = statementCopyOf(def('white'));
    expect(copy).toEqual({
      type: 'marking-definition',
      spec_version: '2.1',
      id: IEP,
      created: '2024-01-10T14:52:41.853Z',
      name: 'IEP data marking',
      extensions: {
        [IEP_EXTENSION_ID]: {
          extension_type: 'property-extension',
          encrypt_in_transit: 'may',
          permitted_actions: 'externally-visible-direct-actions',
          affected_party_notifications: 'may',
          tlp: 'white',
          provider_attribution: 'must-not',
          unmodified_resale: 'must-not',
          iep_id: '0224bfdf-ea3a-49c3-96f6-66d908bb1845',
          iep_version: 2,
          description: 'This is an Information Exchange Policy',
          start_date: '2022-10-01T00:00:00.000Z',
        },
      },
    });
  });
});
