import { describe, expect, it } from 'vitest';
import { tlp2MarkingId } from '../stix/markings-tlp.js';
import { NOTHING_RELEASED } from './tearline-context.js';
import { ALLY_PROFILE } from './tearline-profile.js';
import { sanitise } from './tearline-sanitise.js';
import {
  AMBER,
  COPYRIGHT_MARKING,
  GREEN,
  indicator,
  RED,
  TLP1_AMBER,
  testContext,
  UNKNOWN_MARKING,
} from './tearline-test-objects.js';
import type { TearlineResult } from './tearline-types.js';

function ok(result: TearlineResult) {
  if (!result.ok) throw new Error(`expected a tearline, got ${result.code}: ${result.message}`);
  return result;
}

describe('object-level markings', () => {
  it.each([
    ['red above amber', [RED], 'amber'],
    ['amber above green', [AMBER], 'green'],
    ['unknown marking', [UNKNOWN_MARKING], 'red'],
    ['one of two above', [GREEN, RED], 'amber'],
  ] as const)('withholds when %s', (_name, refs, ceiling) => {
    const result = sanitise(
      indicator({ object_marking_refs: [...refs] }),
      testContext({ ceiling }),
      NOTHING_RELEASED,
    );
    expect(result).toMatchObject({ ok: false, code: 'marking-above-ceiling' });
  });

  it('treats an unmarked object as the profile says (strict: amber)', () => {
    const unmarked = indicator();
    delete unmarked.object_marking_refs;
    expect(sanitise(unmarked, testContext({ ceiling: 'green' }), NOTHING_RELEASED)).toMatchObject({
      ok: false,
      code: 'marking-above-ceiling',
    });
    const ally = ok(
      sanitise(unmarked, testContext({ ceiling: 'green', profile: ALLY_PROFILE }), NOTHING_RELEASED),
    );
    expect(ally.tearline.object_marking_refs).toEqual([GREEN]);
  });

  it('marks the copy with the TLP 2.0 marking of its level; statement markings count but are not carried', () => {
    const copy = ok(
      sanitise(
        indicator({ object_marking_refs: [COPYRIGHT_MARKING, TLP1_AMBER] }),
        testContext(),
        NOTHING_RELEASED,
      ),
    );
    expect(copy.tearline.object_marking_refs).toEqual([AMBER]);
    const clear = ok(
      sanitise(indicator({ object_marking_refs: [COPYRIGHT_MARKING] }), testContext(), NOTHING_RELEASED),
    );
    expect(clear.tearline.object_marking_refs).toEqual([tlp2MarkingId('clear')]);
  });
});

describe('granular markings', () => {
  it('removes a property marked above the ceiling and names the rule', () => {
    const obj = indicator({ granular_markings: [{ marking_ref: RED, selectors: ['description'] }] });
    const result = ok(sanitise(obj, testContext(), NOTHING_RELEASED));
    expect(result.tearline.description).toBeUndefined();
    expect(result.tearline.granular_markings).toBeUndefined();
    expect(result.removed).toContainEqual({ path: 'description', rule: 'granular-marking' });
  });

  it('removes list items and nested properties, re-indexing the selectors that remain', () => {
    const obj = indicator({
      labels: ['alpha', 'bravo', 'charlie'],
      external_references: [
        { source_name: 'capec', external_id: 'CAPEC-1' },
        { source_name: 'cve', external_id: 'CVE-2024-12345', url: 'https://secret.example/x' },
        { source_name: 'cwe', external_id: 'CWE-79' },
      ],
      granular_markings: [
        {
          marking_ref: RED,
          selectors: ['labels.[0]', 'external_references.[1].url', 'external_references.[0]'],
        },
        {
          marking_ref: TLP1_AMBER,
          selectors: ['labels.[2]', 'external_references.[2].external_id', 'labels.[0]'],
        },
      ],
    });
    const result = ok(sanitise(obj, testContext(), NOTHING_RELEASED));
    expect(result.tearline.labels).toEqual(['bravo', 'charlie']);
    expect(result.tearline.external_references).toEqual([
      { source_name: 'cve', external_id: 'CVE-2024-12345' },
      { source_name: 'cwe', external_id: 'CWE-79' },
    ]);
    // labels.[0] is gone, so that selector is dropped; the others move with their items.
    expect(result.tearline.granular_markings).toEqual([
      { marking_ref: AMBER, selectors: ['labels.[1]', 'external_references.[1].external_id'] },
    ]);
    expect(result.tearline.object_marking_refs).toEqual([AMBER]);
    expect(result.removed).toEqual(
      expect.arrayContaining([
        { path: 'labels.[0]', rule: 'granular-marking' },
        { path: 'external_references.[0]', rule: 'granular-marking' },
        { path: 'external_references.[1].url', rule: 'granular-marking' },
      ]),
    );
  });

  it('drops a list left empty and granular markings that select nothing any more', () => {
    const obj = indicator({
      labels: ['only'],
      granular_markings: [
        { marking_ref: UNKNOWN_MARKING, selectors: ['labels.[0]'] },
        { marking_ref: GREEN, selectors: ['labels'] },
      ],
    });
    const result = ok(sanitise(obj, testContext({ ceiling: 'red' }), NOTHING_RELEASED));
    expect(result.tearline.labels).toBeUndefined();
    expect(result.tearline.granular_markings).toBeUndefined();
    expect(result.removed).toContainEqual({ path: 'labels', rule: 'empty-after-removal' });
  });

  it('withholds when a marking above the ceiling selects nothing (the content cannot be found)', () => {
    const obj = indicator({ granular_markings: [{ marking_ref: RED, selectors: ['labels.[4]'] }] });
    expect(sanitise(obj, testContext(), NOTHING_RELEASED)).toMatchObject({
      ok: false,
      code: 'marking-above-ceiling',
    });
  });

  it('withholds instead of removing a required property', () => {
    const obj = indicator({ granular_markings: [{ marking_ref: RED, selectors: ['pattern'] }] });
    const result = sanitise(obj, testContext(), NOTHING_RELEASED);
    expect(result).toMatchObject({ ok: false, code: 'marking-above-ceiling' });
    expect(result.ok ? '' : result.message).toContain("'pattern'");
  });

  it('keeps lang granular markings, re-targeted', () => {
    const obj = indicator({
      labels: ['x', 'y'],
      granular_markings: [
        { marking_ref: RED, selectors: ['labels.[0]'] },
        { lang: 'fa', selectors: ['labels.[1]', 'name'] },
      ],
    });
    const result = ok(sanitise(obj, testContext(), NOTHING_RELEASED));
    expect(result.tearline.granular_markings).toEqual([{ lang: 'fa', selectors: ['labels.[0]', 'name'] }]);
  });
});
