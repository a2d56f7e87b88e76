import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSharedObjects, REPO_ROOT, writeReplicatedBundle } from './bench-data.js';
import { importLikeCli } from './import-hub.js';
import { report } from './report.js';

const dir = mkdtempSync(join(tmpdir(), 'tearline-bench-import-'));
try {
  const file = join(dir, 'bundle.json');
  const { objects, bytes } = await writeReplicatedBundle(file, loadSharedObjects(), { minObjects: 200_000 });
  process.stderr.write(`import bench: ${objects} objects, ${(bytes / 1e6).toFixed(0)} MB\n`);

  // Baseline: the least an import can do (see import-baseline-child), a fresh process per round.
  const baseline = (round: number): number => {
    const path = join(dir, `baseline-${round}.db`);
    const child = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'dist', 'bench', 'import-baseline-child.js'), file, path],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    if (child.status !== 0) throw new Error(`import-baseline-child failed with ${child.status}`);
    rmSync(path, { force: true });
    return (JSON.parse(child.stdout) as { secs: number }).secs;
  };

  // The real thing: what `tearline import` does, ledger entries and checkpoint included.
  const tearline = async (round: number): Promise<number> => {
    const hubDir = join(dir, `hub-${round}`);
    const t1 = performance.now();
    const summary = await importLikeCli(file, hubDir);
    const secs = (performance.now() - t1) / 1000;
    // Every object is accounted for (a few of the shared objects are invalid STIX and rejected).
    if (summary.read !== objects || summary.added + summary.duplicates + summary.rejected !== objects) {
      throw new Error(
        `import bench: expected ${objects} objects stored, summary says ${JSON.stringify(summary)}`,
      );
    }
    rmSync(hubDir, { recursive: true, force: true });
    return secs;
  };

  // Alternating rounds, medians: this machine's speed drifts by a tenth within a minute, and one
  // slow baseline or import alone would move the ratio by as much.
  const ROUNDS = 3;
  const baseTimes: number[] = [];
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    baseTimes.push(baseline(round));
    times.push(await tearline(round));
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
  const rate = objects / median(times);
  const baseRate = objects / median(baseTimes);
  process.stderr.write(
    `import bench rounds (s): baseline ${baseTimes.map((t) => t.toFixed(2)).join(' ')}; import ${times.map((t) => t.toFixed(2)).join(' ')}\n`,
  );
  report({
    bench: 'import',
    metric: `objects/s (200k objects, median of ${ROUNDS} alternating rounds)`,
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
