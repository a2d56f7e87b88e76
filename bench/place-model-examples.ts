// The place model's training data: every candidate name (place-model.ts) in our labelled
// articles, labelled a place when the article's labels list it among its locations.

import { scanMarkedEntities } from '../src/osint/entity-scan.js';
import type { Gazetteer } from '../src/osint/gazetteer-build.js';
import {
  type PlaceExample,
  type PlaceModel,
  placeCandidates,
  trainPlaceModel,
} from '../src/osint/place-model.js';
import { foldName } from '../src/osint/text-fold.js';
import { splitSentences } from '../src/osint/text-sentences.js';
import { tokenize } from '../src/osint/text-tokens.js';
import { LABELLED_SETS, type LabelledSet, loadLabelled } from './osint-score.js';

/** How the committed model is trained; the test that rebuilds it uses the same. */
export const TRAINING = { epochs: 30, rate: 0.3, l2: 1e-3, minCount: 3, threshold: 0.8 } as const;

export function placeExamples(root: string, set: LabelledSet, g: Gazetteer): PlaceExample[] {
  const out: PlaceExample[] = [];
  for (const a of loadLabelled(root, set)) {
    const tokens = tokenize(a.text);
    const { featured } = scanMarkedEntities(a.text, tokens, splitSentences(a.text), g);
    const places = new Set(a.expected.locations.map(foldName));
    for (const c of placeCandidates(a.text, tokens, featured, g.commonWords))
      out.push({ features: c.features, place: places.has(foldName(c.name)) });
  }
  return out;
}

/** The model trained on the given sets (all labelled sets for the committed one). */
export function trainOn(
  root: string,
  sets: readonly LabelledSet[],
  g: Gazetteer,
  examples = new Map<LabelledSet, PlaceExample[]>(),
): PlaceModel & { trainedOn: string[]; examples: number } {
  const all = sets.flatMap((s) => {
    const have = examples.get(s) ?? placeExamples(root, s, g);
    examples.set(s, have);
    return have;
  });
  return { ...trainPlaceModel(all, TRAINING), trainedOn: [...sets], examples: all.length };
}

export { LABELLED_SETS };
