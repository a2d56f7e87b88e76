import type { JsonObject } from '../stix/types.js';

/**
 * Narrow ports named for what callers need. Every adapter (SQLite, PostgreSQL) implements
 * them and passes the same contract suite. Methods are async so that a network database
 * fits behind them; a call writes everything it is given in one transaction or nothing.
 */

/** One version of an object as the store holds it. */
export interface StoredObject {
  id: string;
  version: string;
  type: string;
  /** Epoch microseconds; strictly increasing across the store. */
  addedUs: number;
  /** The exact JSON text received. */
  json: string;
}

/** An object to store: its parsed form (for indexing) and the exact text received. */
export interface IncomingObject {
  object: JsonObject;
  json: string;
  /** Where it came from, e.g. 'file:bundle.json#objects[17]' or 'taxii:partner-x'. */
  source: string;
}

export type PutOutcome = 'added' | 'new-version' | 'duplicate' | 'conflict';

export interface PutResult {
  outcome: PutOutcome;
  id: string;
  version: string;
  /** Set for 'added' and 'new-version'. */
  addedUs?: number;
  /** The id is one only the hub defines (reserved-ids.ts): nothing was stored under it. */
  reserved?: true;
}

export interface Rejected {
  source: string;
  /** Where in the source, e.g. 'objects[17]' or 'line 42'. */
  location: string;
  objectId?: string;
  raw: string;
  errors: { path: string; code: string; message: string }[];
}

/** Who stores a batch and from where: what the ledger records for it. */
export interface IngestContext {
  actor: string;
  /** The input as a whole, e.g. 'file:intel.json', 'stdin', 'taxii:partner-x'. */
  source: string;
  /**
   * A marking the import gave to objects that carried none of its kind, and which object
   * versions got it (keys: id, U+0000, version key): each batch's ledger entry counts them.
   */
  marking?: { id: string; marked: ReadonlySet<string> };
}

export interface ObjectWriter {
  /**
   * Stores each object unless the same (id, version) is there; keeps the stored one on
   * conflict. With a context, the batch's ledger entry is written in the same transaction.
   */
  putObjects(batch: readonly IncomingObject[], context?: IngestContext): Promise<PutResult[]>;
  quarantine(rejected: readonly Rejected[]): Promise<void>;
}

export interface ObjectPageQuery {
  /** Only objects added strictly after this (epoch microseconds). */
  addedAfterUs?: number;
  types?: readonly string[];
  ids?: readonly string[];
  /** 'latest' (default) or 'all' versions. */
  versions?: 'latest' | 'all';
  limit: number;
}

export interface ObjectReader {
  getLatest(id: string): Promise<StoredObject | undefined>;
  getVersions(id: string): Promise<StoredObject[]>;
  hasMarkingDefinition(id: string): Promise<boolean>;
  /** Pages in `added` order; the caller continues with addedAfterUs = last row's addedUs. */
  page(query: ObjectPageQuery): Promise<StoredObject[]>;
}

export interface StoreStats {
  byType: Record<string, { objects: number; versions: number }>;
  objects: number;
  versions: number;
  quarantined: number;
}

export interface StatsReader {
  stats(): Promise<StoreStats>;
}
