import { describe, expect, it } from 'vitest';
import { loadGazetteer, loadOsintData } from '../app/osint-data-load.js';
import { extractArticle } from './article-extract.js';
import { foldName } from './text-fold.js';

const g = loadGazetteer();
const placeIn = (text: string) =>
  extractArticle(text, g)
    .filter((i) => i.kind === 'location')
    .map((i) => ({
      name: i.name,
      country: (i.data as { country?: string }).country,
      rule: i.evidence[0]?.rule,
      found: text.slice(i.evidence[0]?.start, i.evidence[0]?.end),
    }));

describe('city names in English and other spellings (issue 24)', () => {
  it('finds cities under the names English news uses, and the other common spellings, as one place', () => {
    const cases: [string, string, string][] = [
      ['Kaboul', 'Kabul', 'AF'],
      ['Moskva', 'Moscow', 'RU'],
      ['Kiev', 'Kyiv', 'UA'],
      ['Cologne', 'Cologne', 'DE'],
      ['Köln', 'Cologne', 'DE'],
      ['Nuremberg', 'Nuremberg', 'DE'],
      ['Gothenburg', 'Gothenburg', 'SE'],
      ['Raqqa', 'Raqqa', 'SY'],
      ['Fallujah', 'Fallujah', 'IQ'],
      ['Mazar-i-Sharif', 'Mazar-i-Sharif', 'AF'],
      ['Grozny', 'Grozny', 'RU'],
      ['Bombay', 'Mumbai', 'IN'],
      ['Odessa', 'Odesa', 'UA'],
      // Spellings that fold alike are one city, the largest: Jalālābād in Afghanistan, not India.
      ['Jalalabad', 'Jalālābād', 'AF'],
    ];
    for (const [written, name, country] of cases) {
      const found = placeIn(`Officials said the attack took place in ${written} on Monday.`);
      expect(found, written).toEqual([expect.objectContaining({ name, country, found: written })]);
    }
    expect(placeIn('Police in Kiev and Kyiv said')).toHaveLength(1);
    expect(placeIn('An attack in Moskva')[0]?.rule).toBe('gazetteer:city-exonyms');
    // A name that is also a word (cologne) is a place only as a name where a place is expected.
    expect(placeIn('He wore cologne. Cologne sales fell.')).toEqual([]);
  });

  it('names only cities the city list holds, each spelling once', () => {
    const data = loadOsintData();
    const cities = new Set(data.cities.map((c) => `${foldName(c[0])}|${c[1]}`));
    const seen = new Set<string>();
    for (const e of data.placesExtra.city_exonyms ?? []) {
      expect(cities.has(`${foldName(e.city)}|${e.country}`), `${e.city} (${e.country})`).toBe(true);
      for (const a of [e.name, ...e.aliases]) {
        expect(seen.has(foldName(a)), a).toBe(false);
        seen.add(foldName(a));
      }
    }
  });

  it('an ambiguous name is the city in a country the article names, the nearest named first, then the largest', () => {
    const where = (text: string, written: string) => placeIn(text).find((p) => p.found === written);
    // Alone: the largest (Saint Petersburg, 5 million, not St. Petersburg, Florida; Hannover, not three US towns).
    expect(where('A blast hit the metro in St Petersburg on Monday.', 'St Petersburg')).toMatchObject({
      name: 'Saint Petersburg',
      country: 'RU',
    });
    expect(where('Police made an arrest in Hanover.', 'Hanover')).toMatchObject({
      name: 'Hanover',
      country: 'DE',
    });
    // The article names the country: its city, under that city's own name.
    expect(
      where('A gunman opened fire in St. Petersburg. Police in the United States said.', 'St. Petersburg'),
    ).toMatchObject({ name: 'St. Petersburg', country: 'US' });
    expect(where('In Hanover, in the United States, a man was charged.', 'Hanover')).toMatchObject({
      name: 'Hanover',
      country: 'US',
    });
    // Two countries named: the one nearest the mention.
    const both =
      'Officials in the United States said. Separately, in Hanover, Germany, police arrested two men.';
    expect(where(both, 'Hanover')).toMatchObject({ country: 'DE' });
    const other = 'In Germany, officials said. A man was charged in Hanover, United States.';
    expect(where(other, 'Hanover')).toMatchObject({ country: 'US' });
    // A country named far from the mention does not make Moscow the Idaho town of 25,000.
    const far =
      'Western nations, including the United States, can no longer watch the group, which has ' +
      'shown it can strike, including recent atrocities in Moscow and Iran.';
    expect(where(far, 'Moscow')).toMatchObject({ country: 'RU' });
    // "Saint", "St" and "St." are one name: one place.
    expect(placeIn('Attacks in Saint Petersburg and St. Petersburg, Russia.').map((p) => p.name)).toEqual([
      'Saint Petersburg',
      'Russia',
    ]);
  });
});
