import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadGazetteer } from '../app/osint-data-load.js';
import { extractArticle } from './article-extract.js';
import { scanGroupContext } from './group-context-scan.js';
import { tokenize } from './text-tokens.js';

const g = loadGazetteer();
const names = (text: string, kind: string) =>
  extractArticle(text, g)
    .filter((i) => i.kind === kind)
    .map((i) => i.name);

describe('groups the text calls groups', () => {
  it('a name in apposition to "a ... group", or after "the militant group"', () => {
    // Names of our own making: no list holds them.
    expect(names('The Zarvan Liberation Army, an ethnic separatist group, said it did it.', 'group')).toEqual(
      ['Zarvan Liberation Army'],
    );
    expect(names('The firm linked the campaign to Copper Heron, a group it ties to Hamas.', 'group')).toEqual(
      ['Copper Heron', 'Hamas'],
    );
    expect(names('Police blamed the militant group Jaish al-Tavir for the blast.', 'group')).toEqual([
      'Jaish al-Tavir',
    ]);
  });

  it('"X, the ... organisation," and a name ending in Army or Front that claims an attack', () => {
    expect(names('Britain banned the Korvak Group, the mercenary organisation, on Monday.', 'group')).toEqual(
      ['Korvak Group'],
    );
    expect(names('Ali Reza, the group’s spokesman, denied it.', 'group')).toEqual([]);
    expect(names('The Tarvan Liberation Army claimed the attacks in the south.', 'group')).toEqual([
      'Tarvan Liberation Army',
    ]);
    // A state's army reports, it does not claim: and "claimed" alone is no attack.
    expect(names('The Tarvan Liberation Army claimed that talks had failed.', 'group')).toEqual([]);
  });

  it('not a person "a member of the group", not across a line, not a name the gazetteer knows', () => {
    expect(names('He met Karim Basra, a member of the group, in May.', 'group')).toEqual([]);
    expect(
      names('Court convicts returnee of membership in terrorist organisation\nThe court ruled.', 'group'),
    ).toEqual([]);
    // The Islamic State is the gazetteer's, under its own name, not a second item.
    expect(names('The Islamic State, a jihadist group, claimed it.', 'group')).toEqual(['Islamic State']);
  });

  it("property: every hit is a run of the text's own tokens starting with a capital", () => {
    const words = [
      'The',
      'Red',
      'Hand',
      'Front',
      ',',
      'a',
      'an',
      'armed',
      'militant',
      'group',
      'of',
      'al',
      'said',
      '\n',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { maxLength: 40 }), (parts) => {
        const text = parts.join(' ').replace(/ ,/g, ',');
        const tokens = tokenize(text);
        for (const h of scanGroupContext(text, tokens)) {
          expect(h.from).toBeLessThan(h.to);
          const first = tokens[h.from];
          expect(first && /^\p{Lu}/u.test(first.text)).toBe(true);
          expect(h.entry.name).toBe(text.slice(first?.start, tokens[h.to - 1]?.end));
        }
      }),
    );
  });
});

describe("a country's short form before a noun is an adjective", () => {
  it.each([
    ['A former U.S. Army soldier was convicted in Brooklyn.', false],
    ['US sanctions on the network took effect.', false],
    ['UK officials met in London.', false],
    ['He flew to the U.S. on Monday.', true],
    ['Talks between the US and Iran resumed.', true],
    ['He moved to the UK. The police said so.', true],
  ])('%s', (text, place) => {
    const countries = extractArticle(text, g).filter(
      (i) => i.data.kind === 'location' && i.data.placeKind === 'country' && i.name !== 'Iran',
    );
    expect(countries.length > 0).toBe(place);
  });
});

describe('lists of places', () => {
  it('"in Quito, Cuenca and Esmeraldas": each name after a place in a list is a place', () => {
    const items = extractArticle('Riots were reported in Quito, Cuenca and Esmeraldas.', g);
    expect(items.filter((i) => i.kind === 'location').map((i) => i.name)).toEqual([
      'Quito',
      'Cuenca',
      'Esmeraldas',
    ]);
  });
});

describe('towns put in a province, or "the outskirts of" one', () => {
  it('a town the lists lack, in a province they hold, and after "the outskirts of"', () => {
    const text =
      'Gunmen ambushed a patrol near Kalduro, in Cauca department, in Colombia. ' +
      'Fighters attacked the outskirts of Tanvogo, in Burkina Faso’s Centre-Nord region.';
    const items = extractArticle(text, g);
    expect(items.find((i) => i.name === 'Kalduro')?.data).toMatchObject({ placeKind: 'city', country: 'CO' });
    expect(items.find((i) => i.name === 'Tanvogo')?.data).toMatchObject({ placeKind: 'city', country: 'BF' });
  });
});
