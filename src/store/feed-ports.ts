import type { JsonObject } from '../stix/types.js';
import type { IngestContext } from './ports.js';

/**
 * The ports the store implements for TAXII and the release pipeline: feeds a collection pages
 * through, the status resources it keeps, the map from a partner's ids back to ours, the sink of
 * partner submissions and the release feed writer. They live here, beside the other ports, so
 * that adapters depend on the store's own contracts and never on a caller's folder.
 */

/** `match[version]`: the union of what is asked (`first,last` gives both ends). */
export interface VersionMatch {
  all: boolean;
  first: boolean;
  last: boolean;
  /** Normalised version keys (stix/timestamp.ts). */
  timestamps: readonly string[];
}

/** A query over one collection's feed, already validated (taxii-filters.ts). */
export interface FeedQuery {
  /** Only rows whose position is strictly after this (epoch microseconds). */
  afterUs?: number;
  ids?: readonly string[];
  types?: readonly string[];
  version: VersionMatch;
  specVersions?: readonly string[];
  limit: number;
}

/** One object version as a collection serves it. `json` is sent as stored, never re-serialised. */
export interface FeedRow {
  id: string;
  /** The object's version as TAXII shows it (its `modified`, else `created`). */
  version: string;
  /** When the collection added it (epoch microseconds): `date_added` and the paging cursor. */
  positionUs: number;
  json: string;
}

export interface FeedPage {
  rows: FeedRow[];
  more: boolean;
}

export interface StatusDetail {
  id: string;
  version?: string;
  message?: string;
}

/** The TAXII status resource (section 4.3.1), as stored. */
export interface StatusResource {
  id: string;
  status: 'complete' | 'pending';
  request_timestamp: string;
  total_count: number;
  success_count: number;
  successes: StatusDetail[];
  failure_count: number;
  failures: StatusDetail[];
  pending_count: number;
  pendings: StatusDetail[];
}

export interface StatusStore {
  save(ownerKey: string, status: StatusResource): Promise<void>;
  /** Undefined when unknown or owned by someone else: the caller cannot tell which. */
  get(ownerKey: string, id: string): Promise<StatusResource | undefined>;
}

/**
 * Maps an id a partner received (a derived, per-partner id) back to the hub's original id.
 * Undefined: not an id the hub gave this partner; the reference is kept as sent.
 */
export interface DerivedIdResolver {
  resolve(partnerId: string, derivedId: string): Promise<string | undefined>;
}

/** One accepted partner object, for its own space: what it sent and the same mapped for analysts. */
export interface SubmissionRecord {
  partnerId: string;
  statusId: string;
  /** The object as sent (the partner's own ids), readable back from its submissions. */
  sent: JsonObject;
  sentJson: string;
  /** The object with the partner's derived ids mapped back to the originals, for review. */
  mappedJson: string;
  /** Who sent it and how, for the ledger entry of its receipt. */
  context: IngestContext;
  now: Date;
  /** The most submissions a partner may have awaiting review (beyond: 'quota'). */
  maxPending?: number;
}

/**
 * 'stored' or 'duplicate' (sent before, same content) succeed; 'conflict' (the partner's own
 * earlier object with this id and version differs) and 'quota' fail.
 */
export type SubmissionOutcome = 'stored' | 'duplicate' | 'conflict' | 'quota';

export interface SubmissionSink {
  /** In ONE transaction: the record into the partner's space and the ledger entry of its receipt. */
  store(record: SubmissionRecord): Promise<SubmissionOutcome>;
}

export interface FeedReleaseInput {
  partnerId: string;
  /** The sanitised copy made for this partner, carrying its derived id. */
  tearline: JsonObject;
  originalId: string;
  originalVersion: string;
  /** End of any embargo; the release enters the partner's feed then, not before. */
  visibleFrom: Date;
}

export type FeedError =
  | { code: 'release-unversioned'; message: string }
  | { code: 'release-exists'; message: string }
  | { code: 'release-not-found'; message: string };

export type FeedResult<T> = ({ ok: true } & T) | ({ ok: false } & FeedError);

type Awaitable<T> = T | Promise<T>;

/** Counts committed changes to the feed tables; undefined when it cannot tell (not listening). */
export interface ChangeCounter {
  version(): number | undefined;
}

/**
 * What the release pipeline writes through, in its own transaction: the portable feed
 * (sql/sql-release-feed.ts) and the SQLite hub's synchronous one (sqlite/release-feed.ts) both fit.
 */
export interface ReleaseFeedWriter {
  addRelease(input: FeedReleaseInput, now: Date): Awaitable<FeedResult<{ rid: number; visible: boolean }>>;
  recall(partnerId: string, objectId: string, now: Date): Awaitable<FeedResult<{ published: boolean }>>;
  publishDue(now: Date): Awaitable<number>;
}
