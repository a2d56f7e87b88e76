import type { AuditFilter, AuditRow } from './hub/audit-entries.js';
import type { MergeCandidate } from './hub/object-candidates.js';
import type { ObjectContext } from './hub/object-context.js';
import type { GraphEdge, ObjectSummary } from './hub/object-summaries.js';
import type { OutcomeCounts } from './hub/outcome-history.js';
import type { RelayDeliveryView } from './hub/relay-delivery-view.js';
import type { FeedbackOutbox } from './hub/relay-push-failures.js';

/*
 * What the console's pages read of the hub's tables beyond the pipeline's reads (read-ports.ts):
 * the threat pages, an object's context and graph, the ledger audit, partners' activity and draft
 * merge candidates. The hub builds them once over its database (hub/hub-reads.ts).
 */

/** The threat pages: actors, what they were seen doing, and when we released about it. */
export interface ThreatReads {
  /** Actors by activity: how many non-provenance references join them to other objects. */
  listActors(): Promise<{ id: string; name: string; type: string; activity: number }[]>;
  readActorSeen(ids: readonly string[]): Promise<{ id: string; first_seen?: string; last_seen?: string }[]>;
  readIncidentJson(ids: readonly string[]): Promise<Map<string, Record<string, unknown>>>;
  /** When each incident happened: its event date, else its sightings, reports, then `created`. */
  incidentDates(
    incidents: readonly { id: string; json: Record<string, unknown>; created: string | null }[],
  ): Promise<Map<string, string>>;
  /** When each release of these originals was made and to which partner (its id). */
  readReleaseTimes(originalIds: readonly string[]): Promise<{ at: string; partnerId: string }[]>;
}

/** What an object page shows around one object. */
export interface ObjectReads {
  /** The latest versions of `ids`, summarised for lists. */
  readLatest(ids: readonly string[]): Promise<ObjectSummary[]>;
  /** The objects one hop from `id` and the edges between (provenance and markings left out). */
  readGraphAround(id: string): Promise<{ nodes: ObjectSummary[]; edges: GraphEdge[] }>;
  readObjectContext(
    object: Record<string, unknown>,
    partnerNames: ReadonlyMap<string, string>,
  ): Promise<ObjectContext>;
  /** Latest objects of `types` whose name or an alias contains `query`, best match first. */
  findMergeCandidates(query: string, types: readonly string[]): Promise<MergeCandidate[]>;
}

/** The ledger audit as overseers page and export it. */
export interface AuditReads {
  countAuditEntries(f: AuditFilter): Promise<number>;
  /** One page of entries; opened (internal ids and names shown) only when `open`. */
  listAuditEntries(
    f: AuditFilter,
    page: { limit: number; offset: number; oldestFirst?: boolean },
    open: boolean,
  ): Promise<AuditRow[]>;
  /** Every release ever made, oldest first, with the partner's name (the disclosures CSV). */
  listDisclosureRows(): Promise<Record<string, unknown>[]>;
}

/** What a partner's page shows of its activity. */
export interface PartnerActivityReads {
  /** The partner's relay route and each release's delivery; undefined when it has no relay. */
  loadRelayDelivery(partnerId: string, limit?: number): Promise<RelayDeliveryView | undefined>;
  /** Sightings sent back through a relay: each hub's feedback outbox and its open refusals. */
  listRelayFeedbackOutboxes(): Promise<FeedbackOutbox[]>;
  /** The partner's recorded outcome counts, oldest first. */
  listOutcomeHistory(partnerId: string): Promise<OutcomeCounts[]>;
}

/** Every console read of this file. */
export interface ConsoleReads extends ThreatReads, ObjectReads, AuditReads, PartnerActivityReads {}
