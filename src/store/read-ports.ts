import type { JsonObject } from '../stix/types.js';
import type { SubmitterCatalog, SubmitterTrace } from '../tearline/tearline-submitter.js';
import type { ConsoleReads } from './console-read-ports.js';
import type { IntelSearch, IntelSearchRow, StoredVersion } from './hub/intel-search.js';
import type { ObjectFacet } from './hub/object-facets.js';
import type { PassObjectRow } from './hub/release-pass-reads.js';
import type { ChangeStamp } from './hub/release-pass-state.js';
import type { OpenQueueRow, QueueApprovalRow } from './hub/release-queue-reads.js';
import type { RecalledRecord } from './hub/release-reads.js';
import type { Reason } from './hub/release-store.js';

/*
 * Reads of the hub's tables the pipeline and the console make, as ports named for the caller.
 * The hub builds one object (hub/hub-reads.ts) over its database; a call made while a
 * transaction is open joins it and sees its writes, as every store call does.
 */

/** What a publication checks before it writes: what the partner holds already, and originals. */
export interface PublicationReads {
  /** Which of `ids` the partner holds a live (not withdrawn) release of: one query for all. */
  releasedAmong(partnerId: string, ids: readonly string[]): Promise<string[]>;
  /** Whether the partner's feed has any row for the object (live or withdrawn). */
  hasFeedRow(partnerId: string, objectId: string): Promise<boolean>;
  /** The latest version of an object the hub holds, parsed. */
  latestObjectOf(id: string): Promise<JsonObject | undefined>;
}

/** What a recall follows: copies that name a recalled one, and what partners said about it after. */
export interface RecallReads {
  /** Originals of the partner's feed rows of `types` whose copy names `derivedId` exactly. */
  feedOriginalsNaming(partnerId: string, types: readonly string[], derivedId: string): Promise<string[]>;
  /** Recalled release records, oldest recall first; of one partner when named. */
  recalledRecords(partnerId?: string): Promise<RecalledRecord[]>;
  /** Notes the partner submitted at or after `sinceUs` whose text names `derivedId`, in order. */
  submittedNotesNaming(
    partnerId: string,
    sinceUs: number,
    derivedId: string,
  ): Promise<{ pos_us: number; note: JsonObject }[]>;
}

/** What queue lists and bulk verdicts read of open items. */
export interface QueueReads {
  /** Open (pending or approved) items without their JSON columns; of one partner when named. */
  openQueueRows(partnerId?: string): Promise<OpenQueueRow[]>;
  /** Items' stored reasons and removals (JSON text), and approvals of their current content. */
  queueItemDetails(ids: readonly string[]): Promise<{
    details: Map<string, { reasons: string; removed: string }>;
    approvals: Map<string, QueueApprovalRow[]>;
  }>;
  /** What the tearline removed from each item's copy, parsed. */
  queueItemRemovals(ids: readonly string[]): Promise<Map<string, { path: string; rule: string }[]>>;
  /** What lists show of each object (title, type, labels, group), derived afresh; ids not held are left out. */
  objectFacets(ids: readonly string[]): Promise<Map<string, ObjectFacet>>;
  /** One stored version of an object (the original an item was copied from), parsed. */
  objectVersionOf(id: string, version: string): Promise<JsonObject | undefined>;
}

/** The latest versions of `ids` the hub holds, parsed (ids it does not hold are left out). */
export interface LatestObjectReader {
  latestObjectsOf(ids: readonly string[]): Promise<JsonObject[]>;
}

/** What the console's intel pages search and show. */
export interface IntelReads {
  /** The latest objects matching `s`, one page, and how many match in all. */
  searchLatestObjects(s: IntelSearch): Promise<{ rows: IntelSearchRow[]; total: number }>;
  /** Each object's recorded outcome per partner name. */
  recordedOutcomesOf(objectIds: readonly string[]): Promise<Map<string, Record<string, string>>>;
  /** Every stored version of an object, oldest first. */
  storedVersionsOf(id: string): Promise<StoredVersion[]>;
}

