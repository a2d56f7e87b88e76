import type { DraftState } from '../osint/draft-types.js';

/*
 * The JSON the console API sends, written once: the server builds these and the web console
 * (web/src) reads them through `import type`, which vanishes at build. Types only, importing
 * only other pure type modules, so the web's typecheck can read this file without Node's types
 * and a change of shape fails to compile on both sides at once.
 */

/** The summary of an object the console lists: enough to label a row, a node or a point. */
export interface ObjectSummary {
  id: string;
  type: string;
  name: string;
  created: string | null;
  modified: string | null;
  /** When it happened, if the type says: first_seen, published, last_seen, else created. */
  when: string | null;
  markings: string[];
}

/** A stored object a draft item may be merged with: what an analyst needs to pick it. */
export interface MergeCandidate {
  id: string;
  type: string;
  name: string;
  aliases: string[];
  /** How the query matched: the whole name or alias, its start, or inside it. */
  match: 'exact' | 'prefix' | 'contains';
  /** The name or alias that matched. */
  matched: string;
  modified: string | null;
}

/** One ledger entry as the audit page lists it. */
export interface AuditRow {
  index: number;
  kind: string;
  time: string;
  sentence: string;
  /** Only when opened. */
  actor?: string;
  /** The public part (version 2) or, when opened, the whole entry. */
  entry: Record<string, unknown>;
  /** False when the row could not be decoded or opened (the sentence says why). */
  readable: boolean;
}

export interface DraftSummary {
  id: string;
  title: string;
  source_url: string | null;
  published: string | null;
  created_at: string;
  created_by: string;
  state: DraftState;
  marking: string;
  updated_at: string;
  updated_by: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_note: string | null;
  report_id: string | null;
  /** Items per kind (all decisions). */
  counts: Record<string, number>;
}

/** Why a relay did not take a post: the whole post refused or failed, or one envelope refused. */
export type PushFailureReason =
  | 'unauthenticated'
  | 'too-large'
  | 'rate-limited'
  | 'unreachable'
  | 'relay-error'
  | 'envelope-refused';

/** A post to a relay that was refused or could not be made. */
export interface PushFailure {
  sequence: number;
  reason: PushFailureReason;
  message: string;
  attemptedAt: string;
  resolvedAt: string | null;
}

/** One hub our feedback goes to: its envelopes, those the relay has not taken, open refusals. */
export interface FeedbackOutbox {
  hub: string;
  envelopes: number;
  unposted: number;
  lastPost: string | null;
  refusedPosts: PushFailure[];
}

/** Where one release to a partner reached through a relay stands. */
export type RelayReleaseStatus = 'not-sealed' | 'sealed' | 'handed-to-relay' | 'delivered';

export interface RelayReleaseRow {
  releaseId: string;
  derivedId: string;
  releasedAt: string;
  recalled: boolean;
  status: RelayReleaseStatus;
  /** The envelope that carried it, its relay ledger index (the relay's receipt), and when. */
  sequence: number | null;
  relayIndex: number | null;
  sealedAt: string | null;
  postedAt: string | null;
  deliveredAt: string | null;
}

export interface RelayDeliveryView {
  relayUrl: string;
  recipient: string;
  envelopes: number;
  lastPush: string | null;
  /** The highest sequence the relay reports delivered to the partner (its acknowledgement). */
  lastDelivered: number | null;
  /** Envelopes sealed but not yet taken by the relay (a post refused or the relay unreachable). */
  unposted: number;
  /** Posts the relay refused or could not take that no later push has resolved, newest first. */
  refusedPosts: PushFailure[];
  releases: RelayReleaseRow[];
  /** More releases than `limit` exist; the newest are shown. */
  truncated: boolean;
}

export interface TimelineBucket {
  /** The first day of the bucket, YYYY-MM-DD (UTC). */
  start: string;
  incident: number;
  report: number;
  sighting: number;
  /** Campaigns, intrusion sets and threat actors first or last seen then. */
  actor: number;
  release: number;
  /** Names of the incidents in the bucket (the first few), so a bar says what happened. */
  incidents?: string[];
}

/** Per partner, how many releases fell in each bucket (aligned with the buckets). */
export interface TimelineLane {
  partner: string;
  counts: number[];
}

/** One item of the combined diff: what the copy leaves out, by path and rule. */
export interface DiffItem {
  id: string;
  object_id: string;
  type: string;
  title: string;
  removed: { path: string; rule: string }[];
  approvals: number;
  approvals_required: number;
}

/**
 * What an officer confirms: every selected item with its removals, totals by rule and type, and
 * a digest of the items as they stand (ids and fingerprints). A bulk decision names the digest
 * it was shown; if any item changed since, the selection's digest differs and nothing is decided.
 */
export interface CombinedDiff {
  partner_id: string;
  count: number;
  digest: string;
  by_rule: Record<string, number>;
  by_type: Record<string, number>;
  items: DiffItem[];
}

export interface BulkOutcome {
  decided: number;
  released: number;
  /** Approved by enough officers, waiting for the objects they reference. */
  approved: number;
  /** Still short of approvals (the first officer of two). */
  pending: number;
  denied: number;
  /** Items this officer could not decide, each with why (its own checks, as one at a time). */
  refused: { id: string; code: string; message: string }[];
}
