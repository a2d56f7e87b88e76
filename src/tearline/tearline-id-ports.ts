/**
 * What the release pipeline and the feedback router need from the store of partner ids.
 * A row says: `partnerId` knows `originalId` as `derivedId`. Several originals can share one
 * derived id (two SCOs with the same value get the same spec-deterministic id).
 */
export interface DerivedIdPair {
  derivedId: string;
  originalId: string;
}

export interface DerivedIdWriter {
  /** Records pairs for a partner; recording a known pair again changes nothing. One transaction. */
  recordDerivedIds(partnerId: string, pairs: readonly DerivedIdPair[]): Promise<void>;
}

export interface DerivedIdReader {
  /** The originals a partner's derived id stands for (feedback routing); empty when unknown. */
  originalsOf(partnerId: string, derivedId: string): Promise<string[]>;
  /** For each original already given to the partner, the id they know it by. */
  derivedIdsOf(partnerId: string, originalIds: readonly string[]): Promise<Map<string, string>>;
}
