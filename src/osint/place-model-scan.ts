import type { EntityHit } from './entity-scan.js';
import type { Gazetteer } from './gazetteer-build.js';
import { countryOfHit } from './hit-country.js';
import { placeHit, UNIT } from './place-context-scan.js';
import { placeCandidates, placeProbability } from './place-model.js';
import { foldName } from './text-fold.js';
import { type Sentence, sentenceAt } from './text-sentences.js';
import { PEOPLES_ADJECTIVE, type Token } from './text-tokens.js';

/** The rule of a place only the model found. */
export const MODEL_RULE = 'place:model';

/** The rule of a place the model found and the text puts inside a place it names: it may place an attack. */
export const MODEL_WITHIN_RULE = 'place:model-within';
// ", in Soum province", ", also in Bama LGA", ", Tillabéri region": the place it lies in.
const INSIDE = /^,\s+(?:(?:also\s+)?in\s+)?(?:the\s+)?/;
// ... or past a unit of its own the lists do not hold: ", Koro cercle, Mopti region, Mali".
const INSIDE_PAST_UNIT =
  /^,\s+\p{Lu}[\p{L}'’-]*\s+(?:cercle|district|county|commune|department|province|region|state|territory|lga|municipality|prefecture),\s+/u;

// The context scan's unit words, and "department" ("Diffa department").
const UNITS: ReadonlySet<string> = new Set([...UNIT, 'department']);
// How far back a country or known place still says where an unknown name lies.
const COUNTRY_REACH = 1500;

/**
 * Names the place model takes as places (place-model.ts), each in the country of the place the
 * text named last before it, else the country the article names most; with no country named
 * at all, or two in its sentence, it is left out: a place nobody can put on a map, or one that
 * could be in either.
 */
export function scanModelPlaces(
  text: string,
  tokens: readonly Token[],
  hits: readonly EntityHit[],
  sentences: readonly Sentence[],
  g: Gazetteer,
): EntityHit[] {
  const model = g.placeModel;
  if (!model) return [];
  const placed = hits
    .flatMap((h) => {
      const c = countryOfHit(h);
      return c ? [{ start: h.start, country: c }] : [];
    })
    .sort((a, b) => a.start - b.start);
  if (placed.length === 0) return [];
  const tally = new Map<string, number>();
  for (const p of placed) tally.set(p.country, (tally.get(p.country) ?? 0) + 1);
  const most = [...tally].sort((a, b) => b[1] - a[1])[0]?.[0] as string;
  // A name a rule already took is that rule's wherever else it appears (entity-scan.ts's
  // otherMentions), not the model's.
  const named = new Set(hits.map((h) => foldName(text.slice(h.start, h.end))));
  const hitAt = new Map(hits.map((h) => [h.start, h]));
  const out: EntityHit[] = [];
  for (const c of placeCandidates(text, tokens, hits, g.commonWords)) {
    // "the Syrian state": a people's adjective is never a place's name, whatever surrounds it.
    if (named.has(foldName(c.name)) || PEOPLES_ADJECTIVE.test(c.name) || g.demonyms.has(foldName(c.name)))
      continue;
    const p = placeProbability(model, c.features);
    if (p < model.threshold) continue;
    // "Troops from Rwanda and Uganda moved into Tarvash": with two countries in its sentence,
    // which one holds it is a guess, and a place in the wrong country misleads more than none.
    const s = sentenceAt(sentences, c.start);
    const around = new Set(
      s ? placed.filter((h) => h.start >= s.start && h.start < s.end).map((h) => h.country) : [],
    );
    if (around.size > 1) continue;
    let country = most;
    for (let lo = 0, hi = placed.length - 1; lo <= hi; ) {
      const mid = (lo + hi) >> 1;
      const at = placed[mid] as (typeof placed)[number];
      if (at.start < c.start) {
        if (c.start - at.start <= COUNTRY_REACH) country = at.country;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // A division the gazetteer knows (left out for naming no country the article is about), or
    // one the text calls a unit ("Jere LGA"), ranks as a province, not as the town an attack was in.
    const known = g.index.matchAt(tokens, c.from);
    const division =
      known?.to === c.to && known.alias.entry.kind === 'province' ? known.alias.entry : undefined;
    const unit = UNITS.has(tokens[c.to]?.fold ?? '');
    // "that of Gaskindé, in Soum province", "residents of Dar-Jamal, also in Bama LGA": the text
    // itself puts it inside a place it names, which it is more specific than.
    const after = text.slice(c.end, c.end + 48);
    const outer = [INSIDE, INSIDE_PAST_UNIT]
      .map((re) => re.exec(after)?.[0].length)
      .map((n) => (n === undefined ? undefined : hitAt.get(c.end + n)))
      .find((h) => h !== undefined);
    const outerCountry = outer ? countryOfHit(outer) : undefined;
    const within = outer !== undefined && outerCountry !== undefined && !division && !unit;
    out.push(
      placeHit(
        text,
        tokens,
        c.from,
        c.to,
        {
          placeKind: division || unit ? 'province' : 'city',
          country: division?.country ?? outerCountry ?? country,
          ...(within && { within: outer.entry.name }),
        },
        within ? MODEL_WITHIN_RULE : MODEL_RULE,
        Math.round(p * 100) / 100,
      ),
    );
  }
  return out;
}
