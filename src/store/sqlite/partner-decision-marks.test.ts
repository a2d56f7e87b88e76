import { describe, expect, it } from 'vitest';
import type { DecisionMark } from '../../policy/decision-redecide.js';
import { openSqlite } from './database.js';
import { SqliteDecisionMarks } from './partner-decision-marks.js';

describe('SqliteDecisionMarks', () => {
  it('saves only marks that changed and loads them back', () => {
    const db = openSqlite(':memory:');
    db.prepare(
      "INSERT INTO partners (id, name, identity_json, token_hash, created_at, updated_at) VALUES ('p', 'p', '{}', 'x', 't', 't')",
    ).run();
    const store = new SqliteDecisionMarks(db);
    const a: DecisionMark = { input_key: 'k1', outcome: 'release', reasons_key: '[]' };
    const b: DecisionMark = { input_key: 'k2', outcome: 'withhold', reasons_key: '[["tlp-red"]]' };
    expect(
      store.save(
        'p',
        new Map([
          ['x', a],
          ['y', b],
        ]),
        new Map(),
        '2026-11-28T00:00:00Z',
      ),
    ).toBe(2);
    const loaded = store.load('p');
    expect(loaded).toEqual(
      new Map([
        ['x', a],
        ['y', b],
      ]),
    );
    const c = { ...b, input_key: 'k3' };
    const next = new Map(loaded);
    next.set('y', c);
    expect(store.save('p', next, loaded, '2026-11-29T00:00:00Z')).toBe(1);
    expect(store.load('p').get('y')).toEqual(c);
  });
});
