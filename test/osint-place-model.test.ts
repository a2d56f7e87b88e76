import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LABELLED_SETS, trainOn } from '../bench/place-model-examples.js';
import { findOsintDataDir, loadGazetteer } from '../src/app/osint-data-load.js';

// The committed weights must be what our own labelled articles and the extractor's own rules
// give today: a rule change that alters the candidates, or a new labelled set, means retraining
// (npm run build && node dist/bench/place-model-train.js).
describe('the committed place model', () => {
  it('is rebuilt exactly from the labelled sets', () => {
    const { placeModel: committed, ...bare } = loadGazetteer();
    const file = JSON.parse(readFileSync(join(findOsintDataDir(), 'place-model.json'), 'utf8')) as unknown;
    expect(committed).toEqual(file);
    const rebuilt = trainOn(process.cwd(), LABELLED_SETS, bare);
    expect(rebuilt.trainedOn).toEqual([...LABELLED_SETS]);
    expect(rebuilt).toEqual(file);
  }, 60_000);
});
