import { describe, expect, it } from 'vitest';
import { extractAt, namesOf } from './osint-test-extract.js';
import type { IncidentData } from './osint-types.js';

// Rules found by probing the extractor with wire-copy sentences of our own (not a labelled set):
// killing verbs that carry their own death, a vehicle driven into people, places after a bare
// "in" in a sentence about an attack, and names that begin with a compass word.
const incidents = (text: string) => {
  const items = extractAt(text);
  const byKey = new Map(items.map((i) => [i.key, i]));
  return items
    .filter((i) => i.kind === 'incident')
    .map((i) => {
      const d = i.data as IncidentData;
      return {
        place: byKey.get(d.place ?? '')?.name,
        noun: d.noun,
        killed: d.killed?.value,
        injured: d.injured?.value,
      };
    });
};
const locations = (text: string) => namesOf(text, 'location');

describe('acts that say their victims died (issue 24)', () => {
  it('"were stabbed to death" and "beheaded five villagers" are deaths, not injuries', () => {
    expect(
      incidents(
        'Three people were stabbed to death at a festival in Solingen on Friday night and eight others were injured.',
      ),
    ).toMatchObject([{ place: 'Solingen', killed: 3, injured: 8 }]);
    expect(
      incidents('Insurgents beheaded five villagers in Muidumbe district, in Mozambique, on Sunday.'),
    ).toMatchObject([{ killed: 5 }]);
    expect(incidents('Gunmen hacked 12 farmers to death in Bokkos, Nigeria, on Monday.')).toMatchObject([
      { killed: 12 },
    ]);
  });

  it('a vehicle driven into people is a ramming attack', () => {
    expect(
      incidents(
        'A man drove a car into a crowd at a Christmas market in Magdeburg on Friday evening, killing five people.',
      ),
    ).toMatchObject([{ place: 'Magdeburg', noun: 'ramming attack', killed: 5 }]);
    expect(incidents('He drove to work in Magdeburg on Friday and parked his car.')).toEqual([]);
  });
});

describe('places the text marks, not the gazetteer (issue 24)', () => {
  it('a name after a bare "in" in a sentence about an attack is a place in the country nearby', () => {
    expect(
      locations(
        'Gunmen shot dead two police officers in Molenbeek on Monday night, Belgian prosecutors in Brussels said.',
      ),
    ).toContain('Molenbeek');
  });

  it('an adjective after "in" is no place, nor a compound ending in a lower-case word', () => {
    const text =
      'Two killed in knife attack in Bavarian park. Soldiers were attacked in Indian-administered Kashmir on Monday.';
    const found = locations(text);
    expect(found).not.toContain('Bavarian');
    expect(found).not.toContain('Indian-administered Kashmir');
  });

  it('a settlement "of" a name includes suburbs and neighbourhoods', () => {
    expect(
      incidents(
        'Two police officers were shot dead in the suburb of Schaerbeek in Brussels on Monday night.',
      ),
    ).toMatchObject([{ place: 'Schaerbeek', killed: 2 }]);
  });

  it('a compass word begins a name before a name or a unit, never alone', () => {
    expect(
      incidents(
        'Militants attacked a police station in Bannu on Tuesday, killing three officers. Hours later, a roadside bomb struck a patrol in North Waziristan, wounding five soldiers.',
      ),
    ).toMatchObject([
      { place: 'Bannu', killed: 3 },
      { place: 'North Waziristan', injured: 5 },
    ]);
    expect(locations("Fighters stormed a village in Cameroon's Far North region on Saturday.")).toContain(
      'Far North',
    );
    expect(locations('Gunmen attacked a convoy in Northern Mali on Saturday, killing four.')).not.toContain(
      'Northern',
    );
  });
});
