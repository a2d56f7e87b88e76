// Incremental release passes on PostgreSQL (issue 20): the scale hub (ICS + CAPEC, 4,509 objects
// x 20 partners) copied into a fresh schema with `tearline migrate`'s copier, then the same pass
// times as release-incremental.bench.ts measures on SQLite: the full pass as the baseline, a pass
// with nothing changed (target < 100 ms), a pass after 1,000 new objects (target < 2 s).
import { openHubAt } from '../src/app/hub-open.js';
import { ManualClock } from '../src/clock.js';
import { copyHubToPg } from '../src/store/postgres/pg-hub-copy.js';
import { openTestSchema, PG_SKIP_REASON, TEST_PG_URL } from '../src/store/postgres/pg-test-schema.js';
import { reportPassTimes } from './release-pass-times.js';
import { buildScaleHub, copyHub, SCALE_NOW } from './scale-hub.js';

const BENCH = 'release-incremental-pg';
if (!TEST_PG_URL) {
  process.stderr.write(`${BENCH}: ${PG_SKIP_REASON}\n`);
  process.exit(0);
}
const clock = new ManualClock(SCALE_NOW);
const scale = await buildScaleHub(clock);
const lite = copyHub(scale, clock);
const dir = lite.paths.dir;
const target = await openTestSchema('bench_pass');
try {
  const copied = await copyHubToPg(lite.db, target.pool);
  lite.close();
  if (!copied.ok) throw new Error(copied.error.message);
  const url = new URL(TEST_PG_URL);
  url.searchParams.set('schema', target.schema);
  const hub = await openHubAt({ data: dir, db: url.toString() }, clock);
  try {
    await reportPassTimes(BENCH, hub, clock, 'PostgreSQL');
  } finally {
    await hub.close();
  }
} finally {
  await target.drop();
}
