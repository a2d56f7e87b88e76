import { spawn } from 'node:child_process';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { as, initHub, REPO_ROOT, runTearline, tempDir } from './run-cli.js';

// kill -9 during `import` and during `release run`, then the same commands again: the store, the
// ledger and the releases come out exact, with no duplicates. Small (5,000 objects) so CI stays
// fast; each kill lands once the process has started writing (its -wal changed), at a random
// moment after that.
const N = 5000;
const TLP_GREEN = 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da';
const dir = tempDir('tearline-crash-');
const data = join(dir, 'hub');
const wal = join(data, 'tearline.db-wal');
// Signed in by API key: analysts import and run releases, the admin does the rest.
const roleFor = (args: string[]) => (args[0] === 'import' || args[0] === 'release' ? 'analyst' : 'admin');
const t = (...args: string[]) => runTearline([...args, '--data', data], as(data, roleFor(args)));
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * What a file's size and time say about it, to see when a process has written to it. One stat
 * that tolerates absence: SQLite removes the -wal when the last connection closes, which can
 * happen between an existence check and a stat.
 */
const stamp = (path: string) => {
  const s = statSync(path, { throwIfNoEntry: false });
  return s ? `${s.size}:${s.mtimeMs}` : '';
};

/**
 * Runs `tearline ARGS` and kills it with SIGKILL `afterMs` after its first write to the -wal.
 * Resolves with how it ended: 'killed' (the kill landed) or its exit code (it finished first).
 */
function killDuring(args: string[], afterMs: number): Promise<'killed' | number> {
  const before = stamp(wal);
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'tearline.js'), ...args, '--data', data], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...as(data, roleFor(args)).env },
    stdio: 'ignore',
  });
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      if (stamp(wal) === before) return;
      clearInterval(poll);
      setTimeout(() => child.kill('SIGKILL'), afterMs);
    }, 5);
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      resolve(signal === 'SIGKILL' ? 'killed' : (code ?? -1));
    });
  });
}

const randomDelay = (max: number) => Math.floor(Math.random() * max);

describe('crash loop: kill -9 during import and release run (SQLite)', () => {
  it('leaves the store, the ledger and the releases exact; re-runs complete without duplicates', async () => {
    expect((await initHub(data)).code).toBe(0);
    const bundle = join(dir, 'bundle.json');
    const objects = Array.from({ length: N }, (_, i) => ({
      type: 'identity',
      spec_version: '2.1',
      id: `identity--${uuid(i + 1)}`,
      created: '2024-01-01T00:00:00.000Z',
      modified: '2024-01-01T00:00:00.000Z',
      name: `organisation ${i}`,
      identity_class: 'organization',
      object_marking_refs: [TLP_GREEN],
    }));
    writeFileSync(bundle, JSON.stringify({ type: 'bundle', id: `bundle--${uuid(0)}`, objects }));

    // Import: three kills, then the import again until it completes.
    const importKills: ('killed' | number)[] = [];
    for (let i = 0; i < 3; i++) importKills.push(await killDuring(['import', bundle], randomDelay(400)));
    expect(importKills).toContain('killed');
    for (const end of importKills) expect(end === 'killed' || end === 0).toBe(true);
    const resumed = await t('import', '--json', bundle);
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(resumed.stdout);
    expect(summary.read).toBe(N);
    expect(summary.added + summary.duplicates).toBe(N);
    expect(summary.rejected + summary.conflicts + summary.new_versions).toBe(0);
    const stats = JSON.parse((await t('stats', '--json')).stdout);
    expect(stats).toMatchObject({ objects: N, versions: N, quarantined: 0 });
    expect((await t('ledger', 'verify')).code).toBe(0);
    // Nothing half-stored: one more import finds every object already there.
    const again = JSON.parse((await t('import', '--json', bundle)).stdout);
    expect(again).toMatchObject({ read: N, added: 0, duplicates: N });

    // Release: every identity goes to the partner; two kills mid-pass, then a pass to the end.
    expect((await t('partner', 'add', '--name', 'ally')).code).toBe(0);
    const agreement = join(dir, 'ally.json');
    writeFileSync(
      agreement,
      JSON.stringify({
        scope: { types: ['identity'] },
        tlp_ceiling: 'amber',
        approval: 'none',
        sanitisation: 'standard',
        valid_from: '2026-01-01T00:00:00Z',
        conditions: [],
      }),
    );
    expect((await t('agreement', 'set', '--reason', 'test', 'ally', agreement)).code).toBe(0);
    const releaseKills: ('killed' | number)[] = [];
    for (let i = 0; i < 2; i++) releaseKills.push(await killDuring(['release', 'run'], randomDelay(600)));
    expect(releaseKills).toContain('killed');
    expect((await t('release', 'run')).code).toBe(0);
    // A further pass finds nothing to do: no release was lost or made twice.
    expect(JSON.parse((await t('release', 'run', '--json')).stdout).totals).toMatchObject({
      released: 0,
      queued: 0,
      withheld: 0,
    });
    expect((await t('ledger', 'verify')).code).toBe(0);

    const day = 86_400_000;
    const report = await t(
      'report',
      'disclosures',
      '--partner',
      'ally',
      '--from',
      new Date(Date.now() - day).toISOString().slice(0, 10),
      '--to',
      new Date(Date.now() + day).toISOString().slice(0, 10),
      '--format',
      'json',
    );
    expect(report.code).toBe(0);
    const rows = (
      JSON.parse(report.stdout) as { rows: { event: string; original_id: string; derived_id: string }[] }
    ).rows;
    const releases = rows.filter((r) => r.event === 'release');
    expect(releases).toHaveLength(N);
    expect(new Set(releases.map((r) => r.original_id)).size).toBe(N);
    expect(new Set(releases.map((r) => r.derived_id)).size).toBe(N);
  }, 240_000);
});
