import { expect, it } from 'vitest';
import { describeOnEngines } from '../sql/sql-test-engines.js';
import { withTestSql } from './hub-test-rows.js';
import { SessionStore } from './session-store.js';

const T0 = new Date('2026-11-28T10:00:00Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

describeOnEngines('SessionStore', (open) => {
  it('finds a session by its id until it expires, and keeps only the id hash', async () => {
    await withTestSql(open, async (sql) => {
      const sessions = new SessionStore(sql);
      const { id, session } = await sessions.create('olga', T0, 60_000);
      expect(session).toMatchObject({ userName: 'olga', expiresAt: later(60_000).toISOString() });
      expect(await sessions.find(id, later(59_999))).toEqual(session);
      const stored = await sql.all<{ id_hash: string }>('SELECT id_hash FROM console_sessions');
      expect(stored).toHaveLength(1);
      expect(stored[0]?.id_hash).not.toContain(id);
      expect(await sessions.find(id, later(60_000))).toBeUndefined();
      // An expired session found is gone.
      expect(await sql.get('SELECT count(*) AS n FROM console_sessions')).toEqual({ n: 0 });
      expect(await sessions.find('no-such-id', T0)).toBeUndefined();
    });
  });

  it('deletes one session on sign-out and every expired one on sweep', async () => {
    await withTestSql(open, async (sql) => {
      const sessions = new SessionStore(sql);
      const a = await sessions.create('ann', T0, 1_000);
      const b = await sessions.create('bob', T0, 10_000);
      const c = await sessions.create('cid', T0, 10_000);
      await sessions.delete(c.id);
      expect(await sessions.find(c.id, T0)).toBeUndefined();
      expect(await sessions.deleteExpired(later(5_000))).toBe(1);
      expect(await sessions.find(a.id, T0)).toBeUndefined();
      expect((await sessions.find(b.id, later(5_000)))?.userName).toBe('bob');
    });
  });
});
