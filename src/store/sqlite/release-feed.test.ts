import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../stix/types.js';
import type { FeedQuery, VersionMatch } from '../feed-ports.js';
import { openSqlite } from './database.js';
import { SqliteReleaseFeed } from './release-feed.js';

const P = 'identity--00000000-0000-4000-8000-00000000000a';
const Q = 'identity--00000000-0000-4000-8000-00000000000b';
const LAST: VersionMatch = { all: false, first: false, last: true, timestamps: [] };
const ALL: VersionMatch = { all: true, first: false, last: false, timestamps: [] };
const FIRST: VersionMatch = { all: false, first: true, last: false, timestamps: [] };

function obj(n: number, modified: string): JsonObject {
  const hex = n.toString(16).padStart(12, '0');
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--00000000-0000-4000-8000-${hex}`,
    created: '2026-01-01T00:00:00.000Z',
    modified,
  };
}

function setup() {
  const db = openSqlite(':memory:');
  const feed = new SqliteReleaseFeed(db);
  const add = (partnerId: string, o: JsonObject, now: string, visibleFrom = now) =>
    feed.addRelease(
      {
        partnerId,
        tearline: o,
        originalId: `orig-${String(o.id)}`,
        originalVersion: String(o.modified),
        visibleFrom: new Date(visibleFrom),
      },
      new Date(now),
    );
  const q = (over: Partial<FeedQuery> = {}): FeedQuery => ({ version: LAST, limit: 1000, ...over });
  return { db, feed, add, q };
}

describe('release feed', () => {
  it('shows a release only to its partner, and only once its embargo has ended', async () => {
    const { feed, add, q } = setup();
    add(P, obj(1, '2026-02-01T00:00:00.000Z'), '2026-03-01T00:00:00Z');
    add(P, obj(2, '2026-02-01T00:00:00.000Z'), '2026-03-01T00:00:00Z', '2026-03-10T00:00:00Z');
    const before = await feed.page(P, q(), new Date('2026-03-05T00:00:00Z'));
    expect(before.rows.map((r) => r.id)).toEqual([obj(1, '').id]);
    expect((await feed.page(Q, q(), new Date('2026-03-05T00:00:00Z'))).rows).toEqual([]);
    const after = await feed.page(P, q(), new Date('2026-03-10T00:00:00Z'));
    expect(after.rows.map((r) => r.id)).toEqual([obj(1, '').id, obj(2, '').id]);
    // The embargoed release is positioned when it became visible, after the earlier page's end.
    expect(after.rows[1]?.positionUs).toBeGreaterThan(before.rows[0]?.positionUs ?? Infinity);
    expect(after.rows[1]?.positionUs).toBe(Date.parse('2026-03-10T00:00:00Z') * 1000);
  });

  it('keeps the latest visible version as last, the earliest as first, all on request', async () => {
    const { feed, add, q } = setup();
    const now = new Date('2026-03-01T00:00:00Z');
    add(P, obj(1, '2026-02-01T00:00:00.000Z'), now.toISOString());
    add(P, obj(1, '2026-02-03T00:00:00Z'), now.toISOString());
    add(P, obj(1, '2026-02-02T00:00:00.000Z'), now.toISOString());
    expect((await feed.page(P, q(), now)).rows.map((r) => r.version)).toEqual(['2026-02-03T00:00:00Z']);
    expect((await feed.page(P, q({ version: FIRST }), now)).rows.map((r) => r.version)).toEqual([
      '2026-02-01T00:00:00.000Z',
    ]);
    expect((await feed.page(P, q({ version: ALL }), now)).rows).toHaveLength(3);
    const ts = { all: false, first: false, last: false, timestamps: ['2026-02-02T00:00:00.000000000Z'] };
    expect((await feed.page(P, q({ version: ts }), now)).rows.map((r) => r.version)).toEqual([
      '2026-02-02T00:00:00.000Z',
    ]);
    const both = { ...FIRST, last: true };
    expect((await feed.page(P, q({ version: both }), now)).rows).toHaveLength(2);
  });

  it('refuses the same version twice', async () => {
    const { add } = setup();
    expect(add(P, obj(1, '2026-02-01T00:00:00.000Z'), '2026-03-01T00:00:00Z').ok).toBe(true);
    const again = add(P, obj(1, '2026-02-01T00:00:00.000Z'), '2026-03-01T00:00:00Z');
    expect(again.ok === false && again.code).toBe('release-exists');
  });

  it('recalls as a new revoked version, and withdraws what is still under embargo', async () => {
    const { feed, add, q } = setup();
    const t = new Date('2026-03-01T00:00:00Z');
    add(P, obj(1, '2026-02-01T00:00:00.000Z'), t.toISOString());
    add(P, obj(1, '2026-02-05T00:00:00.000Z'), t.toISOString(), '2026-04-01T00:00:00Z');
    const later = new Date('2026-03-02T00:00:00Z');
    expect(feed.recall(P, obj(1, '').id as string, later)).toEqual({ ok: true, published: true });
    const page = await feed.page(P, q({ version: ALL }), new Date('2026-05-01T00:00:00Z'));
    expect(page.rows.map((r) => r.version)).toEqual(['2026-02-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z']);
    expect(JSON.parse(page.rows[1]?.json ?? '{}')).toMatchObject({
      revoked: true,
      modified: '2026-03-02T00:00:00.000Z',
    });
    expect((await feed.page(P, q(), later)).rows).toHaveLength(1);
    const never = add(Q, obj(2, '2026-02-01T00:00:00.000Z'), t.toISOString(), '2026-04-01T00:00:00Z');
    expect(never.ok).toBe(true);
    expect(feed.recall(Q, obj(2, '').id as string, later)).toEqual({ ok: true, published: false });
    expect((await feed.page(Q, q({ version: ALL }), new Date('2026-05-01T00:00:00Z'))).rows).toEqual([]);
    const missing = feed.recall(Q, obj(9, '').id as string, later);
    expect(missing.ok === false && missing.code).toBe('release-not-found');
  });

  it('carries the original of the revoked copy, and refuses to recall an unversioned object', async () => {
    const { db, feed, add } = setup();
    const t = new Date('2026-03-01T00:00:00Z');
    add(P, obj(1, '2026-02-01T00:00:00.000Z'), t.toISOString());
    expect(feed.recall(P, obj(1, '').id as string, t).ok).toBe(true);
    const rows = db
      .prepare(
        'SELECT original_id, original_version, revoked FROM releases WHERE partner_id = ? ORDER BY rid',
      )
      .all(P);
    expect(rows).toEqual([
      {
        original_id: `orig-${String(obj(1, '').id)}`,
        original_version: '2026-02-01T00:00:00.000Z',
        revoked: 0,
      },
      {
        original_id: `orig-${String(obj(1, '').id)}`,
        original_version: '2026-02-01T00:00:00.000Z',
        revoked: 1,
      },
    ]);
    const sco = {
      type: 'ipv4-addr',
      spec_version: '2.1',
      id: 'ipv4-addr--00000000-0000-4000-8000-000000000001',
      value: '198.51.100.7',
    };
    add(P, sco, t.toISOString());
    const refused = feed.recall(P, sco.id, t);
    expect(refused.ok === false && refused.code).toBe('release-unversioned');
  });

  it('maps a derived id back to its original for its own partner only', async () => {
    const { feed, add } = setup();
    add(P, obj(1, '2026-02-01T00:00:00.000Z'), '2026-03-01T00:00:00Z');
    expect(await feed.resolve(P, obj(1, '').id as string)).toBe(`orig-${String(obj(1, '').id)}`);
    expect(await feed.resolve(Q, obj(1, '').id as string)).toBeUndefined();
  });

  it('pages without duplicates or gaps while releases are added, embargoed and published', async () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('add' as const),
        partner: fc.constantFrom(0 as const, 1 as const),
        embargoS: fc.constantFrom(0, 0, 5, 30),
      }),
      fc.record({ kind: fc.constant('read' as const), limit: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ kind: fc.constant('tick' as const), s: fc.integer({ min: 0, max: 10 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 60 }), async (ops) => {
        const { feed, add, q } = setup();
        let nowMs = Date.parse('2026-03-01T00:00:00Z');
        let n = 0;
        let cursor: number | undefined;
        const seen: string[] = [];
        const readAll = async (limit: number, drain: boolean) => {
          for (;;) {
            const page = await feed.page(
              P,
              q({ limit, version: ALL, ...(cursor !== undefined && { afterUs: cursor }) }),
              new Date(nowMs),
            );
            for (const r of page.rows) seen.push(`${r.id}@${r.version}`);
            const last = page.rows[page.rows.length - 1];
            if (last) cursor = last.positionUs;
            if (!drain || !page.more) return;
          }
        };
        for (const o of ops) {
          if (o.kind === 'add') {
            n++;
            const at = new Date(nowMs).toISOString();
            add(
              o.partner === 0 ? P : Q,
              obj(n, '2026-02-01T00:00:00.000Z'),
              at,
              new Date(nowMs + o.embargoS * 1000).toISOString(),
            );
          } else if (o.kind === 'read') await readAll(o.limit, false);
          else nowMs += o.s * 1000;
        }
        nowMs += 3600_000;
        await readAll(3, true);
        const expected = (await feed.page(P, q({ version: ALL, limit: 100_000 }), new Date(nowMs))).rows.map(
          (r) => `${r.id}@${r.version}`,
        );
        expect(new Set(seen).size).toBe(seen.length);
        expect([...seen].sort()).toEqual([...expected].sort());
      }),
      { numRuns: 150 },
    );
  });

  it('changes its stamp whenever a page could change: commits here or elsewhere, embargo ends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tearline-stamp-'));
    const path = join(dir, 'hub.db');
    try {
      const here = new SqliteReleaseFeed(openSqlite(path));
      const there = new SqliteReleaseFeed(openSqlite(path));
      const op = fc.oneof(
        fc.record({
          kind: fc.constant('add' as const),
          elsewhere: fc.boolean(),
          embargoS: fc.constantFrom(0, 5, 30),
        }),
        fc.record({ kind: fc.constant('recall' as const), elsewhere: fc.boolean() }),
        fc.record({ kind: fc.constant('tick' as const), s: fc.integer({ min: 0, max: 10 }) }),
      );
      let n = 0;
      let nowMs = Date.parse('2026-03-01T00:00:00Z');
      await fc.assert(
        fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
          const query = { version: ALL, limit: 1000 };
          const read = async () => {
            const now = new Date(nowMs);
            const stamp = here.changeStamp(now);
            return { stamp, json: JSON.stringify(await here.page(P, query, now)) };
          };
          let before = await read();
          for (const o of ops) {
            const feed = o.kind !== 'tick' && o.elsewhere ? there : here;
            const at = new Date(nowMs);
            if (o.kind === 'add') {
              n++;
              feed.addRelease(
                {
                  partnerId: P,
                  tearline: obj(n, '2026-02-01T00:00:00.000Z'),
                  originalId: `orig-${n}`,
                  originalVersion: '2026-02-01T00:00:00.000Z',
                  visibleFrom: new Date(nowMs + o.embargoS * 1000),
                },
                at,
              );
            } else if (o.kind === 'recall' && n > 0) feed.recall(P, obj(n, '').id as string, at);
            else if (o.kind === 'tick') nowMs += o.s * 1000;
            const after = await read();
            // The page cache's contract: an unchanged stamp means an unchanged page.
            if (after.stamp === before.stamp) expect(after.json).toBe(before.json);
            before = after;
          }
        }),
        { numRuns: 60 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
