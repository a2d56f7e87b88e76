// Trains the place model (src/osint/place-model.ts) on every labelled set and writes
// data/osint/place-model.json; with --cv, first measures it honestly: each set is scored by a
// model trained without it, against the extractor with no model at all.
//   npm run build && node dist/bench/place-model-train.js [--cv]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findOsintDataDir, loadGazetteer } from '../src/app/osint-data-load.js';
import type { Gazetteer } from '../src/osint/gazetteer-build.js';
import type { PlaceExample } from '../src/osint/place-model.js';
import { type LabelledSet, loadLabelled, scoreSet } from './osint-score.js';
import { LABELLED_SETS, trainOn } from './place-model-examples.js';

const root = process.cwd();
const { placeModel: _committed, ...bare } = loadGazetteer();
const g: Gazetteer = bare;
const examples = new Map<LabelledSet, PlaceExample[]>();

if (process.argv.includes('--cv')) {
  const sum = { without: { tp: 0, fp: 0, fn: 0 }, with: { tp: 0, fp: 0, fn: 0 } };
  const pr = ({ tp, fp, fn }: { tp: number; fp: number; fn: number }) => {
    return `P ${(tp / (tp + fp)).toFixed(2)} R ${(tp / (tp + fn)).toFixed(2)}`;
  };
  for (const set of LABELLED_SETS) {
    const model = trainOn(
      root,
      LABELLED_SETS.filter((s) => s !== set),
      g,
      examples,
    );
    const articles = loadLabelled(root, set);
    const a = scoreSet(articles, g).totals.locations;
    const b = scoreSet(articles, { ...g, placeModel: model }).totals.locations;
    for (const [to, from] of [
      [sum.without, a],
      [sum.with, b],
    ] as const) {
      to.tp += from.tp;
      to.fp += from.fp;
      to.fn += from.fn;
    }
    process.stdout.write(`${set.padEnd(10)} locations ${pr(a)} -> ${pr(b)}\n`);
  }
  process.stdout.write(`all sets   locations ${pr(sum.without)} -> ${pr(sum.with)}\n`);
}

const model = trainOn(root, LABELLED_SETS, g, examples);
const file = join(findOsintDataDir(), 'place-model.json');
writeFileSync(file, `${JSON.stringify(model, null, 2)}\n`);
process.stdout.write(
  `wrote ${file}: ${Object.keys(model.weights).length} weights from ${model.examples} candidates in ${LABELLED_SETS.length} sets\n`,
);
