import { describe, expect, it } from 'vitest';
import { extractAt, incidentsOf, namesOf } from './osint-test-extract.js';

// Rules found by probing the extractor with wire-copy sentences of our own (not a labelled set):
// killing verbs that carry their own death, a vehicle driven into people, places after a bare
// "in" in a sentence about an attack, and names that begin with a compass word.
const incidents = incidentsOf;
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

// Rules the heldout8 misses (articles 99-108) led to, checked on sentences of our own.
describe('heldout8 causes, on sentences of our own (issue 24)', () => {
  it('a town of another country named as the unit of the country before it is that unit ("Chad\'s Lac province")', () => {
    const text =
      "Fighters overran a post on the island of Bougoumene in Chad's Lac province on Sunday, killing nine soldiers.";
    expect(locations(text)).toEqual(expect.arrayContaining(['Lac', 'Bougoumene']));
    expect(locations(text)).not.toContain('Laç');
    expect(incidents(text)).toMatchObject([{ place: 'Bougoumene', killed: 9 }]);
  });

  it('a place "in the X commune of" a known department lies in that department\'s country', () => {
    expect(
      incidents(
        'Gunmen attacked a police post in northern Benin at Karimama, in the Malanville commune of Alibori department, on Monday, killing four officers.',
      ),
    ).toMatchObject([{ place: 'Karimama', killed: 4 }]);
  });

  it('an appositive says what a name is: a town, or a venue held by the known town after it', () => {
    expect(locations('He was arrested in Rimbo, a small town north of Stockholm, hours later.')).toContain(
      'Rimbo',
    );
    expect(
      incidents(
        'Car kills one in Uppsala. A man drove a car into people at Vaksala torg, the market square in Uppsala, on Saturday, killing a woman.',
      ),
    ).toMatchObject([{ place: 'Vaksala torg', killed: 1 }]);
  });

  it('killers with no attack word count once the article names them; a vague historic toll does not', () => {
    const text =
      'Suspected militants killed four farmers near the village of Lembomawo, Indonesia, on Tuesday. The killings revived fears in Poso, where violence left hundreds dead in the early 2000s.';
    expect(incidents(text)).toMatchObject([{ place: 'Lembomawo', killed: 4 }]);
  });

  it('a raid that arrests is an operation; "a fourth worker was wounded" is one injured', () => {
    expect(
      incidents('Police arrested three suspects in a raid on a house in Gazipur, Bangladesh, on Thursday.'),
    ).toEqual([]);
    expect(
      incidents(
        'A drone killed three workers at a mine in Kulob, Tajikistan, on Wednesday. A fourth worker was wounded.',
      ),
    ).toMatchObject([{ place: expect.stringMatching(/^K.lob$/), killed: 3, injured: 1 }]);
  });

  it('a river is named without its head word', () => {
    expect(
      locations('The drone was flown across the Vakhsh river from Afghanistan before the attack on Monday.'),
    ).toContain('Vakhsh');
  });
});

describe('groups and bodies named by their context (issue 24)', () => {
  const groups = (text: string) => namesOf(text, 'group');
  const identities = (text: string) => namesOf(text, 'identity');
  it('"members of the banned X (ACR)" and "blamed on X, the insurgent movement that ..." are groups', () => {
    expect(
      groups('Police arrested members of the banned Hizb Tahrir Nusantara (HTN) in Medan, Indonesia.'),
    ).toContain('Hizb Tahrir Nusantara');
    expect(groups('Suspected members of Mujahidin Sulawesi Timur (MST) killed two farmers.')).toContain(
      'Mujahidin Sulawesi Timur',
    );
    expect(
      groups(
        'The attacks were blamed on Ansar Kalima, the insurgent movement that has fought there since 2017.',
      ),
    ).toContain('Ansar Kalima');
  });

  it("a country's armed unit is its state's body, and authorities and task forces are bodies", () => {
    expect(groups("Pakistan's Special Response Battalion arrested four men.")).toEqual([]);
    expect(identities("Pakistan's Special Response Battalion arrested four men.")).toContain(
      'Special Response Battalion',
    );
    expect(identities('The Norwegian Police Authority and the Lagos Ports Authority said so.')).toEqual(
      expect.arrayContaining(['Norwegian Police Authority', 'Lagos Ports Authority']),
    );
    expect(identities('The Regional Joint Task Force said it had retaken the town.')).toContain(
      'Regional Joint Task Force',
    );
  });
});

// Rules the heldout9 misses (articles 109-118) led to, checked on sentences of our own.
describe('heldout9 causes, on sentences of our own (issue 24)', () => {
  it('a bare "CITY —" dateline is where it was filed, not the scene', () => {
    expect(
      incidents(
        'KABUL — Gunmen attacked a checkpoint near the town of Chaharbolak, in Afghanistan, late on Tuesday, killing four police officers.',
      ),
    ).toMatchObject([{ place: 'Chaharbolak', killed: 4 }]);
  });

  it('where victims were going and where a spokesman spoke are not the scene', () => {
    expect(
      incidents(
        'Gunmen attacked travellers at a roadblock near Kukareta, in Nigeria, on Monday. They abducted nine travellers on their way to the market in Potiskum and shot dead a driver, a police spokesman in Damaturu said.',
      ),
    ).toMatchObject([{ place: 'Kukareta', killed: 1 }]);
  });

  it('an unknown name "in" a known town lies in that town and is the more precise scene', () => {
    expect(
      incidents(
        'A man drove a truck into the crowd at Alexanderplatz in Berlin on 3 March 2021, killing two people.',
      ),
    ).toMatchObject([{ place: 'Alexanderplatz', killed: 2 }]);
  });

  it('"the outskirts of X" and a headline\'s "Mali\'s Ménaka region" tell one ambush', () => {
    expect(
      incidents(
        "Nine soldiers killed in ambush in Mali's Ménaka region\nNine soldiers died when fighters ambushed a convoy on the outskirts of Tidermène, some 60 km north of Ménaka, on Sunday.",
      ),
    ).toMatchObject([{ place: 'Tidermène', killed: 9 }]);
  });

  it('a left-out verb still counts the wounded; wounded who later died do not', () => {
    expect(
      incidents(
        'Two children were killed and four other members of their family wounded when a bomb struck their house in Khar, Pakistan, on Monday.',
      ),
    ).toMatchObject([{ killed: 2, injured: 4 }]);
    expect(
      incidents(
        'Gunmen attacked a post near Saravan, in Iran, on Monday; the toll rose to five after two wounded guards died.',
      )[0]?.injured,
    ).toBeUndefined();
  });

  it('"neighbouring X" is a place cue, and English names of Russian and Iranian units are known', () => {
    expect(locations('The road in Nigeria links Yobe with neighbouring Borno.')).toContain('Borno');
    expect(locations('Police in Russia detained five men in Dagestan.')).toContain('Dagestan');
    expect(locations("Gunmen attacked a post in Iran's Sistan-Baluchestan on Monday.")).toContain(
      'Sistan-Baluchestan',
    );
  });
});

// Rules the heldout10 misses (articles 119-128) led to, checked on sentences of our own.
describe('heldout10 causes, on sentences of our own (issue 24)', () => {
  it('the scene a later sentence names replaces the dateline city, and a revised toll replaces the first', () => {
    expect(
      incidents(
        'AGADEZ, Niger, Nov 12 — Gunmen opened fire on worshippers on Monday, killing at least eight people. The shooting happened in Tiguidan, a village about 40 km north of Agadez. The toll rose to 11 on Tuesday.',
        '2025-11-12',
      ),
    ).toMatchObject([{ place: 'Tiguidan', date: '2025-11-10', killed: 11 }]);
  });

  it('an attack told before its place waits for the sentence that says where', () => {
    expect(
      incidents(
        'Militiamen killed twelve civilians late Saturday, officials said. The attack hit a camp at Lopa, a village about 20 km east of Bunia in Congo.',
        '2025-09-29',
      ),
    ).toMatchObject([{ place: 'Lopa', date: '2025-09-27', killed: 12 }]);
  });

  it('"The killings took place near X" places the attack just told', () => {
    expect(
      incidents(
        "Fighters killed seven shepherds and wounded two others in Syria's desert on Sunday. The killings took place near Kdeir, a village about 30 km east of Palmyra.",
      ),
    ).toMatchObject([{ place: 'Kdeir', killed: 7, injured: 2 }]);
  });

  it("two groups of the dead are added; the attackers' dead and a funeral are no casualties", () => {
    expect(
      incidents(
        'Fighters attacked an army post at Bosso, in the Diffa region of Niger, on Sunday, killing two soldiers and three civilians. It said 12 attackers had been killed. The five dead were buried in Diffa on Monday.',
      ),
    ).toMatchObject([{ place: 'Bosso', killed: 5 }]);
  });

  it('the headline and the lead that names the town are one attack', () => {
    expect(
      incidents(
        "Gunmen kill six in raid on Mali's Ségou region\nGunmen attacked the village of Diafarabé on Sunday, killing six people, officials said.",
      ),
    ).toMatchObject([{ place: 'Diafarabé', killed: 6 }]);
  });

  it('"last week" gives no day; a named victim is one dead; who told it is not where', () => {
    expect(incidents('Gunmen killed four farmers near Kdeir, in Syria, last week.')[0]?.date).toBeUndefined();
    expect(
      incidents(
        'Gunmen shot dead Omar al-Masri, a member of the council, in the town of Nawa in Syria on Sunday.',
      ),
    ).toMatchObject([{ place: expect.stringMatching(/^N.wa$/), killed: 1 }]);
    expect(
      incidents(
        'A patrol was ambushed outside Tibú, in Colombia, on Saturday. Three police officers died, according to the police command in Cúcuta.',
      ),
    ).toMatchObject([{ place: 'Tibú', killed: 3 }]);
  });
});

// Rules the heldout11 misses (articles 129-138) led to, checked on sentences of our own.
describe('heldout11 causes, on sentences of our own (issue 24)', () => {
  it('the sentence after an attack placed at its region or dateline, naming a town there, says where', () => {
    expect(
      incidents(
        "Gunmen kill six bus passengers in Ethiopia's Amhara region\nGunmen stopped a bus on Sunday night, killing six passengers. The bus had halted in the Gendawuha area for the night.",
        '2025-05-07',
      ),
    ).toMatchObject([{ place: 'Gendawuha', killed: 6 }]);
  });

  it('names that begin with Um, Abu, Bir, Wadi... keep their first word', () => {
    expect(
      locations('The market is held in Um Rawaba, a village about 30 km west of El Obeid, Sudan.'),
    ).toContain('Um Rawaba');
  });

  it('"Two soldiers and three civilians were killed"; "killed three of the attackers" is no attack', () => {
    expect(
      incidents(
        'Two soldiers and three civilians were killed when militants attacked a checkpoint in Turbat, Pakistan, on Monday.',
      ),
    ).toMatchObject([{ killed: 5 }]);
    expect(
      incidents(
        'Soldiers killed three of the attackers in an exchange of fire near Mand, in Pakistan, on Tuesday.',
      ),
    ).toEqual([]);
  });

  it('a settlement appositive needs no preposition, but "a village elder" is a person', () => {
    expect(locations('Rebels raided Kisinga, a trading centre in Uganda, on Monday.')).toContain('Kisinga');
    expect(locations('Musa Bello, a village elder in Nigeria, said so.')).not.toContain('Musa Bello');
  });

  it('the date nearest the first telling of the act, not a later "the attack"', () => {
    expect(
      incidents(
        'Militants ambushed an army vehicle near Thanamandi, in India, on Sunday, and the toll rose to four on Monday when a soldier missing since the attack was found.',
        '2025-11-11',
      ),
    ).toMatchObject([{ date: '2025-11-09', killed: 4 }]);
  });

  it("a unit after its country's possessive and a direction is that unit", () => {
    expect(
      incidents(
        "Bomb kills two at tea shop in Raman\nA bomb exploded on Saturday night, killing two rangers, police in Thailand's southern Yala province said.",
        '2025-10-20',
      ),
    ).toMatchObject([{ place: 'Raman', killed: 2 }]);
  });
});

