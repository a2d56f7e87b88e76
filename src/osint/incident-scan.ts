import type { Casualties } from './osint-types.js';

// Nouns that name one violent act (the singular: "deadly attacks" in general is no incident).
const ATTACK_NOUNS = [
  'suicide bombing',
  'suicide attack',
  'car bombing',
  'bombing',
  'attack',
  'shooting',
  'stabbing',
  'explosion',
  'blast',
  'massacre',
  'assault',
  'siege',
  'ambush',
  'hostage-taking',
  'hostage taking',
  'rampage',
  'raid',
  'beheading',
  'hijacking',
  'car bomb',
  'truck bomb',
  'roadside bomb',
  'drone strike',
  'drone attack',
  'arson attack',
  'arson',
  'ramming attack',
  'car-ramming',
  'kidnapping',
  'abduction',
  'improvised explosive device',
  'IED',
];
const TOLD_BY_DAY =
  /\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|last (?:week|night|month))['’]s\s+(?:[\p{L}-]+\s+)?$/iu;
const ATTACK = new RegExp(`\\b(${ATTACK_NOUNS.join('|')})(s?)\\b`, 'i');
// Verbs that report one act: with a place and a date (or figures) they are an incident.
const ACT_VERBS: Record<string, string> = {
  attacked: 'attack',
  ambushed: 'ambush',
  stormed: 'attack',
  overran: 'attack',
  raided: 'raid',
  bombed: 'bombing',
  'shot dead': 'shooting',
  'opened fire': 'shooting',
  stabbed: 'stabbing',
  detonated: 'bombing',
  'blew himself up': 'suicide bombing',
  'blew herself up': 'suicide bombing',
  'blew themselves up': 'suicide bombing',
  'took hostages': 'hostage-taking',
  'took hostage': 'hostage-taking',
  massacred: 'massacre',
  exploded: 'bombing',
  'went off': 'bombing',
  assassinated: 'assassination',
  murdered: 'murder',
  // "khwarij martyred a local elder": Pakistani and Indian official English for killed.
  martyred: 'attack',
  beheaded: 'beheading',
  kidnapped: 'kidnapping',
  abducted: 'abduction',
  rammed: 'ramming attack',
  torched: 'arson',
  'dropped explosives': 'drone strike',
  'set fire to': 'arson',
  'setting fire to': 'arson',
  'set it ablaze': 'arson',
  'set them ablaze': 'arson',
  'set ablaze': 'arson',
  'burned down': 'arson',
  'burnt down': 'arson',
  'ripped through': 'bombing',
  'tore through': 'bombing',
  'ploughed into': 'ramming attack',
  'plowed into': 'ramming attack',
};
// "drove a car into a crowd", "ploughed his truck into", "Car driven into crowd", "a car was
// driven at high speed ... onto the grounds of the market": a vehicle driven into people.
const RAMMING =
  /\b(?:drove|ploughed|plowed|steered|smashed)\s+(?:a|an|his|her|their|the)\s+(?:[\p{L}-]+\s+)?(?:car|truck|van|lorry|vehicle|SUV|bus|pickup)\s+into\b|\b(?:car|truck|van|lorry|vehicle|SUV|pickup)\s+(?:was\s+|is\s+)?(?:driven|drove|ploughed|plowed|ploughs|plows|rammed)\s+(?:[\p{L}-]+\s+){0,8}?(?:into|through|onto)\s+(?:a\s+|the\s+)?(?:crowds?|people|pedestrians|shoppers|revellers|worshippers|spectators|fair|market|festival|parade|grounds)\b/iu;
// "a grenade was thrown at a bar", "hurled a petrol bomb into a church".
const THROWN =
  /\b(?:grenades?|explosives?|petrol bombs?|molotov cocktails?)\s+(?:was|were)\s+(?:thrown|hurled|lobbed|tossed)\b|\b(?:threw|hurled|lobbed|tossed)\s+(?:a|an|two|three)\s+(?:hand\s+)?(?:grenades?|explosives?|petrol bombs?|molotov cocktails?)\b/i;
// "gunmen fired on a bus": not by police or troops, whose fire is an operation.
const FIRED_ON = /\bfired\s+(?:shots\s+)?(?:on|at|into)\s+(?:a|an|the|their|his)\b/i;
const UNCOUNTED_DEAD =
  /\b(?:killing|killed|wounding|wounded)\s+(?:[\p{L}-]+\s+)?(?:soldiers|civilians|people|villagers|worshippers|passengers|policemen|officers|troops|guards|students|children|shoppers|traders)\b/iu;
// "seized two clan elders from a mosque": people taken, not goods or towns.
const SEIZED_PEOPLE =
  /\b(?:seized|snatched|grabbed|carried (?:away|off)|took away|whisked away|marched away)\s+(?:(?:at least|about|some|more than|over)\s+)?(?:\d+|two|three|four|five|six|seven|eight|nine|ten|a|an|dozens of|scores of|several)\s+(?:[\p{L}-]+\s+){0,2}?(?:elders?|people|villagers|civilians|passengers|students|schoolgirls|schoolchildren|pupils|worshippers|women|children|men|workers|traders|farmers|travell?ers|chiefs?|officials?|teachers?|nurses?|doctors?|priests?|engineers?|girls|boys)\b/iu;
// "their patrol hit a mine", "the truck struck a landmine": a mine, not a mine where men work.
const MINE_STRIKE =
  /\b(?:hit|hits|struck|strikes|stepped on|drove over|ran over|ran into)\s+(?:a|an)\s+(?:(?:roadside|buried|land)\s+)?(?:land)?mine\b/i;
// Nouns for one act against named victims: "the 2020 murder of a history teacher", "the
// assassination of ..."; without "of" they are mostly charges ("guilty of terrorist murder").
const VICTIM_ACT = /\b(murder|assassination|killing|beheading)\s+of\b/i;
// A plural naming one event by its date: "the November 2015 attacks in Paris", "the 2008 Mumbai
// attacks"; "deadly attacks" or "Houthi attacks" with no date are a campaign, not one incident.
const DATED_PLURAL =
  /\bthe\s+(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+)?(?:\d{1,2}\s+)?(?:19|20)\d\d\s+(?:\p{Lu}[\p{L}'’-]*\s+(?:and\s+\p{Lu}[\p{L}'’-]*\s+)?)?$/u;
