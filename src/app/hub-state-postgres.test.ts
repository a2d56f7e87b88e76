import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../clock.js';
import { openTestSchema, PG_SKIP_REASON, TEST_PG_URL } from '../store/postgres/pg-test-schema.js';
import { openPgHub, type PgHub } from './hub-postgres.js';

if (!TEST_PG_URL) console.warn(PG_SKIP_REASON);

const ctx = {
  actor: 'admin',
  now: new Date('2026-11-28T10:00:00Z'),
  randomBytes: (n: number) => randomBytes(n),
};
const agreement = (ceiling: string) =>
  JSON.stringify({
    scope: { types: ['indicator'] },
    tlp_ceiling: ceiling,
    approval: 'none',
    sanitisation: 'strict',
    conditions: [],
  });

/** Two hubs on one schema, each with a pool of its own: as two `tearline serve` processes. */
async function withTwoHubs(work: (a: PgHub, b: PgHub) => Promise<void>): Promise<void> {
  const schema = await openTestSchema('hs');
  const hubs: PgHub[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      const opened = await openPgHub(TEST_PG_URL, systemClock, { schema: schema.schema });
      if (!opened.ok) throw new Error(opened.error.message);
      hubs.push(opened.hub);
    }
    await work(hubs[0] as PgHub, hubs[1] as PgHub);
  } finally {
    for (const h of hubs) await h.close();
    await schema.drop();
  }
}

describe.skipIf(!TEST_PG_URL)('hub state shared by two hub processes on PostgreSQL', () => {
  it('sees the other process’s partners, users and sessions', async () => {
    await withTwoHubs(async (a, b) => {
      const p = await a.state.partners.add({ name: 'ally' }, ctx);
      if (!p.ok) throw new Error(p.message);
      expect((await b.state.partners.authenticate('ally', p.token))?.id).toBe(p.partner.id);
      expect((await a.state.users.add('olga', 'release-officer', 'long enough password', ctx)).ok).toBe(true);
      expect((await b.state.users.authenticate('olga', 'long enough password'))?.role).toBe(
        'release-officer',
      );
      const { id } = await a.state.sessions.create('olga', ctx.now, 60_000);
      expect((await b.state.sessions.find(id, ctx.now))?.userName).toBe('olga');
      await b.state.sessions.delete(id);
      expect(await a.state.sessions.find(id, ctx.now)).toBeUndefined();
    });
  });

  it('numbers agreement versions and breach ids without clash when both processes write at once', async () => {
    await withTwoHubs(async (a, b) => {
      const p = await a.state.partners.add({ name: 'kabul' }, ctx);
      if (!p.ok) throw new Error(p.message);
      const id = p.partner.id;
      const ceilings = ['clear', 'green', 'amber', 'red'];
      const set = await Promise.all(
        ceilings.map((c, i) =>
          ((i % 2 ? a : b) as PgHub).state.agreements.set(id, agreement(c), { ...ctx, reason: 'test' }),
        ),
      );
      expect(set.every((r) => r.ok && !r.unchanged)).toBe(true);
      expect((await a.state.agreements.list(id)).map((v) => v.version)).toEqual([1, 2, 3, 4]);
      const breaches = await Promise.all(
        [0, 1, 2, 3].map((i) => ((i % 2 ? a : b) as PgHub).state.conditions.openBreach(id, `r${i}`, ctx)),
      );
      expect(breaches.sort()).toEqual(['B1', 'B2', 'B3', 'B4']);
      // One ledger entry per change, in one sequence: partner add + 4 versions + 4 breaches.
      expect(await a.ledger.size()).toBe(9);
    });
  });

  it('adds a user once when both processes add the same name', async () => {
    await withTwoHubs(async (a, b) => {
      const both = await Promise.all([
        a.state.users.add('ann', 'analyst', 'long enough password', ctx),
        b.state.users.add('ann', 'admin', 'long enough password', ctx),
      ]);
      expect(both.map((r) => r.ok).sort()).toEqual([false, true]);
      expect(await b.state.users.list()).toHaveLength(1);
    });
  });
});
