import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadGazetteer } from '../app/osint-data-load.js';
import { extractArticle } from './article-extract.js';
import { scanGroupCues } from './group-cue-scan.js';
import { tokenize } from './text-tokens.js';

// Names of our own making: no list holds them, so only the cue can find them.
const g = loadGazetteer();
const names = (text: string, kind: string) =>
  extractArticle(text, g)
    .filter((i) => i.kind === kind)
    .map((i) => i.name);
const place = (text: string, name: string) =>
  extractArticle(text, g).find((i) => i.kind === 'location' && i.name === name)?.data;

describe('groups named by a cue (issue 24)', () => {
  it('a name ending in a word only armed groups bear, answering with and without "The"', () => {
    const items = extractArticle('The Velmar Front, which officials call a proxy, claimed it.', g);
    const group = items.find((i) => i.kind === 'group');
    expect(group?.name).toBe('Velmar Front');
    expect(group?.data).toMatchObject({ aliases: expect.arrayContaining(['The Velmar Front']) });
    expect(names('Police blamed the Korvan Brigades for the blast.', 'group')).toEqual(['Korvan Brigades']);
  });

  it('"X Forces" only after two qualifiers none of which makes a state\'s forces', () => {
    expect(names('The camp is guarded by the Kurdish-led Tarvish Democratic Forces.', 'group')).toEqual([
      'Tarvish Democratic Forces',
    ]);
    expect(names('The Tarvish Defence Forces said the raid was over.', 'group')).toEqual([]);
    expect(names('Afghan National Security Forces took the town.', 'group')).toEqual([]);
    expect(names('Special Forces took the town.', 'group')).toEqual([]);
  });

  it('names listed after an armed plural; not after any plural', () => {
    expect(
      names('The decree names 22 gangs, including Los Varanos and Los Grillos, as terrorists.', 'group'),
    ).toEqual(['Los Varanos', 'Los Grillos']);
    expect(names('Rights groups, including Civic Watch and Open Door, protested.', 'group')).toEqual([]);
  });

  it('"members of X" unless X is a common word or a place', () => {
    expect(names('Two members of Jund al-Varka were arrested.', 'group')).toEqual(['Jund al-Varka']);
    expect(names('Two members of Parliament were there.', 'group')).toEqual([]);
    expect(names('Fighters from Syria crossed the border.', 'group')).toEqual([]);
  });

  it("property: every cue hit is a run of the text's own tokens starting with a capital", () => {
    const words = [
      'The',
      'Red',
      'Front',
      'gangs',
      ',',
      'including',
      'and',
      'Los',
      'Lobos',
      'members',
      'of',
      'the',
      'Forces',
      'Democratic',
      'al-Sham',
      'said',
      '\n',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { maxLength: 40 }), (parts) => {
        const text = parts.join(' ').replace(/ ,/g, ',');
        const tokens = tokenize(text);
        for (const h of scanGroupCues(text, tokens, g.commonWords)) {
          expect(h.from).toBeLessThan(h.to);
          const first = tokens[h.from];
          expect(first && /^(?:\p{Lu}|al-)/u.test(first.text)).toBe(true);
          expect(h.entry.name).toBe(text.slice(first?.start, tokens[h.to - 1]?.end));
        }
      }),
    );
  });
});

describe('places marked by their head noun or by "near" an attack (issue 24)', () => {
  it('"the X mountains" is a place in the country named nearest, and the attack is there', () => {
    const text =
      'Two soldiers were killed when fighters ambushed a patrol in the Varzan mountains, in Diyala province, on 11 February 2024.';
    expect(place(text, 'Varzan mountains')).toMatchObject({ placeKind: 'feature', country: 'IQ' });
    const incident = extractArticle(text, g).find((i) => i.kind === 'incident');
    expect(incident?.data).toMatchObject({ place: 'location:varzan-mountains', date: '2024-02-11' });
  });

  it('no terrain without "the", and none with no country named at all', () => {
    expect(
      place('Fighters hid in Varzan mountains near Diyala province.', 'Varzan mountains'),
    ).toBeUndefined();
    expect(place('Fighters hid in the Varzan mountains for years.', 'Varzan mountains')).toBeUndefined();
  });

  it('a town "near" or "outside" in a sentence about an attack, not in one about anything else', () => {
    const attack =
      'Gunmen opened fire on tourists near Tarpalgam, in the north, killing 26. India blamed Pakistan.';
    expect(place(attack, 'Tarpalgam')).toMatchObject({ placeKind: 'city', country: 'IN' });
    expect(place('The minister, who lives near Tarpalgam, spoke in India.', 'Tarpalgam')).toBeUndefined();
    // "near Velor Tower": a capitalised common word after the name makes it something else.
    expect(place('A man killed a tourist near Velor Tower in France.', 'Velor')).toBeUndefined();
  });

  it('a venue led by its kind word replaces the town inside it', () => {
    const text = 'A truck attack on the Promenade des Anglais in Nice on 14 July 2016 killed 86 people.';
    const items = extractArticle(text, g);
    expect(items.find((i) => i.name === 'Promenade des Anglais')?.data).toMatchObject({ placeKind: 'venue' });
    expect(items.find((i) => i.kind === 'incident')?.data).toMatchObject({
      place: 'location:promenade-des-anglais',
    });
  });
});