// Who did it: names an act only when the sentence also gives casualty figures.
const AGENT_NOUNS: Record<string, string> = {
  'suicide bomber': 'suicide bombing',
  bomber: 'bombing',
  gunman: 'shooting',
  gunmen: 'shooting',
  attacker: 'attack',
  attackers: 'attack',
  assailant: 'attack',
  assailants: 'attack',
  drone: 'drone strike',
  quadcopter: 'drone strike',
  // "A bomb hidden in a cart ... killed nine", "a grenade thrown into a bar wounded 13".
  bomb: 'bombing',
  grenade: 'grenade attack',
  landmine: 'mine blast',
  // "a missile struck a parade ..., killing more than 30": the weapon names the act.
  missile: 'missile strike',
  rocket: 'rocket attack',
  mortar: 'mortar attack',
  'land mine': 'mine blast',
};
const ATTACK_VERBS: Record<string, string> = { ...ACT_VERBS, ...AGENT_NOUNS };
const ACT_VERB = new RegExp(`\\b(${Object.keys(ACT_VERBS).join('|')})\\b`, 'i');
const AGENT_NOUN = new RegExp(`\\b(${Object.keys(AGENT_NOUNS).join('|')})\\b`, 'i');
// An attack that did not happen: planned, foiled, threatened.
const UNREALISED =
  /\b(plan(?:s|ned|ning)?|plot(?:s|ted|ting)?|foil(?:ed|ing)?|thwart(?:ed|ing)?|prevent(?:ed|ing)?|attempt(?:ed|ing)?|threat(?:s|en(?:ed|ing))? of|warn(?:ed|ing|s)? of|prepar(?:e|ed|ing)|with a view to|intend(?:ed|ing)? to|reconnaissance|scouted)\b[^.;]{0,25}$/i;
// Things that happened that are not attacks: named with the year the sentence gives.
const EVENT =
  /\b(withdrawal|invasion|coup|takeover|ceasefire|occupation|uprising|peace agreement|peace deal|evacuation)\b/i;

const NUMBER_WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  a: 1,
  dozens: 24,
  scores: 40,
  hundreds: 200,
  dozen: 12,
  couple: 2,
};
// "more than two dozen", "a dozen": a multiple of twelve, tried before the bare word.
const DOZENS = '(?:an?|one|two|three|four|five|six|seven|eight|nine|ten)\\s+dozen';
// "twenty-one", "thirty five": tens and units, tried before either word alone.
const TENS = 'twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety';
const UNITS = 'one|two|three|four|five|six|seven|eight|nine';
const COMPOUND = `(?:${TENS})[- ](?:${UNITS})`;
// A whole word: "has killed tens of thousands" is no ten.
const NUM = `(${DOZENS}|${COMPOUND}|\\d{1,3}(?:,\\d{3})+|\\d+|${Object.keys(NUMBER_WORDS)
  .filter((w) => w !== 'a' && w !== 'couple')
  .join('|')})(?![A-Za-z0-9])`;
const APPROX =
  '((?:at least|about|around|nearly|almost|more than|over|some|up to|roughly|an estimated|approximately)\\s+)?';
const VICTIMS =
  '(?:\\s+(?:people|persons|civilians|villagers|residents|worshippers|pilgrims|concertgoers|children|women|men|farmers|fishermen|miners|traders|hostages|soldiers|police(?:men| officers)?|officers|students|passengers|tourists|security personnel|members|others|of them|lives|staff|workers|employees|nurses|doctors|teachers|guards|gendarmes|volunteers|herders|fighters|personnel))?';

