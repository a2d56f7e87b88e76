import { type EntityHit, scanEntities } from './entity-scan.js';
import type { Gazetteer } from './gazetteer-build.js';
import { gatherIncidents } from './incident-events.js';
import { scanEventCue } from './incident-scan.js';
import { patternOf, scanIocs } from './ioc-scan.js';
import { evidenceOf, ItemSet } from './item-set.js';
import type { ArticleMeta, Extraction, ItemData, LocationData } from './osint-types.js';
import { MODEL_RULE } from './place-model-scan.js';
import { relateItems } from './relation-scan.js';
import { keyOf } from './text-fold.js';
import { splitSentences } from './text-sentences.js';
import { tokenize } from './text-tokens.js';

type CityChoice = Extract<EntityHit['entry'], { kind: 'city' }>['choices'][number];

/**
 * Which of the cities a name may mean the article means: one in a country the article names,
 * the country named nearest the mention first ("St Petersburg ... Russia", "Hanover, in
 * Pennsylvania, United States"); else the first choice (an exonym's own country, then the most
 * populous).
 */
function chooseCity(
  choices: readonly CityChoice[],
  at: number,
  named: readonly { code: string; start: number }[],
): CityChoice | undefined {
  let best: CityChoice | undefined;
  let distance = Number.POSITIVE_INFINITY;
  for (const c of choices)
    for (const n of named) {
      const d = Math.abs(n.start - at);
      if (n.code === c.country && d < distance) {
        best = c;
        distance = d;
      }
    }
  const first = choices[0];
  // "atrocities in Moscow and Iran" in an article that names the United States elsewhere is
  // Moscow, Russia: a namesake a tenth the size wins only with its country right beside it.
  if (
    best &&
    first &&
    best !== first &&
    distance > NEAR_COUNTRY &&
    first.population >= MAJOR_CITY &&
    best.population * 10 < first.population
  )
    return first;
  return best ?? first;
}
const NEAR_COUNTRY = 40;
const MAJOR_CITY = 1_000_000;

/** An entity hit as an item (key, name, data). */
function itemOfEntity(
  h: EntityHit,
  g: Gazetteer,
  named: readonly { code: string; start: number }[],
): { key: string; name: string; data: ItemData } {
  const e = h.entry;
  switch (e.kind) {
    case 'group':
      return {
        key: keyOf('group', e.name),
        name: e.name,
        data: {
          kind: 'group',
          stixType: e.stixType,
          aliases: [...e.aliases],
          source: e.storedId ?? e.source,
        },
      };
    case 'organisation':
      return {
        key: keyOf('identity', e.name),
        name: e.name,
        data: { kind: 'identity', sector: e.sector, ...(e.country !== undefined && { country: e.country }) },
      };
    case 'country':
      return {
        key: keyOf('location', e.name),
        name: e.name,
        data: { kind: 'location', placeKind: 'country', country: e.code },
      };
    case 'region':
      return {
        key: keyOf('location', e.name),
        name: e.name,
        data: { kind: 'location', placeKind: 'region', region: e.region },
      };
    case 'water':
      return {
        key: keyOf('location', e.name),
        name: e.name,
        data: { kind: 'location', placeKind: 'water', latitude: e.latitude, longitude: e.longitude },
      };
    case 'city': {
      const c = chooseCity(e.choices, h.start, named);
      const country = c ? g.countries.get(c.country) : undefined;
      // The entry's name is its first choice's (or the exonym); another choice goes by its own.
      const name = !c || c === e.choices[0] ? e.name : c.name;
      return {
        key: keyOf('location', name),
        name,
        data: {
          kind: 'location',
          placeKind: 'city',
          ...(c && { country: c.country, latitude: c.latitude, longitude: c.longitude }),
          ...(country && { within: keyOf('location', country.name) }),
        },
      };
    }
    case 'province':
    case 'place': {
      const country = g.countries.get(e.country);
      return {
        key: keyOf('location', e.name),
        name: e.name,
        data: {
          kind: 'location',
          placeKind: e.kind === 'province' ? 'province' : e.placeKind,
          country: e.country,
          ...(country && { within: keyOf('location', country.name) }),
          ...(e.kind === 'place' && e.within !== undefined && { within: keyOf('location', e.within) }),
        },
      };
    }
    case 'venue':
      return { key: keyOf('location', e.name), name: e.name, data: { kind: 'location', placeKind: 'venue' } };
  }
}

export interface ExtractOptions {
  /** The publication date relative dates in the text resolve against. */
  published?: Date;
}

/**
 * Everything the text supports, each item with its evidence. Pure: the gazetteer comes in,
 * nothing is read or fetched. Text in scripts the gazetteer does not cover yields no names
 * (names match whole Latin-script tokens with the casing of the alias).
 */
