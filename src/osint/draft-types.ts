import type { ArticleMeta, Extraction } from './osint-types.js';

export const ITEM_DECISIONS = ['proposed', 'accepted', 'rejected'] as const;
export type ItemDecision = (typeof ITEM_DECISIONS)[number];

export const DRAFT_STATES = ['open', 'confirmed', 'rejected'] as const;
export type DraftState = (typeof DRAFT_STATES)[number];

/** An extraction as the analyst reviews it: a decision, an edited name, an existing object to merge with. */
export interface DraftItem extends Extraction {
  decision: ItemDecision;
  /** The stored object this item is (its id is used, nothing new is made). */
  mergeWith?: string;
}

/** What a draft holds besides its bookkeeping: the article and the items it supports. */
export interface DraftContent {
  meta: ArticleMeta;
  text: string;
  items: DraftItem[];
  /** A TLP level for every object made from the draft. */
  marking: string;
}

/**
 * Proposed items start accepted when the extractor is fairly sure, proposed otherwise; a
 * confirmed draft takes accepted and proposed items alike, so "proposed" is a flag for review.
 */
export const ACCEPT_FROM_CONFIDENCE = 0.7;

export function draftItemsOf(items: readonly Extraction[]): DraftItem[] {
  return items.map((i) => ({
    ...i,
    decision: i.confidence >= ACCEPT_FROM_CONFIDENCE ? 'accepted' : 'proposed',
  }));
}

/** An analyst's change to one item or to every item of one kind. */
export type ItemEdit =
  | { key: string; decision?: ItemDecision; name?: string; mergeWith?: string | null }
  | { kind: Extraction['kind']; decision: ItemDecision };

export type EditError = { code: 'unknown-item'; message: string } | { code: 'bad-edit'; message: string };

/** The stored types an item of each kind may be merged with (events and relationships are not merged). */
export const MERGE_TYPES: Readonly<Record<string, readonly string[]>> = {
  group: ['intrusion-set', 'threat-actor'],
  identity: ['identity'],
  location: ['location'],
  incident: ['incident'],
  indicator: ['indicator'],
  vulnerability: ['vulnerability'],
};

const MAX_NAME = 300;
const STIX_ID = /^[a-z][a-z0-9-]{0,60}--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Applies edits in order; all or nothing. */
export function applyEdits(
  items: readonly DraftItem[],
  edits: readonly ItemEdit[],
): { ok: true; items: DraftItem[] } | ({ ok: false } & EditError) {
  const next = items.map((i) => ({ ...i }));
  for (const [n, e] of edits.entries()) {
    if ('kind' in e) {
      let any = false;
      for (const i of next) {
        if (i.kind !== e.kind) continue;
        i.decision = e.decision;
        any = true;
      }
      if (!any)
        return {
          ok: false,
          code: 'unknown-item',
          message: `edit ${n + 1}: the draft has no ${e.kind} items`,
        };
      continue;
    }
    const item = next.find((i) => i.key === e.key);
    if (!item)
      return { ok: false, code: 'unknown-item', message: `edit ${n + 1}: the draft has no item ${e.key}` };
    if (e.decision !== undefined) item.decision = e.decision;
    if (e.name !== undefined) {
      const name = e.name.trim();
      if (name === '' || name.length > MAX_NAME)
        return {
          ok: false,
          code: 'bad-edit',
          message: `edit ${n + 1}: name must be 1-${MAX_NAME} characters`,
        };
      item.name = name;
    }
    if (e.mergeWith === null) delete item.mergeWith;
    else if (e.mergeWith !== undefined) {
      if (!STIX_ID.test(e.mergeWith))
        return {
          ok: false,
          code: 'bad-edit',
          message: `edit ${n + 1}: mergeWith must be a STIX id (type--uuid)`,
        };
      const types = MERGE_TYPES[item.kind] ?? [];
      const type = e.mergeWith.slice(0, e.mergeWith.indexOf('--'));
      if (!types.includes(type))
        return {
          ok: false,
          code: 'bad-edit',
          message:
            types.length === 0
              ? `edit ${n + 1}: a ${item.kind} item is not merged with a stored object`
              : `edit ${n + 1}: a ${item.kind} item merges only with ${types.join(' or ')} objects; ${e.mergeWith} is of type ${type}`,
        };
      item.mergeWith = e.mergeWith;
    }
  }
  return { ok: true, items: next };
}