const KILLED: RegExp[] = [
  // "shot dead the vice mayor of Tipo-Tipo": one victim named by office.
  /\b(?:shot dead|killed|killing|assassinated|murdered|gunned down)\s+()(the)\s+(?:[\p{L}-]+\s+){0,2}?(?:driver|guard|pilot|conductor|principal|headmaster|mayor|governor|chief|commander|councillor|councilor|imam|priest|judge|prosecutor|lawmaker|legislator|chairman|director|minister|deputy|official|administrator)\b/iu,
  // "killing the elderly couple" (before "killing a" takes one).
  /\b(?:killed|killing)\s+()(?:the|an?)\s+(?:[\p{L}-]+\s+)?(couple)\b/iu,
  new RegExp(
    // "killing all six people on board": "all" says the figure is exact.
    `\\b(?:killed|killing|kills|kill|martyred|martyring|shot dead|shooting dead|hacked to death|claimed the lives of|left|leaving)\\s+(?:all\\s+)?${APPROX}${NUM}${VICTIMS}(?:\\s+(?:dead|people dead))?`,
    'i',
  ),
  new RegExp(`\\bclaimed\\s+${APPROX}${NUM}\\s+lives`, 'i'),
  // "which cost the lives of three civilians"; "in which two soldiers fell with arms in hand".
  new RegExp(`\\bcost\\s+the\\s+lives\\s+of\\s+${APPROX}${NUM}`, 'i'),
  new RegExp(
    `\\b${APPROX}${NUM}(?:\\s+[\\p{L}-]+){0,2}?\\s+fell\\s+(?:with arms in hand|in combat|in action|on the field of honou?r)`,
    'iu',
  ),
  // "the killing of 11 farmers", "the deaths of three soldiers", "the martyrdom of two of our fighters".
  new RegExp(
    `\\b(?:killing|killings|deaths|massacre|murders?|beheading|martyrdom)\\s+of\\s+${APPROX}${NUM}${VICTIMS}`,
    'i',
  ),
  // "Two soldiers of the 55th Infantry Battalion were killed in action": whose they were, between.
  new RegExp(
    `\\b${APPROX}${NUM}\\s+(?:soldiers|policemen|police officers|officers|troops|members|fighters|guards|workers|employees|staff)\\s+of\\s+[^,.;]{1,45}?\\s+(?:were|have been|had been)\\s+(?:killed|shot dead)\\b`,
    'iu',
  ),
  // "Three members of one family were killed": a figure of members of something.
  new RegExp(
    `\\b${APPROX}${NUM}\\s+members\\s+of\\s+(?:[\\p{L}-]+\\s+){1,3}?(?:were|have been|had been)\\s+(?:killed|shot dead|dead)\\b`,
    'iu',
  ),
  // "Two Swedish football supporters were shot dead": up to three words between figure and verb;
  // not "two car bombs killed about twenty people", where the words are the weapon.
  new RegExp(
    `\\b${APPROX}${NUM}(?!(?:\\s+[\\p{L}-]+){0,2}?\\s+(?:bombs?|blasts?|explosions?|attacks?|rockets?|shells?|drones?|grenades?|mortars?|bombers?|gunmen|attackers|assailants|militants)\\b)(?:\\s+[\\p{L}-]+){0,3}?\\s+(?:were\\s+|have been\\s+|had been\\s+|are\\s+)?(?:killed|martyred|shot dead|dead|died|lost their lives|embraced (?:shahadat|martyrdom)|(?:stabbed|hacked|beaten|burned|burnt|shot) to death|beheaded|massacred|slaughtered|executed)\\b`,
    'iu',
  ),
  // "more than 60 people attending a funeral wake were killed": what they were doing, between.
  new RegExp(
    `\\b${APPROX}${NUM}\\s+(?:people|civilians|villagers|worshippers|mourners|passengers|pilgrims|students|children|soldiers|men|women)\\s+\\p{Ll}+ing\\b[^,.;]{1,50}?\\s+(?:were|had been|have been)\\s+(?:killed|shot dead|massacred)\\b`,
    'iu',
  ),
  // "two civilians at the nearby livestock market were killed": where they were, between.
  new RegExp(
    `\\b${APPROX}${NUM}\\s+(?:[\\p{L}-]+\\s+)?(?:people|civilians|villagers|residents|soldiers|officers|policemen|worshippers|passengers|traders|farmers|workers|children|women|men)\\s+(?:at|in|on|near|inside|outside)\\s+[^,.;]{1,50}?\\s+(?:were|had been|have been)\\s+killed\\b`,
    'iu',
  ),
  // "beheaded five villagers", "hacked 12 people to death": the act itself says they died.
  new RegExp(`\\b(?:beheaded|beheading)\\s+${APPROX}${NUM}${VICTIMS}`, 'i'),
  new RegExp(
    `\\b(?:stabbed|stabbing|hacked|hacking|beat|beating|burned|burning|burnt)\\s+${APPROX}${NUM}${VICTIMS}\\s+to death`,
    'i',
  ),
  // "Six people, five Chinese engineers and their driver, were killed": a figure, an apposition, the verb.
  // "his two sons, aged nine and twelve, were killed".
  new RegExp(
    `\\b${APPROX}${NUM}(?:${VICTIMS}|\\s+[\\p{L}-]+),[^,;.]{1,80},\\s+(?:were|have been|had been)\\s+(?:killed|dead)`,
    'iu',
  ),
  // "killed journalist Lyra McKee": one victim named with what they did.
  /\b(?:killed|killing|shot dead|murdered|assassinated|gunned down)\s+()(?:(?:a|the|local|prominent|veteran|senior|former)\s+)?(journalist|reporter|activist|priest|pastor|imam|cleric|teacher|lawyer|judge|prosecutor|politician|councillor|councilor|mayor|policeman|constable|businessman|trader|farmer|student|doctor|nurse)\s+(?=\p{Lu}\p{Ll}+\s+\p{Lu})/u,
  // "killed a German tourist": one victim.
  /\b(?:killed|killing|stabbed to death|shot dead|martyred)\s+()(an?)\s+(?=[\p{L}\d])/iu,
  // "a police officer was killed", "another soldier was shot dead": one victim.
  /\b(?<!\bno\s)()(an?|one|another)\s+(?:(?!who\b|which\b|that\b)[\p{L}\d-]+\s+){0,2}?(?:was|has been|had been)\s+(?:killed|shot dead|stabbed to death)\b/iu,
  // "A ranch hand, Celso Giménez, 52, was shot dead": one victim, named between commas.
  /\b(?<!\bno\s)()(an?|one|another)\s+(?:[\p{L}-]+\s+){0,2}?[\p{L}-]+(?:,\s+[^,.;]{1,40}){1,2},\s+(?:was|has been|had been)\s+(?:killed|shot dead|stabbed to death)\b/iu,
  // "A security guard who tried to shut the gate was shot dead": one victim, said what they did.
  /\b(?<!\bno\s)()(an?|one)\s+(?:[\p{L}-]+\s+){0,2}?who\s+[^,.;]{1,50}?\s+(?:was|had been)\s+(?:killed|shot dead|stabbed to death)\b/iu,
  // "his body was found two days later on a dirt road": the one taken is dead.
  /\b()(his|her)\s+body\s+was\s+(?:found|recovered|discovered|dumped)\b/iu,
  // "councillor Teresa Gaytán was shot dead": one victim named with what they did.
  /\b()(councillor|councilor|journalist|reporter|teacher|schoolteacher|mayor|priest|pastor|imam|judge|activist|lawyer|doctor|nurse)\s+\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){1,3}\s+(?:was|has been|had been)\s+(?:killed|shot dead|stabbed to death|murdered|gunned down)\b/iu,
  // "A woman died of her wounds on Sunday": one victim of the act, dying later.
  /\b()(an?|one)\s+(?:[\p{L}\d-]+\s+){0,2}?died\s+(?:of|from)\s+(?:her|his|their|the)\s+(?:wounds|injuries)\b/iu,
  // "including a police officer who died of his wounds": one victim who died later.
  /\b()(an?|one)\s+(?:[\p{L}-]+\s+){0,2}?who\s+(?:later\s+)?died\b/iu,
  // "bringing the death toll to 11", "raising the number of martyrs to three".
  new RegExp(
    `\\b(?:bringing|taking|raising|pushing)\\s+(?:the\\s+)?(?:(?:death\\s+)?toll|number\\s+of\\s+(?:the\\s+)?(?:dead|martyrs|fatalities|deaths|people\\s+killed|victims))\\s+to\\s+${APPROX}${NUM}`,
    'i',
  ),
  new RegExp(
    // "the death toll from the bombing in Kerman rose to 95".
    `\\b(?:death )?toll\\b[^.;]{0,100}?\\b(?:of|rose to|has risen to|had risen to|risen to|reached|climbed to|stood at|stands at|at|is|was)\\s+${APPROX}${NUM}`,
    'i',
  ),
];
const INJURED: RegExp[] = [
  // "a dozen workers of the Proyecto Especial CORAH, the state eradication programme, were wounded".
  new RegExp(
    `\\b${APPROX}${NUM}\\s+(?:[\\p{L}-]+\\s+)?(?:workers|members|soldiers|employees|staff|officers|policemen|troops|volunteers|students|pupils|passengers|worshippers|guards)\\s+of\\s+(?:(?!\\b(?:were|was|are|killed|dead|died)\\b)[^.;]){1,90}?\\s+(?:were|have been|had been)\\s+(?:wounded|injured|hurt)\\b`,
    'iu',
  ),
  // "Two soldiers sustained injuries", "three others suffered gunshot wounds".
  new RegExp(
    `\\b${APPROX}${NUM}(?:\\s+[\\p{L}-]+){0,3}?\\s+(?:sustained|suffered|received)\\s+(?:[\\p{L}-]+\\s+){0,2}?(?:wounds|injuries)\\b`,
    'iu',
  ),
  // "Two other residents were treated for gunshot wounds".
  new RegExp(
    `\\b${APPROX}${NUM}(?:\\s+[\\p{L}-]+){0,3}?\\s+(?:were|was|are|is)\\s+(?:being\\s+)?treated\\s+for\\s+(?:[\\p{L}-]+\\s+){0,2}?(?:wounds|injuries)`,
    'iu',
  ),
  // "Two other miners survived with gunshot and machete wounds".
  new RegExp(
    `\\b${APPROX}${NUM}(?:\\s+[\\p{L}-]+){0,3}?\\s+survived\\s+with\\b[^.;]{0,40}?\\b(?:wounds|injuries)`,
    'iu',
  ),
  // "Seven people with gunshot and machete wounds were evacuated".
  new RegExp(
    `\\b${APPROX}${NUM}(?:\\s+[\\p{L}-]+)?\\s+with\\s+(?:[\\p{L}-]+\\s+){0,4}?(?:wounds|injuries)\\b`,
    'iu',
  ),
  // "Eleven wounded soldiers were evacuated by road to the hospital".
  new RegExp(
    `\\b${APPROX}${NUM}\\s+(?:wounded|injured)\\s+(?:[\\p{L}-]+\\s+)?(?:were|had been|have been)\\s+(?:evacuated|taken|rushed|flown|airlifted|admitted|treated|transferred|brought)\\b`,
    'iu',
  ),
  // "A police reservist guarding the site was shot in the shoulder": one hurt.
  /\b(?<!\bno\s)()(an?|one|another)\s+(?:[\p{L}-]+\s+){0,5}?(?:was|has been|had been)\s+shot\s+(?:in\s+the\s+\p{L}+|and\s+(?:wounded|injured))/iu,
  // "Three children were killed and five other members of their family wounded": the verb left out.
  new RegExp(
    `\\band\\s+${APPROX}${NUM}(?:\\s+(?!were\\b|was\\b)[\\p{L}-]+){1,5}?\\s+(?:wounded|injured|hurt)\\b`,
    'iu',
  ),
  // "A fourth worker was wounded", "An off-duty police officer was seriously wounded": one more
  // victim, hurt.
  /\b(?<!\bno\s)()(an?|one|another)\s+(?:(?:second|third|fourth|fifth|sixth|other)\s+)?(?:(?!who\b|which\b|that\b)[\p{L}\d-]+\s+){0,3}(?:was|has been|had been)\s+(?:(?:seriously|critically|badly|slightly|lightly|gravely)\s+)?(?:injured|wounded|hurt)\b/iu,
  // "A 67-year-old man ... was hit in the arm", "His aide took a bullet in the thigh": one hurt.
  /\b(?<!\bno\s)()(an?|one|another|his|her|their)\s+(?:(?!who\b|which\b|that\b)[\p{L}\d-]+\s+){0,8}?(?:[\p{L}\d-]+,\s+who\s+[^,.;]{1,40},\s+)?(?:was|has been|had been)\s+hit\s+in\s+the\s+\p{L}+/iu,
  /\b(?:took|caught|suffered)\s+()(a)\s+bullet\b/iu,
  new RegExp(`\\b(?:injured|injuring|wounded|wounding|injuries to)\\s+${APPROX}${NUM}`, 'i'),
  // "resulted in ... the wounding of three others".
  new RegExp(`\\b(?:wounding|injuring|injury)\\s+of\\s+${APPROX}${NUM}`, 'i'),
  // "attacked two women with a knife, wounding both", "stabbed a man, seriously injuring him".
  /\b(?:wounding|injuring)\s+()(both|him|her)\b/i,
  // "killing a sacristan and wounding a priest": one hurt.
  /\b(?:wounding|injuring)\s+()(an?)\s+(?!second\b|third\b|fourth\b|fifth\b|sixth\b|number\b|few\b|dozen\b)(?=\p{L})/iu,
  // "killing two constables and wounding a third".
  /\b(?:wounding|injuring|wounded|injured)\s+()(a)\s+(?:second|third|fourth|fifth|sixth)\b/i,
  // "stabbed six people", "shot 14 passengers": hurt, unless "to death" or "dead" follows.
  new RegExp(
    `\\b(?:stabbed|stabbing|shot|shooting)\\s+${APPROX}${NUM}${VICTIMS}(?!\\s+(?:to death|dead))\\b`,
    'i',
  ),
  new RegExp(
    // Not "after two wounded guards died": those are counted among the dead.
    `\\b${APPROX}${NUM}${VICTIMS}\\s+(?:were\\s+|have been\\s+|others\\s+)?(?:injured|wounded|hurt)(?!\\s+[\\p{L}-]+\\s+(?:later\\s+)?died)`,
    'iu',
  ),
  // "Nine other people, among them the officer, were injured".
  new RegExp(
    `\\b${APPROX}${NUM}(?:\\s+[\\p{L}-]+){0,2},[^,;.]{1,80},\\s+(?:were|have been|had been)\\s+(?:injured|wounded|hurt)`,
    'iu',
  ),
  // "Seven other soldiers were wounded": up to three words between figure and verb, as for the dead.
  new RegExp(
    `\\b${APPROX}${NUM}(?:\\s+[\\p{L}-]+){1,3}?\\s+(?:were|have been|had been)\\s+(?:injured|wounded|hurt)`,
    'iu',
  ),
];

