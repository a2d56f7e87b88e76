import { expect, it } from 'vitest';
import type { JsonObject } from '../../stix/types.js';
import type { SubmissionRecord } from '../feed-ports.js';
import type { SqlDatabase, SqlTx } from './sql-database.js';
import { createSqlSubmissionSink, SqlSubmissions } from './sql-submissions.js';
import { describeOnEngines } from './sql-test-engines.js';

const P = 'identity--00000000-0000-4000-8000-00000000000a';
const Q = 'identity--00000000-0000-4000-8000-00000000000b';
const NOW = new Date('2026-06-01T00:00:00Z');
const ALL = { version: { all: true, first: false, last: false, timestamps: [] }, limit: 10 };

function note(content: string, id = 'note--00000000-0000-4000-8000-000000000001'): JsonObject {
  return {
    type: 'note',
    spec_version: '2.1',
    id,
    created: '2026-05-01T00:00:00.000Z',
    modified: '2026-05-01T00:00:00.000Z',
    created_by_ref: P,
    content,
    object_refs: ['indicator--00000000-0000-4000-8000-000000000002'],
  };
}

function recordOf(sent: JsonObject, partnerId = P, maxPending?: number): SubmissionRecord {
  const json = JSON.stringify(sent);
  return {
    partnerId,
    statusId: 'status-1',
    sent,
    sentJson: json,
    mappedJson: json.replace('indicator--00000000-0000-4000-8000-000000000002', 'indicator--original'),
    context: { actor: 'partner:alpha', source: 'taxii:partner:alpha' },
    now: NOW,
    ...(maxPending !== undefined && { maxPending }),
  };
}

async function count(sql: SqlDatabase, table: string): Promise<number> {
  return Number((await sql.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))?.n);
}

/** The same database, with a ledger that refuses every entry (as a full or broken one would). */
function refusingLedger(sql: SqlDatabase): SqlDatabase {
  const queries = (q: SqlDatabase | SqlTx) => ({
    all: <T>(text: string, params?: readonly unknown[]) => q.all<T>(text, params),
    get: <T>(text: string, params?: readonly unknown[]) => q.get<T>(text, params),
    run: (text: string, params?: readonly unknown[]) => q.run(text, params),
  });
  const wrap = (tx: SqlTx): SqlTx => ({
    ...queries(tx),
    lock: (key) => tx.lock(key),
    appendLedger: async () => ({ ok: false, code: 'bad-entry', message: 'ledger unavailable' }),
  });
  return {
    ...queries(sql),
    dialect: sql.dialect,
    runExclusive: (key, work) => sql.runExclusive(key, work),
    transaction: (work) => sql.transaction((tx) => work(wrap(tx))),
  };
}

describeOnEngines('partner submission space', (open) => {
  it('keeps what the partner sent in its own space with a ledger entry, never in intel', async () => {
    const { sql, close } = await open();
    try {
      const submissions = new SqlSubmissions(sql);
      const sink = createSqlSubmissionSink(sql, submissions);
      const sent = note('seen in Kabul');
      expect(await sink.store(recordOf(sent))).toBe('stored');
      expect(await count(sql, 'objects')).toBe(0);
      expect(await count(sql, 'ledger_entries')).toBe(1);
      const page = await submissions.page(P, ALL);
      expect(page.rows.map((r) => JSON.parse(r.json))).toEqual([sent]);
      const row = await sql.get<{ mapped_json: string; review_state: string }>(
        'SELECT mapped_json, review_state FROM taxii_submissions',
      );
      expect(row?.review_state).toBe('pending');
      expect(JSON.parse(row?.mapped_json ?? '{}').object_refs).toEqual(['indicator--original']);
      expect((await submissions.page(Q, ALL)).rows).toEqual([]);
    } finally {
      await close();
    }
  });

  it('answers a resend as a duplicate and other content under its own id and version as a conflict', async () => {
    const { sql, close } = await open();
    try {
      const sink = createSqlSubmissionSink(sql, new SqlSubmissions(sql));
      expect(await sink.store(recordOf(note('seen in Kabul')))).toBe('stored');
      expect(await sink.store(recordOf(note('seen in Kabul')))).toBe('duplicate');
      expect(await sink.store(recordOf(note('seen in Herat')))).toBe('conflict');
      // Another partner's object under the same id and version is its own: no conflict with P's.
      expect(await sink.store(recordOf(note('seen in Herat'), Q))).toBe('stored');
      expect(await count(sql, 'taxii_submissions')).toBe(2);
      expect(await count(sql, 'ledger_entries')).toBe(2);
    } finally {
      await close();
    }
  });

  it('refuses new submissions beyond the pending quota, resends still succeed', async () => {
    const { sql, close } = await open();
    try {
      const sink = createSqlSubmissionSink(sql, new SqlSubmissions(sql));
      const id = (n: number) => `note--00000000-0000-4000-8000-00000000010${n}`;
      expect(await sink.store(recordOf(note('a', id(1)), P, 2))).toBe('stored');
      expect(await sink.store(recordOf(note('b', id(2)), P, 2))).toBe('stored');
      expect(await sink.store(recordOf(note('c', id(3)), P, 2))).toBe('quota');
      expect(await sink.store(recordOf(note('a', id(1)), P, 2))).toBe('duplicate');
      await sql.run("UPDATE taxii_submissions SET review_state = 'rejected' WHERE object_id = ?", [id(1)]);
      expect(await sink.store(recordOf(note('c', id(3)), P, 2))).toBe('stored');
      expect(await sink.store(recordOf(note('d', id(4)), Q, 2))).toBe('stored');
    } finally {
      await close();
    }
  });

  it('keeps nothing when the ledger refuses the entry', async () => {
    const { sql, close } = await open();
    try {
      const failing = refusingLedger(sql);
      const sink = createSqlSubmissionSink(failing, new SqlSubmissions(failing));
      await expect(sink.store(recordOf(note('seen in Kabul')))).rejects.toThrow('ledger unavailable');
      expect(await count(sql, 'taxii_submissions')).toBe(0);
      expect(await count(sql, 'ledger_entries')).toBe(0);
    } finally {
      await close();
    }
  });
});
