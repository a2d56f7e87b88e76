import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../src/store/sqlite/database.js';
import { loadSharedObjects, REPO_ROOT, writeReplicatedBundle } from './bench-data.js';
import { importLikeCli } from './import-hub.js';
import { report } from './report.js';

const dir = mkdtempSync(join(tmpdir(), 'tearline-bench-import-'));
try {
  const file = join(dir, 'bundle.json');
  const { objects, bytes } = await writeReplicatedBundle(file, loadSharedObjects(), { minObjects: 200_000 });
  process.stderr.write(`import bench: ${objects} objects, ${(bytes / 1e6).toFixed(0)} MB\n`);

  // Baseline: the least an import can do — parse everything, a bare prepared INSERT, one transaction.
  const baseDb = openSqlite(join(dir, 'baseline.db'), []);
  baseDb.exec('CREATE TABLE t (id TEXT, json TEXT)');
  const t0 = performance.now();
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { objects: { id: string }[] };
  const insert = baseDb.prepare('INSERT INTO t (id, json) VALUES (?, ?)');
  baseDb.transaction(() => {
    for (const o of doc.objects) insert.run(o.id, JSON.stringify(o));
  })();
  const baseSecs = (performance.now() - t0) / 1000;
  baseDb.close();

  // The real thing: what `tearline import` does, ledger entries and checkpoint included.
  const t1 = performance.now();
  const summary = await importLikeCli(file, join(dir, 'hub'));
  const secs = (performance.now() - t1) / 1000;
  // Every object is accounted for (a few of the shared objects are invalid STIX and rejected).
  if (summary.read !== objects || summary.added + summary.duplicates + summary.rejected !== objects) {
    throw new Error(
      `import bench: expected ${objects} objects stored, summary says ${JSON.stringify(summary)}`,
    );
  }
  const rate = objects / secs;
  const baseRate = objects / baseSecs;
  report({
    bench: 'import',
    metric: 'objects/s (200k objects)',
    value: rate,
    unit: 'obj/s',
    baseline: baseRate,
    ratio: rate / baseRate,
    target: '>= 0.5 of baseline',
    met: rate / baseRate >= 0.5,
  });

  // Peak memory while importing a 1 GB file, in a process of its own.
  const big = join(dir, 'big.json');
  const bigInfo = await writeReplicatedBundle(big, loadSharedObjects(), { minBytes: 1024 * 1024 * 1024 });
  rmSync(file);
  const child = spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'dist', 'bench', 'import-rss-child.js'), big, join(dir, 'big-hub')],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  // Exit 1 is expected: a few of the shared objects are invalid STIX and rejected.
  if (child.status !== 0 && child.status !== 1)
    throw new Error(`import-rss-child failed with ${child.status}`);
  const lines = child.stdout.trim().split('\n');
  const [summaryLine, rssLine] = [lines[0], lines.at(-1)];
  const bigRead = (JSON.parse(summaryLine ?? '{}') as { read: number }).read;
  const res = { ...(JSON.parse(rssLine ?? '{}') as { maxRssMb: number; secs: number }), objects: bigRead };
  report({
    bench: 'import',
    metric: `peak RSS importing ${(bigInfo.bytes / 2 ** 30).toFixed(2)} GiB`,
    value: res.maxRssMb,
    unit: 'MB',
    target: '< 300 MB',
    met: res.maxRssMb < 300,
  });
  report({ bench: 'import', metric: 'objects/s (1 GiB file)', value: res.objects / res.secs, unit: 'obj/s' });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
