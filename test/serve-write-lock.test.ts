import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { openRedTeam } from './redteam-fixture.js';

const require = createRequire(import.meta.url);
const SUBMISSIONS = '/taxii2/hub/collections/submissions/objects/';

/**
 * Another connection in a write transaction, as the pass process is while it commits a group
 * (or a stuck process would be): it begins, says so, and commits only when told.
 */
const HOLDER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.betterSqlite);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.exec('BEGIN IMMEDIATE');
db.prepare("UPDATE schema_migrations SET applied_at = applied_at WHERE name = ''").run();
parentPort.postMessage('holding');
parentPort.on('message', () => {
  const open = db.inTransaction;
  db.exec('COMMIT');
  db.close();
  parentPort.postMessage(open ? 'committed' : 'was not open');
});
`;

function holdWriteLock(path: string) {
  const worker = new Worker(HOLDER, {
    eval: true,
    workerData: { path, betterSqlite: require.resolve('better-sqlite3') },
  });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  return {
    held: next(),
    release: async () => {
      const done = next();
      worker.postMessage('commit');
      const said = await done;
      await worker.terminate();
      return said;
    },
  };
}

const note = () => ({
  type: 'note',
  spec_version: '2.1',
  id: `note--${randomUUID()}`,
  created: '2026-11-01T00:00:00.000Z',
  modified: '2026-11-01T00:00:00.000Z',
  content: 'Seen at the border crossing.',
  object_refs: [`identity--${randomUUID()}`],
});

describe('serve while another connection holds the write lock', () => {
  it('answers TAXII pages while another connection holds a write transaction open', async () => {
    const team = await openRedTeam();
    try {
      // A credential is checked through the sign-in throttle (a write) until the hub knows it:
      // each partner signs in once before the lock is taken, as a serving hub's partners have.
      for (const who of [team.ally, team.kabul])
        expect((await team.call(who, '/taxii2/hub/collections/releases/manifest/')).status).toBe(200);
      const lock = holdWriteLock(team.hub.paths.database);
      expect(await lock.held).toBe('holding');
      const pages = [];
      for (let i = 0; i < 5; i++) {
        pages.push(await team.call(team.ally, '/taxii2/hub/collections/releases/objects/?limit=5'));
        pages.push(await team.call(team.kabul, '/taxii2/hub/collections/releases/manifest/'));
      }
      // Every page was answered before the holder was told to commit: its transaction was open
      // all along (it says so as it commits), so no answer waited for the write lock.
      expect(await lock.release()).toBe('committed');
      expect(pages.map((p) => p.status)).toEqual(Array(10).fill(200));
      for (const p of pages)
        expect((JSON.parse(p.body) as { objects?: unknown[] }).objects?.length).toBeGreaterThan(0);
    } finally {
      await team.close();
    }
  });

  it('answers a write that waited past the busy timeout with 503 and Retry-After, not 500, and takes it once the lock is free', async () => {
    const team = await openRedTeam();
    try {
      expect((await team.call(team.ally, '/taxii2/hub/collections/releases/manifest/')).status).toBe(200);
      const before = await team.hub.state.sql.all('SELECT * FROM taxii_submissions');
      const lock = holdWriteLock(team.hub.paths.database);
      expect(await lock.held).toBe('holding');
      const busy = await team.call(team.ally, SUBMISSIONS, { objects: [note()] });
      expect(await lock.release()).toBe('committed');
      expect(busy.status).toBe(503);
      expect(Number(busy.headers['retry-after'])).toBeGreaterThan(0);
      expect(busy.body).toContain('busy');
      // Nothing of the database, the lock or a stack reaches the partner.
      expect(busy.body).not.toMatch(/SQLITE|sqlite|tearline\.db|\bat \w+ \(|node_modules/);
      expect(await team.hub.state.sql.all('SELECT * FROM taxii_submissions')).toEqual(before);
      const taken = await team.call(team.ally, SUBMISSIONS, { objects: [note()] });
      expect(taken.status).toBe(202);
    } finally {
      await team.close();
    }
  }, 60_000);
});
