import { describe, expect, it } from 'vitest';
import { loadGazetteer } from '../app/osint-data-load.js';
import { extractArticle } from './article-extract.js';
import type { Extraction, IncidentData } from './osint-types.js';
import { statedDate } from './text-dates.js';

const g = loadGazetteer();
// A Wednesday.
const published = new Date('2024-02-14T09:00:00Z');

function incidents(text: string): (IncidentData & { name: string; placeName: string | undefined })[] {
  const items = extractArticle(text, g, { published });
  const byKey = new Map(items.map((i) => [i.key, i]));
  return items
    .filter((i): i is Extraction & { data: IncidentData } => i.kind === 'incident')
    .map((i) => ({ ...i.data, name: i.name, placeName: byKey.get(i.data.place ?? '')?.name }));
}

describe('dates news uses, against the publication date', () => {
  it.each([
    ['The blast happened on 3 January.', '2024-01-03'],
    ['It happened last Friday.', '2024-02-09'],
    ['Gunmen struck early on Tuesday.', '2024-02-13'],
    ['The attack took place in March 2023.', '2023-03'],
    // No year and after the publication date: the year before.
    ['The raid on 3 March was the first.', '2023-03-03'],
    ['It happened on the night of 5 February.', '2024-02-05'],
    ['On December 28, gunmen attacked.', '2023-12-28'],
    ['The bombing in 2019 was claimed.', '2019'],
    ['He was convicted over the 2020 murder.', '2020'],
    ['The ambush in the summer of 2021 was the worst.', '2021'],
  ])('%s -> %s', (sentence, want) => {
    expect(statedDate(sentence, published)).toBe(want);
  });

  it('the date of an arrest or a verdict is not the date of the attack', () => {
    expect(
      statedDate('Police arrested a man on Saturday over the stabbing in Solingen on Friday.', published),
    ).toBe('2024-02-09');
    expect(statedDate('A jury found him guilty on Tuesday of the bombing.', published)).toBeUndefined();
    // The verdict's day comes first, the attack's after it.
    expect(
      statedDate(
        'A court on Tuesday convicted eight people over the truck attack in Nice on 14 July 2016.',
        published,
      ),
    ).toBe('2016-07-14');
  });

  it('without a publication date, only a date with a year counts', () => {
    expect(statedDate('It happened last Friday.', undefined)).toBeUndefined();
    expect(statedDate('It happened on 4 May 2022.', undefined)).toBe('2022-05-04');
  });
});

describe('casualty forms', () => {
  it.each([
    ['A suicide bomber killed at least 60 people at a market in Peshawar on Monday.', 60, true, undefined],
    ['A car bombing in Mogadishu on Sunday left 12 dead and 30 wounded.', 12, false, 30],
    ['The death toll from the bombing in Kerman on 3 January rose to 95.', 95, false, undefined],
    ['Gunmen opened fire on a bus in Quetta on Friday, wounding 14 passengers.', undefined, false, 14],
    ['Twenty soldiers were killed in an ambush in Mali on Saturday.', 20, false, undefined],
    // Stabbed or shot (not to death) are wounded; "a police officer who died" is one killed.
    [
      'A man stabbed six people at a rally in Mannheim on Friday, including a police officer who died.',
      1,
      true,
      6,
    ],
    ['A gunman shot 14 people in a bar in Oslo on Saturday.', undefined, false, 14],
    // A figure, its apposition, then the verb.
    [
      'Six people, five engineers and their driver, were killed in a bombing near Besham, in Pakistan, on Tuesday.',
      6,
      false,
      undefined,
    ],
  ])('%s', (text, killed, approximate, injured) => {
    const [inc] = incidents(text);
    expect(inc, text).toBeDefined();
    if (killed === undefined) expect(inc?.killed).toBeUndefined();
    else expect(inc?.killed).toMatchObject({ value: killed, approximate });
    if (injured === undefined) expect(inc?.injured).toBeUndefined();
    else expect(inc?.injured?.value).toBe(injured);
  });

  it('wounded are not killed: "injured 40" gives no death toll', () => {
    const [inc] = incidents('A grenade attack in Kabul on Monday injured 40 people.');
    expect(inc?.killed).toBeUndefined();
    expect(inc?.injured?.value).toBe(40);
  });
});