/**
 * What a release pass plans its batches from (hub/release-pass-reads.ts): latest object versions
 * in store order, what changed since a cursor, who depends on what, and verdicts given meanwhile.
 */
export interface PassReads {
  /** Moves with every object version and every ledger entry but deliveries: read first in a pass. */
  changeStamp(): Promise<ChangeStamp>;
  /** Every latest object version, in store order: what a full pass decides. */
  latestObjectRows(): Promise<PassObjectRow[]>;
  /** The latest versions of `ids` the hub holds, in any order; ids it does not hold are left out. */
  latestObjectRowsOf(ids: readonly string[]): Promise<PassObjectRow[]>;
  /** Ids of objects whose latest version was stored in (afterUs, uptoUs]. */
  latestIdsStoredBetween(afterUs: number, uptoUs: number): Promise<string[]>;
  /** Latest objects whose tearline depends on one of `ids` directly (one step); may repeat. */
  directDependentIds(ids: readonly string[]): Promise<string[]>;
  /** Objects whose queue item for the partner was approved, released or denied at or after `sinceIso`. */
  queueObjectsClosedSince(partnerId: string, sinceIso: string): Promise<string[]>;
}

/** What partners' conditions are counted on: the feedback each sent back. */
export interface FeedbackReceipts {
  /**
   * When the hub received each piece of the partner's feedback since `sinceUs` (epoch µs), in
   * epoch ms, ascending: its receipt time, never the date the partner wrote (feedback-count.ts).
   */
  listFeedbackReceipts(partnerIdentityId: string, sinceUs: number): Promise<number[]>;
}

/** What a partner's condition history shows beside the conditions (condition-history-load.ts). */
export interface ConditionHistoryReads extends FeedbackReceipts {
  /** When each of the partner's releases was made (ISO), in no particular order. */
  releaseTimesOf(partnerId: string): Promise<string[]>;
  /** The recorded reasons of each outcome the partner is withheld now. */
  withheldReasonsOf(partnerId: string): Promise<Reason[][]>;
}

/** Submitters' consent to their promoted submissions going further: their agreement in force. */
export interface SubmitterConsents {
  /** Every partner's name and consent at `nowMs`; none for a partner with no agreement in force. */
  submitterCatalogAt(nowMs: number): Promise<SubmitterCatalog>;
  /** One partner's consent at `nowMs`, and the agreement version it comes from (if any). */
  submitterConsentAt(
    partnerId: string,
    nowMs: number,
  ): Promise<{ consent: SubmitterTrace['consent']; version?: number }>;
}

/** The hub's marking catalogue as stored: what markings are classified by and copies carry. */
export interface MarkingDefinitions {
  /** Every latest marking definition the hub holds, parsed. */
  markingDefinitions(): Promise<{ id: string; definition: JsonObject }[]>;
}

/** What decision facts are assembled from besides agreements and conditions (release-facts.ts). */
export interface DecisionFactReads extends FeedbackReceipts, SubmitterConsents, MarkingDefinitions {}

/** The reads the release pipeline makes (pass, decision facts, publication, recall, queue, bulk verdicts). */
export interface PipelineReads
  extends PassReads,
    DecisionFactReads,
    PublicationReads,
    RecallReads,
    QueueReads {}

/** Every read port: what the hub builds once over its database. */
export interface HubReads
  extends PipelineReads,
    IntelReads,
    LatestObjectReader,
    ConsoleReads,
    ConditionHistoryReads {}

/** Counters the console's live view compares each tick; a value means only "different from before". */
export interface ChangeStamps {
  /** Moves with what condition statuses are computed from, apart from the passing of time. */
  conditionInputs(): Promise<string>;
  /** Moves with every object version stored. */
  intel(): Promise<string>;
  /** Moves with the release queue, its approvals, releases and decision outcomes. */
  queue(): Promise<string>;
  /** Moves with partner submissions received or reviewed. */
  submissions(): Promise<string>;
}
