// Validation throughput on the ATT&CK ICS and CAPEC bundles replicated to 100,000+ objects, single
// core, against JSON.parse alone on the same text in the same run.
import { validateObject } from '../src/stix/validate.js';
import { validateBundle } from '../src/stix/validate-bundle.js';
import { loadMitreObjects } from './bench-data.js';
import { medianMs, report } from './report.js';

const TARGET = 100_000;
const base = loadMitreObjects() as Record<string, unknown>[];
// Copies after the first get fresh ids (last 4 hex digits = copy number) so the bundle is not one
// long run of duplicates; marking definitions are kept once so every marking still resolves.
const objects: unknown[] = [...base];
for (let copy = 1; objects.length < TARGET; copy++) {
  const suffix = copy.toString(16).padStart(4, '0');
  for (const o of base) {
    if (o.type === 'marking-definition') continue;
    objects.push({ ...o, id: `${String(o.id).slice(0, -4)}${suffix}` });
  }
}
const text = JSON.stringify({ type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects });
const n = objects.length;

const markings = new Set<string>();
for (const o of base) {
  const r = o as { type?: string; id?: string };
  if (r.type === 'marking-definition' && r.id) markings.add(r.id);
}
const ctx = { isKnownMarking: (id: string) => markings.has(id) };

let sink = 0;
const runs = 5;
const parseMs = medianMs(runs, () => {
  const doc = JSON.parse(text) as { objects: unknown[] };
  sink += doc.objects.length;
});
const parseValidateMs = medianMs(runs, () => {
  const doc = JSON.parse(text) as { objects: unknown[] };
  for (const o of doc.objects) if (validateObject(o, ctx).valid) sink++;
});
const parsed = (JSON.parse(text) as { objects: unknown[] }).objects;
const validateMs = medianMs(runs, () => {
  for (const o of parsed) if (validateObject(o, ctx).valid) sink++;
});
const bundleDoc = JSON.parse(text) as unknown;
const bundleMs = medianMs(3, () => {
  sink += validateBundle(bundleDoc).objects.length;
});

const perSec = (ms: number) => (n / ms) * 1000;
let invalid = 0;
for (const o of parsed) if (!validateObject(o, ctx).valid) invalid++;
const parseRate = perSec(parseMs);
report({ bench: 'stix-validate', metric: 'objects', value: n, unit: 'objects' });
// CAPEC's two attack-patterns with a leading space in a URL, once per copy.
report({ bench: 'stix-validate', metric: 'objects judged invalid', value: invalid, unit: 'objects' });
report({ bench: 'stix-validate', metric: 'JSON.parse only (baseline)', value: parseRate, unit: 'objects/s' });
const pv = perSec(parseValidateMs);
report({
  bench: 'stix-validate',
  metric: 'JSON.parse + validateObject',
  value: pv,
  unit: 'objects/s',
  baseline: parseRate,
  ratio: pv / parseRate,
});
const v = perSec(validateMs);
report({
  bench: 'stix-validate',
  metric: 'validateObject alone',
  value: v,
  unit: 'objects/s',
  baseline: parseRate,
  ratio: v / parseRate,
  target: '>= 50,000 objects/s',
  met: v >= 50_000,
});
const b = perSec(bundleMs);
report({
  bench: 'stix-validate',
  metric: 'validateBundle (envelope, in-bundle markings, duplicates)',
  value: b,
  unit: 'objects/s',
  baseline: parseRate,
  ratio: b / parseRate,
  target: '>= 50,000 objects/s',
  met: b >= 50_000,
});
if (sink < 0) process.stdout.write('');