// Rules the heldout12 misses (articles 139-148) led to, checked on sentences of our own.
describe('heldout12 causes, on sentences of our own (issue 24)', () => {
  it('a province of a country the article does not name holds no tokens ("Adan" of Yemen in Somalia\'s "Adan Dheere")', () => {
    expect(
      locations("Militants bombed a base in Adan Dheere, in Somalia's Middle Shabelle region, on Tuesday."),
    ).toContain('Adan Dheere');
  });

  it('a people\'s name before its noun is no place ("near the Somali border")', () => {
    expect(
      locations('A roadside bomb killed four officers near Somali border posts in Kenya on Monday.'),
    ).not.toContain('Somali');
  });

  it('"Two attacks ... kill five" opens no incident; each attack told after it does', () => {
    expect(
      incidents(
        "Two attacks in Syria's Deir ez-Zor kill five\nGunmen attacked a checkpoint in the town of Shuheil, in Syria, on Tuesday, killing four fighters.",
        '2025-02-12',
      ),
    ).toMatchObject([{ place: 'Shuheil', killed: 4 }]);
  });

  it('the wounded airlifted to a named hospital are not an attack there', () => {
    expect(
      incidents(
        'A bomb killed three officers near Hulugho, in Kenya, on Monday. The two wounded officers were airlifted to the Garissa County Referral Hospital.',
      ),
    ).toHaveLength(1);
  });
});

// A second probe of our own wire-copy sentences (published Thursday 2025-06-12).
describe('figures and acts as wire copy words them (issue 24)', () => {
  it('a toll first put at one figure and then another stands at the later one', () => {
    expect(
      incidents(
        'Officials initially put the toll at six, but later said nine people had died in the attack on Tuesday in Kukawa, Nigeria.',
      ),
    ).toMatchObject([{ place: 'Kukawa', date: '2025-06-10', killed: 9 }]);
  });

  it('compound number words, "all six", "the killing of 11": each one figure', () => {
    expect(
      incidents(
        'At least twenty-one people were injured and seven killed when a car bomb exploded outside a hotel in Beledweyne on Monday.',
      ),
    ).toMatchObject([{ place: 'Beledweyne', killed: 7, injured: 21 }]);
    expect(
      incidents(
        'A roadside bomb struck a minibus near the town of Mandera on Friday, killing all six people on board.',
      ),
    ).toMatchObject([{ place: 'Mandera', date: '2025-06-06', killed: 6 }]);
    expect(
      incidents(
        "The killing of 11 farmers in Zabarmari on Monday drew condemnation from Nigeria's president.",
      ),
    ).toMatchObject([{ place: 'Zabarmari', date: '2025-06-09', killed: 11 }]);
  });

  it('a bomb, a grenade or a mine with its victims is an attack; a mine where men work is not', () => {
    expect(
      incidents(
        "A bomb ripped through a livestock market in Bulo Burde on Saturday. The attack, which also wounded 17 people, killed nine, a local elder said. Somalia's government blamed al-Shabaab.",
      ),
    ).toMatchObject([{ place: 'Bulo Burde', date: '2025-06-07', killed: 9, injured: 17 }]);
    expect(
      incidents(
        'A grenade thrown into a bar in Cotabato City on Saturday night wounded 13 people, police in the Philippines said.',
      ),
    ).toMatchObject([{ date: '2025-06-07', injured: 13 }]);
    expect(
      incidents(
        'Three police officers died and four were hurt when their patrol hit a mine in Marawi on Tuesday, the Philippine army said.',
      ),
    ).toMatchObject([{ place: 'Marawi', noun: 'mine blast', killed: 3, injured: 4 }]);
    expect(
      incidents('Three miners died when a tunnel collapsed at a gold mine in Kenieba, Mali, on Tuesday.'),
    ).toEqual([]);
  });

  it("a village or town named before its kind is a place; a people's adjective is not", () => {
    expect(
      incidents(
        'Gunmen killed at least 15 people in an attack on Dogon Noma village in Kaduna state on Tuesday night, officials in Nigeria said.',
      ),
    ).toMatchObject([{ place: 'Dogon Noma', date: '2025-06-10', killed: 15 }]);
    expect(locations('Teenager killed in knife attack in Austrian town, police say')).not.toContain(
      'Austrian',
    );
  });

  it('a place after "in" followed by the sentence\'s verb', () => {
    expect(
      incidents(
        "The death toll from Sunday's attack on a military post in Boulkessi rose to 23, the army said on Tuesday. Mali has battled jihadist insurgents since 2012.",
      ),
    ).toMatchObject([{ place: 'Boulkessi', date: '2025-06-08', killed: 23 }]);
  });
});

// What the first run of articles 149-158 missed, as general rules, told in sentences of our own.
describe('dates an attack is told with (issue 24)', () => {
  it('a month inside a place name is no date; a possessive year and "the last days of" a year are', () => {
    expect(
      incidents('A drone strike killed five fighters in Marib, Yemen, in October 2024.', '2025-03-01'),
    ).toMatchObject([{ place: 'Marib', date: '2024-10', killed: 5 }]);
    expect(
      incidents("The group's 2019 raid on Kafolo, in Ivory Coast, killed ten soldiers.", '2025-03-01'),
    ).toMatchObject([{ place: 'Kafolo', date: '2019', killed: 10 }]);
    expect(
      incidents(
        'Troops began an offensive in Somalia early this year, after militants stormed a police post at Qandala in the final days of 2024.',
        '2025-03-01',
      ),
    ).toMatchObject([{ place: 'Qandala', date: '2024-12' }]);
  });

  it('"a day after" puts the act the day before the date told', () => {
    expect(
      incidents(
        'A man died of his wounds on Tuesday, a day after an attacker stabbed four people at a bus stop in Tampere, Finland.',
        '2025-03-05',
      ),
    ).toMatchObject([{ place: 'Tampere', date: '2025-03-03', killed: 1, injured: 3 }]);
  });
});

describe('places and tolls told around an attack (issue 24)', () => {
  it('"tens of thousands" is no toll of ten; a battle\'s dead are no attack', () => {
    expect(
      incidents('The insurgency in Nigeria, which began in 2009, has killed tens of thousands of people.'),
    ).toEqual([]);
    expect(
      incidents(
        'Bomb kills two in Zamboanga\nMilitants occupied parts of Jolo, in the Philippines, in 2019 before troops retook it after fighting that killed more than 200 people.',
      ).filter((i) => i.place === 'Jolo'),
    ).toEqual([]);
  });

  it('where people were taken from is where a kidnapping happened', () => {
    expect(
      incidents('The abduction of 110 schoolgirls from Dapchi in 2018 shocked Nigeria.', '2025-03-01'),
    ).toMatchObject([{ place: 'Dapchi', date: '2018' }]);
  });

  it('the ends of a route and a hospital in a town are not the scene; "near X" is, in any sentence', () => {
    const text =
      'Gunmen kill seven bus passengers in Pakistan\nGunmen stopped a bus in Pakistan on Friday and shot dead seven men, officials said. The bus was travelling from Quetta to Taftan when armed men blocked the road near Padag and checked identity cards. The wounded were taken to the District Headquarters Medical Centre in Nushki.';
    expect(incidents(text, '2025-03-01')).toMatchObject([{ place: 'Padag', killed: 7 }]);
  });

  it('a venue whose name starts with an Arabic article, or is said to be opposite a town', () => {
    expect(
      incidents(
        'Gunmen attacked worshippers at the al-Noor mosque near Zintan, Libya, in 2016, killing 12 people.',
      ),
    ).toMatchObject([{ place: 'al-Noor mosque', killed: 12 }]);
    expect(
      namesOf(
        "A man stabbed two people in Lions Park, a park opposite Kampala's central bus station, in Uganda on Friday.",
        'location',
      ),
    ).toContain('Lions Park');
  });

  it('of two towns in one sentence, the one nearer the act; a town before a unit word of another country', () => {
    expect(
      incidents(
        'Forces in Somalia pushed into the Golis mountains in the Sanaag region this year, weeks after fighters stormed a base at Qandala in 2024.',
        '2025-03-01',
      ),
    ).toMatchObject([{ place: 'Qandala', date: '2024' }]);
    const items = extractAt('Fighters of the group shelter in the Bari region of Somalia.');
    expect(items.find((i) => i.name === 'Bari')?.data).toMatchObject({
      placeKind: 'province',
      country: 'SO',
    });
  });

  it('a longer name after a known town, and towns listed with one', () => {
    expect(
      namesOf('Rebels attacked the village of Santa Rosa del Palmar, in Bolivia, on Monday.', 'location'),
    ).toContain('Santa Rosa del Palmar');
    expect(
      incidents(
        'Militants launched coordinated attacks on Kidal, Anefis du Nord and two other towns in Mali in March.',
        '2025-06-12',
      ),
    ).toMatchObject([
      { place: 'Kidal', date: '2025-03' },
      { place: 'Anefis du Nord', date: '2025-03' },
    ]);
    // With no date, a list of towns attacked is a campaign.
    expect(incidents('Militants have repeatedly attacked Kidal, Anefis and Tessalit in Mali.')).toEqual([]);
    // Months and feasts are no places.
    expect(
      namesOf('Gunmen attacked a church at Christmas in Nigeria and again in July.', 'location'),
    ).toEqual(['Nigeria']);
  });
});

