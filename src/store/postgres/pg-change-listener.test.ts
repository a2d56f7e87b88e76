import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../stix/types.js';
import type { VersionMatch } from '../feed-ports.js';
import { SqlReleaseFeed } from '../sql/sql-release-feed.js';
import { PgChangeListener } from './pg-change-listener.js';
import { openPg } from './pg-database.js';
import { PgLedger } from './pg-ledger.js';
import { PgSql } from './pg-sql.js';
import { openTestSchema, PG_SKIP_REASON, TEST_PG_URL } from './pg-test-schema.js';

if (!TEST_PG_URL) console.warn(PG_SKIP_REASON);

const P = 'identity--00000000-0000-4000-8000-00000000000a';
const ALL: VersionMatch = { all: true, first: false, last: false, timestamps: [] };
const T = new Date('2026-03-01T00:00:00Z');

const indicator = (n: number): JsonObject => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-02-01T00:00:00.000Z',
});

const release = (n: number, visibleFrom = T) => ({
  partnerId: P,
  tearline: indicator(n),
  originalId: `orig-${n}`,
  originalVersion: 'v',
  visibleFrom,
});

/** Polls until `check` holds: notices arrive a moment after the commit, not with it. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('condition not met within 2 s');
}

describe.skipIf(!TEST_PG_URL)('change stamp from PostgreSQL notices', () => {
  it("moves with another process's commits and embargo ends, stays put otherwise, and survives a lost connection", async () => {
    const mine = await openTestSchema('n');
    const other = await openPg(TEST_PG_URL, { schema: mine.schema });
    if (!other.ok) throw new Error(other.error.message);
    const listener = new PgChangeListener(mine.pool, 20);
    try {
      await listener.start();
      const feed = new SqlReleaseFeed(new PgSql(mine.pool, new PgLedger(mine.pool)), listener);
      const elsewhere = new SqlReleaseFeed(new PgSql(other.pool, new PgLedger(other.pool)));
      const s0 = await feed.changeStamp(T);
      expect(await feed.changeStamp(T)).toBe(s0);

      expect((await elsewhere.addRelease(release(1), T)).ok).toBe(true);
      await eventually(async () => (await feed.changeStamp(T)) !== s0);
      expect((await feed.page(P, { version: ALL, limit: 10 }, T)).rows).toHaveLength(1);

      // Embargoed elsewhere: the stamp moves when the embargo ends here, with no other commit.
      const later = new Date(T.getTime() + 60_000);
      expect((await elsewhere.addRelease(release(2, later), T)).ok).toBe(true);
      await eventually(async () => (await feed.page(P, { version: ALL, limit: 10 }, T)).rows.length === 1);
      const s1 = await feed.changeStamp(T);
      await new Promise((r) => setTimeout(r, 50));
      expect(await feed.changeStamp(T)).toBe(s1);
      expect(await feed.changeStamp(later)).not.toBe(s1);
      expect((await feed.page(P, { version: ALL, limit: 10 }, later)).rows).toHaveLength(2);

      // The listening connection dies: the stamp falls back to asking the database, then listens again.
      await other.pool.query('SELECT pg_terminate_backend($1)', [listener.backendPid()]);
      await eventually(async () => listener.version() === undefined);
      const fallback = await feed.changeStamp(later);
      expect((await elsewhere.addRelease(release(3), later)).ok).toBe(true);
      expect(await feed.changeStamp(later)).not.toBe(fallback);
      await eventually(async () => listener.version() !== undefined);
      const s2 = await feed.changeStamp(later);
      expect((await elsewhere.addRelease(release(4), later)).ok).toBe(true);
      await eventually(async () => (await feed.changeStamp(later)) !== s2);
    } finally {
      await listener.close();
      await other.pool.end();
      await mine.drop();
    }
  });
});
