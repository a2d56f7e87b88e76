import type { AgreementVersion } from './hub/agreement-store.js';
import type { ObjectFacet } from './hub/object-facets.js';
import type { Partner } from './hub/partner-store.js';

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
