import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadGazetteer } from '../app/osint-data-load.js';
import { extractArticle } from './article-extract.js';
import type { EntityHit } from './entity-scan.js';
import { extractAt } from './osint-test-extract.js';
import { type PlaceModel, placeCandidates, placeProbability, trainPlaceModel } from './place-model.js';
import { tokenize } from './text-tokens.js';

const g = loadGazetteer();
const COMMON = new Set(['the', 'said', 'fled', 'to', 'in', 'mr', 'attack']);

describe('place model', () => {
  it('learns which contexts mark a place, the same way every time', () => {
    const examples = [
      ...Array.from({ length: 20 }, () => ({ features: ['l1=in', 'r1=,'], place: true })),
      ...Array.from({ length: 20 }, () => ({ features: ['l1=mr', 'r1=said'], place: false })),
    ];
    const model = trainPlaceModel(examples, { minCount: 1 });
    expect(placeProbability(model, ['l1=in', 'r1=,'])).toBeGreaterThan(0.9);
    expect(placeProbability(model, ['l1=mr', 'r1=said'])).toBeLessThan(0.1);
    // A feature never seen adds nothing: only the bias speaks.
    expect(placeProbability(model, ['l1=unseen'])).toBeCloseTo(1 / (1 + Math.exp(-model.bias)), 9);
    expect(trainPlaceModel(examples, { minCount: 1 })).toEqual(model);
  });

  it('drops features seen fewer times than the minimum', () => {
    const model = trainPlaceModel(
      [
        { features: ['rare', 'l1=in'], place: true },
        { features: ['l1=in'], place: true },
        { features: ['l1=of'], place: false },
        { features: ['l1=of'], place: false },
      ],
      { minCount: 2 },
    );
    expect(model.weights.rare).toBeUndefined();
    expect(model.weights['l1=in']).toBeGreaterThan(0);
    expect(model.weights['l1=of']).toBeLessThan(0);
  });

  it('proposes runs of capitalised uncommon words, never a word a hit holds', () => {
    const text = 'Residents fled to Tangouma and Dingazi Banda, said Mr Abdou Moussa in Niamey.';
    const tokens = tokenize(text);
    const niamey = tokens.findIndex((t) => t.text === 'Niamey');
    const hit: EntityHit = {
      entry: { kind: 'venue', name: 'Niamey' },
      start: tokens[niamey]?.start ?? 0,
      end: tokens[niamey]?.end ?? 0,
      from: niamey,
      to: niamey + 1,
      rule: 'test',
      confidence: 1,
    };
    const names = [...placeCandidates(text, tokens, [hit], COMMON)].map((c) => c.name);
    expect(names).toEqual(['Residents', 'Tangouma', 'Dingazi Banda', 'Abdou Moussa']);
    const tangouma = [...placeCandidates(text, tokens, [hit], COMMON)][1];
    expect(tangouma?.features).toContain('l1=to');
    expect(tangouma?.features).toContain('r1=and');
  });

  it('candidates are slices of the text that no hit overlaps (property)', () => {
    const word = fc.constantFrom(
      'Kafr',
      'the',
      'Ouallam',
      'said',
      'in',
      'Dar',
      'es',
      'Salaam',
      ',',
      '.',
      '\n',
      'Mr',
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 40 }), fc.nat(40), (words, at) => {
        const text = words.join(' ');
        const tokens = tokenize(text);
        const k = tokens.length === 0 ? 0 : at % tokens.length;
        const hits: EntityHit[] =
          tokens.length === 0
            ? []
            : [
                {
                  entry: { kind: 'venue', name: 'x' },
                  start: tokens[k]?.start ?? 0,
                  end: tokens[k]?.end ?? 0,
                  from: k,
                  to: k + 1,
                  rule: 'test',
                  confidence: 1,
                },
              ];
        for (const c of placeCandidates(text, tokens, hits, COMMON)) {
          expect(text.slice(c.start, c.end)).toBe(c.name);
          expect(c.from <= k && c.to > k && hits.length > 0).toBe(false);
          expect(c.to - c.from).toBeLessThanOrEqual(4);
        }
      }),
    );
  });

  it('the committed model takes towns no cue marks, not the people beside them', () => {
    const text =
      'Displaced families arrive in Niger town\n\nNIAMEY, March 4 - More than 400 families have reached Ouallam since Sunday, fleeing raids on villages around Tangouma and Dingazi Banda, officials in Niger said. Abdou Moussa, who walked from Dingazi Banda with his children, said the camp at Ouallam had no water. The Tillaberi governor, Colonel Maina Boukar, visited Ouallam on Monday.';
    const items = extractAt(text, '2026-03-04');
    const places = items.filter((i) => i.kind === 'location').map((i) => i.name);
    expect(places).toEqual(expect.arrayContaining(['Ouallam', 'Tangouma']));
    expect(places).not.toContain('Abdou Moussa');
    expect(places).not.toContain('Maina Boukar');
    const ouallam = items.find((i) => i.name === 'Ouallam');
    expect(ouallam?.evidence[0]?.rule).toBe('place:model');
    expect(ouallam?.data).toMatchObject({ country: 'NE' });
  });

  it('a place only the model found places no attack', () => {
    const text =
      'Gunmen kill nine in Niger\n\nNIAMEY, March 4 - Gunmen killed nine people on Tuesday, officials in Niger said. Families fled to Ouallam, where the camp has no water.';
    const items = extractAt(text, '2026-03-04');
    expect(items.some((i) => i.name === 'Ouallam')).toBe(true);
    const incident = items.find((i) => i.kind === 'incident');
    expect((incident?.data as { place?: string } | undefined)?.place).not.toBe('location:ouallam');
  });
  it('a place the model found and the text puts inside a named place may place an attack', () => {
    // A model of our own making, so the test is of the rule and not of whatever training gives.
    const placeModel: PlaceModel = { weights: { 'l1=of': 6 }, bias: -3, threshold: 0.8 };
    const text =
      'Jihadists ambush convoy in Burkina Faso\n\nOUAGADOUGOU, 4 March 2026 - The ambush recalls that of Tinakoff, in Oudalan province, where a supply convoy was ambushed on 12 May 2024, killing 21 soldiers. Residents of Boudoukou, also in Oudalan province, fled.';
    const items = extractArticle(text, { ...g, placeModel }, { published: new Date('2026-03-04') });
    const tinakoff = items.find((i) => i.name === 'Tinakoff');
    expect(tinakoff?.evidence[0]?.rule).toBe('place:model-within');
    expect(tinakoff?.data).toMatchObject({ country: 'BF', within: 'location:oudalan' });
    expect(items.find((i) => i.name === 'Boudoukou')?.data).toMatchObject({ within: 'location:oudalan' });
    const incident = items.find((i) => i.kind === 'incident');
    expect(incident?.data).toMatchObject({ place: 'location:tinakoff', date: '2024-05-12' });
    // Without "in Oudalan province" after it, the same name places no attack.
    const alone = extractArticle(
      text.replace(', in Oudalan province,', ''),
      { ...g, placeModel },
      {
        published: new Date('2026-03-04'),
      },
    );
    expect(alone.find((i) => i.name === 'Tinakoff')?.evidence[0]?.rule).toBe('place:model');
    expect(alone.find((i) => i.kind === 'incident')?.data).not.toMatchObject({ place: 'location:tinakoff' });
  });

  it("a people's adjective is never the model's place ('into the Syrian state')", () => {
    const text =
      'Fighters attacked Dhiban, in Deir ez-Zor province, Syria, on Friday. The SDF and the government in Damascus negotiate over integrating the Kurdish-led forces into the Syrian state.';
    expect(extractAt(text, '2026-11-01').some((i) => i.kind === 'location' && i.name === 'Syrian')).toBe(
      false,
    );
  });
  it("a digest's 'Diéma, Kayes region, Mali' and 'Dinangourou, Koro cercle, Mopti region' lie in the places named after them", () => {
    const placeModel: PlaceModel = { weights: { 'r1=,': 6 }, bias: -3, threshold: 0.8 };
    const text = `Sahel digest: November

- 14 Nov - Dinangourou, Koro cercle, Mopti region, Mali: gunmen killed twenty-one civilians.
- 22 Nov - Diéma, Kayes region, Mali: an attack on a fuel convoy; four drivers killed, three wounded.`;
    const items = extractArticle(text, { ...g, placeModel }, { published: new Date('2026-12-02') });
    expect(items.find((i) => i.name === 'Diéma')?.data).toMatchObject({
      country: 'ML',
      within: 'location:kayes',
    });
    const incidents = items.filter((i) => i.kind === 'incident').map((i) => i.data);
    expect(incidents).toMatchObject([
      { place: 'location:dinangourou', date: '2026-11-14' },
      { place: 'location:diema', date: '2026-11-22' },
    ]);
  });
});
