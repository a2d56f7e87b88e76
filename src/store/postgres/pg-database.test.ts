import { describe, expect, it } from 'vitest';
import { isPgUrl, openPg } from './pg-database.js';

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
