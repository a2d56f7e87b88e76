/** The store is missing rows the tree needs: it was damaged or tampered with. */
export class LedgerStoreError extends Error {
  override readonly name = 'LedgerStoreError';
}
