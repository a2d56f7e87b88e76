import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectDatabase } from './hub-postgres.js';

describe('selectDatabase', () => {
  it('takes --db over TEARLINE_DB, defaults to SQLite, and names the source of a bad value', () => {
    expect(selectDatabase(undefined, {})).toEqual({ ok: true, kind: 'sqlite' });
    expect(selectDatabase(undefined, { TEARLINE_DB: 'postgres://h/db' })).toEqual({
      ok: true,
      kind: 'postgres',
      url: 'postgres://h/db',
    });
    expect(selectDatabase('postgresql://a/b', { TEARLINE_DB: 'postgres://h/db' })).toMatchObject({
      url: 'postgresql://a/b',
    });
    const bad = selectDatabase(undefined, { TEARLINE_DB: 'mysql://h/db' });
    expect(bad.ok === false && bad.message).toContain('TEARLINE_DB');
    const badOption = selectDatabase('tearline.db', {});
    expect(badOption.ok === false && badOption.message).toContain('--db');
  });

  it('never echoes a value back (it may hold a password)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 8 }), (secret) => {
        fc.pre(!/^postgres(ql)?:\/\//i.test(`\u0001${secret}`));
        const res = selectDatabase(`\u0001${secret}`, {});
        expect(res.ok).toBe(false);
        if (!res.ok) expect(res.message).not.toContain(`\u0001${secret}`);
      }),
      { numRuns: 200 },
    );
  });
});