export interface CasualtyHit extends Casualties {
  start: number;
  end: number;
}

/** The figures an incident keeps: a hit without its offsets. */
export function figuresOf(c: { killed?: CasualtyHit | undefined; injured?: CasualtyHit | undefined }): {
  killed?: Casualties;
  injured?: Casualties;
} {
  const strip = (h: CasualtyHit): Casualties => ({
    value: h.value,
    approximate: h.approximate,
    text: h.text,
  });
  return { ...(c.killed && { killed: strip(c.killed) }), ...(c.injured && { injured: strip(c.injured) }) };
}

export function numberOf(s: string): number | undefined {
  const w = s.toLowerCase().replace(/\s+/g, ' ');
  const dozens = /^(\S+) dozen$/.exec(w);
  if (dozens) {
    const times = numberOf(dozens[1] as string);
    return times === undefined ? undefined : times * 12;
  }
  if (['an', 'another', 'the', 'him', 'her', 'his', 'their'].includes(w)) return 1;
  if (w === 'both') return 2;
  // One victim named by a word for what they did ("killed journalist Lyra McKee").
  if (
    /^(?:journalist|reporter|activist|priest|pastor|imam|cleric|teacher|lawyer|judge|prosecutor|politician|councillor|councilor|mayor|policeman|constable|businessman|trader|farmer|student|doctor|nurse)$/.test(
      w,
    )
  )
    return 1;
  const compound = /^(\S+)[- ](\S+)$/.exec(w);
  if (compound) {
    const tens = NUMBER_WORDS[compound[1] as string];
    const units = NUMBER_WORDS[compound[2] as string];
    return tens !== undefined && units !== undefined && units < 10 ? tens + units : undefined;
  }
  if (w in NUMBER_WORDS) return NUMBER_WORDS[w];
  const n = Number(w.replace(/,/g, ''));
  return Number.isSafeInteger(n) ? n : undefined;
}