// What the first run of articles 159-168 missed, as general rules, in sentences of our own.
describe('events told together and figures told loosely (issue 24)', () => {
  it('a sentence that goes on to a second dated event tells two incidents', () => {
    expect(
      incidents(
        'Militants first raided a police post at Kalimbo in Togo in March 2021, and in June 2022 six soldiers were killed in an ambush near Borgou, also in Togo.',
      ),
    ).toMatchObject([
      { place: 'Kalimbo', date: '2021-03' },
      { place: 'Borgou', date: '2022-06', killed: 6 },
    ]);
    expect(
      incidents(
        'In May 2015 gunmen stopped a lorry near Wajir town in Kenya and killed 12 passengers, and early the following month they shot dead 9 herders at Tarbaj, outside the town.',
      ),
    ).toMatchObject([
      { place: 'Wajir', date: '2015-05', killed: 12 },
      { place: 'Tarbaj', date: '2015-06', killed: 9 },
    ]);
  });

  it('the wounded told as survivors, as one shot, or as "a third"; a couple is two', () => {
    expect(
      incidents(
        'Gunmen killed four farmers in Bokkos, Nigeria, on Monday, and two other farmers survived with bullet wounds.',
      ),
    ).toMatchObject([{ place: 'Bokkos', killed: 4, injured: 2 }]);
    expect(
      incidents(
        'Gunmen stormed a telecoms mast in Dif, Kenya, on Saturday. A security guard at the site was shot in the leg.',
      ),
    ).toMatchObject([{ place: 'Dif', injured: 1 }]);
    expect(
      incidents(
        'A man with a knife attacked the police station in Gua Musang, Malaysia, in May 2024, killing two officers and wounding a third.',
      ),
    ).toMatchObject([{ place: 'Gua Musang', killed: 2, injured: 1 }]);
    expect(
      incidents(
        'Arsonists set fire to a farmhouse near Collipulli, Chile, in 2019, killing an elderly couple.',
      ),
    ).toMatchObject([{ place: 'Collipulli', killed: 2 }]);
    expect(
      incidents(
        'The attack killed four French soldiers and three Malian soldiers near Tessit, in Mali, on Sunday.',
      ),
    ).toMatchObject([{ place: 'Tessit', killed: 7 }]);
  });

  it('"a string of attacks" is a campaign, not the act told', () => {
    expect(
      incidents(
        'Rebels kill five in Burundi attack\nRebels killed five loggers at a camp in Burundi on Sunday, police said on Tuesday, the latest in a string of attacks on workers.',
        '2025-06-12',
      ),
    ).toMatchObject([{ place: 'Burundi', date: '2025-06-08', killed: 5 }]);
  });
});

describe('places named around an attack (issue 24)', () => {
  it('a settlement named in apposition, in the country the article is about', () => {
    expect(
      incidents(
        "Gunmen kill nine in Benin's north\nGunmen shot dead nine villagers before dawn on Tuesday in Benin, officials said. The village, Kérou-Bédafou, lies near the Savanes border area, close to Burkina Faso.",
        '2025-06-12',
      ),
    ).toMatchObject([{ place: 'Kérou-Bédafou', killed: 9 }]);
  });

  it('one-word estates and nightclubs, and an event named by its year and province', () => {
    expect(
      incidents(
        'Attackers burned six trucks at the Mininco estate near Angol, in Chile, on Monday, wounding one guard.',
      ),
    ).toMatchObject([{ place: 'Mininco estate', injured: 1 }]);
    expect(
      namesOf('Gunmen threw a grenade into the Kabul nightclub district in Afghanistan.', 'location'),
    ).not.toContain('Kabul nightclub');
  });

  it('a short form in brackets is the group it stands beside', () => {
    const groups = namesOf(
      'The Islamic State Sahel Province (ISSP) claimed the attack in Niger. Officials in Niger said ISSP fighters fled.',
      'group',
    );
    expect(groups).not.toContain('Islamic State – Sinai Province');
    expect(namesOf('Fighters linked to al Qaeda attacked a post in Mali.', 'group')).toEqual(['al-Qaeda']);
  });
});

// What the first run of articles 169-178 showed about groups, in sentences of our own.
describe('group names as the press writes them (issue 24)', () => {
  it('Qaida and Qaeda are one name; "the Abu Sayyaf" is the Abu Sayyaf Group', () => {
    expect(namesOf('Al Qaeda in the Arabian Peninsula claimed the attack in Yemen.', 'group')).toHaveLength(
      1,
    );
    expect(
      namesOf('Troops said the Abu Sayyaf had no hand in the killing in Sulu, Philippines.', 'group'),
    ).toHaveLength(1);
  });

  it('a numbered army unit is no armed group; a name with commas up to its short form is one', () => {
    expect(
      namesOf("The Philippine Army's 101st Infantry Brigade said it was hunting the gunmen.", 'group'),
    ).toEqual([]);
    expect(
      namesOf(
        'On Monday, fighters of Révolution, Paix et Justice (RPJ) ambushed a patrol near Bozoum, in the Central African Republic.',
        'group',
      ),
    ).toEqual(['Révolution, Paix et Justice']);
  });
});

// What the first run of articles 169-178 showed about places and victims, in sentences of our own.
describe('local press and named officials (issue 24)', () => {
  it("a text that names no country is placed by its people's adjective, not a foreign one", () => {
    expect(
      incidents(
        'Gunmen shot dead the vice mayor of Talipao town on Monday outside his home in Barangay Bud Datu, the Philippine Army said.',
      ),
    ).toMatchObject([{ place: 'Bud Datu', killed: 1 }]);
    // With a country named, a people's adjective is only who the victims were.
    expect(
      locations(
        'A drone struck the camp of a Chinese mining company in the Dusti district of Tajikistan, killing two workers.',
      ),
    ).not.toContain('China');
  });

  it('a unit owned by a province lies in it', () => {
    const items = extractAt(
      "Militants overran army positions in Yemen, in Abyan's Mudiyah district, killing 12 soldiers.",
    );
    expect(items.find((i) => i.name === 'Mudiyah')?.data).toMatchObject({ within: 'location:abyan' });
  });
});

// What the first run of articles 169-178 showed about incidents, in sentences of our own.
describe('several attacks told in one sentence (issue 24)', () => {
  it('"attacked three towns" sums several attacks; each told after it is one', () => {
    expect(
      incidents(
        'Gangs hit four towns in Haiti\nGang members attacked four towns in central Haiti over the weekend, killing at least 12 people. The deadliest attack hit Verrettes, a town in the Artibonite department, late on Saturday, where eight people were killed.',
        '2026-01-27',
      ),
    ).toMatchObject([{ place: 'Verrettes', killed: 8 }]);
  });

  it('", and the bombing of ..." goes on to a second attack', () => {
    expect(
      incidents(
        'These include the attack on a school in Bwera, Uganda, in June 2023, which killed 40 people, and the bombing of a church in Kasese in January 2023, which killed 12 worshippers.',
        '2025-06-12',
      ),
    ).toMatchObject([
      { place: 'Bwera', date: '2023-06', killed: 40 },
      { place: 'Kasese', date: '2023-01', killed: 12 },
    ]);
  });
});

describe('Nigerian local press (issue 24)', () => {
  it('"Niger State" is the state of Nigeria; "stormed Kuchi community" names the village', () => {
    const items = extractAt(
      'Bandits stormed Gidan Bako community in Rafi, Niger State, in Nigeria, on Sunday, killing three.',
    );
    // Named with its unit, so it never merges with the country Niger in one item.
    expect(items.find((i) => i.name === 'Niger State')?.data).toMatchObject({
      placeKind: 'province',
      country: 'NG',
    });
    expect(items.some((i) => i.name === 'Niger')).toBe(false);
    expect(
      incidents(
        'Bandits stormed Gidan Bako community in Rafi, Niger State, in Nigeria, on Sunday, killing three.',
      ),
    ).toMatchObject([{ place: 'Gidan Bako', killed: 3 }]);
    expect(locations('Leaders of the Hazara community in Quetta, Pakistan, met on Monday.')).not.toContain(
      'Hazara',
    );
  });

  it("the wounded treated at a hospital, and a correspondent's town, are not a second scene", () => {
    expect(
      incidents(
        'Gunmen stormed Tudun Wada community in Nigeria on Sunday, killing two vigilantes, a resident told our correspondent in Kaduna. Two other residents were treated for gunshot wounds at Kaduna General Hospital.',
        '2025-06-12',
      ),
    ).toMatchObject([{ place: 'Tudun Wada', killed: 2, injured: 2 }]);
  });
});

describe('attacks told at another time, and people told one by one (issue 24)', () => {
  it('an act at another time is another attack, at the place "the village" stands for', () => {
    expect(
      incidents(
        'Gunmen stormed Kafin Dagi village in Nigeria on Sunday, killing three. Residents said five people were killed when gunmen raided the village last year.',
      ),
    ).toMatchObject([
      { place: 'Kafin Dagi', date: '2025-06-08', killed: 3 },
      { place: 'Kafin Dagi', date: '2024', killed: 5 },
    ]);
  });

  it("an attack's day named again is that attack, even with a wider place", () => {
    expect(
      incidents(
        "Gunmen shot dead a police officer in Omagh, Northern Ireland on Saturday night. Party leaders condemned Saturday's shooting in Northern Ireland.",
      ),
    ).toMatchObject([{ place: 'Omagh', date: '2025-06-07', killed: 1 }]);
  });

  it('the places around the scene are not the scene', () => {
    const places = incidents(
      "Chitral district, which borders Afghanistan's Nuristan and Kunar provinces, was spared the violence that swept the rest of Khyber Pakhtunkhwa until September 2023, when fighters crossed the border and attacked posts in the district, killing four soldiers.",
    ).map((i) => i.place);
    expect(places).not.toContain('Kunar');
    expect(places).not.toContain('Khyber Pakhtunkhwa');
  });

  it('"north of" a town is the scene when the sentence names no other town, not "40 km north of" it', () => {
    expect(
      incidents(
        'Rebels ambushed a convoy on the road north of Bouar in the Central African Republic on Monday, killing two soldiers.',
      ),
    ).toMatchObject([{ place: 'Bouar', killed: 2 }]);
    expect(
      incidents(
        'Rebels ambushed a convoy about 40 km north of Bouar in the Central African Republic on Monday, killing two soldiers.',
      ).map((i) => i.place),
    ).not.toContain('Bouar');
  });

  it('"in May of that year" is the year the sentence named; a capture\'s year is not the act\'s', () => {
    expect(
      incidents(
        'The group signed the 2019 peace deal and later walked away from it; in May of that year its fighters attacked Paoua in the Central African Republic, killing 46 villagers.',
      ),
    ).toMatchObject([{ date: '2019-05', killed: 46 }]);
    expect(
      incidents(
        'Two men, captured by troops in 2023, were convicted on Tuesday over the 2019 ambush near Llochegua, Peru, that killed three soldiers.',
      ),
    ).toMatchObject([{ place: 'Llochegua', date: '2019', killed: 3 }]);
  });

  it('a missile that killed, at a named camp', () => {
    expect(
      incidents(
        'In August 2019 a missile struck a military parade at al-Jalaa camp in Aden, Yemen, killing more than 30 soldiers.',
      ),
    ).toMatchObject([{ place: 'al-Jalaa camp', noun: 'missile strike', date: '2019-08', killed: 30 }]);
  });

  it('the hurt told one by one add up; "took a bullet" and "killed journalist X" are one each', () => {
    expect(
      incidents(
        'An off-duty officer was seriously wounded when gunmen opened fire in a car park in Omagh, Northern Ireland, on Saturday. A 67-year-old man waiting for his grandson was hit in the arm.',
      ),
    ).toMatchObject([{ place: 'Omagh', injured: 2 }]);
    expect(
      incidents(
        'Gunmen shot dead the vice mayor of Tipo-Tipo in Lamitan, Philippines, on Monday. His aide took a bullet in the thigh.',
      ),
    ).toMatchObject([{ place: 'Lamitan', killed: 1, injured: 1 }]);
    expect(
      incidents(
        'In April 2019 gunmen shot dead journalist Lyra McKee during rioting in Derry, Northern Ireland.',
      ),
    ).toMatchObject([{ place: 'Derry', date: '2019-04', killed: 1 }]);
  });
});

