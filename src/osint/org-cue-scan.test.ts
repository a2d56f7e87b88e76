import { describe, expect, it } from 'vitest';
import { namesOf } from './osint-test-extract.js';

const names = namesOf;

describe('bodies of a state named by what they are (issue 24)', () => {
  it('a title-cased head after capitalised words is a body: police, ministry, court, guard', () => {
    const text =
      "Tarvia's National Police arrested two men, the Interior Ministry said. A judge at the High Court in Lyon will rule; the National Guard patrolled.";
    expect(names(text, 'identity')).toEqual(
      expect.arrayContaining(['National Police', 'Interior Ministry', 'High Court', 'National Guard']),
    );
  });

  it('a description in lower case, or a head alone at the start of a sentence, is no body', () => {
    expect(names("Police said the town's interior ministry office was closed.", 'identity')).toEqual([]);
  });

  it('a country in the name belongs to it; a longer head is read whole', () => {
    const found = names(
      'The Kenya Defence Forces and the Central Reserve Police Force searched the forest.',
      'identity',
    );
    expect(found).toEqual(expect.arrayContaining(['Kenya Defence Forces', 'Central Reserve Police Force']));
    expect(found).not.toContain('Central Reserve Police');
  });

  it('what a body is "of" belongs to its name, even with no word before the head', () => {
    const found = names(
      'The Federal Court of Justice heard the case brought by the Ministry of Migration and Displacement.',
      'identity',
    );
    expect(found).toEqual(
      expect.arrayContaining(['Federal Court of Justice', 'Ministry of Migration and Displacement']),
    );
  });

  it('"Army" and "Forces" of armed groups are no head: a group is never read as a state body', () => {
    const text = 'The Tarvash Liberation Army and the Velmar Democratic Forces attacked a convoy.';
    expect(names(text, 'identity')).toEqual([]);
  });
});
