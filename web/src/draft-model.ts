import type { DraftItem as StoredDraftItem } from '../../src/osint/draft-types.js';
import type { DraftSummary } from '../../src/store/console-shapes.js';

export type { ItemEdit } from '../../src/osint/draft-types.js';
export type { DraftSummary };

// What the console reads of drafts (GET /api/drafts, /api/drafts/:id) and the edits it posts.

export const MARKING_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;

export const draftHref = (id: string) => `#/drafts/${encodeURIComponent(id)}`;

/** An item as the console shows it: its data read loosely, since each kind has its own fields. */
export type DraftItem = Omit<StoredDraftItem, 'data'> & { data: Record<string, unknown> };

export interface Draft extends DraftSummary {
  text: string;
  items: DraftItem[];
}