describe("a monitor's digest and a weekend of gang attacks (issue 24)", () => {
  it('the act told just after armed men came to a town happened there', () => {
    expect(
      incidents(
        'MOZAMBIQUE\nIn the early hours of 26 November, insurgents entered Mazeze, in Chiúre district. They beheaded four civilians and burned a health post.',
        '2025-12-02',
      ),
    ).toMatchObject([{ place: 'Mazeze', date: '2025-11-26', killed: 4 }]);
    expect(
      incidents(
        'On the evening of 28 November, al-Shabaab fired mortar rounds into an army base at Bardhere, Somalia. One soldier and two civilians at the nearby livestock market were killed.',
        '2025-12-02',
      ),
    ).toMatchObject([{ place: 'Bardhere', date: '2025-11-28', killed: 3 }]);
    expect(
      incidents(
        'The minister spoke to reporters in Maiduguri, Nigeria, on Monday. Gunmen killed four farmers.',
      ),
    ).toEqual([]);
  });

  it("a digest's section names the country of the towns under it", () => {
    expect(
      incidents(
        'CENTRAL AFRICAN REPUBLIC\nOn 25 November, rebels ambushed a patrol on the road north of Koui in Ouham-Pendé prefecture. Two peacekeepers were killed and three wounded.',
        '2025-12-02',
      ),
    ).toMatchObject([{ place: 'Koui', date: '2025-11-25', killed: 2, injured: 3 }]);
  });

  it('names with particles, "the edge of" a town in "the neighboring" unit, and arson', () => {
    expect(
      incidents(
        'On Monday morning, armed men torched a clinic on the edge of Mirebalais, in the neighboring Centre department of Haiti.',
        '2026-01-26',
      ),
    ).toMatchObject([{ place: 'Mirebalais', noun: 'arson', date: '2026-01-26' }]);
    expect(
      incidents(
        "Gang members surrounded the police station in Petite-Rivière de l'Artibonite, Haiti, and set it ablaze before dawn on Sunday.",
        '2026-01-26',
      ),
    ).toMatchObject([{ place: "Petite-Rivière de l'Artibonite", noun: 'arson', date: '2026-01-25' }]);
  });

  it('people seized by armed men are abducted; suspects seized by troops are not', () => {
    expect(
      incidents(
        'In Puntland, suspected members of Islamic State in Somalia seized two clan elders from a mosque in Qandala, Bari region, on 29 November.',
        '2025-12-02',
      ),
    ).toMatchObject([{ place: 'Qandala', noun: 'abduction', date: '2025-11-29' }]);
    expect(
      incidents(
        'In Puntland, Somalia, troops seized two suspects at a checkpoint in Qandala on 29 November.',
        '2025-12-02',
      ),
    ).toEqual([]);
  });

  it("the toll of several attacks is not the first one's", () => {
    expect(
      incidents(
        'Gang members attacked three towns in central Haiti over the weekend, killing at least 10 people. The deadliest attack hit Liancourt, a farming town in the Artibonite department, late on Saturday. Seven people were killed.',
        '2026-01-26',
      ),
    ).toMatchObject([{ place: 'Liancourt', date: '2026-01-24', killed: 7 }]);
  });
});

describe('figures told later, two attacks in a headline, places inside towns (issue 24)', () => {
  it('the wounded told three sentences after the attack are its wounded', () => {
    expect(
      incidents(
        'Militants attacked an army post in Ténenkou, Mali, on Tuesday, killing four soldiers. The attackers came on motorcycles before dawn. One official asked not to be named. Eight soldiers were wounded.',
        '2026-03-26',
      ),
    ).toMatchObject([{ place: 'Ténenkou', killed: 4, injured: 8 }]);
  });

  it('"X as Y kills 9" in a headline is two attacks, each the one the body tells in full', () => {
    expect(
      incidents(
        'Militants overrun army base in Damasak as Boko Haram kills 9 farmers near Monguno\n\nFighters of ISWAP attacked the army base in Damasak, Nigeria, on Saturday, killing six soldiers. Eleven wounded soldiers were evacuated by road to Maiduguri.\n\nOn Monday, Boko Haram fighters stormed Kirenowa, a village near Monguno, and rounded up farmers. A leader said seven bodies were found on Monday evening. By Tuesday two more bodies had been found, bringing the death toll to 9.',
        '2026-04-21',
      ),
    ).toEqual([
      { place: 'Damasak', noun: 'attack', date: '2026-04-18', killed: 6, injured: 11 },
      { place: 'Kirenowa', noun: 'attack', date: '2026-04-20', killed: 9 },
    ]);
  });

  it('massacred villagers are dead; ", and of the attack on" tells a second attack', () => {
    expect(incidents('In March 2019 about 160 villagers were massacred in Ogossagou, Mali.')).toMatchObject([
      { place: 'Ogossagou', date: '2019-03', killed: 160 },
    ]);
    expect(
      incidents(
        'This crime recalls the truck bombing at Zoobe junction in Mogadishu, Somalia, on 14 October 2017, which killed more than 500 people, and of the attack on the SYL Hotel in Mogadishu in March 2024, in which at least five people lost their lives.',
        '2026-04-09',
      ),
    ).toMatchObject([
      { place: 'Zoobe junction', date: '2017-10-14', killed: 500 },
      { place: 'SYL Hotel', date: '2024-03', killed: 5 },
    ]);
  });

  it('a district inside a town, the town before "near", not a country\'s institutions', () => {
    expect(
      incidents(
        "In July 2016 a truck bomb killed more than 300 people in Baghdad's Karrada district, Iraq.",
        '2026-05-05',
      ),
    ).toMatchObject([{ place: 'Karrada', killed: 300 }]);
    expect(
      incidents(
        'In October 2021 gunmen killed 11 villagers in al-Rashad, near Muqdadiya in Iraq.',
        '2026-05-05',
      ),
    ).toMatchObject([{ place: 'al-Rashad', killed: 11 }]);
    expect(
      incidents(
        "Gunmen attacked an army outpost near Samarra, Iraq, on April 30, killing four soldiers. The Security Media Cell, which speaks for Iraq's security forces, said three other soldiers had been wounded.",
        '2026-05-05',
      ),
    ).toMatchObject([{ date: '2026-04-30', killed: 4, injured: 3 }]);
  });

  it('people told as a group and one more, as two, or between commas', () => {
    expect(
      incidents(
        'On 11 April, insurgents set off a bomb under a police vehicle near Chaibasa, India. Two police personnel and the civilian driver were killed.',
        '2026-04-14',
      ),
    ).toMatchObject([{ killed: 3 }]);
    expect(
      incidents(
        'On the night of 7 April, a quadcopter dropped explosives on a house in Mir Ali, Pakistan. His two sons, aged nine and twelve, were killed. Their mother and an uncle were wounded.',
        '2026-04-14',
      ),
    ).toMatchObject([{ place: 'Mir Ali', noun: 'drone strike', killed: 2, injured: 2 }]);
    expect(
      incidents(
        'In November 2020 a woman attacked two women with a knife at a department store in Lugano, Switzerland, wounding both. In March 2024 a teenager stabbed a man in Zurich, Switzerland, seriously injuring him.',
        '2026-03-20',
      ),
    ).toMatchObject([
      { place: 'Lugano', date: '2020-11', injured: 2 },
      { date: '2024-03', injured: 1 },
    ]);
  });

  it("a feature's scene set before its bomb; where a victim came from is no scene", () => {
    expect(
      incidents(
        "By eight o'clock on Friday evening, March 27, the Chalerm Night Market in Betong, Thailand, was crowded. Families queued for grilled chicken. At a quarter past eight a bomb hidden in a cool box exploded. Two people died, among them a tourist from Ipoh, in Malaysia's Perak state.",
        '2026-03-31',
      ),
    ).toMatchObject([{ place: 'Chalerm Night Market', date: '2026-03-27', killed: 2 }]);
  });

  it('venues named after their kind word: an estancia, a paseo', () => {
    expect(
      incidents(
        'Armed men set fire to the main house at Estancia Santa Clara, Paraguay, on Tuesday. A ranch hand, Celso Giménez, 52, was shot dead.',
        '2026-05-07',
      ),
    ).toMatchObject([{ place: 'Estancia Santa Clara', noun: 'arson', killed: 1 }]);
    expect(
      incidents(
        'A man drove a van into pedestrians on the Paseo Marítimo in Almería, Spain, on Wednesday evening. Nine other people, among them a police officer, were injured.',
        '2026-04-16',
      ),
    ).toMatchObject([{ place: 'Paseo Marítimo', noun: 'ramming attack', injured: 9 }]);
  });

  it("a group's kind word after its name, a common word before its short form, and no name cut short", () => {
    const groupItems = (text: string) => extractAt(text).filter((i) => i.kind === 'group');
    expect(
      groupItems('The police blamed the Hafiz Gul Bahadur group, a local militant faction.')[0]?.data,
    ).toMatchObject({ aliases: expect.arrayContaining(['Hafiz Gul Bahadur group']) });
    expect(
      namesOf(
        'Police said members of the Agrupación Campesina Armada (ACA-EP) set fire to a house.',
        'group',
      ),
    ).toEqual(['Agrupación Campesina Armada']);
    expect(
      namesOf(
        'Police said the attackers were from a faction of the Militarized Communist Party of Peru.',
        'group',
      ),
      // The whole name, which the gazetteer knows, not "Militarized Communist Party" cut short.
    ).toEqual(['Militarizado Partido Comunista del Perú']);
    expect(
      namesOf(
        'Police said the attackers were from a faction of the Militarized Communist Movement.',
        'group',
      ),
    ).toEqual([]);
  });
});

