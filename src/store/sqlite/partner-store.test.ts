import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openSqlite } from './database.js';
import { SqlitePartnerStore } from './partner-store.js';

const ctx = {
  actor: 'local-admin',
  now: new Date('2026-11-28T10:00:00Z'),
  randomBytes: (n: number) => randomBytes(n),
};

describe('SqlitePartnerStore', () => {
  it('creates an identity and a 256-bit token stored only as an argon2id hash', async () => {
    const db = openSqlite(':memory:');
    const store = new SqlitePartnerStore(db);
    const r = await store.add(
      { name: 'Kabul Liaison', country: 'AF', description: 'de facto authorities' },
      ctx,
    );
    if (!r.ok) throw new Error(r.message);
    expect(r.partner.identity).toMatchObject({
      type: 'identity',
      name: 'Kabul Liaison',
      identity_class: 'organization',
    });
    expect(r.partner.id).toMatch(
      /^identity--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(Buffer.from(r.token.slice(3), 'base64url')).toHaveLength(32);
    const row = db.prepare('SELECT token_hash FROM partners').get() as { token_hash: string };
    expect(row.token_hash).toMatch(/^\$argon2id\$/);
    expect(row.token_hash).not.toContain(r.token.slice(3));
    expect(store.get('Kabul Liaison')?.id).toBe(r.partner.id);
    expect(store.get(r.partner.id)?.name).toBe('Kabul Liaison');
  });

  it('authenticates by name or id, refuses wrong tokens, unknown names, disabled partners and old tokens', async () => {
    const store = new SqlitePartnerStore(openSqlite(':memory:'));
    const r = await store.add({ name: 'ally' }, ctx);
    if (!r.ok) throw new Error(r.message);
    expect((await store.authenticate('ally', r.token))?.id).toBe(r.partner.id);
    expect((await store.authenticate(r.partner.id, r.token))?.name).toBe('ally');
    expect(await store.authenticate('ally', `${r.token}x`)).toBeUndefined();
    expect(await store.authenticate('nobody', r.token)).toBeUndefined();
    const rotated = await store.rotateToken('ally', ctx);
    if (!rotated.ok) throw new Error(rotated.message);
    expect(await store.authenticate('ally', r.token)).toBeUndefined();
    expect(await store.authenticate('ally', rotated.token)).toBeDefined();
    store.setEnabled('ally', false, 'review', ctx);
    expect(await store.authenticate('ally', rotated.token)).toBeUndefined();
    expect(store.events('ally').map((e) => [e.action, e.actor])).toEqual([
      ['add', 'local-admin'],
      ['rotate-token', 'local-admin'],
      ['disable', 'local-admin'],
    ]);
  });

  it('refuses duplicate and malformed names with messages naming the option', async () => {
    const store = new SqlitePartnerStore(openSqlite(':memory:'));
    await store.add({ name: 'ally' }, ctx);
    expect(await store.add({ name: 'ally' }, ctx)).toMatchObject({ ok: false, code: 'partner-exists' });
    expect(await store.add({ name: 'identity--x' }, ctx)).toMatchObject({
      ok: false,
      code: 'partner-name-invalid',
    });
    const bad = await store.add({ name: 'x', country: 'Afghanistan' }, ctx);
    expect(bad.ok || bad.message).toContain('--country');
    expect(store.list()).toHaveLength(1);
  });
});
