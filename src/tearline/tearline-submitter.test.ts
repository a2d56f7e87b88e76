import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../stix/types.js';
import { createSanitiseContext, releasedSetOf } from './tearline-context.js';
import { STANDARD_PROFILE } from './tearline-profile.js';
import { SUBMISSION_PROVENANCE_EXTENSION_ID } from './tearline-provenance.js';
import { sanitise } from './tearline-sanitise.js';
import { SUBMITTER_CONSENTS, type SubmitterCatalog, type SubmitterConsent } from './tearline-submitter.js';
import { GREEN, HUB_IDENTITY } from './tearline-test-objects.js';

const SUBMITTER = 'identity--5b0c6a3e-1f2d-4c8b-9a7e-3d2f1e0c9b8a';
const OTHER = 'identity--7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
const INTRUSION_SET = 'intrusion-set--d118aebe-ee43-58e9-9939-14d533fcb970';

/** A sighting as promotion leaves it: created by the hub, the provenance extension naming the submitter. */
function promotedSighting(extra: JsonObject = {}): JsonObject {
  return {
    type: 'sighting',
    spec_version: '2.1',
    id: 'sighting--0e5d4c3b-2a19-4f08-8e7d-6c5b4a392817',
    created: '2026-12-01T10:00:00.000Z',
    modified: '2026-12-01T10:00:00.000Z',
    created_by_ref: HUB_IDENTITY,
    sighting_of_ref: INTRUSION_SET,
    where_sighted_refs: [SUBMITTER],
    count: 3,
    object_marking_refs: [GREEN],
    extensions: {
      [SUBMISSION_PROVENANCE_EXTENSION_ID]: {
        extension_type: 'property-extension',
        submitted_by_ref: SUBMITTER,
        submitted_at: '2026-12-01T09:00:00.000Z',
        submitted_id: 'sighting--11111111-2222-4333-8444-555555555555',
      },
    },
    ...extra,
  };
}

function contextFor(partnerId: string, consent: SubmitterConsent | undefined, name = 'kabul-authorities') {
  const submitters: SubmitterCatalog = new Map(consent === undefined ? [] : [[SUBMITTER, { name, consent }]]);
  return createSanitiseContext({
    hubSecret: 'test hub secret',
    partnerId,
    ceiling: 'amber',
    releasingIdentityId: HUB_IDENTITY,
    profile: STANDARD_PROFILE,
    submitters,
  });
}

function releasedFor(ctx: ReturnType<typeof contextFor>) {
  return releasedSetOf(new Map([[INTRUSION_SET, ctx.partner.deriveId(INTRUSION_SET)]]));
}

describe('submitter anonymity in copies to other partners', () => {
  it('consent none (or a submitter the hub does not know) withholds the copy from everyone else', () => {
    for (const consent of ['none', undefined] as const) {
      const ctx = contextFor(OTHER, consent);
      const result = sanitise(promotedSighting(), ctx, releasedFor(ctx));
      expect(result).toMatchObject({ ok: false, code: 'submitter-consent' });
    }
  });

  it('hub-only: where_sighted_refs names the hub in place of the submitter, and nothing else names it', () => {
    const ctx = contextFor(OTHER, 'hub-only');
    const result = sanitise(promotedSighting(), ctx, releasedFor(ctx));
    if (!result.ok) throw new Error(result.message);
    expect(result.tearline.where_sighted_refs).toEqual([HUB_IDENTITY]);
    expect(result.tearline.created_by_ref).toBe(HUB_IDENTITY);
    expect(JSON.stringify(result.tearline)).not.toContain(SUBMITTER);
    // Two references that both became the hub are one.
    const both = sanitise(
      promotedSighting({ where_sighted_refs: [SUBMITTER, HUB_IDENTITY] }),
      ctx,
      releasedFor(ctx),
    );
    expect(both.ok && both.tearline.where_sighted_refs).toEqual([HUB_IDENTITY]);
  });

  it('hub-only: a copy whose text names the submitter is withheld, whatever the case', () => {
    const ctx = contextFor(OTHER, 'hub-only');
    const result = sanitise(
      promotedSighting({ description: 'Reported by KABUL-Authorities liaison' }),
      ctx,
      releasedFor(ctx),
    );
    expect(result).toMatchObject({ ok: false, code: 'submitter-named' });
    expect(result.ok || result.message).not.toContain('kabul');
  });

  it('named: the text may name the submitter; the copy still names the hub as its creator', () => {
    const ctx = contextFor(OTHER, 'named');
    const result = sanitise(
      promotedSighting({ description: 'Reported by kabul-authorities' }),
      ctx,
      releasedFor(ctx),
    );
    if (!result.ok) throw new Error(result.message);
    expect(result.tearline.description).toBe('Reported by kabul-authorities');
    expect(result.tearline.created_by_ref).toBe(HUB_IDENTITY);
  });

  it('the submitter gets its own promoted object back whatever its consent', () => {
    for (const consent of SUBMITTER_CONSENTS) {
      const ctx = contextFor(SUBMITTER, consent);
      expect(sanitise(promotedSighting(), ctx, releasedFor(ctx)).ok).toBe(true);
    }
  });

  it('property: no copy to another partner contains the submitter id or name unless consent is named', () => {
    let copies = 0;
    const name = fc.stringMatching(/^[a-z][a-z0-9-]{2,20}$/);
    const text = fc.array(
      fc.oneof(
        { weight: 1, arbitrary: fc.constant('NAME') },
        { weight: 1, arbitrary: fc.constant('ID') },
        { weight: 6, arbitrary: fc.string({ maxLength: 12 }) },
      ),
      { maxLength: 4 },
    );
    fc.assert(
      fc.property(
        name,
        fc.constantFrom<SubmitterConsent | undefined>(...SUBMITTER_CONSENTS, undefined),
        text,
        text,
        fc.subarray([SUBMITTER, HUB_IDENTITY]),
        fc.boolean(),
        (submitterName, consent, description, labels, sightedAt, upper) => {
          const fill = (parts: string[]) =>
            parts
              .map((p) => (p === 'NAME' ? (upper ? submitterName.toUpperCase() : submitterName) : p))
              .map((p) => (p === 'ID' ? SUBMITTER : p))
              .join(' ');
          const extra: JsonObject = {};
          const d = fill(description);
          if (d.trim() !== '') extra.description = d;
          if (sightedAt.length > 0) extra.where_sighted_refs = sightedAt;
          else extra.where_sighted_refs = [];
          const label = fill(labels).trim();
          if (label !== '') extra.labels = [label];
          const object = promotedSighting(extra);
          if ((extra.where_sighted_refs as string[]).length === 0) delete object.where_sighted_refs;
          const ctx = contextFor(OTHER, consent, submitterName);
          const result = sanitise(object, ctx, releasedFor(ctx));
          if (consent === 'none' || consent === undefined) {
            expect(result).toMatchObject({ ok: false, code: 'submitter-consent' });
            return;
          }
          if (!result.ok) {
            // Withholding is always safe; the only reasons here are the text naming the submitter.
            expect(['submitter-named', 'internal-id']).toContain(result.code);
            return;
          }
          copies++;
          const copy = JSON.stringify(result.tearline).toLowerCase();
          expect(copy).not.toContain(SUBMITTER);
          if (consent === 'hub-only') expect(copy).not.toContain(submitterName.toLowerCase());
        },
      ),
      { numRuns: 300 },
    );
    // Not vacuous: most runs with consent make a copy.
    expect(copies).toBeGreaterThan(50);
  });
});
