import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, dataDirPaths } from '../app/data-dir.js';
import { createHub } from '../app/hub.js';
import { ManualClock } from '../clock.js';
import { openSqlite } from '../store/sqlite/database.js';
import { importStream } from './import-stream.js';

const identity = (n: number) =>
  JSON.stringify({
    type: 'identity',
    spec_version: '2.1',
    id: `identity--00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
    created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
    name: `org ${n}`,
  });

/** One JSON Lines object per chunk, so batch boundaries fall where batchSize says. */
async function* lines(texts: string[]): AsyncGenerator<Buffer> {
  for (const t of texts) yield Buffer.from(`${t}\n`);
}

describe('importStream over the hub store', () => {
  it('writes one ledger entry per batch and stores in input order, however many batches share a commit (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        // At least one object: an empty input is itself rejected (nothing to import).
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 5 }),
        async (n, batchSize, batchesPerCommit) => {
          const hub = createHub(
            dataDirPaths('/nonexistent'),
            DEFAULT_CONFIG,
            openSqlite(':memory:'),
            new ManualClock('2026-01-01T00:00:00Z'),
          );
          try {
            const texts = Array.from({ length: n }, (_, i) => identity(i + 1));
            const summary = await importStream(lines(texts), hub.objects, {
              source: 'test',
              actor: 'test',
              maxObjectBytes: 1 << 20,
              batchSize,
              batchesPerCommit,
            });
            expect(summary).toMatchObject({ read: n, added: n, rejected: 0 });
            expect(hub.ledger.size()).toBe(Math.ceil(n / batchSize));
            const stored = hub.db.prepare('SELECT json FROM objects ORDER BY added_us').pluck().all();
            expect(stored).toEqual(texts);
          } finally {
            hub.close();
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('counts a repeat in a later batch of the same commit as a duplicate, and a changed one as a conflict', async () => {
    const hub = createHub(
      dataDirPaths('/nonexistent'),
      DEFAULT_CONFIG,
      openSqlite(':memory:'),
      new ManualClock('2026-01-01T00:00:00Z'),
    );
    const changed = identity(1).replace('org 1', 'org one');
    const summary = await importStream(lines([identity(1), identity(2), identity(1), changed]), hub.objects, {
      source: 'test',
      actor: 'test',
      maxObjectBytes: 1 << 20,
      batchSize: 1,
      batchesPerCommit: 4,
    });
    expect(summary).toMatchObject({ read: 4, added: 2, duplicates: 1, conflicts: 1 });
    expect(summary.conflict_list).toEqual([
      { location: 'line 4', id: JSON.parse(changed).id, version: expect.any(String) },
    ]);
    hub.close();
  });
});