// Where a list of victims ends: the clause that follows them.
const LIST_END = /[.;:]|\s(?:who|which|that|when|while|before|after|as|in|at|on|near)\s/i;

/** "killing a two-year-old boy and a 41-year-old man who ...": victims told one by one. */
function listedVictims(after: string): number {
  const list = after.split(LIST_END)[0] ?? '';
  // A list ends in "and": "a driver, a police spokesman said" is one victim and who told it.
  if (!/\sand\s/i.test(list)) return 1;
  const ones = [...list.matchAll(/(?:^|,\s*|,?\s+and\s+)(?:an?|one)\s+(?=[\p{L}\d])/giu)].length;
  // "a village chief and his two sons": the kin told with their number.
  let kin = 0;
  for (const m of list.matchAll(/(?:,\s*|,?\s+and\s+)(?:his|her|their)\s+(\w+)\s+\p{L}/giu))
    kin += numberOf(m[1] ?? '') ?? 1;
  return Math.max(1, ones + kin);
}

function firstFigure(sentence: string, offset: number, patterns: readonly RegExp[]): CasualtyHit | undefined {
  let best: CasualtyHit | undefined;
  for (const re of patterns) {
    let m = re.exec(sentence);
    // "in May 2022 eight soldiers were killed": the year is no figure; the next match may be.
    // ... nor the day of a date ("BANGUI, July 1 - Twelve people were killed").
    const day =
      m?.[2] !== undefined &&
      /^\d{1,2}$/.test(m[2]) &&
      /\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+$/.test(
        sentence.slice(Math.max(0, m.index + m[0].indexOf(m[2]) - 12), m.index + m[0].indexOf(m[2])),
      );
    // ... nor a span of time ("two days after gunmen shot dead the chief").
    const span =
      m?.[2] !== undefined &&
      /^\s+(?:days?|weeks?|months?|years?|hours?|minutes?|nights?|decades?)\b/i.test(
        sentence.slice(m.index + m[0].indexOf(m[2]) + m[2].length),
      );
    const year = m?.[2] !== undefined && (/^(?:19|20)\d\d$/.test(m[2]) || day || span);
    if (m && year) {
      const again = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
      again.lastIndex = m.index + m[0].indexOf(m[2] as string) + (m[2] as string).length;
      m = again.exec(sentence);
    }
    if (!m) continue;
    const raw = m[2] ?? '';
    const one = /^an?$/i.test(raw);
    const value = one ? listedVictims(sentence.slice(m.index + m[0].lastIndexOf(raw))) : numberOf(raw);
    // A year is no casualty figure ("killed in 2021" does not match, "left 2021" might).
    if (value === undefined || value === 0 || (value >= 1900 && value <= 2100)) continue;
    const approximate = m[1] !== undefined || /^(dozens|scores|hundreds)$/i.test(raw) || /dozen$/i.test(raw);
    const hit = {
      value,
      approximate,
      text: m[0].trim(),
      start: offset + m.index,
      end: offset + m.index + m[0].length,
    };
    if (!best || hit.start < best.start) best = hit;
  }
  return best;
}

const CAMPAIGN =
  /\b(?:string|series|wave|spate|campaign|number|dozens|hundreds|scores)\s+of\s+(?:[\p{L}-]+\s+)?$/iu;
const SEVERAL = /\b(?:two|three|four|five|several|[1-9]\d?)\s+(?:[\p{L}-]+\s+)?$/iu;
/** "Two attacks in Deir ez-Zor kill five": several attacks summed in one sentence, none of them one incident. */
export const SEVERAL_ATTACKS =
  /\b(?:two|three|four|five|six|seven|eight|nine|ten|several|[1-9]\d?)\s+(?:[\p{L}-]+\s+)?(?:attacks|incidents|raids)\b|\b(?:attack(?:ed|s)?|struck|strike|strikes|raid(?:ed|s)?|stormed|storm|storms|hit|(?:attacks|raids|assaults)\s+on)\s+(?:two|three|four|five|six|several|[2-9])\s+(?:[\p{L}-]+\s+)?(?:towns|villages|communities|localities|districts|sites)\b/iu;

