/**
 * What the article extractor produces: items of a few kinds, each with the evidence that
 * supports it (where in the text, the sentence, which rule or list, how sure). Pure data.
 */

export const ITEM_KINDS = [
  'group',
  'identity',
  'location',
  'incident',
  'event',
  'indicator',
  'vulnerability',
  'relationship',
] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

export function isItemKind(v: unknown): v is ItemKind {
  return typeof v === 'string' && (ITEM_KINDS as readonly string[]).includes(v);
}

/** One place in the text that supports an item. Offsets are UTF-16 indices into the draft's text. */
export interface Evidence {
  start: number;
  end: number;
  /** The sentence around it (offsets too, so the console can highlight both). */
  sentenceStart: number;
  sentenceEnd: number;
  /** The rule or list that matched, e.g. 'gazetteer:misp-galaxy', 'ioc:defanged', 'incident:casualties'. */
  rule: string;
  /** 0..1: how likely the match is what the rule says it is. */
  confidence: number;
}

/** A date as precise as the text states it: YYYY, YYYY-MM or YYYY-MM-DD. */
export type StatedDate = string;

export interface Casualties {
  value: number;
  /** "hundreds", "about 130", "at least 84": the figure is not exact. */
  approximate: boolean;
  text: string;
}

export interface GroupData {
  kind: 'group';
  stixType: 'intrusion-set' | 'threat-actor';
  aliases: string[];
  /** Where the name came from: the galaxy entry's value or a stored object's id. */
  source: string;
}

export interface IdentityData {
  kind: 'identity';
  sector?: string;
  country?: string;
}

export interface LocationData {
  kind: 'location';
  placeKind: 'country' | 'province' | 'city' | 'region' | 'venue' | 'water' | 'feature';
  country?: string;
  region?: string;
  latitude?: number;
  longitude?: number;
  /** For a venue or city: the key of the city or country it lies in, when the text says. */
  within?: string;
}

export interface IncidentData {
  kind: 'incident';
  /** Key of the location item where it happened. */
  place?: string;
  date?: StatedDate;
  killed?: Casualties;
  injured?: Casualties;
  /** The noun the text used: attack, bombing, shooting... */
  noun: string;
}

export interface EventData {
  kind: 'event';
  noun: string;
  date?: StatedDate;
  place?: string;
  actor?: string;
}

export type IndicatorType =
  | 'ipv4-addr'
  | 'ipv6-addr'
  | 'domain-name'
  | 'url'
  | 'email-addr'
  | 'md5'
  | 'sha1'
  | 'sha256'
  | 'sha512';

export interface IndicatorData {
  kind: 'indicator';
  type: IndicatorType;
  /** Refanged. */
  value: string;
  pattern: string;
  defanged: boolean;
}

export interface VulnerabilityData {
  kind: 'vulnerability';
  cve: string;
}

export const RELATIONSHIP_TYPES = ['attributed-to', 'located-at', 'targets', 'indicates'] as const;
export type RelationshipType = (typeof RELATIONSHIP_TYPES)[number];

export interface RelationshipData {
  kind: 'relationship';
  type: RelationshipType;
  source: string;
  target: string;
}

export type ItemData =
  | GroupData
  | IdentityData
  | LocationData
  | IncidentData
  | EventData
  | IndicatorData
  | VulnerabilityData
  | RelationshipData;

/** One thing the text supports. `key` is stable within an article (kind plus normalised name). */
export interface Extraction {
  key: string;
  kind: ItemKind;
  name: string;
  data: ItemData;
  evidence: Evidence[];
  /** The best evidence's confidence. */
  confidence: number;
}

/** What the caller knows about the article besides its text. */
export interface ArticleMeta {
  title?: string;
  sourceUrl?: string;
  /** RFC 3339 or YYYY-MM-DD; relative dates in the text ("this year", "on Friday") resolve against it. */
  published?: string;
}
