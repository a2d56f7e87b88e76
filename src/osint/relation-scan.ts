import { evidenceOf, type ItemSet } from './item-set.js';
import type { Extraction, IncidentData, RelationshipType } from './osint-types.js';
import type { Sentence } from './text-sentences.js';

const RESPONSIBILITY =
  /\b(claimed|claim(?:ed|s)? responsibility|responsible|carried out|orchestrated|attributed|blamed|perpetrated|behind|staged)\b/i;
const TARGETING =
  /\b(target(?:s|ed|ing)?|attack(?:s|ed|ing)? (?:on|in|against)|struck|plott(?:ed|ing) (?:attacks? )?(?:in|against|on))\b/i;

function inSentence(item: Extraction, s: Sentence): number | undefined {
  for (const e of item.evidence) if (e.start >= s.start && e.end <= s.end) return e.start;
  return undefined;
}

function relate(
  items: ItemSet,
  sentences: readonly Sentence[],
  type: RelationshipType,
  source: Extraction,
  target: Extraction,
  s: Sentence,
  rule: string,
  confidence: number,
): void {
  const key = `relationship:${type}:${source.key}->${target.key}`;
  items.add(
    key,
    `${source.name} ${type} ${target.name}`,
    { kind: 'relationship', type, source: source.key, target: target.key },
    evidenceOf(sentences, s.start, s.end, rule, confidence),
  );
}

/**
 * Relationships a sentence supports: an incident attributed to a group the same sentence names
 * (surer with "claimed", "carried out"...), located at its place; a group that targets a place or
 * an organisation named after a targeting verb; an indicator that indicates a group named in
 * the same paragraph (the article's only group when the indicators stand in a list of their own).
 */
export function relateItems(text: string, sentences: readonly Sentence[], items: ItemSet): void {
  const all = items.list();
  const groups = all.filter((i) => i.kind === 'group');
  const incidents = all.filter((i) => i.kind === 'incident');
  for (const s of sentences) {
    const sentence = text.slice(s.start, s.end);
    const groupsHere = groups.filter((g) => inSentence(g, s) !== undefined);
    for (const inc of incidents) {
      if (inSentence(inc, s) === undefined) continue;
      const cue = RESPONSIBILITY.test(sentence);
      for (const g of groupsHere)
        relate(
          items,
          sentences,
          'attributed-to',
          inc,
          g,
          s,
          cue ? 'relation:responsibility' : 'relation:same-sentence',
          cue ? 0.8 : 0.5,
        );
      const place = (inc.data as IncidentData).place;
      const loc = place ? items.get(place) : undefined;
      if (loc) relate(items, sentences, 'located-at', inc, loc, s, 'relation:incident-place', 0.7);
    }
    const verb = TARGETING.exec(sentence);
    if (verb && groupsHere.length > 0) {
      const at = s.start + verb.index;
      for (const t of all) {
        if (t.kind !== 'location' && t.kind !== 'identity') continue;
        const where = inSentence(t, s);
        if (where === undefined || where < at) continue;
        for (const g of groupsHere)
          if ((inSentence(g, s) as number) < at)
            relate(items, sentences, 'targets', g, t, s, 'relation:targeting-verb', 0.6);
      }
    }
  }
  const indicators = all.filter((i) => i.kind === 'indicator');
  if (indicators.length === 0 || groups.length === 0) return;
  const paragraphOf = (at: number) => {
    const start = text.lastIndexOf('\n\n', at) + 1;
    const end = text.indexOf('\n\n', at);
    return { start, end: end < 0 ? text.length : end };
  };
  for (const ind of indicators) {
    const first = ind.evidence[0];
    if (!first) continue;
    const p = paragraphOf(first.start);
    const near = groups.filter((g) => g.evidence.some((e) => e.start >= p.start && e.end <= p.end));
    const s = sentences.find((x) => x.start <= first.start && first.end <= x.end) ?? {
      start: first.start,
      end: first.end,
    };
    if (near.length > 0)
      for (const g of near) relate(items, sentences, 'indicates', ind, g, s, 'relation:same-paragraph', 0.6);
    else if (groups.length === 1)
      relate(items, sentences, 'indicates', ind, groups[0] as Extraction, s, 'relation:only-group', 0.4);
  }
}
