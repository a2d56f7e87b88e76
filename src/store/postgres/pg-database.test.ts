import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { openPg } from './pg-database.js';
import { PG_SKIP_REASON, TEST_PG_URL } from './pg-test-schema.js';
import { isPgUrl } from './pg-url.js';

describe('openPg input checks (no server needed)', () => {
  it('accepts only postgres:// and postgresql:// URLs', () => {
    expect(isPgUrl('postgres://h/db')).toBe(true);
    expect(isPgUrl('POSTGRESQL://h/db')).toBe(true);
    expect(isPgUrl('sqlite://hub.db')).toBe(false);
    expect(isPgUrl('/var/lib/tearline.db')).toBe(false);
  });

  it('names a bad URL or schema without echoing the password and without connecting', async () => {
    const url = await openPg('mysql://u:hunter2@h/db');
    expect(url).toMatchObject({ ok: false, error: { code: 'bad-url' } });
    expect(JSON.stringify(url)).not.toContain('hunter2');
    const schema = await openPg('postgres://u:hunter2@127.0.0.1:1/db?schema=Robert%27);DROP');
    expect(schema).toMatchObject({ ok: false, error: { code: 'bad-schema' } });
    expect(JSON.stringify(schema)).not.toContain('hunter2');
  });

  it('reports a server that does not answer as connect-failed, password hidden', async () => {
    const res = await openPg('postgres://u:hunter2@127.0.0.1:1/db');
    expect(res).toMatchObject({ ok: false, error: { code: 'connect-failed' } });
    expect(res.ok ? '' : res.error.message).toContain('u:***@127.0.0.1:1');
    expect(JSON.stringify(res)).not.toContain('hunter2');
  });
});

if (!TEST_PG_URL) console.warn(PG_SKIP_REASON);

describe.skipIf(!TEST_PG_URL)('openPg on a real server, with the libpq URL forms', () => {
  // TEARLINE_TEST_PG is the ordinary form; the same server written as psql users write it.
  const given = TEST_PG_URL ? new URL(TEST_PG_URL) : new URL('postgres://u@h/db');
  const db = given.pathname.slice(1);
  const where = `host=${encodeURIComponent(given.hostname)}&port=${given.port || '5432'}`;
  const schema = () => `u_${process.pid}_${randomBytes(4).toString('hex')}`;

  async function openAndAsk(url: string): Promise<string> {
    const opened = await openPg(url);
    if (!opened.ok) throw new Error(opened.error.message);
    try {
      const r = await opened.pool.query<{ who: string; path: string }>(
        'SELECT current_user AS who, current_schema() AS path',
      );
      const row = r.rows[0];
      await opened.pool.query(`DROP SCHEMA ${row?.path} CASCADE`);
      return `${row?.who} ${row?.path}`;
    } finally {
      await opened.pool.end();
    }
  }

  it('connects with user@/NAME?host=... (no host part, refused as "not a URL" before)', async () => {
    const s = schema();
    const url = `postgres://${given.username}:${given.password}@/${db}?${where}&schema=${s}`;
    expect(await openAndAsk(url)).toBe(`${decodeURIComponent(given.username)} ${s}`);
  });

  it('connects with postgres:///NAME?host=...&user=... (no authority at all)', async () => {
    const s = schema();
    const url = `postgres:///${db}?${where}&user=${given.username}&password=${given.password}&schema=${s}`;
    expect(await openAndAsk(url)).toBe(`${decodeURIComponent(given.username)} ${s}`);
  });

  it('with no user anywhere and $USER unset, asks the server as the OS user (as psql does)', async () => {
    const saved = { USER: process.env.USER, PGUSER: process.env.PGUSER, LOGNAME: process.env.LOGNAME };
    delete process.env.USER;
    delete process.env.PGUSER;
    delete process.env.LOGNAME;
    try {
      // A password but no user: the server's refusal names the user the client asked as.
      const res = await openPg(`postgres:///${db}?${where}&password=not-the-password`);
      if (res.ok) {
        // This OS user happens to be a role the server lets in: that is the default working.
        const r = await res.pool.query<{ who: string }>('SELECT current_user AS who');
        await res.pool.end();
        expect(r.rows[0]?.who).toBe(userInfo().username);
      } else {
        expect(res.error.code).toBe('connect-failed');
        expect(res.error.message).toContain(`"${userInfo().username}"`);
        expect(res.error.message).not.toContain('no PostgreSQL user name specified');
      }
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
    }
  });
});
