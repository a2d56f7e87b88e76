import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPgHub } from '../src/app/hub-postgres.js';
import { systemClock } from '../src/clock.js';
import { openTestSchema, PG_SKIP_REASON, TEST_PG_URL } from '../src/store/postgres/pg-test-schema.js';
import { provisionKeys } from './auth-fixture.js';
import { as, initHub, initHubQuietly, runTearline, tempDir } from './run-cli.js';

if (!TEST_PG_URL) console.warn(PG_SKIP_REASON);

const ID = (i: number) => `indicator--${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`;

function writeBundle(path: string, modified: string, n: number): void {
  const objects = Array.from({ length: n }, (_, i) => ({
    type: 'indicator',
    spec_version: '2.1',
    id: ID(i),
    created: '2024-01-01T00:00:00.000Z',
    modified,
    pattern: `[ipv4-addr:value = '198.51.100.${i}']`,
    pattern_type: 'stix',
    valid_from: '2024-01-01T00:00:00Z',
  }));
  writeFileSync(
    path,
    JSON.stringify({ type: 'bundle', id: 'bundle--7a1f1a2c-2f0e-4a53-9a3e-0f2d6b7b6e02', objects }),
  );
}

describe.skipIf(!TEST_PG_URL)('tearline migrate --from sqlite://… --to postgres://…', () => {
  it('copies an imported hub, verifies the ledger there, and refuses a second copy or bad URLs', {
    timeout: 300_000,
  }, async () => {
    const dir = tempDir();
    const data = join(dir, 'hub');
    // The ledger must hold only the imports below: keys without `user add` entries.
    await initHubQuietly(data);
    writeBundle(join(dir, 'a.json'), '2024-02-01T00:00:00.000Z', 20);
    writeBundle(join(dir, 'b.json'), '2024-03-01T00:00:00.000Z', 10);
    writeFileSync(join(dir, 'bad.json'), '{"type":"indicator","id":"nope"}');
    for (const f of ['a.json', 'b.json', 'bad.json'])
      await runTearline(['import', '--data', data, join(dir, f)], as(data, 'analyst'));
    const stats = JSON.parse(
      (await runTearline(['stats', '--data', data, '--json'], as(data, 'analyst'))).stdout,
    );

    const target = await openTestSchema('cli');
    try {
      const to = `${TEST_PG_URL}${TEST_PG_URL.includes('?') ? '&' : '?'}schema=${target.schema}`;
      const r = await runTearline(['migrate', '--from', `sqlite://${data}`, '--to', to, '--json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out).toMatchObject({
        ok: true,
        ledgerSize: 2,
        rows: { objects: 30, quarantine: 1, ledger_entries: 2 },
      });

      const opened = await openPgHub(to, systemClock);
      if (!opened.ok) throw new Error(opened.error.message);
      try {
        expect(await opened.hub.objects.stats()).toEqual(stats);
        expect((await opened.hub.objects.getVersions(ID(3))).length).toBe(2);
      } finally {
        await opened.hub.close();
      }

      // The ledger commands work on the PostgreSQL copy as on the data dir.
      const liteExport = await runTearline(['ledger', 'export', '--data', data], as(data, 'admin'));
      const pgExport = await runTearline(['ledger', 'export', '--data', data, '--db', to], as(data, 'admin'));
      expect(pgExport.code).toBe(0);
      expect(pgExport.stdout).toBe(liteExport.stdout);
      writeBundle(join(dir, 'c.json'), '2024-04-01T00:00:00.000Z', 5);
      expect(
        (await runTearline(['import', '--data', data, '--db', to, join(dir, 'c.json')], as(data, 'analyst')))
          .code,
      ).toBe(0);
      const verified = await runTearline(['ledger', 'verify', '--data', data, '--db', to], as(data, 'admin'));
      expect(verified.stderr).toBe('');
      expect(verified.stdout).toMatch(/^ok: 3 entries and \d+ checkpoints verified/);
      // The new entry is dated in the current step of a minute: no checkpoint covers it yet.
      const early = await runTearline(
        ['ledger', 'receipt', '--index', '2', '--data', data, '--db', to],
        as(data, 'analyst'),
      );
      expect(early).toMatchObject({ code: 1, stderr: expect.stringContaining('not yet under a checkpoint') });
      expect(
        (await runTearline(['ledger', 'checkpoint', '--now', '--data', data, '--db', to], as(data, 'admin')))
          .code,
      ).toBe(0);
      const receipt = await runTearline(
        ['ledger', 'receipt', '--index', '2', '--data', data, '--db', to],
        as(data, 'analyst'),
      );
      expect(JSON.parse(receipt.stdout)).toMatchObject({ index: 2 });
      await target.pool.query("UPDATE ledger_entries SET actor = 'mallory' WHERE idx = 1");
      const tampered = await runTearline(['ledger', 'verify', '--data', data, '--db', to], as(data, 'admin'));
      expect(tampered.code).toBe(1);
      expect(tampered.stderr).toContain('entry 1');

      const again = await runTearline(['migrate', '--from', `sqlite://${data}`, '--to', to]);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('already holds a hub');
    } finally {
      await target.drop();
    }

    const badTo = await runTearline(['migrate', '--from', `sqlite://${data}`, '--to', 'mysql://h/db']);
    expect(badTo.code).toBe(2);
    expect(badTo.stderr).toContain('--to');
    const badFrom = await runTearline([
      'migrate',
      '--from',
      `sqlite://${join(dir, 'none')}`,
      '--to',
      TEST_PG_URL,
    ]);
    expect(badFrom.code).toBe(1);
    expect(badFrom.stderr).toContain('no such file');
    const secret = await runTearline([
      'migrate',
      '--from',
      `sqlite://${data}`,
      '--to',
      'postgres://u:hunter2@127.0.0.1:1/x',
    ]);
    expect(secret.code).toBe(1);
    expect(secret.stderr).not.toContain('hunter2');
    expect(secret.stderr).not.toContain('    at ');
  });

  it('imports into PostgreSQL with --db and reads it back with stats and export', async () => {
    const dir = tempDir();
    const data = join(dir, 'hub');
    expect((await initHub(data)).code).toBe(0);
    writeBundle(join(dir, 'a.json'), '2024-02-01T00:00:00.000Z', 12);
    const target = await openTestSchema('clidb');
    try {
      const db = `${TEST_PG_URL}${TEST_PG_URL.includes('?') ? '&' : '?'}schema=${target.schema}`;
      // A new PostgreSQL hub has its own users: an analyst with a key there.
      const pgKey = (await provisionKeys({ data, db }, [{ name: 'pg-analyst', role: 'analyst' }]))[
        'pg-analyst'
      ];
      const onPg = { env: { TEARLINE_API_KEY: pgKey as string } };
      const r = await runTearline(
        ['import', '--data', data, '--db', db, '--json', join(dir, 'a.json')],
        onPg,
      );
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toMatchObject({ read: 12, added: 12 });
      const viaEnv = await runTearline(['stats', '--data', data, '--json'], {
        env: { TEARLINE_DB: db, TEARLINE_API_KEY: pgKey as string },
      });
      expect(JSON.parse(viaEnv.stdout)).toMatchObject({ objects: 12, versions: 12 });
      const local = JSON.parse(
        (await runTearline(['stats', '--data', data, '--json'], as(data, 'analyst'))).stdout,
      );
      expect(local.objects).toBe(0);
      const exported = await runTearline(['export', '--data', data, '--db', db], onPg);
      expect(JSON.parse(exported.stdout).objects).toHaveLength(12);
      const bad = await runTearline(['stats', '--data', data, '--db', 'mysql://x'], as(data, 'analyst'));
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('--db');
    } finally {
      await target.drop();
    }
  });
});
