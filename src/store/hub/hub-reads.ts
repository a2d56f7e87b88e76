import type { HubReads } from '../read-ports.js';
import type { SqlDatabase } from '../sql/sql-database.js';
import { releaseTimesOf, withheldReasonsOf } from './condition-history-reads.js';
import { createConsoleReads } from './console-reads.js';
import { listFeedbackReceipts } from './feedback-count.js';
import { recordedOutcomesOf, searchLatestObjects, storedVersionsOf } from './intel-search.js';
import { ObjectFacets } from './object-facets.js';
import { markingDefinitions } from './projection-reads.js';
import {
  directDependentIds,
  latestIdsStoredBetween,
  latestObjectRows,
  latestObjectRowsOf,
  latestObjectsOf,
} from './release-pass-reads.js';
import { queueObjectsClosedSince, readChangeStamp } from './release-pass-state.js';
import { openQueueRows, queueItemDetails, queueItemRemovals } from './release-queue-reads.js';
import {
  feedOriginalsNaming,
  hasFeedRow,
  latestObjectOf,
  objectVersionOf,
  recalledRecords,
  releasedAmong,
  submittedNotesNaming,
} from './release-reads.js';
import { loadSubmitterCatalog, submitterConsentAt } from './submitter-consent.js';

/**
 * The read ports (read-ports.ts) over one database. `sql` is the hub's database, not a
 * transaction: the engines route a call made inside an open transaction to it.
 */
export function createHubReads(sql: SqlDatabase): HubReads {
  const facets = new ObjectFacets(sql);
  return {
    ...createConsoleReads(sql),
    changeStamp: () => readChangeStamp(sql),
    latestObjectRows: () => latestObjectRows(sql),
    latestObjectRowsOf: (ids) => latestObjectRowsOf(sql, ids),
    latestIdsStoredBetween: (afterUs, uptoUs) => latestIdsStoredBetween(sql, afterUs, uptoUs),
    directDependentIds: (ids) => directDependentIds(sql, ids),
    queueObjectsClosedSince: (partnerId, sinceIso) => queueObjectsClosedSince(sql, partnerId, sinceIso),
    listFeedbackReceipts: (partnerIdentityId, sinceUs) =>
      listFeedbackReceipts(sql, partnerIdentityId, sinceUs),
    submitterCatalogAt: (nowMs) => loadSubmitterCatalog(sql, nowMs),
    submitterConsentAt: (partnerId, nowMs) => submitterConsentAt(sql, partnerId, nowMs),
    markingDefinitions: () => markingDefinitions(sql),
    releaseTimesOf: (partnerId) => releaseTimesOf(sql, partnerId),
    withheldReasonsOf: (partnerId) => withheldReasonsOf(sql, partnerId),
    releasedAmong: (partnerId, ids) => releasedAmong(sql, partnerId, ids),
    hasFeedRow: (partnerId, objectId) => hasFeedRow(sql, partnerId, objectId),
    latestObjectOf: (id) => latestObjectOf(sql, id),
    feedOriginalsNaming: (partnerId, types, derivedId) =>
      feedOriginalsNaming(sql, partnerId, types, derivedId),
    recalledRecords: (partnerId) => recalledRecords(sql, partnerId),
    submittedNotesNaming: (partnerId, sinceUs, derivedId) =>
      submittedNotesNaming(sql, partnerId, sinceUs, derivedId),
    openQueueRows: (partnerId) => openQueueRows(sql, partnerId),
    queueItemDetails: (ids) => queueItemDetails(sql, ids),
    queueItemRemovals: (ids) => queueItemRemovals(sql, ids),
    objectFacets: (ids) => facets.of(ids),
    objectVersionOf: (id, version) => objectVersionOf(sql, id, version),
    latestObjectsOf: (ids) => latestObjectsOf(sql, ids),
    searchLatestObjects: (s) => searchLatestObjects(sql, s),
    recordedOutcomesOf: (ids) => recordedOutcomesOf(sql, ids),
    storedVersionsOf: (id) => storedVersionsOf(sql, id),
  };
}