describe('a second attack, told times and other mentions (issue 24)', () => {
  it('"no one was hurt" hurts no one; "wounding a priest" is one', () => {
    expect(
      incidents(
        'Militants set fire to a church in Azotey, Paraguay, on Saturday. No one was hurt.',
        '2026-06-23',
      ),
    ).toEqual([{ place: 'Azotey', noun: 'arson', date: '2026-06-20' }]);
    expect(
      incidents(
        'In January 2023 a man with a machete attacked two churches in Algeciras, Spain, killing a sacristan and wounding a priest.',
        '2026-06-03',
      ),
    ).toMatchObject([{ place: 'Algeciras', killed: 1, injured: 1 }]);
  });

  it('victims from a neighbouring country; "February last year"; a funeral as a target', () => {
    expect(
      incidents(
        'Gunmen stormed the weekly market in Boni, Mali, on Sunday, killing 17 people, among them four traders from neighbouring Burkina Faso.',
        '2026-04-06',
      ),
    ).toMatchObject([{ place: 'Boni', killed: 17 }]);
    expect(
      incidents(
        'In February last year a convoy was ambushed near Kobé, Mali, and at least 25 passengers died.',
        '2026-04-06',
      ),
    ).toMatchObject([{ date: '2025-02', killed: 25 }]);
    expect(
      incidents(
        'The attack recalls the June 2024 suicide bombings in Gwoza, Nigeria, where women bombers struck a wedding, a funeral and a hospital, killing 32 people.',
        '2026-04-21',
      ),
    ).toMatchObject([{ place: 'Gwoza', date: '2024-06', killed: 32 }]);
  });

  it('a hospital struck is a target; a hospital that treated the wounded is not the scene', () => {
    expect(
      incidents(
        'In June 2024 suicide bombings struck a wedding, a funeral and a hospital in Gwoza, Nigeria, killing 32 people.',
        '2026-04-21',
      ),
    ).toMatchObject([{ place: 'Gwoza', date: '2024-06', killed: 32 }]);
    expect(
      incidents(
        'Gunmen killed four farmers near Damboa, Nigeria, on Monday. Six wounded were treated at a hospital in Maiduguri.',
        '2026-04-21',
      ),
    ).toMatchObject([{ place: 'Damboa', killed: 4, injured: 6 }]);
  });

  it('a bomber who killed people the sentence does not count is an attack', () => {
    expect(
      incidents(
        'Somalia: Nine dead after car bomb hits checkpoint\n\nA suicide bomber drove a car packed with explosives into a checkpoint in Galkayo, Somalia, at dawn on Friday, killing soldiers and civilians.',
        '2026-05-04',
      ),
    ).toMatchObject([{ place: 'Galkayo', date: '2026-05-01', killed: 9 }]);
  });

  it('a flash update: armed men entered a village, its toll confirmed later, "a second attack"', () => {
    expect(
      incidents(
        'In the early hours of 17 May, armed men entered Biambwe, a village in Lubero territory of North Kivu province, Democratic Republic of the Congo. The toll confirmed on 19 May stands at 18 civilians. Seven people with gunshot and machete wounds were evacuated. On 18 May, a second attack targeted the Lusanga displacement site on the edge of Manguredjipa, killing four displaced people.',
        '2026-05-20',
      ),
    ).toMatchObject([
      { place: 'Biambwe', date: '2026-05-17', killed: 18, injured: 7 },
      { place: 'Lusanga displacement site', date: '2026-05-18', killed: 4 },
    ]);
    expect(
      incidents(
        'In September 2025, more than 60 people attending a funeral wake were killed in Ntoyo, Democratic Republic of the Congo, in an attack.',
        '2026-05-20',
      ),
    ).toMatchObject([{ place: 'Ntoyo', killed: 60 }]);
  });

  it('a town marked once is that town again; the day comes in the next sentence, not "said on Monday"', () => {
    expect(
      incidents(
        "Mortar fire kills three in Iraq's Amirli\n\nThree members of one family were killed and five other people wounded when mortar rounds slammed into a district of Amirli overnight, officials said on Monday. The rounds landed shortly before midnight on Sunday.",
        '2026-06-15',
      ),
    ).toMatchObject([{ place: 'Amirli', date: '2026-06-14', killed: 3, injured: 5 }]);
  });

  it('"in neighbouring X"; "the X Gymnasium of Y University"; a headline told again after a letterhead', () => {
    expect(
      incidents(
        'Gunmen ambushed a patrol in Butig, Philippines, on Monday, killing two soldiers. Earlier this month, two farmers were shot dead by gunmen in neighbouring Piagapo.',
        '2026-05-12',
      ),
    ).toMatchObject([{ place: 'Butig' }, { place: 'Piagapo', date: '2026-05', killed: 2 }]);
    expect(
      incidents(
        'In December 2023 a bomb went off during Mass at the Dimaporo Gymnasium of Mindanao State University in Marawi, Philippines, killing four worshippers.',
        '2026-05-12',
      ),
    ).toMatchObject([{ place: 'Dimaporo Gymnasium', killed: 4 }]);
    expect(
      incidents(
        'Two soldiers killed, four wounded as gunmen ambush Army patrol in Butig\n\nPRESS RELEASE\nCamp Ranao, Marawi City, 12 May 2026\n\nTwo soldiers of the 55th Infantry Battalion were killed in action when gunmen opened fire on their patrol in Barangay Malungun, Butig, Philippines, on Monday, 11 May 2026.',
        '2026-05-12',
      ),
    ).toEqual([{ place: 'Malungun', noun: 'shooting', date: '2026-05-11', killed: 2, injured: 4 }]);
  });

  it('"A week later" and "Friday prayers" in a month the sentence names', () => {
    expect(
      incidents(
        'In October 2021 a suicide bomber struck Friday prayers at the Gozar-e-Sayed Abad mosque in Kunduz, Afghanistan, killing at least 50 worshippers. A week later, two bombers attacked the Imam Bargah mosque in Kandahar, where more than 60 died.',
        '2026-05-25',
      ),
    ).toMatchObject([
      { place: 'Gozar-e-Sayed Abad mosque', date: '2021-10', killed: 50 },
      { place: 'Imam Bargah mosque', date: '2021-10', killed: 60 },
    ]);
  });

  it('the estate armed men reached, told after its town; "10 p.m." ends a sentence', () => {
    expect(
      incidents(
        'A rancher was kidnapped when armed men raided his estate near Yby Yaú, Paraguay, on Saturday night. About eight gunmen reached the main house of the Estancia Santa Clara shortly after 10 p.m. His 17-year-old son, who was with him, was hit in the leg.',
        '2026-06-23',
      ),
    ).toMatchObject([{ place: 'Estancia Santa Clara', date: '2026-06-20', injured: 1 }]);
  });

  it("vendors' names for the actors they track", () => {
    const groups = (text: string) =>
      extractAt(text)
        .filter((i) => i.kind === 'group')
        .map((i) => [i.name, ...(i.data as { aliases: string[] }).aliases.filter((a) => a !== i.name)]);
    expect(groups('A group tracked as SideWinder sent documents.')).toEqual([['SideWinder']]);
    expect(
      groups('We attribute them to a cluster we track as Copper Mantis. Its tooling shares code with APT41.'),
    ).toEqual([['Copper Mantis'], ['APT41']]);
    expect(
      groups('The group, tracked as Charming Kitten and also known as APT35, sent invitations.'),
    ).toEqual([['Charming Kitten', 'APT35']]);
    expect(groups('A flaw tracked as CVE-2024-3400 was exploited.')).toEqual([]);
  });
});

describe('a third probe of our own wire-copy sentences (issue 24)', () => {
  it('an attack that hurt nobody is still an attack: a grenade thrown, shots fired on a bus', () => {
    expect(
      incidents(
        'Nobody was killed when a grenade was thrown at a bar in Kampala, Uganda, on Saturday night.',
        '2026-03-10',
      ),
    ).toEqual([{ place: 'Kampala', noun: 'grenade attack', date: '2026-03-07' }]);
    expect(
      incidents(
        'None of the passengers was hurt when gunmen fired on a bus near Marsabit, Kenya, on Monday.',
        '2026-03-10',
      ),
    ).toEqual([{ place: 'Marsabit', noun: 'shooting', date: '2026-03-09' }]);
    expect(incidents('Police fired on the suspects near Marsabit, Kenya, on Monday.', '2026-03-10')).toEqual(
      [],
    );
  });

  it('a later attack after a semicolon; "In 2019,"; "the Radisson Blu hotel"', () => {
    expect(
      incidents(
        'On March 3, a suicide bomber blew himself up at a mosque in Peshawar, Pakistan, killing 32 worshippers; two weeks later another attack in Quetta killed 12.',
        '2026-03-25',
      ),
    ).toMatchObject([
      { place: 'Peshawar', date: '2026-03-03', killed: 32 },
      { place: 'Quetta', date: '2026-03-17', killed: 12 },
    ]);
    expect(
      incidents(
        'In 2019, the group killed 22 soldiers in an attack on a base in Inates, Niger.',
        '2026-03-25',
      ),
    ).toMatchObject([{ place: 'Inates', date: '2019', killed: 22 }]);
    expect(
      incidents(
        'The militants stormed the Radisson Blu hotel in Bamako, Mali, on 20 November 2015 and held 170 people hostage; 20 were killed.',
        '2026-03-25',
      ),
    ).toMatchObject([{ place: 'Radisson Blu hotel', date: '2015-11-20', killed: 20 }]);
  });

  it('"a village chief and his two sons" are three; jihadists who killed are an attack', () => {
    expect(
      incidents(
        'Gunmen killed a village chief and his two sons in Kidal, Mali, late on Wednesday, residents said.',
        '2026-03-10',
      ),
    ).toMatchObject([{ place: 'Kidal', killed: 3 }]);
    expect(
      incidents(
        'Suspected jihadists killed 15 civilians in two villages near Djibo, Burkina Faso, on Saturday.',
        '2026-03-10',
      ),
    ).toMatchObject([{ place: 'Djibo', date: '2026-03-07', killed: 15 }]);
  });
});