export function extractArticle(text: string, g: Gazetteer, opts: ExtractOptions = {}): Extraction[] {
  const items = new ItemSet();
  const sentences = splitSentences(text);
  const tokens = tokenize(text);
  const hits = scanEntities(text, tokens, sentences, g);
  const hitItems: { hit: EntityHit; item: Extraction }[] = [];
  const named = hits.flatMap((h) =>
    h.entry.kind === 'country' ? [{ code: h.entry.code, start: h.start }] : [],
  );
  // A province counts only in an article about its country (named, or a city's): 4,000 names
  // across the world otherwise match names the article means as something else.
  const countriesNamed = new Set(named.map((n) => n.code));
  for (const h of hits) if (h.entry.kind === 'city') countriesNamed.add(h.entry.choices[0]?.country ?? '');
  for (const found of hits) {
    let h = found;
    if (h.entry.kind === 'province') {
      const { country, also = [] } = h.entry;
      const chosen = [country, ...also].find((c) => countriesNamed.has(c));
      if (chosen === undefined) continue;
      if (chosen !== country) h = { ...h, entry: { ...h.entry, country: chosen } };
    }
    const it = itemOfEntity(h, g, named);
    // "Zamfara State", "Lac Province": the unit word the text names the place with is its name's.
    const unit =
      it.data.kind === 'location' && (it.data as LocationData).placeKind === 'province'
        ? (/^ (?:State|Province|Region|Governorate|Department|District|County|Prefecture)\b/.exec(
            text.slice(h.end, h.end + 14),
          )?.[0].length ?? 0)
        : 0;
    const item = items.add(
      it.key,
      it.name,
      it.data,
      evidenceOf(sentences, h.start, h.end + unit, h.rule, h.confidence),
    );
    hitItems.push({ hit: h, item });
  }
  // A venue lies in the city or country named just before it ("Moscow's Crocus City Hall").
  for (let i = 0; i < hitItems.length; i++) {
    const { hit, item } = hitItems[i] as (typeof hitItems)[number];
    if (hit.entry.kind !== 'venue') continue;
    const prev = hitItems[i - 1];
    const next = hitItems[i + 1];
    const data = item.data as LocationData;
    // ... or just after it: "Mindanao State University in Marawi", "Hayat Hotel, Mogadishu".
    // "the Dimaporo Gymnasium of Mindanao State University": the one after "of" holds it.
    const around =
      prev &&
      prev.item.kind === 'location' &&
      hit.start - prev.hit.end <= 4 &&
      !/\bof\s$/.test(text.slice(prev.hit.end, hit.start))
        ? prev
        : next &&
            next.item.kind === 'location' &&
            /^(?: in |, | of )$/.test(text.slice(hit.end, next.hit.start))
          ? next
          : undefined;
    if (around && !data.within) {
      const p = around.item.data as LocationData;
      data.within = around.item.key;
      if (p.country) data.country = p.country;
      if (p.latitude !== undefined && p.longitude !== undefined) {
        data.latitude = p.latitude;
        data.longitude = p.longitude;
      }
    }
  }
  for (const hit of scanIocs(text, g)) {
    if (hit.kind === 'vulnerability') {
      items.add(
        keyOf('vulnerability', hit.cve),
        hit.cve,
        { kind: 'vulnerability', cve: hit.cve },
        evidenceOf(sentences, hit.start, hit.end, 'ioc:cve', 0.99),
      );
    } else {
      items.add(
        `indicator:${hit.type}:${hit.value}`,
        hit.value,
        {
          kind: 'indicator',
          type: hit.type,
          value: hit.value,
          pattern: patternOf(hit.type, hit.value),
          defanged: hit.defanged,
        },
        evidenceOf(
          sentences,
          hit.start,
          hit.end,
          hit.defanged ? `ioc:${hit.type}:defanged` : `ioc:${hit.type}`,
          hit.defanged ? 0.95 : 0.85,
        ),
      );
    }
  }
  // A place only the model took is reported as a place but places no attack: measured on our
  // labelled sets, the attacks it placed were more often wrong than the coarser place the
  // rules give them.
  gatherIncidents(
    text,
    sentences,
    hitItems.filter((h) => h.hit.rule !== MODEL_RULE),
    items,
    opts.published,
  );
  for (const s of sentences) {
    const sentence = text.slice(s.start, s.end);
    const ev = scanEventCue(sentence, s.start);
    if (ev) {
      const name = `${ev.year} ${ev.noun}`;
      const place = hitItems.find(
        (p) =>
          p.hit.start > ev.start &&
          p.hit.end <= s.end &&
          p.item.kind === 'location' &&
          (p.item.data as LocationData).placeKind === 'country',
      );
      items.add(
        keyOf('event', name),
        name,
        { kind: 'event', noun: ev.noun, date: ev.year, ...(place && { place: place.item.key }) },
        evidenceOf(sentences, ev.start, ev.end, 'event:noun-and-year', 0.6),
      );
    }
  }
  relateItems(text, sentences, items);
  return items.list();
}

/** Splits the caller's meta into the options extraction needs. */
export function extractOptionsOf(meta: ArticleMeta): ExtractOptions {
  if (!meta.published) return {};
  const d = new Date(meta.published);
  return Number.isNaN(d.getTime()) ? {} : { published: d };
}
