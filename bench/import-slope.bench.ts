// Import time as the input grows (issue 20): bundles of 100k and 1M objects (and 10M where the
// disk allows: TEARLINE_BENCH_IMPORT_SIZES=100000,1000000,10000000), replicated from ATT&CK for
// ICS, CAPEC and the official examples with fresh ids, each imported as `tearline import` does
// into an empty hub. Reports objects/s per size and, against the smallest size's rate, the ratio
// (1.0 = linear time; 0.5 = each object took twice as long).
import { mkdtempSync, rmSync, statfsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSharedObjects, writeReplicatedBundle } from './bench-data.js';
import { importLikeCli } from './import-hub.js';
import { report } from './report.js';

const BENCH = 'import-slope';
const SIZES = (process.env.TEARLINE_BENCH_IMPORT_SIZES ?? '100000,1000000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0)
  .sort((a, b) => a - b);
const base = loadSharedObjects();
let first: { n: number; usPerObject: number } | undefined;
for (const n of SIZES) {
  const dir = mkdtempSync(join(tmpdir(), 'tearline-bench-slope-'));
  try {
    const file = join(dir, 'bundle.json');
    const written = await writeReplicatedBundle(file, base, { minObjects: n });
    // The bundle, the database (about 1.5x the bundle) and its WAL must fit, with room to spare.
    const fs = statfsSync(dir);
    const free = fs.bavail * fs.bsize;
    if (free < written.bytes * 3) {
      process.stderr.write(
        `${BENCH}: ${n} objects skipped: ${(written.bytes / 1e9).toFixed(1)} GB bundle, ${(free / 1e9).toFixed(1)} GB free\n`,
      );
      continue;
    }
    const t0 = performance.now();
    const summary = await importLikeCli(file, join(dir, 'hub'));
    const seconds = (performance.now() - t0) / 1000;
    // The standard TLP markings are the same objects in every copy: stored once, counted as duplicates.
    if (summary.read !== written.objects || summary.rejected > 0)
      throw new Error(`read ${summary.read} of ${written.objects} objects, ${summary.rejected} refused`);
    const usPerObject = (seconds * 1e6) / written.objects;
    first ??= { n: written.objects, usPerObject };
    const dbBytes = statSync(join(dir, 'hub', 'tearline.db')).size;
    process.stderr.write(
      `${BENCH}: ${written.objects} objects (${(written.bytes / 1e6).toFixed(0)} MB) in ${seconds.toFixed(1)} s, database ${(dbBytes / 1e6).toFixed(0)} MB\n`,
    );
    report({
      bench: BENCH,
      metric: `import of ${written.objects.toLocaleString('en')} objects (${(written.bytes / 1e6).toFixed(0)} MB)`,
      value: written.objects / seconds,
      unit: 'objects/s',
      ...(first.n !== written.objects && {
        baseline: 1e6 / first.usPerObject,
        // Rate over the smallest import's rate: 1.0 is linear time.
        ratio: first.usPerObject / usPerObject,
        target: `>= 0.67 of the ${first.n.toLocaleString('en')}-object rate (time per object within 1.5x)`,
        met: first.usPerObject / usPerObject >= 1 / 1.5,
      }),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
