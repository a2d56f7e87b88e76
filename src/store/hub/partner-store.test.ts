import { createHash, randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeOnEngines, type OpenTestSql } from '../sql/sql-test-engines.js';
import { PartnerStore } from './partner-store.js';

const ctx = {
  actor: 'local-admin',
  now: new Date('2026-11-28T10:00:00Z'),
  randomBytes: (n: number) => randomBytes(n),
};

async function withPartners(open: OpenTestSql, work: (store: PartnerStore) => Promise<void>): Promise<void> {
  const { sql, close } = await open();
  try {
    await work(new PartnerStore(sql));
  } finally {
    await close();
  }
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describeOnEngines('PartnerStore', (open) => {
  it('creates an identity and a 256-bit token stored only as an argon2id hash', async () => {
    await withPartners(open, async (store) => {
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
      const row = await store.sql.get<{ token_hash: string }>('SELECT token_hash FROM partners');
      expect(row?.token_hash).toMatch(/^\$argon2id\$/);
      expect(row?.token_hash).not.toContain(r.token.slice(3));
      expect((await store.get('Kabul Liaison'))?.id).toBe(r.partner.id);
      expect((await store.get(r.partner.id))?.name).toBe('Kabul Liaison');
      expect(
        await store.sql.get('SELECT partner_id FROM partner_token_index WHERE token_sha256 = ?', [
          sha256(r.token),
        ]),
      ).toEqual({ partner_id: r.partner.id });
      expect(await store.findIdByToken(r.token)).toBe(r.partner.id);
      expect(await store.findIdByToken(`${r.token}x`)).toBeUndefined();
    });
  });

  it('authenticates by name or id, refuses wrong tokens, unknown names, disabled partners and old tokens', async () => {
    await withPartners(open, async (store) => {
      const r = await store.add({ name: 'ally' }, ctx);
      if (!r.ok) throw new Error(r.message);
      expect((await store.authenticate('ally', r.token))?.id).toBe(r.partner.id);
      expect((await store.authenticate(r.partner.id, r.token))?.name).toBe('ally');
      expect(await store.authenticate('ally', `${r.token}x`)).toBeUndefined();
      expect(await store.authenticate('nobody', r.token)).toBeUndefined();
      const rotated = await store.rotateToken('ally', ctx, 'token seen in a mail log');
      if (!rotated.ok) throw new Error(rotated.message);
      expect(await store.authenticate('ally', r.token)).toBeUndefined();
      expect(await store.authenticate('ally', rotated.token)).toBeDefined();
      const index = await store.sql.all<{ token_sha256: string }>(
        'SELECT token_sha256 FROM partner_token_index',
      );
      expect(index).toEqual([{ token_sha256: sha256(rotated.token) }]);
      expect((await store.setEnabled('ally', false, 'review', ctx)).ok).toBe(true);
      expect(await store.authenticate('ally', rotated.token)).toBeUndefined();
      expect((await store.events('ally')).map((e) => [e.action, e.actor])).toEqual([
        ['add', 'local-admin'],
        ['rotate-token', 'local-admin'],
        ['disable', 'local-admin'],
      ]);
      expect((await store.events('ally')).map((e) => e.detail.reason ?? null)).toEqual([
        null,
        'token seen in a mail log',
        'review',
      ]);
      const kinds = await store.sql.all<{ kind: string }>('SELECT kind FROM ledger_entries ORDER BY idx');
      expect(kinds.map((k) => k.kind)).toEqual(['partner-change', 'partner-change', 'partner-change']);
    });
  });

  it('refuses duplicate and malformed names with messages naming the option', async () => {
    await withPartners(open, async (store) => {
      await store.add({ name: 'ally' }, ctx);
      expect(await store.add({ name: 'ally' }, ctx)).toMatchObject({ ok: false, code: 'partner-exists' });
      expect(await store.add({ name: 'identity--x' }, ctx)).toMatchObject({
        ok: false,
        code: 'partner-name-invalid',
      });
      const bad = await store.add({ name: 'x', country: 'Afghanistan' }, ctx);
      expect(bad.ok || bad.message).toContain('--country');
      expect(await store.list()).toHaveLength(1);
      expect(await store.setEnabled('nobody', true, 'x', ctx)).toMatchObject({
        ok: false,
        code: 'partner-not-found',
      });
    });
  });

  it('keeps a name unique when two adds race', async () => {
    await withPartners(open, async (store) => {
      const both = await Promise.all([store.add({ name: 'ally' }, ctx), store.add({ name: 'ally' }, ctx)]);
      expect(both.map((r) => r.ok).sort()).toEqual([false, true]);
      expect(await store.sql.get('SELECT count(*) AS n FROM partner_token_index')).toEqual({ n: 1 });
    });
  });
});
