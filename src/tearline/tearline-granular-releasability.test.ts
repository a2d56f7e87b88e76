import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../stix/types.js';
import { createSanitiseContext, NOTHING_RELEASED } from './tearline-context.js';
import { STANDARD_PROFILE } from './tearline-profile.js';
import { sanitise } from './tearline-sanitise.js';
import { GREEN, HUB_IDENTITY, indicator } from './tearline-test-objects.js';

const relDef = (n: number, statement: string): JsonObject => ({
  type: 'marking-definition',
  spec_version: '2.1',
  id: `marking-definition--6a1c3a3e-1b52-4d7e-9d8e-${String(n).padStart(12, '0')}`,
  created: '2026-01-01T00:00:00.000Z',
  definition_type: 'statement',
  definition: { statement },
});
const USA_GBR = relDef(1, 'REL TO USA, GBR');
const FVEY = relDef(2, 'REL TO FVEY');

function ctx(releasableAs: string[] | undefined, defs: JsonObject[] = [USA_GBR, FVEY]) {
  return createSanitiseContext({
    hubSecret: 'test hub secret',
    partnerId: 'partner-a',
    ceiling: 'amber',
    releasingIdentityId: HUB_IDENTITY,
    profile: STANDARD_PROFILE,
    statements: new Map(defs.map((d) => [d.id as string, d])),
    ...(releasableAs !== undefined && { releasableAs }),
  });
}
const marked = (ref: JsonObject, selectors: string[]) =>
  indicator({
    object_marking_refs: [GREEN],
    granular_markings: [{ marking_ref: ref.id as string, selectors }],
  });

describe('releasability in granular markings', () => {
  it('removes the part from a partner it excludes (rule granular-releasability), not the object', () => {
    const r = sanitise(marked(USA_GBR, ['description']), ctx(['AFG']), NOTHING_RELEASED);
    if (!r.ok) throw new Error(r.message);
    expect(r.tearline.description).toBeUndefined();
    expect(r.tearline.name).toBe('Kerman follow-up');
    expect(r.removed).toContainEqual({ path: 'description', rule: 'granular-releasability' });
    expect(JSON.stringify(r.tearline)).not.toContain(USA_GBR.id as string);
  });

  it('keeps the part, with its marking, for a partner it admits by nationality or community', () => {
    for (const who of [['GBR'], ['AUS', 'FVEY']]) {
      const ref = who.includes('FVEY') ? FVEY : USA_GBR;
      const r = sanitise(marked(ref, ['description']), ctx(who), NOTHING_RELEASED);
      if (!r.ok) throw new Error(r.message);
      expect(r.tearline.description).toBe('Beaconing seen after the attack');
      expect(r.tearline.granular_markings).toEqual([{ marking_ref: ref.id, selectors: ['description'] }]);
    }
  });

  it('a partner with no nationality or community is excluded; an unreadable REL TO removes the part', () => {
    const none = sanitise(marked(USA_GBR, ['description']), ctx(undefined), NOTHING_RELEASED);
    expect(none.ok && none.tearline.description).toBe(undefined);
    // Not catalogued (the hub could not read it): unknown, above every ceiling, the part goes.
    const vague = relDef(3, 'REL TO our friends');
    const r = sanitise(marked(vague, ['description']), ctx(['USA'], [USA_GBR]), NOTHING_RELEASED);
    if (!r.ok) throw new Error(r.message);
    expect(r.tearline.description).toBeUndefined();
  });

  it('withholds the object, with a reason, when the part is a property the type requires', () => {
    const r = sanitise(marked(USA_GBR, ['pattern']), ctx(['AFG']), NOTHING_RELEASED);
    expect(r).toEqual({
      ok: false,
      code: 'releasability',
      message: "required property 'pattern' would be removed (rule granular-releasability)",
    });
    const nothing = sanitise(marked(USA_GBR, ['x_missing']), ctx(['AFG']), NOTHING_RELEASED);
    expect(nothing).toMatchObject({ ok: false, code: 'marking-above-ceiling' });
    expect(!nothing.ok && nothing.message).toContain('REL TO USA, GBR (not releasable to this partner)');
  });
});

describe('granular releasability (property-based)', () => {
  const NATIONS = ['USA', 'GBR', 'AFG', 'PAK', 'FVEY'];
  const FIELDS = ['name', 'description', 'labels', 'pattern', 'valid_until'];
  it('no copy to a partner holds a property whose granular releasability excludes it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ to: fc.subarray(NATIONS, { minLength: 1 }), fields: fc.subarray(FIELDS) }), {
          maxLength: 4,
        }),
        fc.subarray(NATIONS),
        (markings, who) => {
          const defs = markings.map((m, i) => relDef(10 + i, `REL TO ${m.to.join(', ')}`));
          const granular = markings
            .map((m, i) => ({ marking_ref: defs[i]?.id as string, selectors: m.fields }))
            .filter((g) => g.selectors.length > 0);
          const object = indicator({
            object_marking_refs: [GREEN],
            labels: ['kerman'],
            valid_until: '2026-01-01T00:00:00.000Z',
            ...(granular.length > 0 && { granular_markings: granular }),
          });
          const r = sanitise(object, ctx(who, defs), NOTHING_RELEASED);
          const excluded = new Set(
            markings.flatMap((m) => (m.to.some((n) => who.includes(n)) ? [] : m.fields)),
          );
          if (!r.ok) {
            // Only a required property under an excluding marking withholds the whole object.
            expect(r.code).toBe('releasability');
            expect(excluded.has('pattern')).toBe(true);
            return;
          }
          for (const f of excluded) expect(r.tearline[f]).toBeUndefined();
          for (const f of FIELDS) if (!excluded.has(f)) expect(r.tearline[f]).toEqual(object[f]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
