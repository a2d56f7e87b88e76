import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataDirPaths } from '../src/app/data-dir.js';
import { loadLedgerSigner } from '../src/app/ledger-key.js';
import { signCheckpoint } from '../src/ledger/ledger-checkpoint.js';
import { sealEntry } from '../src/ledger/ledger-commitment.js';
import type { EntryOf, LedgerEntry } from '../src/ledger/ledger-entry.js';
import { createSigner, formatVerifierKey } from '../src/ledger/ledger-note.js';
import { countStoredHashes, storedHashIndex } from '../src/ledger/ledger-tree-math.js';
import { openSqlite, type SqliteDatabase } from '../src/store/sqlite/database.js';
import { SqliteLedgerCheckpoints } from '../src/store/sqlite/ledger-checkpoints.js';
import { HASHES_PER_PAGE } from '../src/store/sqlite/ledger-hash-pages.js';
import { SqliteLedger } from '../src/store/sqlite/ledger-store.js';
import { seedKeyQuietly } from './auth-fixture.js';

const bin = fileURLToPath(new URL('../bin/tearline.js', import.meta.url));
// The ledger must start empty: the admin's key is written without the entries `user add` makes.
let KEY = '';
const run = (...args: string[]) => {
  const res = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TEARLINE_API_KEY: KEY },
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
};
const ENTRIES = 20;
const entry = (i: number): EntryOf<'condition-change'> => ({
  kind: 'condition-change',
  time: `2026-01-03T12:00:${String(i).padStart(2, '0')}Z`,
  actor: 'officer-3',
  partner: 'partner-b',
  condition: `assurance-${i}`,
  change: i % 2 ? 'met' : 'lapsed',
  digest: `sha256:${i}`,
});
/** A version 2 leaf for `e`, as the hub would write it (under a salt of its own). */
const bytesOf = (e: LedgerEntry) => {
  const enc = sealEntry(e, Buffer.alloc(32, 9));
  if (!enc.ok) throw new Error(enc.message);
  return enc.leaf;
};

/** Rewrites entry `idx`'s stored opening (its salt and private part) with `edit`. */
function editOpening(
  db: SqliteDatabase,
  idx: number,
  edit: (o: { salt: Buffer; private: Buffer }) => { salt: Buffer; private: Buffer },
): void {
  const row = db.prepare('SELECT salt, private FROM ledger_entries WHERE idx = ?').get(idx) as {
    salt: Buffer;
    private: Buffer;
  };
  const next = edit(row);
  db.prepare('UPDATE ledger_entries SET salt = ?, private = ? WHERE idx = ?').run(
    next.salt,
    next.private,
    idx,
  );
}

/** Overwrites stored hash `id` inside its page row. */
function setStoredHash(db: SqliteDatabase, id: number, hash: Buffer): void {
  const page = Math.floor(id / HASHES_PER_PAGE);
  const row = db.prepare('SELECT hashes FROM ledger_hash_pages WHERE page = ?').get(page) as {
    hashes: Buffer;
  };
  hash.copy(row.hashes, (id % HASHES_PER_PAGE) * 32);
  db.prepare('UPDATE ledger_hash_pages SET hashes = ? WHERE page = ?').run(row.hashes, page);
}

/** Deletes stored hash `id` and the rest of its page. */
function truncateHashesAt(db: SqliteDatabase, id: number): void {
  const page = Math.floor(id / HASHES_PER_PAGE);
  db.prepare('UPDATE ledger_hash_pages SET hashes = substr(hashes, 1, ?) WHERE page = ?').run(
    (id % HASHES_PER_PAGE) * 32,
    page,
  );
}

