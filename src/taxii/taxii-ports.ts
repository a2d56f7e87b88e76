import type { JsonObject } from '../stix/types.js';

/**
 * Ports the TAXII routes are written against. The routes never see SQL: each collection kind
 * is an adapter behind `TaxiiCollection`, registered declaratively (taxii-collections.ts).
 * Every method that reaches a store returns a Promise, so a network database (PostgreSQL) fits
 * behind the same ports as the embedded SQLite adapters, which answer synchronously inside.
 */

/** Who is calling, once authenticated. */
export type Principal =
  | { kind: 'partner'; partnerId: string; name: string }
  | { kind: 'user'; user: string; role: string };

/** A stable key for a principal: status ownership, rate limiting, logs (never a secret). */
export function principalKey(p: Principal): string {
  return p.kind === 'partner' ? `partner:${p.partnerId}` : `user:${p.user}`;
}

export interface Authenticator {
  /** HTTP Basic: a partner's name or id with its token, or a user's name with a password. */
  authenticateBasic(user: string, secret: string): Promise<Principal | undefined>;
  /** `Authorization: Bearer TOKEN`: the token alone must name its owner. */
  authenticateBearer(token: string): Promise<Principal | undefined>;
}

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

export interface CollectionInfo {
  id: string;
  alias: string;
  title: string;
  description: string;
  canRead: boolean;
  canWrite: boolean;
}

/** The result of writing one object of an envelope. */
export type ObjectOutcome =
  | { ok: true; id: string; version: string; message?: string }
  | { ok: false; id: string | undefined; version: string | undefined; message: string };

/** One collection as one principal sees it. */
export interface TaxiiCollection {
  readonly info: CollectionInfo;
  /** Its objects are the hub's intelligence disclosed to a partner: deliveries are recorded. */
  readonly discloses?: boolean;
  page(query: FeedQuery): Promise<FeedPage>;
  /** Every version of one object the principal may see; an empty page when it may see none. */
  objectPage(id: string, query: FeedQuery): Promise<FeedPage>;
  /** Present only when the principal may write; `statusId` names the request in the store. */
  add?(objects: readonly unknown[], statusId: string): Promise<ObjectOutcome[]>;
}

/** A kind of collection: whether a principal gets one, and the view it gets. */
export interface CollectionKind {
  id: string;
  alias: string;
  title: string;
  description: string;
  open(principal: Principal): TaxiiCollection | undefined;
}

/** The (id, version) pairs one rendered page delivers; one array per rendering, shared by hits. */
export type DeliveredItems = readonly (readonly [id: string, version: string])[];

/** Where served pages of disclosing collections are reported (taxii-delivery-log.ts). */
export interface DeliveryRecorder {
  record(principal: Principal, delivered: DeliveredItems): void;
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

export type { JsonObject };
