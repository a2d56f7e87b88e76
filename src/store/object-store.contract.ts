import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { TLP_MARKINGS } from '../stix/markings-tlp.js';
import type { JsonObject } from '../stix/types.js';
import type { IncomingObject, ObjectReader, ObjectWriter, StatsReader } from './ports.js';

/** What the contract needs of an adapter; each test gets a fresh, empty store. */
export type ObjectStoreUnderTest = ObjectWriter &
  ObjectReader &
  StatsReader & { markingDefinitionIds(): Promise<string[]>; close(): Promise<void> | void };

export type ObjectStoreFactory = (clock: ManualClock) => Promise<ObjectStoreUnderTest>;

const ID = 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';
const MARKING = 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da';

function indicator(modified: string, extra: JsonObject = {}): JsonObject {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: ID,
    created: '2024-01-01T00:00:00.000Z',
    modified,
    pattern: "[ipv4-addr:value = '198.51.100.1']",
    pattern_type: 'stix',
    valid_from: '2024-01-01T00:00:00Z',
    ...extra,
  };
}

function incoming(object: JsonObject, json = JSON.stringify(object)): IncomingObject {
  return { object, json, source: 'test' };
}

/** The store contract: written once, run against every adapter (SQLite, PostgreSQL). */
export function describeObjectStoreContract(name: string, factory: ObjectStoreFactory): void {
  describe(`object store contract: ${name}`, () => {
    const withStore = async (fn: (s: ObjectStoreUnderTest, clock: ManualClock) => Promise<void>) => {
      const clock = new ManualClock('2026-11-28T10:00:00Z');
      const store = await factory(clock);
      try {
        await fn(store, clock);
      } finally {
        await store.close();
      }
    };

    it('adds, recognises duplicates (also with other whitespace), and keeps the stored version on conflict', () =>
      withStore(async (s) => {
        const v1 = indicator('2024-01-01T00:00:00.000Z');
        const [a] = await s.putObjects([incoming(v1)]);
        expect(a?.outcome).toBe('added');
        const [dup] = await s.putObjects([incoming(v1, JSON.stringify(v1, null, 2))]);
        expect(dup?.outcome).toBe('duplicate');
        const [conflict] = await s.putObjects([
          incoming(indicator('2024-01-01T00:00:00.000Z', { name: 'other' })),
        ]);
        expect(conflict?.outcome).toBe('conflict');
        const stored = await s.getLatest(ID);
        expect(stored && JSON.parse(stored.json)).toEqual(v1);
      }));

    it('treats timestamps of different precision as the same version', () =>
      withStore(async (s) => {
        await s.putObjects([incoming(indicator('2024-01-01T00:00:00Z'))]);
        const [r] = await s.putObjects([incoming(indicator('2024-01-01T00:00:00.000Z'))]);
        expect(r?.outcome).toBe('conflict');
        expect((await s.getVersions(ID)).length).toBe(1);
      }));

    it('tracks the latest version even when versions arrive out of order', () =>
      withStore(async (s) => {
        const results = await s.putObjects([
          incoming(indicator('2024-03-01T00:00:00.000Z')),
          incoming(indicator('2024-01-01T00:00:00.000Z')),
          incoming(indicator('2024-02-01T00:00:00.5Z')),
        ]);
        expect(results.map((r) => r.outcome)).toEqual(['added', 'new-version', 'new-version']);
        const latest = await s.getLatest(ID);
        expect(latest && JSON.parse(latest.json).modified).toBe('2024-03-01T00:00:00.000Z');
        const versions = await s.getVersions(ID);
        expect(versions.map((v) => JSON.parse(v.json).modified)).toEqual([
          '2024-01-01T00:00:00.000Z',
          '2024-02-01T00:00:00.5Z',
          '2024-03-01T00:00:00.000Z',
        ]);
        const page = await s.page({ limit: 10 });
        expect(page.map((p) => p.id)).toEqual([ID]);
        expect((await s.page({ limit: 10, versions: 'all' })).length).toBe(3);
      }));

    it('hands out strictly increasing added times even when the clock stands still or goes back', () =>
      withStore(async (s, clock) => {
        const objs = Array.from({ length: 50 }, (_, i) =>
          incoming({
            type: 'ipv4-addr',
            spec_version: '2.1',
            id: `ipv4-addr--${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`,
            value: `10.0.0.${i}`,
          }),
        );
        const first = await s.putObjects(objs.slice(0, 25));
        clock.advance(-60_000);
        const second = await s.putObjects(objs.slice(25));
        const added = [...first, ...second].map((r) => r.addedUs as number);
        for (let i = 1; i < added.length; i++) expect(added[i]).toBeGreaterThan(added[i - 1] as number);
      }));

    it('pages in added order with a cursor, by type and by id, without gaps or repeats', () =>
      withStore(async (s) => {
        const objs = Array.from({ length: 30 }, (_, i) => {
          const type = i % 3 === 0 ? 'domain-name' : 'url';
          return incoming({
            type,
            spec_version: '2.1',
            id: `${type}--${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`,
            value: `v${i}`,
          });
        });
        await s.putObjects(objs);
        const seen: string[] = [];
        let cursor: number | undefined;
        for (;;) {
          const page = await s.page({ limit: 7, ...(cursor === undefined ? {} : { addedAfterUs: cursor }) });
          if (page.length === 0) break;
          seen.push(...page.map((p) => p.id));
          cursor = page[page.length - 1]?.addedUs;
        }
        expect(seen).toEqual(objs.map((o) => o.object.id));
        expect((await s.page({ limit: 100, types: ['domain-name'] })).length).toBe(10);
        const two = [objs[1]?.object.id as string, objs[2]?.object.id as string];
        expect((await s.page({ limit: 100, ids: two })).map((p) => p.id)).toEqual(two);
      }));

    it('never stores under a standard TLP id: its own definition is a duplicate, any other a conflict', () =>
      withStore(async (s) => {
        const red = TLP_MARKINGS.find((m) => m.level === 'red' && m.version === '2.0')
          ?.definition as JsonObject;
        const redefined = {
          type: 'marking-definition',
          spec_version: '2.1',
          id: red.id as string,
          created: '2026-01-01T00:00:00.000Z',
          definition_type: 'statement',
          definition: { statement: 'share freely' },
        };
        const results = await s.putObjects([
          incoming(red, JSON.stringify(red, null, 1)),
          incoming(redefined),
          incoming({ ...red, name: 'TLP:RED (ours)' }),
        ]);
        expect(results.map((r) => [r.outcome, r.reserved])).toEqual([
          ['duplicate', true],
          ['conflict', true],
          ['conflict', true],
        ]);
        expect(await s.markingDefinitionIds()).toEqual([]);
        expect((await s.stats()).versions).toBe(0);
      }));

    it('knows the marking definitions it holds and the standard TLP ones', () =>
      withStore(async (s) => {
        const custom = 'marking-definition--1d1f6b1c-7f43-4f0c-9a58-0c6d0f1f9e11';
        await s.putObjects([
          incoming({
            type: 'marking-definition',
            spec_version: '2.1',
            id: custom,
            created: '2024-01-01T00:00:00Z',
            definition_type: 'statement',
            definition: { statement: 'x' },
          }),
        ]);
        expect(await s.hasMarkingDefinition(custom)).toBe(true);
        expect(await s.hasMarkingDefinition(MARKING)).toBe(true);
        expect(await s.hasMarkingDefinition('marking-definition--00000000-0000-4000-8000-000000000000')).toBe(
          false,
        );
        expect(await s.markingDefinitionIds()).toEqual([custom]);
      }));

    it('counts objects, versions and the quarantine', () =>
      withStore(async (s) => {
        await s.putObjects([
          incoming(indicator('2024-01-01T00:00:00Z')),
          incoming(indicator('2024-02-01T00:00:00Z')),
        ]);
        await s.quarantine([
          {
            source: 'f',
            location: 'objects[3]',
            raw: '{',
            errors: [{ path: '', code: 'truncated', message: 'x' }],
          },
        ]);
        const st = await s.stats();
        expect(st).toEqual({
          byType: { indicator: { objects: 1, versions: 2 } },
          objects: 1,
          versions: 2,
          quarantined: 1,
        });
      }));
  });
}
