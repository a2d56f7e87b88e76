import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { JsonObject } from '../../stix/types.js';
import type { FeedQuery, VersionMatch } from '../feed-ports.js';
import { openSqlite } from '../sqlite/database.js';
import { SqliteReleaseFeed } from '../sqlite/release-feed.js';
import { SqlReleaseFeed } from './sql-release-feed.js';
import { SqlSubmissions } from './sql-submissions.js';
import { SqlTaxiiStatusStore } from './sql-taxii-status.js';
import { describeOnEngines } from './sql-test-engines.js';

const PARTNERS = [
  'identity--00000000-0000-4000-8000-00000000000a',
  'identity--00000000-0000-4000-8000-00000000000b',
] as const;
const ALL: VersionMatch = { all: true, first: false, last: false, timestamps: [] };
const LAST: VersionMatch = { all: false, first: false, last: true, timestamps: [] };
const FIRST: VersionMatch = { all: false, first: true, last: false, timestamps: [] };

function indicator(n: number, day: number): JsonObject {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
    created: '2026-01-01T00:00:00.000Z',
    modified: `2026-02-${String(day).padStart(2, '0')}T00:00:00.000Z`,
  };
}

const op = fc.oneof(
  fc.record({
    kind: fc.constant('add' as const),
    partner: fc.constantFrom(0, 1),
    object: fc.integer({ min: 1, max: 5 }),
    day: fc.integer({ min: 1, max: 9 }),
    embargoS: fc.constantFrom(0, 0, 5, 30),
  }),
  fc.record({
    kind: fc.constant('recall' as const),
    partner: fc.constantFrom(0, 1),
    object: fc.integer({ min: 1, max: 6 }),
  }),
  fc.record({ kind: fc.constant('tick' as const), s: fc.integer({ min: 0, max: 20 }) }),
  fc.record({
    kind: fc.constant('read' as const),
    partner: fc.constantFrom(0, 1),
    version: fc.constantFrom(ALL, LAST, FIRST),
    limit: fc.integer({ min: 1, max: 4 }),
    after: fc.integer({ min: 0, max: 6 }),
  }),
);

