import { describe, expect, it } from 'vitest';
import { deriveFacts, SqliteConditionEvents } from './condition-events.js';
import { openSqlite } from './database.js';

function setup() {
  const db = openSqlite(':memory:');
  db.prepare(
    "INSERT INTO partners (id, name, identity_json, token_hash, created_at, updated_at) VALUES ('identity--p', 'p', '{}', 'x', 't', 't')",
  ).run();
  return db;
}
const at = (iso: string) => ({ actor: 'local-admin', now: new Date(iso) });

describe('SqliteConditionEvents', () => {
  it('replays attestations, revocations, reviews, suspensions and breaches into current facts', () => {
    const events = new SqliteConditionEvents(setup());
    events.attestAssurance(
      'identity--p',
      'hr-1',
      { valid_until: '2027-01-01T00:00:00Z', grade: 'B2' },
      at('2026-11-01T00:00:00Z'),
    );
    events.recordReview('identity--p', 'quarterly', at('2026-11-02T00:00:00Z'));
    events.setSuspension('identity--p', true, 'press reports', at('2026-11-03T00:00:00Z'));
    const b1 = events.openBreach('identity--p', 'onward sharing', at('2026-11-04T00:00:00Z'));
    const b2 = events.openBreach('identity--p', 'leak', at('2026-11-05T00:00:00Z'));
    expect([b1, b2]).toEqual(['B1', 'B2']);
    expect(events.closeBreach('identity--p', 'B1', 'resolved', at('2026-11-06T00:00:00Z'))).toBe(true);
    expect(events.closeBreach('identity--p', 'B1', 'again', at('2026-11-06T00:00:00Z'))).toBe(false);
    events.revokeAssurance('identity--p', 'hr-1', 'withdrawn', at('2026-11-07T00:00:00Z'));
    const facts = deriveFacts(events.list('identity--p'));
    expect(facts.assurances?.get('hr-1')).toMatchObject({ state: 'revoked', reason: 'withdrawn' });
    expect(facts.lastReviewAt).toBe('2026-11-02T00:00:00.000Z');
    expect(facts.suspension).toMatchObject({ on: true, reason: 'press reports' });
    expect(facts.openBreaches?.map((b) => b.id)).toEqual(['B2']);
    expect(events.list('identity--p').every((e) => e.actor === 'local-admin')).toBe(true);
  });
});
