import fc from 'fast-check';
import { TLP_MARKINGS } from '../src/stix/markings-tlp.js';
import type { JsonObject, JsonValue } from '../src/stix/types.js';
import { formatSelector, type PathSegment } from '../src/tearline/tearline-selector.js';

/**
 * Generated worlds of STIX objects for the tearline property tests. Every free-text value
 * carries a distinctive marker '~m<object>_<n>~' so a test can search the output for exactly
 * the values that were marked above the ceiling.
 */
export interface GeneratedWorld {
  objects: JsonObject[];
  markers: string[];
}

const TYPES = [
  'indicator',
  'report',
  'relationship',
  'sighting',
  'location',
  'identity',
  'malware',
  'intrusion-set',
  'note',
  'file',
  'ipv4-addr',
] as const;

const MARKINGS = [
  ...TLP_MARKINGS.map((m) => m.id),
  'marking-definition--7f1c7d0e-8b1a-4c55-9a0b-2b1f6c9d0a11', // catalogued statement (clear)
  'marking-definition--5b6c0a7e-1d2f-4e3a-8b9c-0d1e2f3a4b5c', // catalogued caveat (red)
  'marking-definition--00000000-0000-4000-8000-00000000dead', // unknown to the hub
];
const SOURCES = ['capec', 'cve', 'internal-wiki', 'vendor'];
const LABELS = ['internal:', 'source:', 'plain '];
const NOT_SELECTED = new Set([
  'type',
  'id',
  'spec_version',
  'created',
  'modified',
  'granular_markings',
  'object_marking_refs',
]);

const specArb = fc.record({
  type: fc.constantFrom(...TYPES),
  uuid: fc.uuid({ version: 4 }),
  objectMarks: fc.array(fc.constantFrom(...MARKINGS), { maxLength: 2 }),
  granular: fc.array(
    fc.record({
      marking: fc.constantFrom(...MARKINGS),
      picks: fc.array(fc.nat(), { minLength: 1, maxLength: 2 }),
    }),
    {
      maxLength: 3,
    },
  ),
  labels: fc.nat(3),
  externalRefs: fc.nat(3),
  refs: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
  optional: fc.record({
    description: fc.boolean(),
    confidence: fc.boolean(),
    custom: fc.boolean(),
    killChain: fc.boolean(),
  }),
  day: fc.nat(3000),
  seconds: fc.nat(86_399),
  later: fc.nat(400 * 86_400),
  lat: fc.double({ min: -90, max: 90, noNaN: true }),
  lon: fc.double({ min: -180, max: 180, noNaN: true }),
  isFamily: fc.boolean(),
});

type Spec = typeof specArb extends fc.Arbitrary<infer T> ? T : never;

export const worldArb: fc.Arbitrary<GeneratedWorld> = fc
  .uniqueArray(specArb, { minLength: 2, maxLength: 10, selector: (s) => s.uuid })
  .map(buildWorld);