describeOnEngines('portable release feed', (open) => {
  // Each run builds a fresh PostgreSQL schema (every migration, 1400-auth's triggers included):
  // about a second apiece on a loaded two-core machine.
  it('answers every add, recall and page exactly as the SQLite hub feed does', {
    timeout: 300_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
        const { sql, close } = await open();
        const reference = openSqlite(':memory:');
        try {
          const feed = new SqlReleaseFeed(sql);
          const ref = new SqliteReleaseFeed(reference);
          let nowMs = Date.parse('2026-03-01T00:00:00Z');
          // Cursors are positions, which depend only on time and order: equal on both sides.
          const positions: number[] = [];
          for (const o of ops) {
            const now = new Date(nowMs);
            if (o.kind === 'add') {
              const input = {
                partnerId: PARTNERS[o.partner] as string,
                tearline: indicator(o.object, o.day),
                originalId: `orig-${o.object}`,
                originalVersion: String(o.day),
                visibleFrom: new Date(nowMs + o.embargoS * 1000),
              };
              // Row ids are the engine's own (PostgreSQL spends one on a refused insert): not compared.
              const { rid: _mine, ...got } = { rid: 0, ...(await feed.addRelease(input, now)) };
              const { rid: _theirs, ...want } = { rid: 0, ...(await ref.addRelease(input, now)) };
              expect(got).toEqual(want);
            } else if (o.kind === 'recall') {
              const id = indicator(o.object, 1).id as string;
              const p = PARTNERS[o.partner] as string;
              expect(await feed.recall(p, id, now)).toEqual(await ref.recall(p, id, now));
            } else if (o.kind === 'tick') {
              nowMs += o.s * 1000;
            } else {
              const after = positions[positions.length - 1 - o.after];
              const q: FeedQuery = {
                version: o.version,
                limit: o.limit,
                ...(after !== undefined && { afterUs: after }),
              };
              const p = PARTNERS[o.partner] as string;
              const got = await feed.page(p, q, now);
              expect(got).toEqual(await ref.page(p, q, now));
              positions.push(...got.rows.map((r) => r.positionUs));
            }
          }
          const p = PARTNERS[0];
          const id = indicator(1, 1).id as string;
          expect(await feed.resolve(p, id)).toEqual(await ref.resolve(p, id));
        } finally {
          reference.close();
          await close();
        }
      }),
      { numRuns: 40 },
    );
  });

  it('moves the change stamp with every release, submission and publication, not otherwise', async () => {
    const { sql, close } = await open();
    try {
      const feed = new SqlReleaseFeed(sql);
      const subs = new SqlSubmissions(sql);
      const t = new Date('2026-03-01T00:00:00Z');
      const s0 = await feed.changeStamp(t);
      expect(await feed.changeStamp(t)).toBe(s0);
      const input = {
        partnerId: PARTNERS[0],
        tearline: indicator(1, 1),
        originalId: 'o',
        originalVersion: '1',
        visibleFrom: new Date(t.getTime() + 60_000),
      };
      await feed.addRelease(input, t);
      const embargoed = await feed.changeStamp(t);
      expect(embargoed).toBe(s0);
      const later = new Date(t.getTime() + 60_000);
      const published = await feed.changeStamp(later);
      expect(published).not.toBe(embargoed);
      expect((await feed.page(PARTNERS[0], { version: ALL, limit: 10 }, later)).rows).toHaveLength(1);
      expect(
        await subs.record({
          partnerId: PARTNERS[1],
          statusId: 'st-1',
          sent: indicator(7, 2),
          sentJson: '{"x":1}',
          mappedJson: '{"x":1}',
          now: later,
        }),
      ).toBe('added');
      expect(
        await subs.record({
          partnerId: PARTNERS[1],
          statusId: 'st-2',
          sent: indicator(7, 2),
          sentJson: '{"x":1}',
          mappedJson: '{"x":1}',
          now: later,
        }),
      ).toBe('duplicate');
      expect(await feed.changeStamp(later)).not.toBe(published);
    } finally {
      await close();
    }
  });

  it('keeps submissions per partner with the latest flag, and status resources per owner', async () => {
    const { sql, close } = await open();
    try {
      const subs = new SqlSubmissions(sql);
      const t = new Date('2026-03-01T00:00:00Z');
      await subs.record({
        partnerId: PARTNERS[0],
        statusId: 's',
        sent: indicator(1, 3),
        sentJson: 'v3',
        mappedJson: 'v3',
        now: t,
      });
      await subs.record({
        partnerId: PARTNERS[0],
        statusId: 's',
        sent: indicator(1, 1),
        sentJson: 'v1',
        mappedJson: 'v1',
        now: t,
      });
      await subs.record({
        partnerId: PARTNERS[0],
        statusId: 's',
        sent: indicator(2, 1),
        sentJson: 'w1',
        mappedJson: 'w1',
        now: t,
      });
      const latest = await subs.page(PARTNERS[0], { version: LAST, limit: 10 });
      expect(latest.rows.map((r) => r.json)).toEqual(['v3', 'w1']);
      const page = await subs.page(PARTNERS[0], { version: ALL, limit: 2 });
      expect(page.more).toBe(true);
      expect(new Set(page.rows.map((r) => r.positionUs)).size).toBe(2);
      expect((await subs.page(PARTNERS[1], { version: ALL, limit: 10 })).rows).toEqual([]);

      const statuses = new SqlTaxiiStatusStore(sql);
      const status = {
        id: 'status-1',
        status: 'complete' as const,
        request_timestamp: t.toISOString(),
        total_count: 0,
        success_count: 0,
        successes: [],
        failure_count: 0,
        failures: [],
        pending_count: 0,
        pendings: [],
      };
      await statuses.save('partner:a', status);
      expect(await statuses.get('partner:a', 'status-1')).toEqual(status);
      expect(await statuses.get('partner:b', 'status-1')).toBeUndefined();
    } finally {
      await close();
    }
  });
});
