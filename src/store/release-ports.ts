import type { AgreementVersion } from './hub/agreement-store.js';
import type { ObjectFacet } from './hub/object-facets.js';
import type { Partner } from './hub/partner-store.js';
import type { MemberSet } from './hub/release-pass-members.js';
import type { PassStateRow } from './hub/release-pass-state.js';
import type { ApprovalRow, OutcomeRow, QueueItem, ReleaseRecord } from './hub/release-store.js';

/*
 * The ports the release pipeline (src/release) reads and writes the hub's state through, named
 * for what it needs; the hub state stores of src/store/hub implement them on both engines.
 */

/** The partners a pass decides for. */
export interface PartnerDirectory {
  /** A partner by name or id; undefined when there is none. */
  get(nameOrId: string): Promise<Partner | undefined>;
  /** Every partner, by name. */
  list(): Promise<Partner[]>;
}

/** A partner's agreement versions, as set. */
export interface AgreementVersions {
  get(partnerId: string, version: number): Promise<AgreementVersion | undefined>;
  /** Every version of the partner's agreement, oldest first. */
  list(partnerId: string): Promise<AgreementVersion[]>;
}

/** What queue lists show of each object (title, type, labels, group); ids not held are left out. */
export interface FacetReader {
  of(ids: readonly string[]): Promise<Map<string, ObjectFacet>>;
}

/** Ids within `hops` references of the seeds, with their distance. */
export interface NeighbourhoodFinder {
  find(seeds: readonly string[], hops: number): Promise<ReadonlyMap<string, number>>;
}

/*
 * The release tables (release-store.ts) seen from each caller. A pass reads outcome keys and
 * writes outcomes; the queue and the approval read and close items; a publication or a recall
 * writes release records; the console reads counts and one item. The class implements all of them.
 */

/**
 * What a pass compares for each object: outcome, version and fingerprint, not the reasons; and
 * what references to the object resolve to for the partner as the pass that last decided it left
 * it (the copy's id, '' withheld, null unknown: migrations/outcome-references.ts).
 */
export type OutcomeKey = Pick<OutcomeRow, 'outcome' | 'object_version' | 'fingerprint'> & {
  reference_id?: string | null;
};

/** The outcomes a pass starts from. */
export interface OutcomeKeyReader {
  /** Every object's key for the partner: one query for a full pass. */
  outcomeKeysOfPartner(partnerId: string): Promise<Map<string, OutcomeKey>>;
  /** Some objects' keys only (an incremental pass reads what it decides); unknown ids are absent. */
  outcomeKeysOf(partnerId: string, objectIds: readonly string[]): Promise<Map<string, OutcomeKey>>;
  /** Objects waiting for the partner to get what they reference: tried again on every pass. */
  waitingObjectIds(partnerId: string): Promise<string[]>;
  /** What references to the objects resolve to for the partner, where recorded (see OutcomeKey). */
  referenceIdsOf(partnerId: string, objectIds: readonly string[]): Promise<Map<string, string>>;
}

/** Where decisions land: one row per (partner, object), replaced by the next decision. */
export interface OutcomeRecorder {
  putOutcome(o: OutcomeRow): Promise<void>;
  /** Many outcomes (of distinct objects) in few statements; joins the caller's transaction. */
  putOutcomes(rows: readonly OutcomeRow[]): Promise<void>;
  /** Records what references to objects resolve to, on their outcome rows (see OutcomeKey). */
  putReferenceIds(partnerId: string, refs: readonly (readonly [string, string])[]): Promise<void>;
  /**
   * Records the partner's outcome counts at `at` (the overseers' chart), when any differs from the
   * last record: a pass that changed nothing adds nothing. Joins the caller's transaction.
   */
  recordOutcomeCounts(partnerId: string, at: string): Promise<void>;
}

/** One queue item by id: undefined when there is none. */
export interface QueueItemReader {
  item(itemId: string): Promise<QueueItem | undefined>;
}