describe('tampering with the stored ledger is caught by `tearline ledger verify`, naming where', () => {
  const work = mkdtempSync(join(tmpdir(), 'tearline-tamper-'));
  const template = join(work, 'template');
  let caseNo = 0;

  beforeAll(() => {
    KEY = seedKeyQuietly(template);
    expect(run('init', '--data', template).code).toBe(0);
    const paths = dataDirPaths(template);
    const signer = loadLedgerSigner(paths, 'tearline.local');
    if (!signer.ok) throw new Error(signer.message);
    const db = openSqlite(paths.database);
    const ledger = new SqliteLedger(db);
    const checkpoints = new SqliteLedgerCheckpoints(ledger);
    ledger.appendEntries(Array.from({ length: 9 }, (_, i) => entry(i)));
    checkpoints.checkpoint(new Date('2026-01-03T12:01:00Z'), signer.signer);
    ledger.appendEntries(Array.from({ length: ENTRIES - 9 }, (_, i) => entry(9 + i)));
    checkpoints.checkpoint(new Date('2026-01-03T12:02:00Z'), signer.signer);
    db.close();
    expect(run('ledger', 'verify', '--data', template)).toMatchObject({
      code: 0,
      stdout: 'ok: 20 entries and 2 checkpoints verified\n',
    });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** Copies the good hub, damages its database, and runs verify on it. */
  function verifyAfter(tamper: (db: SqliteDatabase) => void, ...extra: string[]) {
    const dir = join(work, `case-${caseNo++}`);
    cpSync(template, dir, { recursive: true });
    const db = openSqlite(dataDirPaths(dir).database);
    db.pragma('foreign_keys = OFF');
    tamper(db);
    db.close();
    return run('ledger', 'verify', '--data', dir, ...extra);
  }

  const cases: [string, (db: SqliteDatabase) => void, RegExp][] = [
    [
      'an entry changed',
      (db) =>
        db
          .prepare('UPDATE ledger_entries SET bytes = ? WHERE idx = 7')
          .run(bytesOf({ ...entry(7), change: 'met', digest: 'sha256:x' })),
      /entry 7: does not match its stored leaf hash/,
    ],
    [
      'an entry deleted',
      (db) => db.prepare('DELETE FROM ledger_entries WHERE idx = 7').run(),
      /entry 7 is missing/,
    ],
    [
      'the last entry deleted',
      (db) => db.prepare('DELETE FROM ledger_entries WHERE idx = 19').run(),
      /entry 19 is missing/,
    ],
    [
      'two entries reordered',
      (db) => {
        const [a, b] = [bytesOf(entry(3)), bytesOf(entry(4))];
        db.prepare('UPDATE ledger_entries SET bytes = ?, time = ? WHERE idx = 3').run(b, entry(4).time);
        db.prepare('UPDATE ledger_entries SET bytes = ?, time = ? WHERE idx = 4').run(a, entry(3).time);
      },
      /entry 3: does not match its stored leaf hash/,
    ],
    [
      'an entry appended without hashes',
      (db) =>
        db
          .prepare(
            'INSERT INTO ledger_entries (idx, kind, time, actor, release_id, bytes) VALUES (20, ?, ?, ?, NULL, ?)',
          )
          .run('condition-change', entry(20).time, 'officer-3', bytesOf(entry(20))),
      /entry 20: lacks its stored leaf hash/,
    ],
    [
      'an entry inserted in the middle',
      (db) => {
        for (let i = ENTRIES - 1; i >= 10; i--)
          db.prepare('UPDATE ledger_entries SET idx = idx + 1 WHERE idx = ?').run(i);
        db.prepare(
          'INSERT INTO ledger_entries (idx, kind, time, actor, release_id, bytes) VALUES (10, ?, ?, ?, NULL, ?)',
        ).run(
          'condition-change',
          entry(10).time,
          'officer-3',
          bytesOf({ ...entry(10), condition: 'inserted' }),
        );
      },
      /entry 10: does not match its stored leaf hash/,
    ],
    [
      'a stored leaf hash changed',
      (db) => setStoredHash(db, countStoredHashes(12), Buffer.alloc(32)),
      /entry 12: does not match its stored leaf hash/,
    ],
    [
      'a stored subtree hash changed',
      (db) => setStoredHash(db, storedHashIndex({ level: 2, index: 1 }), Buffer.alloc(32)),
      /entry 7: does not match the stored hash of the level-2 subtree/,
    ],
    [
      'a stored hash deleted',
      (db) => truncateHashesAt(db, countStoredHashes(15)),
      /entry 15: lacks its stored leaf hash/,
    ],
    [
      'an entry column edited (the bytes kept)',
      (db) => db.prepare("UPDATE ledger_entries SET actor = 'someone-else' WHERE idx = 2").run(),
      /entry 2: the kind, time, actor or release_id columns differ/,
    ],
    [
      "an entry's private part changed (the officer named)",
      (db) =>
        editOpening(db, 6, (o) => ({
          ...o,
          private: Buffer.from(o.private.toString('utf8').replace('officer-3', 'officer-4')),
        })),
      /entry 6: the private part and salt do not match the commitment/,
    ],
    [
      "an entry's salt changed",
      (db) => editOpening(db, 11, (o) => ({ ...o, salt: Buffer.alloc(32, 1) })),
      /entry 11: the private part and salt do not match the commitment/,
    ],
    [
      "two entries' openings swapped",
      (db) => {
        const read = db.prepare('SELECT salt, private FROM ledger_entries WHERE idx = ?');
        const [a, b] = [read.get(4), read.get(5)] as { salt: Buffer; private: Buffer }[];
        editOpening(db, 4, () => b as { salt: Buffer; private: Buffer });
        editOpening(db, 5, () => a as { salt: Buffer; private: Buffer });
      },
      /entry 4: the private part and salt do not match the commitment/,
    ],
    [
      "an entry's opening deleted",
      (db) => db.prepare('UPDATE ledger_entries SET salt = NULL, private = NULL WHERE idx = 13').run(),
      /entry 13: its private part and salt are missing/,
    ],
    [
      'history rewritten with all hashes recomputed',
      (db) => {
        db.prepare('DELETE FROM ledger_entries').run();
        db.prepare('DELETE FROM ledger_hash_pages').run();
        const ledger = new SqliteLedger(db);
        ledger.appendEntries(
          Array.from({ length: ENTRIES }, (_, i) => (i === 5 ? { ...entry(5), change: 'forged' } : entry(i))),
        );
      },
      /checkpoint 9: its root does not match entries 0\.\.8/,
    ],
    [
      'a checkpoint forged with another key',
      (db) => {
        const forger = createSigner('tearline.local', Buffer.alloc(32, 66));
        if (!forger.ok) throw new Error(forger.message);
        const root = (
          db.prepare('SELECT root FROM ledger_checkpoints WHERE size = 20').get() as { root: Buffer }
        ).root;
        const note = signCheckpoint({ origin: 'tearline.local', size: 20, root }, forger.signer);
        if (!note.ok) throw new Error(note.message);
        db.prepare('UPDATE ledger_checkpoints SET note = ? WHERE size = 20').run(note.note);
      },
      /checkpoint 20: the note carries no signature from the expected key/,
    ],
    [
      'a checkpoint note edited',
      (db) =>
        db
          .prepare(
            "UPDATE ledger_checkpoints SET note = replace(note, char(10) || '20' || char(10), char(10) || '19' || char(10)) WHERE size = 20",
          )
          .run(),
      /checkpoint 20: signature by tearline\.local\+[0-9a-f]{8} does not verify/,
    ],
    [
      'a checkpoint root column edited',
      (db) => db.prepare('UPDATE ledger_checkpoints SET root = zeroblob(32) WHERE size = 9').run(),
      /checkpoint 9: the stored size or root of checkpoint 9 differs from its signed note/,
    ],
  ];

  for (const [what, tamper, where] of cases) {
    it(`catches ${what}`, () => {
      const res = verifyAfter(tamper);
      expect(res.code, res.stdout + res.stderr).toBe(1);
      expect(res.stderr).toMatch(where);
      expect(res.stderr).not.toContain('internal error');
    });
  }

  it('rejects every checkpoint under a wrong verifier key', () => {
    const other = createSigner('tearline.local', Buffer.alloc(32, 77));
    if (!other.ok) throw new Error(other.message);
    const res = verifyAfter(() => {}, '--key', formatVerifierKey(other.signer.name, other.signer.publicKey));
    expect(res).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/checkpoint 9: the note carries no signature/),
    });
  });

  it('refuses to hand out receipts from a damaged store, without a stack trace', () => {
    const dir = join(work, 'damaged');
    cpSync(template, dir, { recursive: true });
    const db = openSqlite(dataDirPaths(dir).database);
    truncateHashesAt(db, storedHashIndex({ level: 3, index: 0 }));
    db.close();
    expect(run('ledger', 'receipt', '--index', '15', '--data', dir)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('ledger store is damaged'),
    });
  });
});
