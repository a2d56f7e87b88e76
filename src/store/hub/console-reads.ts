import type { ConsoleReads } from '../console-read-ports.js';
import type { SqlDatabase } from '../sql/sql-database.js';
import { auditNames, countAuditEntries, listAuditEntries, listDisclosureRows } from './audit-entries.js';
import { incidentDates } from './incident-dates.js';
import { findMergeCandidates } from './object-candidates.js';
import { readObjectContext } from './object-context.js';
import { readGraphAround, readLatest } from './object-summaries.js';
import { listOutcomeHistory } from './outcome-history.js';
import { loadRelayDelivery } from './relay-delivery-view.js';
import { RelayPushFailureStore } from './relay-push-failures.js';
import { listActors, readActorSeen, readIncidentJson, readReleaseTimes } from './threat-reads.js';

/** The console's reads (console-read-ports.ts) over the hub's database. */
export function createConsoleReads(sql: SqlDatabase): ConsoleReads {
  return {
    listActors: () => listActors(sql),
    readActorSeen: (ids) => readActorSeen(sql, ids),
    readIncidentJson: (ids) => readIncidentJson(sql, ids),
    incidentDates: (incidents) => incidentDates(sql, incidents),
    readReleaseTimes: (ids) => readReleaseTimes(sql, ids),
    readLatest: (ids) => readLatest(sql, ids),
    readGraphAround: (id) => readGraphAround(sql, id),
    readObjectContext: (object, partnerNames) => readObjectContext(sql, object, partnerNames),
    findMergeCandidates: (query, types) => findMergeCandidates(sql, query, types),
    countAuditEntries: (f) => countAuditEntries(sql, f),
    listAuditEntries: (f, page, open) =>
      listAuditEntries(sql, f, page, open, ({ entries }) => auditNames(sql, entries)),
    listDisclosureRows: () => listDisclosureRows(sql),
    loadRelayDelivery: (partnerId, limit) => loadRelayDelivery(sql, partnerId, limit),
    listRelayFeedbackOutboxes: () => new RelayPushFailureStore(sql).feedbackOutboxes(),
    listOutcomeHistory: (partnerId) => listOutcomeHistory(sql, partnerId),
  };
}
