#!/usr/bin/env node
// Runs every compiled benchmark (dist/bench/*.bench.js) in its own process, so each one's
// memory is measured alone, then prints a table and writes bench/results.json.
// Usage: npm run bench [-- NAME-FILTER]
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'bench');
const filter = process.argv[2];
const files = readdirSync(compiled)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => !filter || f.includes(filter))
  .sort();

const rows = [];
let failures = 0;
for (const file of files) {
  process.stderr.write(`running ${file} ...\n`);
  const res = spawnSync(process.execPath, ['--expose-gc', join(compiled, file)], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.status !== 0) {
    failures++;
    rows.push({ bench: file, metric: 'crashed', value: res.status, unit: 'exit code' });
    continue;
  }
  for (const line of res.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    rows.push(JSON.parse(line));
  }
}

const fmt = (v) =>
  typeof v === 'number'
    ? Math.abs(v) >= 100
      ? Math.round(v).toLocaleString('en')
      : v.toPrecision(3)
    : (v ?? '');
const header = ['bench', 'metric', 'value', 'unit', 'baseline', 'ratio', 'target', 'met'];
const table = rows.map((r) => [
  r.bench,
  r.metric,
  fmt(r.value),
  r.unit,
  fmt(r.baseline),
  fmt(r.ratio),
  r.target ?? '',
  r.met === undefined ? '' : r.met ? 'yes' : 'NO',
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => String(row[i]).length)));
const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of table) console.log(line(row));
writeFileSync(
  join(root, 'bench', 'results.json'),
  `${JSON.stringify({ at: new Date().toISOString(), node: process.version, rows }, null, 2)}\n`,
);
console.log(
  `\nwrote bench/results.json (${rows.length} figures${failures ? `, ${failures} benchmark(s) crashed` : ''})`,
);
process.exitCode = failures ? 1 : 0;
