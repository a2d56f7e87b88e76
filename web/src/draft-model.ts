/** What the console reads of drafts (GET /api/drafts, /api/drafts/:id) and the edits it posts. */
export interface DraftSummary {
  id: string;
  title: string;
  source_url: string | null;
  published: string | null;
  created_at: string;
  created_by: string;
  state: 'open' | 'confirmed' | 'rejected';
  marking: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_note: string | null;
  report_id: string | null;
  counts: Record<string, number>;
}

export const MARKING_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;

export const draftHref = (id: string) => `#/drafts/${encodeURIComponent(id)}`;

export interface DraftItem {
  key: string;
  kind: string;
  name: string;
  decision: 'proposed' | 'accepted' | 'rejected';
  confidence: number;
  mergeWith?: string;
  data: Record<string, unknown>;
  evidence: {
    start: number;
    end: number;
    sentenceStart: number;
    sentenceEnd: number;
    rule: string;
    confidence: number;
  }[];
}

export type ItemEdit =
  | { key: string; decision?: DraftItem['decision']; name?: string; mergeWith?: string | null }
  | { kind: string; decision: DraftItem['decision'] };

export interface Draft extends DraftSummary {
  text: string;
  items: DraftItem[];
}