describe('wire, Pakistani and Indonesian copy (issue 24)', () => {
  it("a dateline's day is no figure; police raids on a list of towns are no attacks", () => {
    expect(
      incidents(
        'BANGUI, July 1 - Twelve people were killed at dawn on Sunday when armed men attacked the market in Bocaranga, Central African Republic.',
        '2026-07-01',
      ),
    ).toMatchObject([{ place: 'Bocaranga', date: '2026-06-28', killed: 12 }]);
    expect(
      incidents(
        'The men were picked up by the Anti-Terrorist Squad in simultaneous raids in Bhopal, Indore and Jabalpur in September 2024, the prosecution said.',
        '2026-08-01',
      ),
    ).toEqual([]);
  });

  it('a headline joining two stories with a semicolon; "martyred"; a police station is a place', () => {
    expect(
      incidents(
        'Three policemen martyred in Bannu attack; four FC men killed in Mastung blast\n\nBANNU: Militants attacked the Mandan Police Station in Bannu, Pakistan, late on Friday night, martyring three policemen and injuring three others, officials said.',
        '2026-07-26',
      ),
    ).toEqual([
      { place: 'Mastung', noun: 'blast', killed: 4 },
      { place: 'Mandan Police Station', noun: 'attack', date: '2026-07-24', killed: 3, injured: 3 },
    ]);
    expect(
      namesOf('Militants attacked the Mandan Police Station in Bannu, Pakistan, on Friday.', 'identity'),
    ).toEqual([]);
  });

  it('a named railway station is a venue; "the Quetta railway station" describes one', () => {
    expect(
      incidents(
        'In March 2017 a bomb exploded on a train at Jabri railway station in India, injuring ten.',
        '2026-08-18',
      ),
    ).toMatchObject([{ place: 'Jabri railway station', injured: 10 }]);
    expect(
      locations('In March 2017 a bomb exploded at the Quetta railway station in Pakistan, injuring ten.'),
    ).not.toContain('Quetta railway station');
  });

  it("a state's numbered unit, a time zone after a clock time, the link vowel either way", () => {
    expect(
      namesOf(
        "EMC fighters kidnapped two soldiers of the army's Fourth Brigade near Anorí, Colombia.",
        'group',
      ),
    ).not.toContain('Fourth Brigade');
    expect(
      namesOf('At 10.40 WIT, a group of eight gunmen opened fire at a market in Ilaga, Indonesia.', 'group'),
    ).toEqual([]);
    const ttp = extractAt('Police blamed the banned Tehreek-i-Taliban Pakistan for the attack.').filter(
      (i) => i.kind === 'group',
    );
    expect(ttp.map((i) => i.evidence.some((e) => e.rule.startsWith('gazetteer:')))).toEqual([true]);
  });

  it('an attack named by its day is one told already; a named air base is a venue', () => {
    expect(
      incidents(
        "Gunmen attacked the police post in Yarumal, Colombia, on Monday, killing two officers. Monday's attack came a year after the downing of an army helicopter near Segovia, Colombia, on 3 May 2025, in which nine soldiers were killed. On the same day, a car bomb exploded outside the Germán Olano air base in Palanquero, killing four civilians.",
        '2026-05-06',
      ),
    ).toMatchObject([
      { place: 'Yarumal', date: '2026-05-04', killed: 2 },
      { place: 'Segovia', date: '2025-05-03', killed: 9 },
      { place: 'Germán Olano air base', date: '2025-05-03', killed: 4 },
    ]);
  });

  it('a market or station led by its kind word in French or Spanish; quotes keep the attack told', () => {
    expect(
      incidents(
        'Nine people were killed on Sunday when gunmen attacked the weekly market of a town in Kémo, Central African Republic. The gunmen rode into the Marché à bétail de Sibut at dawn, a trader said. "They shot at everyone," said one herder. "We hid under the lorries." "My brother is among the dead." Eleven people were wounded.',
        '2026-06-30',
      ),
    ).toMatchObject([{ place: 'Marché à bétail de Sibut', date: '2026-06-28', killed: 9, injured: 11 }]);
    expect(locations('A bomb went off at the Gare routière de Kayes in Mali on Friday.')).toContain(
      'Gare routière de Kayes',
    );
  });

  it('groups the galaxy lacks, a unit named for a person, the names vendors give actors', () => {
    expect(
      namesOf(
        'Police blamed the Barisan Revolusi Nasional (BRN) and, in Cauca, Colombia, the dissident Estado Mayor Central; the M23 and 3R were named in a UN report.',
        'group',
      ),
    ).toEqual([
      'Barisan Revolusi Nasional',
      'Estado Mayor Central',
      'M23',
      'Retour, Réclamation et Réhabilitation',
    ]);
    expect(
      namesOf('The army blamed the Jorge Briceño column for the attack in Meta, Colombia.', 'group'),
    ).toEqual(['Jorge Briceño column']);
    expect(
      namesOf(
        'An intrusion set we call BASALT HERON (which another vendor reports as "Grey Wren") deploys a backdoor we call LOOMWEAVE. We name Ahmed Khan as the suspect.',
        'group',
      ),
    ).toEqual(['BASALT HERON', 'Grey Wren']);
    // A man's name that the galaxy gives as another spelling of a group's last word is no group.
    expect(namesOf('Naib Subedar Muhammad Arif Khan was killed in Kurram, Pakistan.', 'group')).toEqual([]);
  });

  it('a village a distance from a known town, its day told next; "the attack came two days after" another act', () => {
    expect(
      incidents(
        "NIAMEY, Sept 14 - Gunmen killed at least 12 people in an attack on a village in Niger's Dosso region over the weekend, officials said on Monday. The attackers arrived in Kobéri, about 25 km east of Dogondoutchi, late on Saturday afternoon. The attack came two days after gunmen shot dead Ali Sani, the chief of Kobéri, on Thursday evening.",
        '2026-09-14',
      ),
    ).toMatchObject([
      { place: 'Kobéri', date: '2026-09-12', killed: 12 },
      { place: 'Kobéri', date: '2026-09-10', killed: 1 },
    ]);
  });

  it("an army release: the dead listed after a colon, two named, 'the 17th instant', 'sustained injuries'", () => {
    expect(
      incidents(
        `Press Release: Soldiers embrace shahadat in Orakzai District

Rawalpindi, 21 October 2026

1. On 19/10/2026, khwarij attacked a security forces post at Mishti Mela village, 20 km north of Kohat, Orakzai District.

2. During the exchange of fire, the following brave soldiers embraced shahadat:
   a. Havaldar Amjad Ali (age 38 years)
   b. Sepoy Rashid Khan (age 24 years)
   c. Sepoy Naveed Iqbal (age 21 years)
   Two soldiers sustained injuries and have been evacuated to hospital.

3. Earlier, on the 17th instant, khwarij targeted a vehicle with an improvised explosive device near Kalaya, Orakzai District, as a result of which Naik Tariq Mehmood and Sepoy Adil Shah embraced shahadat.

4. On 15/10/2026, khwarij also martyred a local elder at Ghiljo, Orakzai District.`,
        '2026-10-21',
      ),
    ).toMatchObject([
      { place: 'Mishti Mela', date: '2026-10-19', killed: 3, injured: 2 },
      { place: 'Kalaya', date: '2026-10-17', killed: 2 },
      { place: 'Ghiljo', date: '2026-10-15', killed: 1 },
    ]);
  });

  it('a town armed men stormed is a place of the country the article is about', () => {
    expect(
      incidents(
        'Gunmen killed three people in Witu, Kenya, on Sunday, police said. The raid revived memories of June 2014, when al-Shabaab gunmen stormed Kibaoni and killed at least 20 people.',
        '2026-10-05',
      ),
    ).toMatchObject([
      { place: 'Witu', killed: 3 },
      { place: 'Kibaoni', date: '2014-06', killed: 20 },
    ]);
  });

  it('a district of a known province; a name whose first word is a common one, after a comma and "in"', () => {
    expect(
      incidents(
        'In March 2026, an ambush in Rueso district of Narathiwat killed four volunteers. In 2019, insurgents stormed a checkpoint in Bang Lang, in Yala, and killed 15 defence volunteers. Thailand and Malaysia held talks.',
        '2026-08-20',
      ),
    ).toMatchObject([
      { place: 'Rueso', date: '2026-03', killed: 4 },
      { place: 'Bang Lang', date: '2019', killed: 15 },
    ]);
  });

  it("a verdict: a station's German name, an aged victim, 'the night before the attack', 'the Rheine festival stabbing'", () => {
    expect(
      incidents(
        'DÜSSELDORF, Thursday - A court sentenced a man to life for the knife attack at Hagen Hauptbahnhof on Sunday, 9 March 2025, in which a 61-year-old commuter was killed and three other people were injured. The defendant, who came to Germany in 2016, pledged allegiance to the Islamic State in a video recorded the night before the attack. He had watched footage of the Rheine festival stabbing of August 2024, in which two people were killed and five wounded.',
        '2026-10-30',
      ),
    ).toMatchObject([
      { place: 'Hagen Hauptbahnhof', date: '2025-03-09', killed: 1, injured: 3 },
      { place: 'Rheine', date: '2024-08', killed: 2, injured: 5 },
    ]);
  });

  it("a feature: the attack told without a place is the dateline town's, its day given late with 'that'", () => {
    expect(
      incidents(
        `The corner where the music stopped

CALDONO, Cauca - The chairs are still stacked against the wall of the bakery.

Caldono, a Nasa indigenous town in the mountains of northern Cauca, has lived with war for decades.

When the motorcycle exploded, it killed two police officers who were standing guard and a nine-year-old girl who was buying a soda. Eleven people were wounded; the most serious were driven down the mountain to Hospital San José in Popayán, and two were later moved to Cali.

Only a week earlier, on 8 October, rebels used a drone to drop explosives on an army position in El Mango, in Argelia municipality, wounding four soldiers.

It was that Thursday evening, a little after seven, that the music stopped.`,
        '2026-10-17',
      ),
    ).toMatchObject([
      { place: 'El Mango', date: '2026-10-08', injured: 4 },
      { place: 'Caldono', date: '2026-10-15', killed: 3, injured: 11 },
    ]);
  });

  it("a flash update's incident lines: 'Naulala village', a health centre, '2 staff injured'", () => {
    expect(
      incidents(
        `Mozambique: Niassa Province - Flash Update No. 2

INCIDENTS
- 3 Nov, Chiuta village: armed group raided the village at dawn; 4 civilians killed and 37 houses burned.
- 9 Nov, Mavago village: 3 children abducted from their homes overnight; no casualties reported.
- 11 Nov, Mecula town: attackers entered Mavago Health Centre and set the ward on fire; 1 nurse killed, 2 staff injured. The injured were taken to the Regional and Medical Center in Lichinga.`,
        '2026-11-14',
      ),
    ).toMatchObject([
      { place: 'Chiuta', date: '2026-11-03', killed: 4 },
      { place: 'Mavago', date: '2026-11-09' },
      { place: 'Mavago Health Centre', date: '2026-11-11', killed: 1, injured: 2 },
    ]);
    expect(
      locations('The injured were taken to the Regional and Medical Center in Lichinga, Mozambique.'),
    ).not.toContain('Medical Center');
  });

  it("'the centro poblado of X'; 'province of La Mar' is no March; a dozen workers of a named body wounded", () => {
    expect(
      incidents(
        'Three police officers were killed on Saturday in an ambush near the centro poblado of Villa Kintiarina, in the district of Pichari, Peru. Last month, a dozen workers of the Proyecto Especial CORAH, the state eradication programme, were wounded when gunmen fired on their camp in Palmapampa, in the district of Samugari, province of La Mar.',
        '2026-11-23',
      ),
    ).toMatchObject([
      { place: 'Villa Kintiarina', date: '2026-11-21', killed: 3 },
      { place: 'Palmapampa', date: '2026-10', injured: 12 },
    ]);
  });

  it("currency, a body named for its country, a people's word before plural units, a state with its unit word", () => {
    const text =
      "Kidnappers in Haiti demanded US$1 million; Global Affairs Canada confirmed the release. Separatists in Cameroon's Anglophone regions attacked a post. Gunmen killed nine in Maru, Zamfara State, Nigeria, before an operation by the Rapid Intervention Battalion.";
    expect(locations(text)).toEqual(expect.arrayContaining(['Haiti', 'Cameroon', 'Zamfara', 'Nigeria']));
    expect(locations(text)).not.toEqual(expect.arrayContaining(['United States']));
    expect(locations(text)).not.toContain('Canada');
    expect(locations(text)).not.toContain('Anglophone');
    const zamfara = extractAt(text).find((i) => i.name === 'Zamfara');
    expect(zamfara?.evidence.map((e) => text.slice(e.start, e.end))).toContain('Zamfara State');
    expect(namesOf(text, 'group')).toEqual([]);
    expect(namesOf('Police blamed the Cártel de Santa Rosa de Lima and Viv Ansanm.', 'group')).toEqual([
      'Cártel de Santa Rosa de Lima',
      'Viv Ansanm',
    ]);
  });

  it('a radio script: speakers and headings do not part an attack from where armed men went; "this morning"', () => {
    expect(
      incidents(
        `Radio script: gunmen kill 12 in eastern Burkina Faso village; bomb hits convoy in Gwadar

PRESENTER (LEAD):
Good evening.
Twelve people are dead after gunmen attacked a village in eastern Burkina Faso.
And in Pakistan, a bomb has hit a security convoy in the city of Gwadar.

STORY 1 - BURKINA FASO
PRESENTER:
Officials say the attack happened on Monday afternoon.
Gunmen on motorbikes rode into Kodjari, in Kompienga province, on market day.
Twelve people were killed.

STORY 2 - PAKISTAN
PRESENTER:
A bomb hidden on a parked motorcycle exploded as a convoy passed through Gwadar this morning.
Police in Gwadar district say four soldiers were killed, and the injured were shifted to Karachi.
In March 2024, militants stormed the PNS Akram naval air station on the edge of the city.
In 2022, two car bombs killed about twenty people near the port in Gwadar.`,
        '2026-08-12',
      ),
    ).toMatchObject([
      { place: 'Kodjari', date: '2026-08-10', killed: 12 },
      { place: 'Gwadar', date: '2026-08-12', killed: 4 },
      { place: 'PNS Akram naval air station', date: '2024-03' },
      { place: 'Gwadar', date: '2022', killed: 20 },
    ]);
  });

  it("a brief's dated lines: each its own event and place; 'Guma LGA'; 'Kalma camp'; 'X town, X locality'", () => {
    expect(
      incidents(
        `Weekly brief

NIGERIA
- 15 Sep, Zamfara State: Armed bandits stormed Dan Gulbi village, Maru LGA, killing nine residents.
- 17 Sep, Katsina State: Gunmen abducted 12 worshippers at Gidan Bako Central Mosque, Faskari LGA.
- 19 Sep, Benue State: Herders attacked Tse-Ayu, Guma LGA, overnight. Six people were killed.

SUDAN
- 3 October: Korma town, Korma locality, North Darfur: 7 civilians killed, 12 injured.
- 5 October: Umm Keddada, North Darfur: 3 civilians killed, 5 injured.
- 11 October: Otash camp, Beliel locality, South Darfur: 5 civilians killed when armed men attacked the camp's market.
- A Malian army camp was not hit.`,
        '2026-10-13',
      ),
    ).toMatchObject([
      { place: 'Dan Gulbi', date: '2026-09-15', killed: 9 },
      { place: 'Gidan Bako Central Mosque', date: '2026-09-17' },
      { place: 'Tse-Ayu', date: '2026-09-19', killed: 6 },
      { place: 'Korma', date: '2026-10-03', killed: 7, injured: 12 },
      { place: 'Umm Keddada', date: '2026-10-05', killed: 3, injured: 5 },
      { place: 'Otash camp', date: '2026-10-11', killed: 5 },
    ]);
  });

  it("a longform's village 'is a farming village'; 'a Sunday service' is no date; a count 'now' of the hurt; 'the deadliest attack since ..., when'", () => {
    expect(
      incidents(
        'Kasanga is a farming village north of Beni, in the Democratic Republic of Congo. In 2023, a bomb went off during a Sunday service at a church in Kasindi, killing 14 worshippers. The attackers came to Kasanga on the night of 14 March. 23 people were killed and seven were wounded.',
        '2026-05-04',
      ),
    ).toMatchObject([
      { place: 'Kasindi', date: '2023', killed: 14 },
      { place: 'Kasanga', date: '2026-03-14', killed: 23, injured: 7 },
    ]);
    expect(
      incidents(
        'SALAMANCA, Gto. - The death toll from the shooting at Bar Los Gallos has risen to 19, prosecutors in Mexico said. The first count was 17 dead and 14 injured. The office now counts 19 dead and 12 injured. It was the deadliest attack in Guanajuato since July 2020, when gunmen killed 27 people at a rehabilitation centre in Irapuato. A man had carried out reconnaissance of the Teatro Juárez with a view to an attack.',
        '2026-11-16',
      ),
    ).toMatchObject([
      { place: 'Bar Los Gallos', killed: 19, injured: 12 },
      { place: 'Irapuato', date: '2020-07', killed: 27 },
    ]);
  });

  it("the health centre in a town is no scene; 'in Tole, in Gimbi district': a common word named where it lies", () => {
    expect(
      incidents(
        'NEKEMTE, Ethiopia - Gunmen killed eleven people in an attack on Gara Dima, a farming village between Gimbi and Nejo, on Saturday evening. Six people with gunshot wounds were taken to hospital in Nekemte, because the health centre in Gimbi had run out of supplies. In June 2022, hundreds of people were killed in Tole, in Gimbi district, in an attack the government blamed on the OLA.',
        '2026-10-26',
      ),
    ).toMatchObject([
      { place: 'Gara Dima', date: '2026-10-24', killed: 11, injured: 6 },
      { place: 'Tole', date: '2022-06' },
    ]);
  });

  it("French institutions led by their kind ('the Clinique Saint-Luc', 'the commissariat de Malanville'); a guard 'who tried to shut the gate was shot dead'; 'killed the driver'", () => {
    expect(
      incidents(
        'The three were seized on 21 June, when armed men stormed the Clinique Saint-Luc in Croix-des-Bouquets, Haiti. A security guard who tried to shut the gate was shot dead. In March, gang members stopped a bus near Mirebalais, in the Centre department, killed the driver and took eleven passengers.',
        '2026-09-04',
      ),
    ).toMatchObject([
      { place: 'Clinique Saint-Luc', date: '2026-06-21', killed: 1 },
      { place: 'Mirebalais', date: '2026-03', killed: 1 },
    ]);
    expect(
      incidents(
        'COTONOU - Gunmen attacked the commissariat de Malanville, in Benin, on Monday night, killing three police officers and a civilian.',
        '2026-12-03',
      ),
    ).toMatchObject([{ place: 'commissariat de Malanville', date: '2026-11-30', killed: 4 }]);
  });

  it("'five incidents ... in which 17 were killed' sums several; 'at Point Triple, where the borders meet' is a place", () => {
    expect(
      incidents(
        'Protection partners verified five incidents in North Darfur, Sudan, in which 17 civilians were killed. The deadliest attack on Beninese forces came in January 2025, when twenty-eight soldiers were killed at an army position at Point Triple, where the borders of Benin, Niger and Burkina Faso meet.',
        '2026-12-03',
      ),
    ).toMatchObject([{ place: 'Point Triple', date: '2025-01', killed: 28 }]);
  });

  it("a communiqué's toll lines add up, figures with digits in brackets, 'cost the lives of', 'fell with arms in hand', 'and two of his bodyguards'", () => {
    expect(
      incidents(
        `Mali: communiqué on the attack against Dogofry

Bamako, 16 March 2026

On Sunday 15 March, armed terrorist groups attacked the village of Sokolo, in the circle of Niono, Mali.

The provisional toll is as follows:
- On the side of the armed forces: six (6) soldiers killed and nine (9) wounded;
- Among the civilian population: four (4) killed and three (3) wounded;
- On the side of the assailants: twenty-three (23) terrorists neutralised.

It comes after the attack of 2 February 2026 against a bus near Kokry, which cost the lives of three civilians, and after the attack on the army post at Diabaly in January 2026, in which two soldiers fell with arms in hand. In September 2025 a roadside bomb in Macina killed the district police chief and two of his bodyguards.`,
        '2026-03-16',
      ),
    ).toMatchObject([
      { place: 'Sokolo', date: '2026-03-15', killed: 10, injured: 12 },
      { place: 'Kokry', date: '2026-02-02', killed: 3 },
      { place: 'Diabaly', date: '2026-01', killed: 2 },
      { place: 'Macina', date: '2025-09', killed: 3 },
    ]);
  });

  it("a timeline's present tense ('fighters raid Kolofata, in Mayo-Sava'); 'the Grand Marché de X'; 'after the December attack' names one told", () => {
    expect(
      incidents(
        `Cameroon's Far North: two years in five dates

- 9 June 2024: Boko Haram fighters raid Kerawa, in Mayo-Sava, at night, killing five civilians.
- 21 January 2025: A suicide bomber blows herself up at the Grand Marché de Kolofata, in Mayo-Sava, killing six shoppers.
- 14 December 2025: Gunmen attack Limani, in Mayo-Sava, killing seven villagers.

Thousands fled villages around Limani after the December attack, many of them to camps near Mora.`,
        '2026-04-02',
      ),
    ).toMatchObject([
      { place: 'Kerawa', date: '2024-06-09', killed: 5 },
      { place: 'Grand Marché de Kolofata', date: '2025-01-21', killed: 6 },
      { place: 'Limani', date: '2025-12-14', killed: 7 },
    ]);
  });

  it("'the X market in Y' is a venue, 'the Pattani market' a description; ', and on 2 May' cuts a second event", () => {
    expect(
      incidents(
        'A bomb exploded on Friday at the Rattana Phum market in Hat Yai, Thailand, killing three people. In 2023 we had a motorcycle bomb in Chana that killed two rangers, and on 2 May this year a village headman was shot dead in Thepha.',
        '2026-05-25',
      ),
    ).toMatchObject([
      { place: 'Rattana Phum market', date: '2026-05-22', killed: 3 },
      { place: 'Chana', date: '2023', killed: 2 },
      { place: 'Thepha', date: '2026-05-02', killed: 1 },
    ]);
    expect(locations('A bomb exploded at the Pattani market in Thailand.')).not.toContain('Pattani market');
  });

  it("a live page: a floor ('at least two') gives way to a count, later entries' toll updates and final figures count, undated figures do not go to an older attack", () => {
    expect(
      incidents(
        `Live: militants storm police station in Pakistan's Bannu

14:05 - Residents report a loud explosion near the Kotla Jam police station in Bannu, Pakistan.

14:20 - A pickup truck packed with explosives was driven into the gate. "At least two of our men have been martyred," an officer said.

14:40 - Emergency services now say four people have been killed and nine wounded.

15:10 - Troops have arrived. Police say two attackers are still inside. The area is sealed off. Shops are closed.

16:10 - The toll has risen to six dead, according to police.

16:50 - The operation is over. Final figures from the district police chief: eight people killed and 17 wounded.

17:15 - In October 2025, militants attacked a police training school in Domel, killing seven policemen.`,
        '2026-04-22',
      ),
    ).toMatchObject([
      { place: 'Kotla Jam police station', killed: 8, injured: 17 },
      { place: 'Domel', date: '2025-10', killed: 7, injured: undefined },
    ]);
  });

  it("a live page's attack told by the clock happened on the day its header names", () => {
    expect(
      incidents(
        `Live: explosion at police station in Pakistan's Bannu

Live updates, Wednesday 22 April 2026. All times local.

14:05 - Residents report a loud explosion near the Kotla Jam police station in Bannu, Pakistan.

14:40 - Emergency services say four people have been killed.`,
        '2026-04-23',
      ),
    ).toMatchObject([{ place: 'Kotla Jam police station', date: '2026-04-22', killed: 4 }]);
  });

  it("an obituary: 'Ibarra, 58, was shot dead', 'councillor X was shot dead' in the town the series is counted in, 'his body was found'", () => {
    expect(
      incidents(
        'Ibarra, 58, was shot dead outside his home in Jerez, in the Mexican state of Zacatecas, on Saturday night. His killing is the third of a prominent local figure in Jerez in six months. In November 2025, councillor Teresa Gaytán was shot dead as she left a council session. On 3 February this year, schoolteacher Julián Rentería was abducted as he left his school in Jerez; his body was found two days later.',
        '2026-05-11',
      ),
    ).toMatchObject([
      { place: 'Jerez', date: '2026-05-09', killed: 1 },
      { place: 'Jerez', date: '2025-11', killed: 1 },
      { place: 'Jerez', date: '2026-02-03', killed: 1 },
    ]);
  });

  it("a revision announced ('revised the figure'), then told, replaces the first count; 'treated in Quetta hospitals' is no scene", () => {
    expect(
      incidents(
        `Bomb kills worshippers at Quetta mosque

QUETTA, March 3, 2026 - A bomb exploded at the Imam Zaman mosque in Quetta on Monday evening. A police spokesman said on Monday night that four worshippers had been killed and nine wounded.

On Tuesday the provincial health department revised the toll. Its spokesman said that seven people had died and that 12 wounded were being treated in Quetta hospitals.`,
        '2026-03-03',
      ),
    ).toMatchObject([{ place: 'Imam Zaman mosque', date: '2026-03-02', killed: 7, injured: 12 }]);
  });

  it("'Wadi al-Shay': a known town's name an Arabic article continues is a longer, unknown name", () => {
    expect(
      incidents(
        'In January, a roadside bomb killed four soldiers and wounded two in Wadi al-Shay, south-west of Kirkuk, Iraq.',
        '2026-11-10',
      ),
    ).toMatchObject([{ place: 'Wadi al-Shay', date: '2026-01', killed: 4, injured: 2 }]);
  });

  it("'raid three villages', 'separate raids on three villages': a sum of several attacks is no incident", () => {
    const found = incidents(
      `Gunmen kill 15 as bandits raid three villages in Zamfara

GUSAU, Nigeria, 6 October 2026 - Bandits on motorcycles killed 15 people on Sunday in separate raids on three villages in Zamfara state, police said. Nine people were killed in Dansadau.`,
      '2026-10-06',
    );
    expect(found.filter((i) => i.killed === 15)).toEqual([]);
    expect(found).toMatchObject([{ place: 'Dansadau', killed: 9 }]);
  });

  it("'the Armed Forces of the Philippines', 'the United States Africa Command': a body named with its country; the country in it is no place", () => {
    const text =
      'The Armed Forces of the Philippines said the group had lost its last camp. Airstrikes by the United States Africa Command (AFRICOM) backed the offensive. Soldiers of the Armed Forces of the Democratic Republic of the Congo and the Police of the Republic of Mozambique joined, the Ministry of Foreign Affairs of Japan said.';
    expect(namesOf(text, 'identity')).toEqual(
      expect.arrayContaining([
        'Armed Forces of the Philippines',
        'United States Africa Command',
        'Armed Forces of the Democratic Republic of the Congo',
        'Police of the Republic of Mozambique',
        'Ministry of Foreign Affairs',
      ]),
    );
    expect(namesOf(text, 'location')).toEqual(['Japan']);
  });

  it("'Helena Matsinhe', 'Lakki Marwat': a town's name another capitalised name continues is a longer name", () => {
    expect(namesOf('We spoke to Helena Matsinhe, a Maputo-based security analyst.', 'location')).toEqual([
      'Maputo',
    ]);
    expect(
      incidents(
        'Earlier this month, two policemen were martyred when their patrol was attacked in Lakki Marwat, Pakistan.',
        '2026-10-20',
      ),
    ).toMatchObject([{ place: 'Lakki Marwat', date: '2026-10', killed: 2 }]);
  });

  it("'at Birmingham New Street station': the street inside a venue's name is no venue of its own", () => {
    expect(
      namesOf(
        'Three people died after a knife attack at Birmingham New Street station last year.',
        'location',
      ),
    ).toEqual(['Birmingham New Street station']);
  });

  it("groups: 'the 33rd Front, a faction of dissidents' keeps its number; 'the Jalisco New Generation Cartel' is the galaxy's CJNG; no group in 'X (Special Battalion for Rapid Response)' nor in a title-cased headline's 'Armed Group Kills Farmers'", () => {
    const groups = (text: string) => namesOf(text, 'group');
    expect(
      groups('Police blamed the 33rd Front, a faction of dissidents who rejected the peace deal.'),
    ).toEqual(['33rd Front']);
    expect(
      groups('The Jalisco New Generation Cartel is fighting the Sinaloa Cartel for the town.'),
    ).toContain('Jalisco New Generation Cartel (CJNG)');
    expect(
      groups(
        'Officers of the elite SBRR (Special Battalion for Rapid Response) unit returned to their base.',
      ),
    ).toEqual([]);
    expect(
      groups('Niger: Islamist Armed Group Kills Farmers Near Border\n\nGunmen killed 12 farmers on Sunday.'),
    ).toEqual([]);
  });

  it("'the Somalia-based affiliate' is where a group is based, not the scene; 'the insurgency ... has killed more than 40,000 people' is a war's toll, no attack's", () => {
    expect(
      incidents(
        `Four officers dead as roadside bomb hits police truck

MANDERA, Kenya — Four police officers were killed when their truck ran over a roadside bomb on Saturday night. Officials attributed the attack to al-Shabaab, the Somalia-based affiliate of al-Qaeda. The insurgency, which began in 2006, has killed more than 4,000 people in the region, according to the United Nations.`,
        '2026-10-05',
      ),
    ).toMatchObject([{ place: 'Mandera', date: '2026-10-03', killed: 4 }]);
    expect(
      incidents(
        'The conflict between the two groups in Arauca has killed hundreds of people since January 2022.',
        '2026-11-07',
      ),
    ).toEqual([]);
  });

  it("'two of the wounded soldiers died at the X Hospital, bringing the toll to six': where the wounded died is no new scene, and the two leave the wounded", () => {
    expect(
      incidents(
        `Gunmen attack army base in Nigeria's Yobe

DAMATURU, Nigeria, Oct 4 - Islamist insurgents attacked an army base in Buni Gari in Yobe state on Friday, killing four soldiers and wounding nine, the army said. On Sunday two of the wounded soldiers died at the Sani Abacha Specialist Hospital in Damaturu, bringing the toll to six.`,
        '2026-10-04',
      ),
    ).toMatchObject([{ place: 'Buni Gari', date: '2026-10-02', killed: 6, injured: 7 }]);
  });

  it("no group in 'members of the Hazara community' nor in 'a wiper, which we track as FJORDWIPE'; 'Niger State' is no country; 'Kaduna State' is the state; the Bangsamoro region by its full name", () => {
    expect(namesOf('Most residents are members of the Hazara community, elders said.', 'group')).toEqual([]);
    expect(
      namesOf('A previously undocumented wiper, which we track as FJORDWIPE, was deployed.', 'group'),
    ).toEqual([]);
    const places = extractAt(
      'Bandits abducted 20 worshippers in Rafi, in Niger State, and fled towards the forest bordering Kaduna State, police in Nigeria said.',
      '2026-10-12',
    ).filter((i) => i.kind === 'location');
    expect(places.map((p) => p.name)).toEqual(expect.arrayContaining(['Niger State', 'Kaduna', 'Nigeria']));
    expect(places.find((p) => p.name === 'Niger State')?.data).toMatchObject({
      placeKind: 'province',
      country: 'NG',
    });
    expect(places.find((p) => p.name === 'Kaduna')?.data).toMatchObject({
      placeKind: 'province',
      country: 'NG',
    });
    expect(places.some((p) => p.name === 'Niger')).toBe(false);
    expect(
      namesOf(
        'Authorities in the Bangsamoro Autonomous Region in Muslim Mindanao (BARMM) stepped up security in the Philippines.',
        'location',
      ),
    ).toEqual(['Bangsamoro Autonomous Region in Muslim Mindanao', 'Philippines']);
  });

  it("'northern Syria's al-Bab' is GeoNames' Al Bāb; 'on Place Garibaldi in Nice', 'Córdoba's Plaza de las Tendillas' are venues led by their kind", () => {
    expect(
      incidents(
        "Car bomb kills seven in northern Syria's al-Bab\n\nA car bomb exploded near a roundabout in the northern Syrian city of al-Bab on Saturday night, killing seven people.",
        '2026-11-01',
      ),
    ).toMatchObject([{ place: 'Al Bāb', date: '2026-10-31', killed: 7 }]);
    expect(
      incidents(
        "A court sentenced a man for a knife attack on revellers on Place Garibaldi in Nice, France, in June 2022, in which two people were killed. In 2025, a knife attack in Córdoba's Plaza de las Tendillas in Spain killed one.",
        '2026-11-18',
      ),
    ).toMatchObject([
      { place: 'Place Garibaldi', date: '2022-06', killed: 2 },
      { place: 'Plaza de las Tendillas', date: '2025', killed: 1 },
    ]);
  });

  it("'a car was driven at high speed ... onto the grounds of the Altstädter Markt' is a ramming; 'press release, 27 September' is when it was told; 'the Diocese of X said'; 'In February 2024 ... during Sunday Mass'", () => {
    expect(
      incidents(
        `Graz: Car driven into crowd at Altstädter Markt – two dead, nine injured

State police press release, 27 September 2026, 11:40

On Saturday, 26 September 2026, at about 8:15 pm, a car was driven at high speed through a pedestrian entrance onto the grounds of the Altstädter Markt in Graz, Austria, where a fair was taking place.`,
        '2026-09-27',
      ),
    ).toMatchObject([{ place: 'Altstädter Markt', date: '2026-09-26', killed: 2, injured: 9 }]);
    expect(
      incidents(
        `Gunmen kill 12 worshippers at church in Burkina Faso

OUAGADOUGOU, Burkina Faso — Gunmen killed 12 people on Sunday at the Saint-Paul church in the village of Tiboga, in Gnagna province. In a statement on Monday, the Diocese of Fada N'Gourma said 12 people had been killed. In February 2024, gunmen killed 15 people during Sunday Mass at a church in Essakane, in Oudalan province.`,
        '2026-09-14',
      ),
    ).toMatchObject([
      { place: 'Saint-Paul church', date: '2026-09-13', killed: 12 },
      { place: 'Essakane', date: '2024-02', killed: 15 },
    ]);
  });

  it("'resulted in the martyrdom of two ... and the wounding of three others'; 'one of the wounded ... succumbed, raising the number of martyrs to three' moves one from wounded to dead", () => {
    expect(
      incidents(
        `IED kills fighters on patrol in Iraq

BAGHDAD — A roadside bomb targeted a patrol in the Mutaibija area, east of Samarra in Iraq's Salahuddin province, at dawn on Tuesday. "The explosion resulted in the martyrdom of two of our fighters and the wounding of three others," the statement said. In the evening, officials said one of the wounded fighters had succumbed to his wounds in hospital, raising the number of martyrs to three.`,
        '2026-11-17',
      ),
    ).toMatchObject([{ place: 'Mutaibija', date: '2026-11-17', killed: 3, injured: 2 }]);
  });

  it("'raided the village from the direction of the Boni Forest': where the attackers came from is not the scene", () => {
    expect(
      incidents(
        `Militants raid village in Kenya

NAIROBI, 10 October 2026 - Police said a terrorist attack occurred in the village of Salama, in Lamu County, Kenya. Late on Friday, a group of about fifteen militants raided the village from the direction of the Boni Forest. Two residents were shot dead at the scene.`,
        '2026-10-10',
      ).map((i) => i.place),
    ).not.toContain('Boni Forest');
  });
});
