import { expect, it } from 'vitest';
import { describeOnEngines, type OpenTestSql } from '../sql/sql-test-engines.js';
import { UserStore } from './user-store.js';

const ctx = { actor: 'admin', now: new Date('2026-11-28T10:00:00Z') };

async function withUsers(open: OpenTestSql, work: (users: UserStore) => Promise<void>): Promise<void> {
  const { sql, close } = await open();
  try {
    await work(new UserStore(sql));
  } finally {
    await close();
  }
}

describeOnEngines('UserStore', (open) => {
  it('stores only an argon2id hash and authenticates the right password of an enabled user', async () => {
    await withUsers(open, async (users) => {
      const added = await users.add('olga', 'release-officer', 'correct horse battery', ctx);
      expect(added.ok).toBe(true);
      const stored = await users.sql.get<{ password_hash: string }>(
        'SELECT password_hash FROM users WHERE name = ?',
        ['olga'],
      );
      expect(stored?.password_hash.startsWith('$argon2id$')).toBe(true);
      expect(stored?.password_hash).not.toContain('correct horse');
      expect((await users.authenticate('olga', 'correct horse battery'))?.role).toBe('release-officer');
      expect(await users.authenticate('olga', 'wrong password!!')).toBeUndefined();
      expect(await users.authenticate('nobody', 'correct horse battery')).toBeUndefined();
      await users.setEnabled('olga', false, { ...ctx, reason: 'moved to another post' });
      expect(await users.authenticate('olga', 'correct horse battery')).toBeUndefined();
      expect((await users.events('olga')).map((e) => [e.action, e.actor, e.reason])).toEqual([
        ['add', 'admin', null],
        ['disable', 'admin', 'moved to another post'],
      ]);
      const ledger = await users.sql.all<{ kind: string }>('SELECT kind FROM ledger_entries ORDER BY idx');
      expect(ledger.map((e) => e.kind)).toEqual(['user-change', 'user-change']);
    });
  });

  it('refuses bad names, unknown roles, short passwords and duplicates, naming the problem', async () => {
    await withUsers(open, async (users) => {
      expect(await users.add('Bad Name', 'analyst', 'long enough password', ctx)).toMatchObject({
        ok: false,
        code: 'user-name-invalid',
      });
      expect(await users.add('ann', 'superuser', 'long enough password', ctx)).toMatchObject({
        ok: false,
        code: 'user-role-invalid',
      });
      expect(await users.add('ann', 'analyst', 'short', ctx)).toMatchObject({
        ok: false,
        code: 'password-too-weak',
      });
      expect((await users.add('ann', 'analyst', 'long enough password', ctx)).ok).toBe(true);
      expect(await users.add('ann', 'admin', 'long enough password', ctx)).toMatchObject({
        ok: false,
        code: 'user-exists',
      });
      expect((await users.list()).map((u) => u.name)).toEqual(['ann']);
      expect(await users.setEnabled('nobody', false, { ...ctx, reason: 'x' })).toMatchObject({
        ok: false,
        code: 'user-not-found',
      });
    });
  });

  it('adds a name once when two adds race: one wins, one is told it exists, one ledger entry', async () => {
    await withUsers(open, async (users) => {
      const results = await Promise.all([
        users.add('ann', 'analyst', 'long enough password', ctx),
        users.add('ann', 'admin', 'long enough password', ctx),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.code === 'user-exists')).toHaveLength(1);
      expect(await users.sql.get<{ n: number }>('SELECT count(*) AS n FROM ledger_entries')).toEqual({
        n: 1,
      });
    });
  });

  it('changes a password: the old one stops working', async () => {
    await withUsers(open, async (users) => {
      await users.add('ann', 'analyst', 'first password 1', ctx);
      await users.setPassword('ann', 'second password 2', ctx);
      expect(await users.authenticate('ann', 'first password 1')).toBeUndefined();
      expect((await users.authenticate('ann', 'second password 2'))?.name).toBe('ann');
    });
  });
});
