import { describe, expect, it } from 'vitest';
import { extractAt, namesOf, surfacesOf } from './osint-test-extract.js';

// Rules the heldout6 misses (articles 79-88) led to, checked on sentences of our own.
const items = (text: string) => extractAt(text);
const names = namesOf;
const surfaces = surfacesOf;

describe('a name joined to "-led", "-backed"... modifies the next noun (issue 24)', () => {
  it('"a US-led coalition" names no place; "a Gaza-based exchanger" still names Gaza', () => {
    expect(
      names('The militia, backed by a US-led coalition, searched villages in Syria.', 'location'),
    ).toEqual(['Syria']);
    expect(names('The Treasury designated a Gaza-based money exchanger.', 'location')).toContain('Gaza');
    expect(names('The Iran-backed militia fired rockets at Erbil.', 'location')).not.toContain('Iran');
  });

  it('"fighters of the Kurdish-led Velmar Forces" names no group "Kurdish"', () => {
    const groups = names('Gunmen killed four fighters of the Kurdish-led Velmar Democratic Forces.', 'group');
    expect(groups).not.toContain('Kurdish');
  });
});

describe('longer place names around a known one (issue 24)', () => {
  it('"Cotabato City" is the city with its "City"; "Maguindanao del Sur" yields no "Sur"', () => {
    const text = 'He was taken to Cotabato City after a raid in Maguindanao del Sur province.';
    expect(surfaces(text, 'location')).toContain('Cotabato City');
    expect(names(text, 'location')).not.toContain('Sur');
  });

  it('in an article about the United Kingdom, its nations are places; "Northern Ireland" is no "Ireland"', () => {
    const text =
      'Police in Great Britain made 90 arrests in England. The figures do not cover Northern Ireland, where rules differ.';
    const found = names(text, 'location');
    expect(found).toEqual(expect.arrayContaining(['England', 'Northern Ireland']));
    expect(found).not.toContain('Ireland');
  });
});

describe('incident dates and figures (issue 24)', () => {
  const incidents = (text: string, at: string) =>
    extractAt(text, at)
      .filter((i) => i.kind === 'incident')
      .map((i) => i.data);

  it("a dateline's date is the report's, not the attack's (\"ADEN, March 10 — ... late on Saturday\")", () => {
    const found = incidents(
      'ADEN, March 10 — Gunmen attacked a checkpoint in Aden late on Saturday, killing five soldiers, officials said.',
      '2025-03-10',
    );
    expect(found).toMatchObject([{ date: '2025-03-08', killed: { value: 5 } }]);
  });

  it('"a death toll ... has risen to 13" far from its verb, "more than two dozen", "N other soldiers were wounded"', () => {
    const found = incidents(
      "KISMAYO, Somalia, Feb 9 — The death toll from Saturday's car bombing outside a hotel used by regional officials in Kismayo has risen to 13, with more than two dozen people wounded, a health official said on Sunday.",
      '2025-02-09',
    );
    expect(found).toMatchObject([
      { date: '2025-02-08', killed: { value: 13 }, injured: { value: 24, approximate: true } },
    ]);
    const next = incidents(
      'Militants attacked a checkpoint in Aden on Saturday, killing five soldiers. Seven other soldiers were wounded in the fighting.',
      '2025-03-10',
    );
    expect(next).toMatchObject([{ killed: { value: 5 }, injured: { value: 7 } }]);
  });
});

describe('a town named with its Arabic article (issue 24)', () => {
  it('"outside al-Shuhayl, a town ..." in a sentence about an attack is where it happened', () => {
    const found = extractAt(
      'On March 3, a roadside bomb hit a truck outside al-Shuhayl, a town in Syria, killing two of them.',
      '2025-03-06',
    );
    const place = found.find((i) => i.kind === 'location' && i.name === 'al-Shuhayl');
    expect(place).toBeDefined();
    expect(found.filter((i) => i.kind === 'incident').map((i) => i.data)).toMatchObject([
      { place: place?.key, date: '2025-03-03', killed: { value: 2 } },
    ]);
  });
});

describe('venues whose head word stays in lower case (issue 24)', () => {
  it('"at Saint-Charles station", "the Imam Zaman mosque"; not "the Shiite mosque" or "a city airport"', () => {
    const text =
      'A man stabbed travellers at Saint-Charles station in Marseille on Wednesday, killing one. ' +
      'A blast struck the Imam Zaman mosque in Kunduz. Worshippers fled the Shiite mosque in Herat. ' +
      'Flights left the Minneapolis-Saint Paul airport.';
    const venues = items(text)
      .filter((i) => i.kind === 'location' && (i.data as { placeKind?: string }).placeKind === 'venue')
      .map((i) => i.name);
    expect(venues).toEqual(expect.arrayContaining(['Saint-Charles station', 'Imam Zaman mosque']));
    expect(venues).not.toContain('Shiite mosque');
    expect(venues.some((v) => v.endsWith('airport'))).toBe(false);
  });
});

describe('an attack told again at its venue (issue 24)', () => {
  it('"The explosion struck the Imam Zaman mosque" refines the attack just told', () => {
    const one = incidents0(
      'A bomb tore through a mosque in Kunduz during Friday prayers, killing seven worshippers. ' +
        'The explosion struck the Imam Zaman mosque shortly after the sermon had begun.',
    );
    expect(one).toHaveLength(1);
    expect(one[0]).toMatchObject({ killed: { value: 7 } });
    const place = items(
      'A bomb tore through a mosque in Kunduz during Friday prayers, killing seven worshippers. ' +
        'The explosion struck the Imam Zaman mosque shortly after the sermon had begun.',
    ).find((i) => i.key === one[0]?.place);
    expect(place?.name).toBe('Imam Zaman mosque');
  });
});

function incidents0(text: string) {
  return items(text)
    .filter((i) => i.kind === 'incident')
    .map((i) => i.data as { place?: string });
}