describe('one incident per event', () => {
  it('gathers the figures, date and the more specific place the next sentences tell', () => {
    const found = incidents(
      'Militants attacked an army post near Tessit in eastern Mali on Sunday.\n' +
        'The army said 17 soldiers were killed and 9 wounded.\n' +
        'The attack was the deadliest in Mali this year.',
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      placeName: 'Tessit',
      date: '2024-02-11',
      killed: { value: 17 },
      injured: { value: 9 },
    });
  });

  it("a headline's vague figure gives way to the body's exact one", () => {
    const [inc] = incidents(
      'Attack on Mogadishu beach kills dozens\nGunmen attacked a restaurant on Lido Beach in Mogadishu on Friday, killing at least 32 people.',
    );
    expect(inc?.killed).toMatchObject({ value: 32 });
    expect(inc?.placeName).toBe('Lido Beach');
  });

  it('keeps two attacks in two cities apart', () => {
    const found = incidents(
      'A bombing in Kabul on Monday killed 9 people. Hours later a shooting in Jalalabad killed 4.',
    );
    const plain = (n?: string) => n?.normalize('NFD').replace(/\p{M}/gu, '');
    expect(found.map((f) => [plain(f.placeName), f.killed?.value])).toEqual([
      ['Kabul', 9],
      ['Jalalabad', 4],
    ]);
  });

  it('a sentence with figures and a place counts when the article speaks of an attack', () => {
    const text =
      'A man killed two people and injured five in Lyon on Saturday. Prosecutors called it a terrorist attack.';
    expect(incidents(text)[0]).toMatchObject({
      placeName: 'Lyon',
      killed: { value: 2 },
      injured: { value: 5 },
    });
    expect(incidents('Floods killed two people and injured five in Lyon on Saturday.')).toEqual([]);
  });

  it('no incident for plots, police raids or attackers killed by the security forces', () => {
    expect(incidents('Police foiled a plan to attack a church in Cologne on Friday.')).toEqual([]);
    expect(incidents('Police raided a flat in Hamburg on Tuesday and arrested two men.')).toEqual([]);
    expect(
      incidents('The army said the attack ended. Troops killed 12 militants in Kunduz on Friday.'),
    ).toEqual([]);
  });

  it('words for attacks: raid, massacre, hostage-taking, stabbing, suicide attack', () => {
    for (const [sentence, noun] of [
      ['Gunmen raided a village near Mopti, in central Mali, on Friday, killing 30 people.', 'raid'],
      ['The massacre in Bucha on 1 March 2022 killed dozens.', 'massacre'],
      ['The hostage-taking at a theatre in Moscow on 23 October 2002 killed 130.', 'hostage-taking'],
      ['A stabbing in Solingen on Friday killed three people.', 'stabbing'],
      ['A suicide attack in Quetta on Monday killed 25.', 'suicide attack'],
      ['Gunmen kidnapped 40 villagers near Maiduguri, in Nigeria, on Sunday.', 'kidnapping'],
      ['The assassination of a mayor in Kandahar on Monday shocked the city.', 'assassination'],
      ['A drone strike in Mosul on 2 February killed four people.', 'drone strike'],
      ['An arson attack on a mosque in Leeds on Sunday caused damage.', 'arson attack'],
      ['A man rammed a truck into a market in Berlin on Friday, killing 12.', 'ramming attack'],
    ] as const) {
      expect(incidents(sentence)[0]?.noun, sentence).toBe(noun);
    }
  });

  it('a murder, assassination or killing "of" a victim is one act; as a charge it is none', () => {
    const found = incidents(
      'A court in Paris convicted eight over the 2020 murder of a teacher in Conflans-Sainte-Honorine.',
    );
    // The court's town is where the trial is; the murder happened in the other town.
    expect(found.map((i) => [i.noun, i.placeName, i.date])).toEqual([
      ['murder', 'Conflans-Sainte-Honorine', '2020'],
    ]);
    expect(incidents('A jury in Lyon found him guilty of murder on Tuesday.')).toEqual([]);
  });

  it('a plural names one event when its date does: "the November 2015 attacks in Paris"', () => {
    const found = incidents('He is serving a life sentence for the November 2015 attacks in Paris.');
    expect(found.map((i) => [i.placeName, i.date])).toEqual([['Paris', '2015-11']]);
    // Without a date, "attacks" is a campaign, not one incident.
    expect(incidents('Houthi attacks in Yemen continued on Friday.')).toEqual([]);
    expect(incidents('The group has carried out attacks in Kabul since 2015.')).toEqual([]);
  });
});