function buildWorld(specs: Spec[]): GeneratedWorld {
  const markers: string[] = [];
  const ids = specs.map((s) => `${s.type}--${s.uuid}`);
  const objects = specs.map((spec, k) => {
    let n = 0;
    const marker = (): string => {
      const m = `~m${k}_${n++}~`;
      markers.push(m);
      return m;
    };
    const pick = (i: number, type?: string): string | undefined => {
      const pool = ids.filter((id, j) => j !== k && (type === undefined || id.startsWith(`${type}--`)));
      return pool.length === 0 ? undefined : pool[(spec.refs[i] ?? 0) % pool.length];
    };
    const refList = (type?: string): string[] => [
      ...new Set(spec.refs.map((_, i) => pick(i, type)).filter((r): r is string => r !== undefined)),
    ];
    const start = Date.UTC(2020, 0, 1) + spec.day * 86_400_000 + spec.seconds * 1000;
    const at = (ms: number) => new Date(ms).toISOString();
    const obj: JsonObject = { type: spec.type, spec_version: '2.1', id: ids[k] as string };
    const isSco = spec.type === 'file' || spec.type === 'ipv4-addr';
    if (!isSco) {
      obj.created = at(start);
      obj.modified = at(start + spec.later);
      obj.created_by_ref = pick(0, 'identity') ?? 'identity--f431f809-377b-45e0-aa1c-6a4751cae5ff';
      if (spec.labels > 0)
        obj.labels = Array.from({ length: spec.labels }, (_, i) => `${LABELS[i % 3]}${marker()}`);
      if (spec.externalRefs > 0) {
        obj.external_references = Array.from({ length: spec.externalRefs }, (_, i) => ({
          source_name: SOURCES[(i + k) % SOURCES.length] as string,
          external_id: marker(),
          url: `https://ref.example/${marker()}`,
        }));
      }
      if (spec.optional.confidence) obj.confidence = (k * 7) % 101;
      if (spec.optional.description) obj.description = `about ${marker()}`;
    }
    if (spec.optional.custom) obj.x_hub_note = marker();
    Object.assign(obj, typeProperties(spec, k, marker, pick, refList, at, start));
    if (spec.objectMarks.length > 0) obj.object_marking_refs = [...new Set(spec.objectMarks)];
    const paths = selectablePaths(obj);
    const granular = spec.granular.map((g) => ({
      marking_ref: g.marking,
      selectors: [...new Set(g.picks.map((p) => formatSelector(paths[p % paths.length] ?? ['type'])))],
    }));
    if (granular.length > 0) obj.granular_markings = granular;
    return obj;
  });
  return { objects, markers };
}

function typeProperties(
  spec: Spec,
  k: number,
  marker: () => string,
  pick: (i: number, type?: string) => string | undefined,
  refList: (type?: string) => string[],
  at: (ms: number) => string,
  start: number,
): JsonObject {
  const kill = spec.optional.killChain
    ? { kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: `p${marker()}` }] }
    : {};
  switch (spec.type) {
    case 'indicator':
      return {
        name: `ind ${marker()}`,
        pattern: `[ipv4-addr:value = '198.51.100.${k}']`,
        pattern_type: 'stix',
        valid_from: at(start),
        ...kill,
      };
    case 'report':
      return { name: `rep ${marker()}`, published: at(start), object_refs: refList() };
    case 'note':
      return { abstract: marker(), content: `note ${marker()}`, object_refs: refList() };
    case 'relationship':
      return {
        relationship_type: 'related-to',
        source_ref: pick(0) ?? '',
        target_ref: pick(1) ?? pick(0) ?? '',
      };
    case 'sighting': {
      const where = refList('identity');
      return {
        sighting_of_ref: pick(0) ?? '',
        first_seen: at(start),
        last_seen: at(start + spec.later),
        count: k + 1,
        ...(where.length > 0 ? { where_sighted_refs: where } : {}),
      };
    }
    case 'location':
      return { name: `loc ${marker()}`, latitude: spec.lat, longitude: spec.lon };
    case 'identity':
      return { name: `who ${marker()}`, identity_class: 'organization' };
    case 'malware': {
      const samples = refList('file');
      return {
        name: `mal ${marker()}`,
        is_family: spec.isFamily,
        aliases: [marker(), marker()],
        ...kill,
        ...(samples.length > 0 ? { sample_refs: samples } : {}),
      };
    }
    case 'intrusion-set':
      return {
        name: `set ${marker()}`,
        aliases: [marker()],
        first_seen: at(start),
        last_seen: at(start + spec.later),
      };
    case 'file':
      return {
        name: `f${marker()}.exe`,
        size: k * 100,
        hashes: { 'SHA-256': k.toString(16).padStart(64, 'a') },
      };
    case 'ipv4-addr':
      return { value: `10.${k}.0.1` };
  }
}

/** Every property, list item and nested property a granular selector could name. */
function selectablePaths(obj: JsonObject): PathSegment[][] {
  const out: PathSegment[][] = [];
  const walk = (value: JsonValue, path: PathSegment[]): void => {
    if (path.length > 0) out.push(path);
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        walk(v, [...path, i]);
      });
    } else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value))
        if (path.length > 0 || !NOT_SELECTED.has(key)) walk(v, [...path, key]);
    }
  };
  walk(obj, []);
  return out;
}
