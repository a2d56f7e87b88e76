import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/stix/canonical-json.js';
import {
  compareTlp,
  isStandardTlpMarking,
  TLP_LEVELS,
  type TlpLevel,
  tlpLevelOf,
} from '../src/stix/markings-tlp.js';
import type { JsonObject, JsonValue } from '../src/stix/types.js';
import { validateObject } from '../src/stix/validate.js';
import { sanitiseBatch } from '../src/tearline/tearline-batch.js';
import { createSanitiseContext, releasedSetOf } from '../src/tearline/tearline-context.js';
import { compileForbiddenTerms } from '../src/tearline/tearline-forbidden.js';
import { BUILT_IN_PROFILES, type SanitisationProfile } from '../src/tearline/tearline-profile.js';
import { parseSelector, selectPath } from '../src/tearline/tearline-selector.js';
import { TYPE_RULES } from '../src/tearline/tearline-type-registry.js';
import { type GeneratedWorld, worldArb } from './tearline-world.js';

const HUB_IDENTITY = 'identity--0d6f2c1a-6a3e-4f3b-9d5b-1f0e2a3b4c5d';
const STATEMENT_CLEAR = 'marking-definition--7f1c7d0e-8b1a-4c55-9a0b-2b1f6c9d0a11';
const CAVEAT_RED = 'marking-definition--5b6c0a7e-1d2f-4e3a-8b9c-0d1e2f3a4b5c';
const CATALOG = new Map<string, TlpLevel>([
  [STATEMENT_CLEAR, 'clear'],
  [CAVEAT_RED, 'red'],
]);

const profileArb: fc.Arbitrary<SanitisationProfile> = fc.oneof(
  fc.constantFrom(...BUILT_IN_PROFILES.values()),
  fc.record({
    name: fc.constant('generated'),
    unmarked_level: fc.constantFrom(...TLP_LEVELS),
    keep_confidence: fc.boolean(),
    allow_external_reference_sources: fc.subarray(['capec', 'cve', 'internal-wiki', 'vendor', '*']),
    allow_custom_properties: fc.subarray(['x_hub_note', 'x_*']),
    allow_extensions: fc.constant([]),
    allow_custom_types: fc.constant([]),
    deny_labels: fc.subarray(['internal:*', 'source:*']),
    coordinate_decimals: fc.constantFrom(null, 0, 1, 2, 5),
    coarsen_to_day: fc.subarray(['first_seen', 'last_seen', 'valid_from', 'published']),
    statement_markings: fc.constantFrom('carry' as const, 'drop' as const),
  }),
);

interface Case {
  world: GeneratedWorld;
  batch: JsonObject[];
  earlier: string[];
  ceiling: TlpLevel;
  profile: SanitisationProfile;
  partnerId: string;
  forbiddenMarker: string | undefined;
}

const caseArb: fc.Arbitrary<Case> = worldArb.chain((world) =>
  fc
    .record({
      world: fc.constant(world),
      inBatch: fc.array(fc.boolean(), { minLength: world.objects.length, maxLength: world.objects.length }),
      inEarlier: fc.array(fc.boolean(), { minLength: world.objects.length, maxLength: world.objects.length }),
      ceiling: fc.constantFrom(...TLP_LEVELS),
      profile: profileArb,
      partnerId: fc.constantFrom('partner-a', 'partner-b', 'partner-c'),
      forbidden: fc.option(fc.nat(), { nil: undefined }),
    })
    .map(({ world, inBatch, inEarlier, ceiling, profile, partnerId, forbidden }) => {
      const batch = world.objects.filter((_, i) => inBatch[i]);
      const earlier = world.objects.filter(
        (o, i) => !inBatch[i] && inEarlier[i] && o.type !== 'ipv4-addr' && o.type !== 'file',
      );
      const forbiddenMarker =
        forbidden === undefined ? undefined : world.markers[forbidden % world.markers.length];
      return {
        world,
        batch,
        earlier: earlier.map((o) => o.id as string),
        ceiling,
        profile,
        partnerId,
        forbiddenMarker,
      };
    }),
);

function levelOf(id: JsonValue | undefined): TlpLevel | undefined {
  return typeof id === 'string' ? (tlpLevelOf(id) ?? CATALOG.get(id)) : undefined;
}

function isAbove(id: JsonValue | undefined, ceiling: TlpLevel): boolean {
  const level = levelOf(id);
  return level === undefined || compareTlp(level, ceiling) > 0;
}

/** Every distinctive marker string under a value. */
function markersIn(value: JsonValue | undefined, out: string[] = []): string[] {
  if (typeof value === 'string') {
    for (const m of value.matchAll(/~m\d+_\d+~/g)) out.push(m[0]);
  } else if (Array.isArray(value)) for (const v of value) markersIn(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) markersIn(v, out);
  return out;
}

/** Markers of content marked above the ceiling: the whole object, or what a granular marking selects. */
function secretMarkers(obj: JsonObject, ceiling: TlpLevel): string[] {
  const refs = obj.object_marking_refs;
  if (Array.isArray(refs) && refs.some((r) => isAbove(r, ceiling))) return markersIn(obj);
  const out: string[] = [];
  for (const gm of (obj.granular_markings ?? []) as JsonObject[]) {
    if (!isAbove(gm.marking_ref, ceiling)) continue;
    for (const selector of gm.selectors as string[]) {
      const path = parseSelector(selector);
      if (path) markersIn(selectPath(obj, path), out);
    }
  }
  return out;
}

