import { describe, expect, it } from 'vitest';
import { extractAt, namesOf } from './osint-test-extract.js';
import type { IncidentData } from './osint-types.js';

// Names of our own making where a rule must find what no list holds.
const items = (text: string) => extractAt(text);
const names = namesOf;
const incidents = (text: string) =>
  items(text)
    .filter((i) => i.kind === 'incident')
    .map((i) => i.data as IncidentData);

describe('groups: blame, cells, joiners and short forms defined beside a name (issue 24)', () => {
  it('"blamed the X de la Y" and "a cell of X"; not "blamed the government"', () => {
    expect(names('Commanders blamed the Comandos de la Varzea, who fight over routes.', 'group')).toEqual([
      'Comandos de la Varzea',
    ]);
    expect(names('He met a cell of Jamaah Ansharut Velda in 2017.', 'group')).toEqual([
      'Jamaah Ansharut Velda',
    ]);
    expect(names('Residents blamed the Government for the delay.', 'group')).toEqual([]);
  });

  it('"the Velmar Democratic Forces (VDF)" and a later "the VDF, an armed group" are one group', () => {
    const text =
      'Fighters from the Velmar Democratic Forces (VDF) raided a village. The VDF, an armed group, denied it.';
    const groups = items(text).filter((i) => i.kind === 'group');
    expect(groups.map((i) => i.name)).toEqual(['Velmar Democratic Forces']);
    expect(groups[0]?.data).toMatchObject({ aliases: expect.arrayContaining(['VDF']) });
  });
});

describe('places: English names of provinces, units, roads (issue 24)', () => {
  it('a province under its English name, and a town put in it', () => {
    const found = items(
      'Gunmen raided the village of Tavengo, in North Kivu province, killing 12 people, officials in the Democratic Republic of the Congo said.',
    );
    expect(found.find((i) => i.name === 'North Kivu')?.data).toMatchObject({
      placeKind: 'province',
      country: 'CD',
    });
    expect(found.find((i) => i.name === 'Tavengo')?.data).toMatchObject({ country: 'CD' });
  });

  it('"in the southern department of X", "the Y area", "from Z territory", "the road to W"', () => {
    const text =
      'Attackers hit a base in Puerto Galvaz, in the southern department of Putumayo, killing six soldiers, Colombia said. ' +
      'A district head in the Karvo area spoke from Lubavo territory. ' +
      'Jihadists ambushed a convoy on the road to Hombavi in Mali, killing nine soldiers.';
    const found = items(text);
    expect(found.find((i) => i.name === 'Puerto Galvaz')?.data).toMatchObject({ country: 'CO' });
    // An area is a village's surroundings, as fine as a town; a territory is a unit.
    expect(found.find((i) => i.name === 'Karvo')?.data).toMatchObject({ placeKind: 'city' });
    expect(found.find((i) => i.name === 'Lubavo')?.data).toMatchObject({ placeKind: 'province' });
    expect(found.find((i) => i.name === 'Hombavi')?.data).toMatchObject({ placeKind: 'city', country: 'ML' });
    // A unit word in a title case name is no local unit.
    expect(names('The Karvo Territory Council met.', 'location')).toEqual([]);
  });
});

describe('incidents: figures, dates and places that were wrong (issue 24)', () => {
  it('"shot dead three men", "killing a 14-year-old boy"', () => {
    expect(
      incidents('Gunmen raided Gidan Varu in Nigeria on Saturday and shot dead three men.')[0],
    ).toMatchObject({
      killed: { value: 3 },
    });
    expect(
      incidents('A man stabbed passers-by in Villach, Austria, on Saturday, killing a 14-year-old boy.')[0],
    ).toMatchObject({
      killed: { value: 1 },
    });
  });

  it('"helping to prepare the bombings ..., which killed 13" happened; a prepared plot did not', () => {
    expect(
      incidents(
        'A court jailed a man for helping to prepare the bombings of churches in Surabaya on 13 May 2018, which killed 13 people.',
      ),
    ).toMatchObject([{ date: '2018-05-13', killed: { value: 13 } }]);
    expect(
      incidents('Police said he was preparing a bombing of churches in Surabaya on 13 May 2018.'),
    ).toEqual([]);
  });

  it('"Hours later" is the day of the attack just told', () => {
    const text =
      'Jihadists killed nine soldiers in an ambush near Boni, Mali, on Wednesday. ' +
      'Hours later, gunmen attacked the market in the village of Diourva, in Mali, killing 14 civilians.';
    expect(incidents(text).map((i) => i.date)).toEqual(['2025-06-11', '2025-06-11']);
  });

  it('"north of Baghdad" is where a distance is measured from, not where it happened', () => {
    const found = items('Fighters attacked a post 50 km north of Baghdad, in Iraq, killing four.');
    const incident = found.find((i) => i.kind === 'incident')?.data as IncidentData | undefined;
    expect(incident?.place).not.toBe('location:baghdad');
  });
});
