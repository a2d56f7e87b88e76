import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TLP_LEVELS, type TlpLevel, tlp2MarkingId } from '../stix/markings-tlp.js';
import { classifyStandardMarking, type MarkingClassifier, projectIntel } from './intel-projection.js';

const STATEMENT = 'marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168';
const classify: MarkingClassifier = (id) =>
  id === STATEMENT ? { kind: 'statement' } : classifyStandardMarking(id);
const base = {
  type: 'indicator',
  id: 'indicator--3c1b1ef8-6b1a-4a39-8d3f-2a4f8a0f4a11',
  modified: '2026-06-01T00:00:00.000Z',
};

describe('projectIntel', () => {
  it('property: the level is the most restrictive object-level TLP marking', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TLP_LEVELS), { minLength: 1, maxLength: 4 }), (levels) => {
        const p = projectIntel(
          { ...base, object_marking_refs: [...levels.map(tlp2MarkingId), STATEMENT] },
          { classify },
        );
        const max = TLP_LEVELS[Math.max(...levels.map((l) => TLP_LEVELS.indexOf(l)))] as TlpLevel;
        expect(p).toMatchObject({ marking_state: 'tlp', tlp: max, tlp_defaulted: false });
      }),
      { numRuns: 100 },
    );
  });

  it('leaves granular markings to the sanitiser', () => {
    const p = projectIntel(
      {
        ...base,
        object_marking_refs: [tlp2MarkingId('green')],
        granular_markings: [{ marking_ref: tlp2MarkingId('red'), selectors: ['description'] }],
      },
      { classify },
    );
    expect(p.tlp).toBe('green');
  });

  it('fails closed: unknown or malformed markings are unknown; no marking is unmarked unless the hub sets a default', () => {
    const unknown = 'marking-definition--00000000-0000-4000-8000-000000000000';
    expect(
      projectIntel({ ...base, object_marking_refs: [tlp2MarkingId('clear'), unknown] }, { classify })
        .marking_state,
    ).toBe('unknown');
    expect(projectIntel({ ...base, object_marking_refs: 'x' }, { classify }).marking_state).toBe('unknown');
    expect(projectIntel({ ...base, object_marking_refs: [7] }, { classify }).marking_state).toBe('unknown');
    expect(projectIntel({ ...base, object_marking_refs: [STATEMENT] }, { classify }).marking_state).toBe(
      'unmarked',
    );
    expect(projectIntel(base, { classify, untaggedTlp: 'green' })).toMatchObject({
      tlp: 'green',
      tlp_defaulted: true,
    });
  });

  it('keeps labels sorted and unique, and the version time for embargoes', () => {
    const p = projectIntel({ ...base, labels: ['b', 'a', 'b', 3] }, { classify });
    expect(p.labels).toEqual(['a', 'b']);
    expect(p.version_time_ms).toBe(Date.parse('2026-06-01T00:00:00Z'));
  });
});