export interface IncidentCue {
  noun: string;
  start: number;
  end: number;
  /** The sentence sets its act apart from the attack it names: "The attack came days after ...". */
  another?: true;
  killed?: CasualtyHit;
  injured?: CasualtyHit;
}

// Who the groups of the dead told together are: "two soldiers and three civilians".
const GROUP_OF_DEAD =
  '(?:people|persons|civilians|villagers|residents|worshippers|children|women|men|soldiers|police(?:men| officers)?|officers|policemen|troops|guards|passengers|students|workers|militiamen|rangers|volunteers|sons|daughters|brothers|relatives|bodyguards|companions)';
// "killing two soldiers and three civilians": a second group of the dead, added to the first.
// Not "killed and five other people wounded": those are the wounded.
const AND_MORE = new RegExp(
  `^\\s+and\\s+(?:his\\s+|her\\s+|their\\s+)?${NUM}(?:\\s+of\\s+(?:his|her|their|the)|\\s+[\\p{L}-]+)?\\s+${GROUP_OF_DEAD}\\b(?!\\s+(?:were\\s+|had been\\s+)?(?:wounded|injured|hurt))`,
  'iu',
);

// "gunmen shot dead Khaled al-Hariri, a member of the local council": one named victim.
const NAMED_VICTIM =
  /\b(?:shot dead|killed|murdered|assassinated|stabbed to death)\s+\p{Lu}[\p{L}'’-]+(?:\s+(?:(?:al|el|bin|ibn|de|van|von|abu)[- ])?\p{Lu}[\p{L}'’-]+){1,3}(?=,\s+(?:a|an|the)\s)|\b\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){0,3},\s+\d{1,3},\s+(?:was|has been|had been)\s+(?:killed|shot dead|stabbed to death|murdered|gunned down)\b/u;

const ONE_MORE_DEAD =
  /^(?:\s+who\s+[^,.;]{1,40}?)?\s+and\s+(?:an?|one)\s+(?:[\p{L}\d-]+\s+){0,2}?(?:girl|boy|man|woman|child|baby|civilian|officer|soldier|policeman|policewoman|guard|passer-by|bystander|teacher|student|farmer|trader|driver|vendor|worshipper|resident)\b(?!\s+(?:was|were)\s+(?:wounded|injured|hurt))/iu;
const OWN_GROUP = new RegExp(`^\\s+[\\p{L}.-]+\\s+${GROUP_OF_DEAD}\\b(?=\\s+and\\s)`, 'iu');
// "One soldier and two civilians ... were killed": a first group may be of one.
const AND_BEFORE = new RegExp(
  `\\b${NUM}(?:\\s+[\\p{L}-]+)?\\s+(?:${GROUP_OF_DEAD}|soldier|civilian|officer|policeman|villager|guard|child|woman|man)\\s+and\\s+$`,
  'iu',
);

// A figure told as a first, since revised, count.
const FIRST_PUT =
  /\b(?:initially|originally|(?:first|earlier)\s+(?:put|gave|given|reported|said|estimated|counted))\b/i;

/** The casualty figures a sentence states, with or without an attack word. */
export function scanCasualties(
  sentence: string,
  offset: number,
): { killed?: CasualtyHit; injured?: CasualtyHit } {
  // Most sentences tell no casualties: one test spares them every figure pattern.
  if (!CASUALTY_WORD.test(sentence)) return {};
  // "six (6) soldiers killed": the figure in digits after the word, as official French copy
  // writes it, is blanked out (offsets kept).
  sentence = sentence.replace(
    /(\p{L})\s\((\d{1,4})\)/gu,
    (m, l: string) => `${l}${' '.repeat(m.length - 1)}`,
  );
  const found = scanFigures(sentence, offset);
  const killed = found.killed ?? listedPeople(sentence, offset, 'killed');
  const injured = found.injured ?? listedPeople(sentence, offset, 'injured');
  return { ...(killed && { killed }), ...(injured && { injured }) };
}

// A word every casualty pattern holds.
const CASUALTY_WORD =
  /\b(?:kill|dead|die|death|wound|injur|hurt|toll|lives|massacr|slaughter|execut|behead|stab|shot|shoot|hack|beat|burn|bullet|surviv|treated|hit in|murder|assassinat|gunned|left|leaving|claimed|martyr|shahadat|sustain|body|fell)/i;

// "Two CRPF personnel and the civilian driver were killed", "Their mother and an uncle were
// wounded": a group and one more, or two people, each with their determiner.
const ONE_PERSON = '(?:the|a|an|one|his|her|their)\\s+(?:[\\p{L}-]+\\s+){0,2}?';
const GROUP_AND_ONE = (verb: string) =>
  new RegExp(
    `\\b${NUM}(?:\\s+[\\p{L}-]+){1,2}\\s+and\\s+${ONE_PERSON}[\\p{L}-]+\\s+(?:were|had been|have been)\\s+${verb}\\b`,
    'iu',
  );
const TWO_PEOPLE = (verb: string) =>
  new RegExp(
    `\\b${ONE_PERSON.replace('?:the|', '?:')}[\\p{L}-]+\\s+and\\s+${ONE_PERSON}[\\p{L}-]+\\s+(?:were|had been|have been)\\s+${verb}\\b`,
    'iu',
  );
// "Lance Naik Imran Ali and Sepoy Faisal Mehmood embraced shahadat": two people by name.
const NAME = "\\p{Lu}[\\p{L}'’-]+(?:\\s+\\p{Lu}[\\p{L}'’-]+){1,4}";
const TWO_NAMED = (verb: string) =>
  new RegExp(`\\b${NAME}\\s+and\\s+${NAME}\\s+(?:were\\s+|had been\\s+|have been\\s+)?${verb}\\b`, 'u');
const LISTED = {
  killed: {
    group: GROUP_AND_ONE('(?:killed|shot dead|dead)'),
    two: TWO_PEOPLE('(?:killed|shot dead)'),
    named: TWO_NAMED('(?:killed|shot dead|martyred|died|embraced (?:shahadat|martyrdom)|lost their lives)'),
  },
  injured: {
    group: GROUP_AND_ONE('(?:wounded|injured|hurt)'),
    two: TWO_PEOPLE('(?:wounded|injured|hurt)'),
    named: TWO_NAMED('(?:wounded|injured|hurt)'),
  },
};

