/**
 * The names of the hub's transaction locks (`SqlTx.lock`), in one place so that two writers of
 * the same thing cannot pick different names. A lock is held to the end of its transaction; on
 * PostgreSQL it is an advisory lock in the hub's class (pg-sql.ts), on SQLite the write lock
 * already serialises and the name only documents intent.
 *
 * Lock order across the hub: objects, then the release feed, then the ledger; a transaction that
 * may publish after appending to the ledger takes the release feed first (release-approval.ts).
 *
 * Per-item locks are named `queue:ITEM`, `queue:PARTNER:ORIGINAL`, `draft:ID` and
 * `submission:NUMBER` (src/release); none of them can collide with the names below.
 */

/** Feed positions and latest flags are handed out under this lock, by every process. */
export const RELEASE_FEED_LOCK = 'release-feed';

/** Partner submissions: the per-partner quota is counted and written under it. */
export const TAXII_SUBMISSIONS_LOCK = 'taxii-submissions';