describe('places the text marks as places', () => {
  it('a town no gazetteer lists, put in a known country by the text', () => {
    const items = extractArticle('Gunmen abducted 30 pupils in Kuriga, in Nigeria’s Kaduna state.', g);
    expect(items.find((i) => i.name === 'Kuriga')?.data).toMatchObject({
      placeKind: 'city',
      country: 'NG',
      within: 'location:nigeria',
    });
    // A name no list holds (ours, made up): the possessive and the unit word make it a province.
    const regions = extractArticle('Fighting spread in Burkina Faso’s Kalzoro province.', g);
    expect(regions.find((i) => i.name === 'Kalzoro')?.data).toMatchObject({
      placeKind: 'province',
      country: 'BF',
    });
  });

  it('a province from the list, only in an article about its country, and a sea', () => {
    const text =
      'A car bomb exploded in Norte de Santander on 14 June, wounding 36 people, the army of Colombia said.';
    const items = extractArticle(text, g, { published: new Date('2021-06-17') });
    const province = items.find((i) => i.name === 'Norte de Santander');
    expect(province?.data).toMatchObject({
      placeKind: 'province',
      country: 'CO',
      within: 'location:colombia',
    });
    expect(items.find((i) => i.kind === 'incident')?.data).toMatchObject({
      place: province?.key,
      date: '2021-06-14',
      injured: { value: 36 },
    });
    // The same name with no Colombia in the article is not taken for the province.
    const elsewhere = extractArticle('Officials met in Norte de Santander on Friday.', g);
    expect(elsewhere.some((i) => i.name === 'Norte de Santander')).toBe(false);
    // A province whose name is a common word needs its unit word ("Rivers state").
    const rivers = extractArticle('Gunmen attacked a village in Nigeria, near Rivers.', g);
    expect(rivers.some((i) => i.kind === 'location' && i.name === 'Rivers')).toBe(false);
    expect(
      extractArticle('Gunmen attacked a village in Nigeria’s Rivers state.', g).some(
        (i) => i.name === 'Rivers',
      ),
    ).toBe(true);
    const sea = extractArticle('A drone strike hit a tanker in the Red Sea on 3 March.', g, {
      published: new Date('2024-03-05'),
    });
    expect(sea.find((i) => i.name === 'Red Sea')?.data).toMatchObject({ placeKind: 'water' });
    expect(sea.find((i) => i.kind === 'incident')?.data).toMatchObject({
      noun: 'drone strike',
      date: '2024-03-03',
    });
  });

  it('a district of a city, a street and a venue in the city after it', () => {
    const items = extractArticle(
      'A bomb exploded on Istiklal Avenue in Istanbul’s Beyoglu district on Sunday, killing six. ' +
        'Another hit the Grand Hotel in Kabul.',
      g,
    );
    const byName = new Map(items.map((i) => [i.name, i]));
    expect(byName.get('Beyoglu')?.data).toMatchObject({ placeKind: 'province', country: 'TR' });
    expect(byName.get('Istiklal Avenue')?.data).toMatchObject({
      placeKind: 'venue',
      within: 'location:istanbul',
    });
    expect(byName.get('Grand Hotel')?.data).toMatchObject({ within: 'location:kabul', country: 'AF' });
    expect(items.filter((i) => i.kind === 'incident')).toHaveLength(1);
  });

  it('needs the country beside it: a capitalised word alone is no place', () => {
    const names = extractArticle('He spoke in Parliament on Monday. They met in Brussels, Belgium.', g).map(
      (i) => i.name,
    );
    expect(names).not.toContain('Parliament');
  });
});
