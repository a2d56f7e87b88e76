import type { Draft, DraftSummary, NewDraft } from './hub/osint-draft-store.js';
import type {
  LegacyRelease,
  SubmissionDetail,
  SubmissionQuery,
  SubmissionSummary,
  SubmissionWithContent,
} from './hub/submission-review-store.js';

/*
 * What an analyst's review writes through (src/release/osint-drafts.ts, submission-promote.ts):
 * drafts from open-source articles and partner submissions, each changed only while it is open
 * (a draft) or pending (a submission), so two reviewers racing cannot both decide it.
 */

/** Drafts from articles, apart from intel until an analyst confirms one. */
export interface DraftBook {
  create(d: NewDraft): Promise<void>;
  /** A draft with its text and items; undefined when there is none. */
  get(id: string): Promise<Draft | undefined>;
  /** False when the draft is no longer open. */
  update(id: string, u: { items: Draft['items']; marking: string; by: string; at: string }): Promise<boolean>;
  /** False when the draft is no longer open. */
  decide(
    id: string,
    d: { state: 'confirmed' | 'rejected'; by: string; at: string; note?: string; reportId?: string },
  ): Promise<boolean>;
}

/** Partner submissions as analysts promote or reject them. */
export interface SubmissionReviewer {
  /** A submission with what was sent and what it maps to; undefined when there is none. */
  get(number: number): Promise<SubmissionDetail | undefined>;
  /** Of the partner's objects, those already promoted, by their promoted id. */
  promotedIds(partnerId: string, objectIds: readonly string[]): Promise<Map<string, string>>;
  /** False when the submission is no longer pending. */
  decide(
    number: number,
    d: { state: 'promoted' | 'rejected'; by: string; at: string; note?: string; promotedId?: string },
  ): Promise<boolean>;
}

/** Drafts as the console lists them (reads only). */
export interface DraftList {
  /** Newest first; open ones unless `state` says otherwise. */
  list(q: { state?: DraftSummary['state'] | 'all'; limit: number }): Promise<DraftSummary[]>;
  get(id: string): Promise<Draft | undefined>;
  countOpen(): Promise<number>;
}

/** Partner submissions as the console lists them (reads only). */
export interface SubmissionList {
  listWithContent(q: SubmissionQuery): Promise<SubmissionWithContent[]>;
  get(number: number): Promise<SubmissionDetail | undefined>;
  countPending(): Promise<number>;
  /** For a submission stored as intel before migration 1300: the releases made of it then. */
  releasedFromLegacy(s: SubmissionSummary): Promise<LegacyRelease[]>;
}
