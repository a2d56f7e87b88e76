import type { JsonObject } from '../stix/types.js';
import type { FeedPage, FeedQuery } from '../store/feed-ports.js';

// The feed, status and id ports are the store's (it implements them); the routes use them from there.
export type {
  DerivedIdResolver,
  FeedPage,
  FeedQuery,
  FeedRow,
  StatusDetail,
  StatusResource,
  StatusStore,
  VersionMatch,
} from '../store/feed-ports.js';

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

export type { JsonObject };
