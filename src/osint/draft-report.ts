import { TLP_MARKINGS, type TlpLevel } from '../stix/markings-tlp.js';
import type { JsonObject } from '../stix/types.js';
import type { DraftContent, DraftItem } from './draft-types.js';
import type { Casualties, IncidentData, LocationData } from './osint-types.js';

/** Longest excerpt of the article kept in the report's description. */
export const MAX_EXCERPT = 8000;

export type BuildError =
  | { code: 'nothing-accepted'; message: string }
  | { code: 'bad-marking'; message: string };

export type BuildResult =
  | { ok: true; objects: JsonObject[]; reportId: string }
  | ({ ok: false } & BuildError);

export function markingIdOf(level: string): string | undefined {
  return TLP_MARKINGS.find((m) => m.version === '2.0' && m.level === (level as TlpLevel))?.id;
}

function casualtyText(label: string, c: Casualties | undefined): string | undefined {
  return c ? `${c.approximate ? 'about ' : ''}${c.value} ${label} ("${c.text}")` : undefined;
}

function incidentDescription(d: IncidentData, place: string | undefined): string {
  const parts = [
    `${d.noun.charAt(0).toUpperCase()}${d.noun.slice(1)}${place ? ` at ${place}` : ''}${d.date ? ` on ${d.date}` : ''}`,
    casualtyText('killed', d.killed),
    casualtyText('injured', d.injured),
  ].filter((p): p is string => p !== undefined);
  return `${parts.join('; ')}. As stated by the source article.`;
}

/** The STIX object an item makes, without common properties; undefined when STIX cannot say it. */
function bodyOf(item: DraftItem, names: Map<string, string>): JsonObject | undefined {
  const d = item.data;
  switch (d.kind) {
    case 'group': {
      const aliases = [...new Set(d.aliases.filter((a) => a !== item.name))].slice(0, 30);
      return { type: d.stixType, name: item.name, ...(aliases.length > 0 && { aliases }) };
    }
    case 'identity':
      return {
        type: 'identity',
        name: item.name,
        identity_class: 'organization',
        ...(d.sector && { sectors: [d.sector] }),
      };
    case 'location': {
      const l = d as LocationData;
      const where: JsonObject = {};
      if (l.country) where.country = l.country;
      if (l.region) where.region = l.region;
      if (l.placeKind === 'province') where.administrative_area = item.name;
      if (l.latitude !== undefined && l.longitude !== undefined) {
        where.latitude = l.latitude;
        where.longitude = l.longitude;
      }
      // A location needs a region, a country or coordinates (STIX 2.1, 4.11).
      if (Object.keys(where).length === 0) return undefined;
      return { type: 'location', name: item.name, ...where };
    }
    case 'incident':
      return {
        type: 'incident',
        name: item.name,
        description: incidentDescription(d, d.place ? names.get(d.place) : undefined),
      };
    case 'event':
      return {
        type: 'note',
        abstract: item.name,
        content: `Event named by the source article: ${item.name}${d.date ? ` (${d.date})` : ''}${d.place && names.get(d.place) ? `, ${names.get(d.place)}` : ''}.`,
      };
    case 'indicator':
      return {
        type: 'indicator',
        name: d.value,
        pattern: d.pattern,
        pattern_type: 'stix',
        indicator_types: ['malicious-activity'],
      };
    case 'vulnerability':
      return {
        type: 'vulnerability',
        name: d.cve,
        external_references: [{ source_name: 'cve', external_id: d.cve }],
      };
    case 'relationship':
      return undefined;
  }
}

/**
 * The objects a confirmed draft stores: a report of the article (title, published, the source as
 * an external reference, an excerpt) referring to one object per accepted or proposed item, and
 * the relationships between them; items merged with a stored object use its id. Every object
 * carries the draft's marking. Ids come from `newUuid`, time from `now`.
 */
export function buildDraftReport(draft: DraftContent, now: Date, newUuid: () => string): BuildResult {
  const marking = markingIdOf(draft.marking);
  if (!marking)
    return { ok: false, code: 'bad-marking', message: `marking "${draft.marking}" must be a TLP level` };
  const at = now.toISOString();
  const common = (type: string): JsonObject => ({
    type,
    spec_version: '2.1',
    id: `${type}--${newUuid()}`,
    created: at,
    modified: at,
    object_marking_refs: [marking],
  });
  const kept = draft.items.filter((i) => i.decision !== 'rejected');
  const names = new Map(kept.map((i) => [i.key, i.name]));
  const idOf = new Map<string, string>();
  const objects: JsonObject[] = [];
  const refs: string[] = [];
  const notes: JsonObject[] = [];
  for (const item of kept) {
    if (item.kind === 'relationship') continue;
    if (item.mergeWith) {
      idOf.set(item.key, item.mergeWith);
      refs.push(item.mergeWith);
      continue;
    }
    const body = bodyOf(item, names);
    if (!body) continue;
    const obj = { ...common(body.type as string), ...body };
    if (obj.type === 'indicator')
      obj.valid_from = draft.meta.published ? new Date(draft.meta.published).toISOString() : at;
    idOf.set(item.key, obj.id as string);
    if (obj.type === 'note') notes.push(obj);
    else objects.push(obj);
    refs.push(obj.id as string);
  }
  for (const item of kept) {
    if (item.data.kind !== 'relationship') continue;
    const source = idOf.get(item.data.source);
    const target = idOf.get(item.data.target);
    if (!source || !target) continue;
    const rel: JsonObject = {
      ...common('relationship'),
      relationship_type: item.data.type,
      source_ref: source,
      target_ref: target,
    };
    objects.push(rel);
    refs.push(rel.id as string);
  }
  if (refs.length === 0) {
    return {
      ok: false,
      code: 'nothing-accepted',
      message: 'no item is accepted: accept at least one, or reject the draft',
    };
  }
  const title = draft.meta.title?.trim() || draft.text.split('\n')[0]?.slice(0, 200) || 'Open-source article';
  const excerpt = draft.text.length > MAX_EXCERPT ? `${draft.text.slice(0, MAX_EXCERPT)}…` : draft.text;
  const report: JsonObject = {
    ...common('report'),
    name: title,
    published: draft.meta.published ? new Date(draft.meta.published).toISOString() : at,
    report_types: ['threat-report'],
    description: excerpt,
    object_refs: [...new Set(refs)],
    ...(draft.meta.sourceUrl && {
      external_references: [{ source_name: 'open-source article', url: draft.meta.sourceUrl }],
    }),
  };
  for (const n of notes) n.object_refs = [report.id as string];
  return { ok: true, objects: [...objects, report, ...notes], reportId: report.id as string };
}
