import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.js';
import type { JsonObject } from '../../stix/types.js';
import type { SubmissionRecord } from '../../taxii/taxii-submissions.js';
import { openSqlite } from '../sqlite/database.js';
import { SqliteObjectStore } from '../sqlite/object-store.js';
import { SqliteSql } from '../sqlite/sqlite-sql.js';
import { createSqlSubmissionSink, SqlSubmissions } from './sql-submissions.js';

const P = 'identity--00000000-0000-4000-8000-00000000000a';
const NOW = new Date('2026-06-01T00:00:00Z');

function sighting(description: string): JsonObject {
  return {
    type: 'note',
    spec_version: '2.1',
    id: 'note--00000000-0000-4000-8000-000000000001',
    created: '2026-05-01T00:00:00.000Z',
    modified: '2026-05-01T00:00:00.000Z',
    created_by_ref: P,
    content: description,
    object_refs: ['indicator--00000000-0000-4000-8000-000000000002'],
  };
}

function recordOf(sent: JsonObject, statusId: string): SubmissionRecord {
  const json = JSON.stringify(sent);
  return {
    partnerId: P,
    statusId,
    sent,
    sentJson: json,
    intel: { object: sent, json, source: 'taxii:partner:alpha' },
    context: { actor: 'partner:alpha', source: 'taxii:partner:alpha' },
    now: NOW,
  };
}

function setup(failLedger = false) {
  const db = openSqlite(':memory:');
  const objects = new SqliteObjectStore(db, new ManualClock(NOW.toISOString()), () => {
    if (failLedger) throw new Error('ledger unavailable');
  });
  const sql = new SqliteSql(db);
  const submissions = new SqlSubmissions(sql);
  const sink = createSqlSubmissionSink(sql, objects, submissions);
  const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  return { sink, submissions, count };
}

describe('submission sink on SQLite (PostgreSQL: test/postgres-hub.test.ts)', () => {
  it('stores the intel copy and the partner record together', async () => {
    const { sink, submissions, count } = setup();
    expect(await sink.store(recordOf(sighting('seen in Kabul'), 'status-1'))).toBe('stored');
    expect(count('objects')).toBe(1);
    const page = await submissions.page(P, {
      version: { all: true, first: false, last: false, timestamps: [] },
      limit: 10,
    });
    expect(page.rows.map((r) => r.id)).toEqual(['note--00000000-0000-4000-8000-000000000001']);
  });

  it('records nothing when the intel store holds the same version with other content', async () => {
    const { sink, count } = setup();
    expect(await sink.store(recordOf(sighting('seen in Kabul'), 'status-1'))).toBe('stored');
    expect(await sink.store(recordOf(sighting('seen in Herat'), 'status-2'))).toBe('conflict');
    expect(count('objects')).toBe(1);
    expect(count('taxii_submissions')).toBe(1);
  });

  it('writes neither half when the intel write fails (the ledger refuses)', async () => {
    const { sink, count } = setup(true);
    await expect(sink.store(recordOf(sighting('seen in Kabul'), 'status-1'))).rejects.toThrow(
      'ledger unavailable',
    );
    expect(count('objects')).toBe(0);
    expect(count('taxii_submissions')).toBe(0);
  });
});
