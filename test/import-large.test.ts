import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { dataDirPaths } from '../src/app/data-dir.js';
import { DEFERRABLE_INDEXES } from '../src/store/sqlite/deferred-indexes.js';
import { as, initHub, runTearline, tempDir } from './run-cli.js';

// A file large enough for the import's parallel path (front half on a worker thread, bulk
// mode in the store), run through the real binary: exact counts, a ledger that verifies, the
// references index back in place, and an object near the size limit accepted.
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const IDENTITY = `identity--${uuid(1)}`;

function indicator(n: number): string {
  return JSON.stringify({
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${uuid(1000 + n)}`,
    created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
    created_by_ref: IDENTITY,
    name: `indicator ${n} — Émile`,
    pattern: `[ipv4-addr:value = '198.51.${(n >> 8) & 255}.${n & 255}']`,
    pattern_type: 'stix',
    valid_from: '2024-01-01T00:00:00Z',
  });
}

describe('importing a large file', () => {
  it('stores every object of a 10 MB file with a 12 MB object in it, exactly once, with a verifying ledger', async () => {
    const data = tempDir();
    expect((await initHub(data)).code).toBe(0);
    const count = 20_000;
    const report = JSON.stringify({
      type: 'report',
      spec_version: '2.1',
      id: `report--${uuid(2)}`,
      created: '2024-01-01T00:00:00.000Z',
      modified: '2024-01-01T00:00:00.000Z',
      name: 'a long report',
      published: '2024-01-01T00:00:00Z',
      description: 'x'.repeat(12 * 1024 * 1024),
      object_refs: [`indicator--${uuid(1000)}`, `indicator--${uuid(1001)}`],
    });
    const identity = JSON.stringify({
      type: 'identity',
      spec_version: '2.1',
      id: IDENTITY,
      created: '2024-01-01T00:00:00.000Z',
      modified: '2024-01-01T00:00:00.000Z',
      name: 'source',
    });
    const objects = [identity, ...Array.from({ length: count / 2 }, (_, i) => indicator(i)), report];
    objects.push(...Array.from({ length: count / 2 }, (_, i) => indicator(count / 2 + i)));
    const file = join(data, 'large.json');
    writeFileSync(file, `{"type":"bundle","id":"bundle--${uuid(3)}","objects":[\n${objects.join(',\n')}\n]}`);
    expect(statSync(file).size).toBeGreaterThan(8 * 1024 * 1024);

    const r = await runTearline(['import', '--data', data, '--json', file], as(data, 'analyst'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      read: count + 2,
      added: count + 2,
      rejected: 0,
      conflicts: 0,
    });

    const again = await runTearline(['import', '--data', data, '--json', file], as(data, 'analyst'));
    expect(JSON.parse(again.stdout)).toMatchObject({ read: count + 2, added: 0, duplicates: count + 2 });

    const stats = JSON.parse(
      (await runTearline(['stats', '--data', data, '--json'], as(data, 'analyst'))).stdout,
    );
    expect(stats.objects).toBe(count + 2);
    expect((await runTearline(['ledger', 'verify', '--data', data], as(data, 'admin'))).code).toBe(0);

    // The first import brought every reference: it built the incoming-reference index at its end.
    const db = new Database(dataDirPaths(data).database, { readonly: true });
    try {
      const index = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'object_refs_dst'").pluck().get();
      expect(index).toBe(DEFERRABLE_INDEXES[0].sql);
      const referrers = db.prepare('SELECT count(*) FROM object_refs WHERE dst_id = ?').pluck().get(IDENTITY);
      expect(referrers).toBe(count);
    } finally {
      db.close();
    }
  }, 120_000);
});
