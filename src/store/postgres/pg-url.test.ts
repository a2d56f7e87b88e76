import { describe, expect, it } from 'vitest';
import { readPgUrl } from './pg-url.js';

const noUser = {}; // an environment with neither $USER nor $PGUSER
const os = () => 'osname';

describe('readPgUrl: the libpq URL forms psql accepts', () => {
  it('reads a Unix-socket URL with no host part and no user, defaulting the user to the OS user', () => {
    const r = readPgUrl('postgres:///tearline?host=/var/run/postgresql', noUser, os);
    expect(r).toMatchObject({
      ok: true,
      config: { host: '/var/run/postgresql', database: 'tearline', user: 'osname' },
      schema: undefined,
    });
  });

  it('reads user@/NAME?host=... (refused by WHATWG URL parsing) with the given user', () => {
    const r = readPgUrl('postgres://ann@/hub?host=/run/pg&schema=blue', noUser, os);
    expect(r).toMatchObject({
      ok: true,
      config: { host: '/run/pg', database: 'hub', user: 'ann' },
      schema: 'blue',
    });
    expect(r.ok && 'schema' in r.config).toBe(false);
  });

  it('reads the ordinary form, port, password and an encoded socket path', () => {
    expect(readPgUrl('postgresql://u:p%40ss@db.example:6543/hub?schema=s1', noUser, os)).toMatchObject({
      ok: true,
      config: { host: 'db.example', port: 6543, user: 'u', password: 'p@ss', database: 'hub' },
      schema: 's1',
    });
    expect(readPgUrl('postgres://%2Fvar%2Frun%2Fpostgresql/hub', noUser, os)).toMatchObject({
      ok: true,
      config: { host: '/var/run/postgresql', database: 'hub', user: 'osname' },
    });
  });

  it('takes $PGUSER before the OS user, as libpq does, and a user in the URL before both', () => {
    expect(readPgUrl('postgres:///hub?host=/s', { PGUSER: 'fromenv' }, os)).toMatchObject({
      config: { user: 'fromenv' },
    });
    expect(readPgUrl('postgres:///hub?host=/s&user=q', { PGUSER: 'fromenv' }, os)).toMatchObject({
      config: { user: 'q' },
    });
  });

  it('leaves the user to pg when the OS has no name for this uid, rather than throwing', () => {
    const r = readPgUrl('postgres:///hub?host=/s', noUser, () => {
      throw new Error('uid 1234 has no passwd entry');
    });
    expect(r).toMatchObject({ ok: true });
    expect(r.ok && r.config.user).toBeUndefined();
  });

  it('refuses what is not a postgres URL, and never echoes a password', () => {
    expect(readPgUrl('mysql://u:hunter2@h/db', noUser, os)).toMatchObject({ ok: false });
    const bad = readPgUrl('postgres://u:hunter2@h:notaport/db', noUser, os);
    expect(bad.ok).toBe(false);
    expect(JSON.stringify(bad)).not.toContain('hunter2');
  });
});