/** One officer's verdict on a queue item, and how they proved who they were and where from. */
export interface ApprovalVerdict {
  approver: string;
  verdict: 'approve' | 'deny';
  comment?: string | undefined;
  at: string;
  /** password, password+totp or key. */
  auth: string;
  /** The OS account of a CLI session or key, or `console` / `api`. */
  origin: string;
}

/** The approval queue as the pipeline and officers' verdicts change it. */
export interface ApprovalQueue extends QueueItemReader {
  /** The partner's pending or approved item for the object, if any. */
  openItem(partnerId: string, objectId: string): Promise<QueueItem | undefined>;
  /** Items approved but not yet released (they wait for what they reference), oldest first. */
  approvedItems(partnerId: string): Promise<QueueItem[]>;
  insertItem(i: Omit<QueueItem, 'state' | 'closed_at' | 'release_id'>): Promise<void>;
  closeItem(itemId: string, state: QueueItem['state'], at: string, releaseId: string | null): Promise<void>;
  setItemState(itemId: string, state: QueueItem['state']): Promise<void>;
  /** Approvals and denials given to the item as it is now (its fingerprint). */
  approvals(item: QueueItem): Promise<ApprovalRow[]>;
  /** False when this approver already decided on the item as it is now. */
  addApproval(item: QueueItem, v: ApprovalVerdict): Promise<boolean>;
}

/** Release records as receipts, reports and recalls read them. */
export interface ReleaseRecordReader {
  record(releaseId: string): Promise<ReleaseRecord | undefined>;
  /** The partner's records (of one original when named), oldest first. */
  records(partnerId: string, originalId?: string): Promise<ReleaseRecord[]>;
}

/** What a publication and a recall write: the record, then its recall. */
export interface ReleaseRecorder extends ReleaseRecordReader {
  insertRecord(r: Omit<ReleaseRecord, 'recalled_at' | 'recall_reason'>): Promise<void>;
  markRecalled(releaseId: string, at: string, reason: string): Promise<void>;
}

/** What the console shows of decisions and releases: per object, per partner, counted. */
export interface ReleaseSummaryReader extends QueueItemReader {
  outcome(partnerId: string, objectId: string): Promise<OutcomeRow | undefined>;
  /** Every outcome of one partner by object id, with its reasons. */
  outcomesOfPartner(partnerId: string): Promise<Map<string, OutcomeRow>>;
  /** Open queue items (pending or approved), oldest first; of one partner when named. */
  openItems(partnerId?: string): Promise<QueueItem[]>;
  /** Every partner's outcome for one object, by partner id. */
  outcomesOf(objectId: string): Promise<OutcomeRow[]>;
  /** The partner's outcomes counted by state. */
  countOutcomes(partnerId: string): Promise<Record<string, number>>;
  /** How many of the partner's releases were recalled. */
  countRecalled(partnerId: string): Promise<number>;
}

/** The release tables as the pipeline (pass, queue, approval, publication, recall) uses them. */
export interface PipelineReleases extends OutcomeKeyReader, OutcomeRecorder, ApprovalQueue, ReleaseRecorder {}

/** Every port of the release tables: what the composition root hands out. */
export interface ReleaseTables extends PipelineReleases, ReleaseSummaryReader {}

/**
 * Where the last passes stopped, per partner and for the hub (release_pass_state). A write made
 * inside the pass's open transaction joins it, so a cursor moves only with the partner's writes.
 */
export interface PassStates {
  all(): Promise<Map<string, PassStateRow>>;
  put(row: PassStateRow): Promise<void>;
}

/** The scope sets each partner was last decided with (release_pass_members), kept beside its cursor. */
export interface PassMembers {
  of(partnerId: string, set: MemberSet): Promise<Set<string>>;
  /** Adds `entered` to and removes `left` from one partner's stored set. */
  change(
    partnerId: string,
    set: MemberSet,
    entered: readonly string[],
    left: readonly string[],
  ): Promise<void>;
}
