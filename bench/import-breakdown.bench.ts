// Where an import's time goes, stage by stage, on 100,000 replicated shared objects: the
// splitter, JSON.parse, the STIX validator, reference collection, then the store as the hub
// composes it (SQLite, reference index, a ledger entry per batch of 1,000), each stage timed
// alone in this process, next to the whole import and the bare baseline of import.bench.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initDataDir } from '../src/app/data-dir.js';
import { openHub } from '../src/app/hub.js';
import { JsonSplitter } from '../src/ingest/json-splitter.js';
import { collectRefs } from '../src/stix/refs.js';
import type { JsonObject } from '../src/stix/types.js';
import { validateObject } from '../src/stix/validate.js';
import { openSqlite } from '../src/store/sqlite/database.js';
import { loadSharedObjects, writeReplicatedBundle } from './bench-data.js';
import { importLikeCli } from './import-hub.js';
import { report } from './report.js';

const dir = mkdtempSync(join(tmpdir(), 'tearline-bench-breakdown-'));
const stages: { stage: string; ms: number }[] = [];
const time = <T>(stage: string, fn: () => T): T => {
  const t0 = performance.now();
  const out = fn();
  stages.push({ stage, ms: performance.now() - t0 });
  return out;
};

try {
  const file = join(dir, 'bundle.json');
  const { objects } = await writeReplicatedBundle(file, loadSharedObjects(), { minObjects: 100_000 });
  const bytes = readFileSync(file);

  const texts = time('split', () => {
    const splitter = new JsonSplitter({
      maxObjectBytes: 16 * 1024 * 1024,
      maxDepth: 64,
      maxRawBytes: 1 << 20,
    });
    const out: string[] = [];
    const chunk = 1024 * 1024;
    for (let at = 0; at < bytes.length; at += chunk)
      for (const item of splitter.push(bytes.subarray(at, at + chunk)))
        if (item.kind === 'object') out.push(item.text);
    for (const item of splitter.end()) if (item.kind === 'object') out.push(item.text);
    return out;
  });
  const parsed = time('JSON.parse', () => texts.map((t) => JSON.parse(t) as JsonObject));
  // Every marking resolves here: marking order is the importer's concern, not this stage's cost.
  const ctx = { strict: false, isKnownMarking: () => true };
  const valid = time('validate', () => parsed.map((o) => validateObject(o, ctx).valid));
  time('collect refs', () => parsed.reduce((n, o) => n + collectRefs(o).length, 0));

  initDataDir(join(dir, 'store-only'));
  const hub = openHub(join(dir, 'store-only'));
  const incoming = parsed
    .map((object, i) => ({ object, json: texts[i] as string, source: `bench#objects[${i}]` }))
    .filter((_, i) => valid[i]);
  // As the importer stores: batches of 1,000, each with its ledger entry, two per commit.
  time('store (hub: refs index + ledger)', () => {
    for (let at = 0; at < incoming.length; at += 2000) {
      const group = [0, 1000].map((k) => incoming.slice(at + k, at + k + 1000));
      hub.objects.putBatchesSync(
        group.filter((b) => b.length > 0),
        { actor: 'bench', source: 'bench' },
      );
    }
  });
  hub.close();

  const whole = performance.now();
  await importLikeCli(file, join(dir, 'whole'));
  const wholeMs = performance.now() - whole;

  const base = performance.now();
  const baseDb = openSqlite(join(dir, 'baseline.db'), []);
  baseDb.exec('CREATE TABLE t (id TEXT, json TEXT)');
  const doc = JSON.parse(bytes.toString('utf8')) as { objects: { id: string }[] };
  const insert = baseDb.prepare('INSERT INTO t (id, json) VALUES (?, ?)');
  baseDb.transaction(() => {
    for (const o of doc.objects) insert.run(o.id, JSON.stringify(o));
  })();
  baseDb.close();
  const baseMs = performance.now() - base;

  const sum = stages.reduce((s, x) => s + x.ms, 0);
  for (const { stage, ms } of stages) {
    report({
      bench: 'import-breakdown',
      metric: `${stage} (${objects} objects, share of stage sum)`,
      value: (ms * 1000) / objects,
      unit: `us/object (${((100 * ms) / sum).toFixed(0)}%)`,
    });
  }
  report({
    bench: 'import-breakdown',
    metric: 'whole import (tearline import path)',
    value: (wholeMs * 1000) / objects,
    unit: 'us/object',
    baseline: (baseMs * 1000) / objects,
    ratio: baseMs / wholeMs,
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
