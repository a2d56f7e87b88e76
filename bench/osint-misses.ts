// Per-article misses and extras of the article extractor on one labelled set, for studying the
// causes of errors: `npm run build && node dist/bench/osint-misses.js heldout2`.
import { loadGazetteer } from '../src/app/osint-data-load.js';
import { LABELLED_SETS, type LabelledSet, loadLabelled, SCORED_KINDS, scoreSet } from './osint-score.js';

const set = process.argv[2] as LabelledSet;
if (!LABELLED_SETS.includes(set)) {
  process.stderr.write(`usage: osint-misses SET (one of ${LABELLED_SETS.join(', ')})\n`);
  process.exit(2);
}
const { perArticle, totals } = scoreSet(loadLabelled(process.cwd(), set), loadGazetteer());
for (const a of perArticle) {
  if (a.missed.length === 0 && a.extra.length === 0) continue;
  process.stdout.write(`${a.name}\n`);
  for (const m of a.missed) process.stdout.write(`  missed ${m}\n`);
  for (const e of a.extra) process.stdout.write(`  extra  ${e}\n`);
}
for (const kind of SCORED_KINDS) {
  const t = totals[kind];
  process.stdout.write(
    `${kind}: P ${t.precision.toFixed(2)} R ${t.recall.toFixed(2)} (tp ${t.tp}, fp ${t.fp}, fn ${t.fn})\n`,
  );
}
