import { describe, expect, it } from 'vitest';
import { openSqlite } from './database.js';
import { SqliteUserStore } from './user-store.js';

const ctx = { actor: 'admin', now: new Date('2026-11-28T10:00:00Z') };

describe('SqliteUserStore', () => {
  it('stores only an argon2id hash and authenticates the right password of an enabled user', async () => {
    const db = openSqlite(':memory:');
    const users = new SqliteUserStore(db);
    const added = await users.add('olga', 'release-officer', 'correct horse battery', ctx);
    expect(added.ok).toBe(true);
    const stored = db.prepare('SELECT password_hash FROM users WHERE name = ?').pluck().get('olga') as string;
    expect(stored.startsWith('$argon2id$')).toBe(true);
    expect(stored).not.toContain('correct horse');
    expect((await users.authenticate('olga', 'correct horse battery'))?.role).toBe('release-officer');
    expect(await users.authenticate('olga', 'wrong password!!')).toBeUndefined();
    expect(await users.authenticate('nobody', 'correct horse battery')).toBeUndefined();
    users.setEnabled('olga', false, ctx);
    expect(await users.authenticate('olga', 'correct horse battery')).toBeUndefined();
    const events = db.prepare('SELECT action, actor FROM user_events ORDER BY seq').all();
    expect(events).toEqual([
      { action: 'add', actor: 'admin' },
      { action: 'disable', actor: 'admin' },
    ]);
  });

  it('refuses bad names, unknown roles, short passwords and duplicates, naming the problem', async () => {
    const users = new SqliteUserStore(openSqlite(':memory:'));
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
    expect(users.list().map((u) => u.name)).toEqual(['ann']);
  });

  it('changes a password: the old one stops working', async () => {
    const users = new SqliteUserStore(openSqlite(':memory:'));
    await users.add('ann', 'analyst', 'first password 1', ctx);
    await users.setPassword('ann', 'second password 2', ctx);
    expect(await users.authenticate('ann', 'first password 1')).toBeUndefined();
    expect((await users.authenticate('ann', 'second password 2'))?.name).toBe('ann');
  });
});
