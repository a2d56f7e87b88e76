import { describe, expect, it } from 'vitest';
import { tlp2MarkingId } from '../stix/markings-tlp.js';
import type { JsonObject } from '../stix/types.js';
import { validateObject } from '../stix/validate.js';
import { NOTHING_RELEASED } from './tearline-context.js';
import { compileForbiddenTerms } from './tearline-forbidden.js';
import { STANDARD_PROFILE, STRICT_PROFILE } from './tearline-profile.js';
import { sanitise } from './tearline-sanitise.js';
import { statementCopyOf } from './tearline-statements.js';
import { GREEN, indicator, testContext } from './tearline-test-objects.js';

// MITRE ATT&CK's own statement marking, as its bundles carry it.
const MITRE = 'marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168';
const MITRE_DEF: JsonObject = {
  type: 'marking-definition',
  spec_version: '2.1',
  id: MITRE,
  created: '2017-06-01T00:00:00.000Z',
  created_by_ref: 'identity--c78cb6e5-0c4b-4611-8297-d1b8b55e40b5',
  definition_type: 'statement',
  definition: { statement: 'Copyright 2015-2025, The MITRE Corporation.' },
};
const statements = new Map([[MITRE, MITRE_DEF]]);

function withStatement(extra: JsonObject = {}): JsonObject {
  const o = indicator({ object_marking_refs: [MITRE], ...extra });
  return o;
}

describe('statement markings', () => {
  it('restrict nothing and travel with the copy under their own id', () => {
    const r = sanitise(
      withStatement(),
      testContext({ ceiling: 'green', profile: STANDARD_PROFILE, statements }),
      NOTHING_RELEASED,
    );
    if (!r.ok) throw new Error(r.message);
    // No TLP marking: the standard profile counts it as green; the statement stays beside it.
    expect(r.tearline.object_marking_refs).toEqual([tlp2MarkingId('green'), MITRE]);
    expect(validateObject(r.tearline, { isKnownMarking: (id) => id === MITRE || id.length > 0 }).valid).toBe(
      true,
    );
  });

  it('are dropped where the profile says', () => {
    const r = sanitise(
      withStatement({ object_marking_refs: [MITRE, GREEN] }),
      testContext({
        ceiling: 'green',
        profile: { ...STANDARD_PROFILE, statement_markings: 'drop' },
        statements,
      }),
      NOTHING_RELEASED,
    );
    if (!r.ok) throw new Error(r.message);
    expect(r.tearline.object_marking_refs).toEqual([GREEN]);
  });

  it('count as unknown, above every ceiling, when the hub does not hold their definition', () => {
    const r = sanitise(
      withStatement(),
      testContext({ ceiling: 'red', markings: new Map() }),
      NOTHING_RELEASED,
    );
    expect(r).toMatchObject({ ok: false, code: 'marking-above-ceiling' });
  });

  it("are carried in granular markings too, re-targeted to the copy's paths", () => {
    const r = sanitise(
      indicator({
        object_marking_refs: [GREEN],
        granular_markings: [{ marking_ref: MITRE, selectors: ['description'] }],
      }),
      testContext({ ceiling: 'green', statements }),
      NOTHING_RELEASED,
    );
    if (!r.ok) throw new Error(r.message);
    expect(r.tearline.granular_markings).toEqual([{ marking_ref: MITRE, selectors: ['description'] }]);
  });

  it('withhold the object when the statement itself holds a forbidden term', () => {
    const compiled = compileForbiddenTerms([{ name: 'vendor', term: 'MITRE', source: 'hub' }]);
    if (!compiled.ok) throw new Error('rules');
    const r = sanitise(
      withStatement({ name: 'x', description: 'y' }),
      testContext({ ceiling: 'green', profile: STANDARD_PROFILE, statements, forbidden: compiled.filter }),
      NOTHING_RELEASED,
    );
    expect(r).toMatchObject({ ok: false, code: 'forbidden-term' });
    if (!r.ok) expect(r.message).not.toContain('MITRE Corporation');
  });

  it('release their definition as a bare copy: id, created, name and statement only', () => {
    expect(statementCopyOf(MITRE_DEF)).toEqual({
      type: 'marking-definition',
      spec_version: '2.1',
      id: MITRE,
      created: '2017-06-01T00:00:00.000Z',
      definition_type: 'statement',
      definition: { statement: 'Copyright 2015-2025, The MITRE Corporation.' },
    });
    const r = sanitise(MITRE_DEF, testContext({ statements }), NOTHING_RELEASED);
    expect(r).toMatchObject({ ok: true, partnerObjectId: MITRE });
    expect(statementCopyOf({ ...MITRE_DEF, definition: { statement: '' } })).toBeUndefined();
    expect(statementCopyOf({ ...MITRE_DEF, definition_type: 'tlp' })).toBeUndefined();
  });
});

describe("the hub's level for objects without a TLP marking", () => {
  it('raises the profile level, never lowers it', () => {
    const unmarked = indicator();
    delete unmarked.object_marking_refs;
    const raised = sanitise(
      unmarked,
      testContext({ ceiling: 'green', profile: STANDARD_PROFILE, untaggedLevel: 'amber' }),
      NOTHING_RELEASED,
    );
    expect(raised).toMatchObject({ ok: false, code: 'marking-above-ceiling' });
    if (!raised.ok) expect(raised.message).toContain("hub's untagged_tlp");
    const kept = sanitise(
      unmarked,
      testContext({ ceiling: 'green', profile: STRICT_PROFILE, untaggedLevel: 'clear' }),
      NOTHING_RELEASED,
    );
    expect(kept).toMatchObject({ ok: false, code: 'marking-above-ceiling' });
    if (!kept.ok) expect(kept.message).toContain("profile 'strict'");
  });
});