/** People told as a group and one more, or as two, for want of a figure of their own. */
function listedPeople(sentence: string, offset: number, kind: 'killed' | 'injured'): CasualtyHit | undefined {
  const g = LISTED[kind].group.exec(sentence);
  const n = g ? numberOf(g[1] ?? '') : undefined;
  const m = g && n !== undefined ? g : (LISTED[kind].two.exec(sentence) ?? LISTED[kind].named.exec(sentence));
  if (!m) return undefined;
  const value = m === g && n !== undefined ? n + 1 : 2;
  return {
    value,
    approximate: false,
    text: m[0],
    start: offset + m.index,
    end: offset + m.index + m[0].length,
  };
}

function scanFigures(sentence: string, offset: number): { killed?: CasualtyHit; injured?: CasualtyHit } {
  let killed = firstFigure(sentence, offset, KILLED);
  // "Officials initially put the toll at six, but later said nine had died": the figure after
  // the first one stands.
  if (
    killed &&
    FIRST_PUT.test(sentence.slice(Math.max(0, killed.start - offset - 60), killed.end - offset))
  ) {
    const from = killed.end - offset;
    const later = firstFigure(sentence.slice(from), offset + from, KILLED);
    if (later) killed = later;
  }
  const named = killed ? null : NAMED_VICTIM.exec(sentence);
  if (named)
    killed = {
      value: 1,
      approximate: false,
      text: named[0],
      start: offset + named.index,
      end: offset + named.index + named[0].length,
    };
  let injured = firstFigure(sentence, offset, INJURED);
  // "Two soldiers and three civilians were killed": the first group, told before.
  const before = killed ? AND_BEFORE.exec(sentence.slice(0, killed.start - offset)) : null;
  const first = before ? numberOf(before[1] ?? '') : undefined;
  if (killed && before && first !== undefined)
    killed = {
      ...killed,
      value: killed.value + first,
      text: before[0] + killed.text,
      start: killed.start - before[0].length,
    };
  // "killing four U.S. soldiers and four Nigerien soldiers": the first group's own words first.
  const own = killed ? (OWN_GROUP.exec(sentence.slice(killed.end - offset))?.[0].length ?? 0) : 0;
  const more = killed && !before ? AND_MORE.exec(sentence.slice(killed.end - offset + own)) : null;
  const added = more ? numberOf(more[1] ?? '') : undefined;
  if (killed && more && added !== undefined && !/to death|dead$/i.test(killed.text))
    killed = {
      ...killed,
      value: killed.value + added,
      text: sentence.slice(killed.start - offset, killed.end - offset + own + more[0].length),
      end: killed.end + own + more[0].length,
    };
  // "killed two police officers who were standing guard and a nine-year-old girl who was buying a
  // soda": one more victim after the first group's own clause.
  const oneMore = killed && !more && !before ? ONE_MORE_DEAD.exec(sentence.slice(killed.end - offset)) : null;
  if (
    killed &&
    oneMore &&
    !/to death|dead$/i.test(killed.text) &&
    !/^an?$/i.test(killed.text.split(/\s+/).pop() ?? '')
  )
    killed = {
      ...killed,
      value: killed.value + 1,
      text: sentence.slice(killed.start - offset, killed.end - offset + oneMore[0].length),
      end: killed.end + oneMore[0].length,
    };
  // "A woman died of her wounds, a day after a man stabbed three people": of the three hurt,
  // one died; the others are the wounded.
  if (
    killed &&
    injured &&
    /died\s+(?:of|from)/i.test(killed.text) &&
    /^(?:stabbed|stabbing|shot|shooting)\b/i.test(injured.text) &&
    injured.value > killed.value
  )
    injured = { ...injured, value: injured.value - killed.value };
  return { ...(killed && { killed }), ...(injured && { injured }) };
}

// "police raided a flat": a raid by those who enforce the law is an operation, not an attack.
const OPERATION =
  /\b(police|officers|agents|detectives|investigators|security forces|counter-?terrorism|anti-?terror(?:ism)?|special forces|troops|soldiers|army|military|fbi)\b[^.;]{0,40}$/i;

// "helping to prepare the bombings ..., which killed 13": the sentence says it happened.
const HAPPENED_AFTER = /^[^.;]{0,120}?,?\s+(?:which|that)\s+(?:killed|left|wounded|injured|claimed)\b/i;

// "arrested four suspects in a raid on a house": a raid that arrests is an operation.
const ARREST = /\b(?:arrest(?:ed|s)?|detain(?:ed|s)?|seiz(?:ed|es)|captur(?:ed|es))\b/i;

function realised(sentence: string, at: number, noun: string): boolean {
  const before = sentence.slice(0, at);
  if (UNREALISED.test(before) && !HAPPENED_AFTER.test(sentence.slice(at))) return false;
  return noun !== 'raid' || !(OPERATION.test(before) || ARREST.test(sentence));
}