function refsIn(value: JsonValue, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refsIn(v, out);
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key.endsWith('_ref') && typeof v === 'string') out.push(v);
      else if (key.endsWith('_refs') && Array.isArray(v)) out.push(...(v as string[]));
      else refsIn(v, out);
    }
  }
  return out;
}

function run(c: Case) {
  const rules = c.forbiddenMarker
    ? [{ name: 'generated', source: 'agreement' as const, term: c.forbiddenMarker }]
    : [];
  const compiled = compileForbiddenTerms(rules);
  if (!compiled.ok) throw new Error('generated rule must compile');
  const ctx = createSanitiseContext({
    hubSecret: 'property secret',
    partnerId: c.partnerId,
    ceiling: c.ceiling,
    releasingIdentityId: HUB_IDENTITY,
    profile: c.profile,
    markings: CATALOG,
    forbidden: compiled.filter,
  });
  const earlier = new Map(c.earlier.map((id) => [id, ctx.partner.deriveId(id)]));
  return { result: sanitiseBatch(c.batch, ctx, releasedSetOf(earlier)), earlier };
}

const RUNS = { numRuns: 150 };

describe('tearline property generators', () => {
  it('exercise releases, withholdings and granular removals (the properties are not vacuous)', () => {
    const counts = { released: 0, withheld: 0, granular: 0, closure: 0, types: new Set<string>() };
    for (const c of fc.sample(caseArb, { numRuns: 200, seed: 42 })) {
      const { result } = run(c);
      counts.released += result.released.length;
      counts.withheld += result.withheld.length;
      for (const r of result.released) {
        counts.types.add(r.tearline.type as string);
        counts.granular += r.removed.filter((x) => x.rule === 'granular-marking').length;
        counts.closure += r.removed.filter((x) => x.rule === 'reference-closure').length;
      }
    }
    expect(counts.released).toBeGreaterThan(100);
    expect(counts.withheld).toBeGreaterThan(100);
    expect(counts.granular).toBeGreaterThan(20);
    expect(counts.closure).toBeGreaterThan(5);
    expect(counts.types.size).toBeGreaterThanOrEqual(10);
  });
});

describe('tearline properties', () => {
  it('1: no value marked above the ceiling appears anywhere in the output', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const out = JSON.stringify(run(c).result.released);
        for (const obj of c.batch)
          for (const marker of secretMarkers(obj, c.ceiling)) expect(out).not.toContain(marker);
      }),
      RUNS,
    );
  });

  it('2: no internal id of any object appears in any output', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        // What the partner sees: the copies and their ids (withheld reasons stay with officers).
        const out = JSON.stringify(run(c).result.released.map((r) => [r.partnerObjectId, r.tearline]));
        for (const obj of c.world.objects) expect(out).not.toContain(obj.id as string);
        expect(out).not.toContain(c.partnerId);
      }),
      RUNS,
    );
  });

  it('3: every reference in the output resolves within what the partner has', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { result, earlier } = run(c);
        const known = new Set([
          HUB_IDENTITY,
          ...earlier.values(),
          ...result.released.map((r) => r.partnerObjectId),
        ]);
        for (const r of result.released) {
          for (const ref of refsIn(r.tearline))
            expect(known.has(ref) || isStandardTlpMarking(ref)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('4: every output validates as STIX 2.1 (validator, required properties, markings, selectors)', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        for (const r of run(c).result.released) {
          const copy = r.tearline;
          expect(validateObject(copy).errors).toEqual([]);
          for (const prop of TYPE_RULES[copy.type as string]?.required ?? [])
            expect(copy[prop]).toBeDefined();
          expect(copy.object_marking_refs).toHaveLength(1);
          expect(
            compareTlp(levelOf((copy.object_marking_refs as string[])[0]) ?? 'red', c.ceiling),
          ).toBeLessThanOrEqual(0);
          for (const gm of (copy.granular_markings ?? []) as JsonObject[]) {
            for (const s of gm.selectors as string[])
              expect(selectPath(copy, parseSelector(s) ?? [])).toBeDefined();
          }
          if (typeof copy.created === 'string') expect((copy.modified as string) >= copy.created).toBe(true);
          expect(JSON.stringify(copy)).not.toMatch(/\[\]|\{\}/);
          if (c.forbiddenMarker) expect(JSON.stringify(copy)).not.toContain(c.forbiddenMarker);
        }
      }),
      RUNS,
    );
  });

  it('5: the same input gives byte-identical output, whatever the input order', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const once = run(c).result;
        const first = JSON.stringify(once);
        expect(JSON.stringify(run(c).result)).toBe(first);
        for (const r of once.released) {
          // tearline_digest is SHA-256 of the RFC 8785 form, checked against an independent library.
          expect(r.digest).toBe(createHash('sha256').update(canonicalJson(r.tearline)).digest('hex'));
        }
        expect(JSON.stringify(run({ ...c, batch: [...c.batch].reverse() }).result)).toBe(first);
      }),
      { numRuns: 80 },
    );
  });
});
