import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SqliteAgreementStore } from './agreement-store.js';
import { openSqlite } from './database.js';

const text = readFileSync(
  new URL('../../policy/fixtures/agreement-distrusted.yaml', import.meta.url),
  'utf8',
);

describe('SqliteAgreementStore', () => {
  it('keeps every version with its raw text, and does not add a version for an unchanged agreement', () => {
    const db = openSqlite(':memory:');
    db.prepare(
      "INSERT INTO partners (id, name, identity_json, token_hash, created_at, updated_at) VALUES ('p', 'p', '{}', 'x', 't', 't')",
    ).run();
    const store = new SqliteAgreementStore(db);
    const ctx = { actor: 'local-admin', now: new Date('2026-11-01T00:00:00Z') };
    expect(store.set('p', text, ctx)).toEqual({ ok: true, version: 1, unchanged: false });
    expect(store.set('p', `# comment only\n${text}`, ctx)).toEqual({ ok: true, version: 1, unchanged: true });
    expect(store.set('p', text.replace('tlp_ceiling: green', 'tlp_ceiling: clear'), ctx)).toMatchObject({
      version: 2,
    });
    expect(store.list('p').map((v) => [v.version, v.body.tlp_ceiling, v.actor])).toEqual([
      [1, 'green', 'local-admin'],
      [2, 'clear', 'local-admin'],
    ]);
    expect(store.get('p', 1)?.raw_text).toBe(text);
    const bad = store.set('p', text.replace('approval: two', 'approval: three'), ctx);
    expect(bad).toMatchObject({ ok: false, errors: [{ path: 'approval', line: 13 }] });
    expect(store.list('p')).toHaveLength(2);
  });
});