/** The attack word of a sentence (noun, act verb, or agent with figures) and the casualty figures it states. */
export function scanIncidentCue(sentence: string, offset: number): IncidentCue | undefined {
  const { killed, injured } = scanCasualties(sentence, offset);
  const figures = killed !== undefined || injured !== undefined;
  let m: RegExpExecArray | null = null;
  let noun: string | undefined;
  // "Monday's attack came days after the downing of a helicopter near Amalfi on 21 August 2025,
  // in which 13 officers were killed": an attack named by its day is one told already; the act
  // this sentence tells is where its figures are.
  let toldByDay: { x: RegExpExecArray; noun: string; another: boolean } | undefined;
  const re = new RegExp(ATTACK.source, 'gi');
  for (let x = re.exec(sentence); x !== null; x = re.exec(sentence)) {
    const n = (x[1] ?? 'attack').toLowerCase();
    const figuresAfter = [killed, injured].some((f) => f !== undefined && f.start - offset > x.index);
    // ... and so is "The attack came two days after gunmen shot dead the chief of Tizegorou".
    // "a video recorded the night before the attack": the attack already told, named again.
    if (
      !figuresAfter &&
      /\b(?:before|after|since|during|following|ahead of)\s+the\s+(?:(?:January|February|March|April|May|June|July|August|September|October|November|December|latest|recent|previous|last)\s+)?$/i.test(
        sentence.slice(Math.max(0, x.index - 32), x.index),
      )
    )
      continue;
    const cameAfter = /^\s+(?:came|comes|followed|follows)\b/i.test(sentence.slice(x.index + x[0].length));
    // "It was the deadliest attack in Guanajuato since July 2020, when gunmen killed 27 people in
    // Irapuato": the attack compared is the one told; the act is the one "when" tells.
    const sinceWhen =
      /\b(?:deadliest|worst|bloodiest|biggest|largest|most serious)\s+(?:[\p{L}-]+\s+)?$/iu.test(
        sentence.slice(Math.max(0, x.index - 30), x.index),
      ) && /^[^.;]{0,80}\bsince\b[^.;]{0,40}\bwhen\b/i.test(sentence.slice(x.index));
    const toldAlready =
      TOLD_BY_DAY.test(sentence.slice(Math.max(0, x.index - 40), x.index)) ||
      (/^the\s+$/i.test(sentence.slice(Math.max(0, x.index - 4), x.index)) && cameAfter) ||
      sinceWhen;
    if (figuresAfter && toldAlready) {
      toldByDay ??= { x, noun: n, another: cameAfter || sinceWhen };
      continue;
    }
    // "deadly attacks" in general are no incident; "two explosions ... killing 84" are one.
    if (x[2] && !figures && !DATED_PLURAL.test(sentence.slice(0, x.index))) continue;
    // "Two attacks in Deir ez-Zor kill five": several attacks told together, each told apart later.
    if (x[2] && n === 'attack' && SEVERAL.test(sentence.slice(0, x.index))) continue;
    // "the latest in a string of attacks on migrant workers": a campaign, not this act.
    if (x[2] && CAMPAIGN.test(sentence.slice(Math.max(0, x.index - 30), x.index))) continue;
    if (!realised(sentence, x.index, n)) continue;
    m = x;
    noun = n;
    break;
  }
  let at: number | undefined;
  if (!m && toldByDay) {
    m = toldByDay.x;
    noun = toldByDay.noun;
    at = Math.min(...[killed, injured].flatMap((f) => (f ? [f.start - offset] : [])));
  }
  const victim = m ? null : VICTIM_ACT.exec(sentence);
  if (victim && realised(sentence, victim.index, 'murder')) {
    m = victim;
    noun = (victim[1] ?? 'murder').toLowerCase();
  }
  const ram = m ? null : RAMMING.exec(sentence);
  if (ram && realised(sentence, ram.index, 'ramming attack')) {
    m = ram;
    noun = 'ramming attack';
  }
  const seized = m ? null : SEIZED_PEOPLE.exec(sentence);
  if (seized && !OPERATION.test(sentence.slice(0, seized.index))) {
    m = seized;
    noun = 'abduction';
  }
  const thrown = m ? null : THROWN.exec(sentence);
  if (thrown && realised(sentence, thrown.index, 'grenade attack')) {
    m = thrown;
    noun = 'grenade attack';
  }
  const fired = m ? null : FIRED_ON.exec(sentence);
  if (
    fired &&
    !OPERATION.test(sentence.slice(0, fired.index)) &&
    realised(sentence, fired.index, 'shooting')
  ) {
    m = fired;
    noun = 'shooting';
  }
  const mine = m ? null : MINE_STRIKE.exec(sentence);
  if (mine) {
    m = mine;
    noun = 'mine blast';
  }
  // "A suicide bomber drove a car ... into a checkpoint, killing soldiers who ...": an agent that
  // killed people the sentence does not count.
  const uncounted = UNCOUNTED_DEAD.test(sentence);
  for (const [re2, needsFigures] of [
    [ACT_VERB, false],
    [AGENT_NOUN, true],
  ] as const) {
    if (m || (needsFigures && !figures && !uncounted)) continue;
    const v = re2.exec(sentence);
    const n = v ? (ATTACK_VERBS[(v[1] ?? '').toLowerCase()] ?? 'attack') : undefined;
    if (v && n && realised(sentence, v.index, n)) {
      m = v;
      noun = n;
    }
  }
  if (!m || !noun) return undefined;
  // "Militants ambushed a vehicle on Sunday, ... missing since the attack": the act is where the
  // sentence first tells it, which is what its date is nearest to.
  const verb = ACT_VERB.exec(sentence);
  if (
    verb &&
    verb.index < m.index &&
    realised(sentence, verb.index, ATTACK_VERBS[(verb[1] ?? '').toLowerCase()] ?? 'attack')
  )
    m = verb;
  if (at !== undefined && m === toldByDay?.x)
    return {
      noun,
      start: offset + at,
      end: offset + at,
      // "The attack came two days after ...": what the sentence tells is another act.
      ...(toldByDay?.another && { another: true }),
      ...(killed && { killed }),
      ...(injured && { injured }),
    };
  return {
    noun,
    start: offset + m.index,
    end: offset + m.index + m[0].length,
    ...(killed && { killed }),
    ...(injured && { injured }),
  };
}

export interface EventCue {
  noun: string;
  year: string;
  start: number;
  end: number;
}

/** "the U.S. military's withdrawal from Afghanistan in 2021": an event noun and the year nearest it. */
export function scanEventCue(sentence: string, offset: number): EventCue | undefined {
  const m = EVENT.exec(sentence);
  if (!m) return undefined;
  let year: string | undefined;
  let distance = Number.POSITIVE_INFINITY;
  for (const y of sentence.matchAll(/\b(19[5-9]\d|20\d\d)\b/g)) {
    const d = Math.abs(y.index - m.index);
    // "since 2004" dates something else.
    if (/since\s*$/i.test(sentence.slice(Math.max(0, y.index - 7), y.index))) continue;
    if (d < distance && d < 80) {
      distance = d;
      year = y[1];
    }
  }
  if (!year) return undefined;
  return {
    noun: (m[1] ?? '').toLowerCase(),
    year,
    start: offset + m.index,
    end: offset + m.index + m[0].length,
  };
}
