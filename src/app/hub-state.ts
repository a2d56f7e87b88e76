import type { ConditionBook } from '../store/condition-ports.js';
import { AgreementStore } from '../store/hub/agreement-store.js';
import { ApiKeyStore } from '../store/hub/api-key-store.js';
import { AuthEvents } from '../store/hub/auth-events.js';
import { AuthThrottleStore } from '../store/hub/auth-throttle-store.js';
import { ConditionEvents } from '../store/hub/condition-events.js';
import { DeliveryStore } from '../store/hub/delivery-store.js';
import { DerivedIdStore } from '../store/hub/derived-ids.js';
import { createHubReads } from '../store/hub/hub-reads.js';
import { ImportMarkingStore } from '../store/hub/import-marking-store.js';
import { NeighbourhoodCache } from '../store/hub/neighbourhood-cache.js';
import { ObjectFacets } from '../store/hub/object-facets.js';
import { OsintDraftStore } from '../store/hub/osint-draft-store.js';
import { DecisionMarks } from '../store/hub/partner-decision-marks.js';
import { PartnerStore } from '../store/hub/partner-store.js';
import { ReleasePassMembers } from '../store/hub/release-pass-members.js';
import { ReleasePassStates } from '../store/hub/release-pass-state.js';
import { ReleaseStore } from '../store/hub/release-store.js';
import { SessionStore } from '../store/hub/session-store.js';
import { SubmissionReviewStore } from '../store/hub/submission-review-store.js';
import { UserStore } from '../store/hub/user-store.js';
import type { HubReads } from '../store/read-ports.js';
import type { PassMembers, PassStates, ReleaseTables } from '../store/release-ports.js';
import type { SqlDatabase } from '../store/sql/sql-database.js';

/**
 * The hub's state stores over one portable SQL database: the same bundle on the embedded SQLite
 * file and on a PostgreSQL database shared by several hub processes. Callers take this, never a
 * database handle, so no caller knows which engine it runs on.
 */
export interface HubState {
  sql: SqlDatabase;
  partners: PartnerStore;
  agreements: AgreementStore;
  conditions: ConditionBook;
  users: UserStore;
  sessions: SessionStore;
  apiKeys: ApiKeyStore;
  authEvents: AuthEvents;
  throttle: AuthThrottleStore;
  releases: ReleaseTables;
  derivedIds: DerivedIdStore;
  decisionMarks: DecisionMarks;
  importMarkings: ImportMarkingStore;
  /** Partner submissions as analysts review them (promote or reject). */
  submissions: SubmissionReviewStore;
  /** Drafts from open-source articles, apart from intel until an analyst confirms one. */
  drafts: OsintDraftStore;
  /** What each partner fetched over TAXII, per period (ledger entries and their lists). */
  deliveries: DeliveryStore;
  /** Agreement scopes' neighbourhoods, remembered until the objects change. */
  neighbourhoods: NeighbourhoodCache;
  /** What lists show of each object (type, labels, title, group), remembered until the objects change. */
  facets: ObjectFacets;
  /** Reads of the hub's tables the pipeline and the console make (read-ports.ts). */
  reads: HubReads;
  /** The release pass's cursors and the scope sets it last decided each partner with. */
  passStates: PassStates;
  passMembers: PassMembers;
}

export function createHubState(sql: SqlDatabase): HubState {
  return {
    sql,
    partners: new PartnerStore(sql),
    agreements: new AgreementStore(sql),
    conditions: new ConditionEvents(sql),
    users: new UserStore(sql),
    sessions: new SessionStore(sql),
    apiKeys: new ApiKeyStore(sql),
    authEvents: new AuthEvents(sql),
    throttle: new AuthThrottleStore(sql),
    releases: new ReleaseStore(sql),
    derivedIds: new DerivedIdStore(sql),
    decisionMarks: new DecisionMarks(sql),
    importMarkings: new ImportMarkingStore(sql),
    submissions: new SubmissionReviewStore(sql),
    drafts: new OsintDraftStore(sql),
    deliveries: new DeliveryStore(sql),
    neighbourhoods: new NeighbourhoodCache(sql),
    facets: new ObjectFacets(sql, { remember: true }),
    reads: createHubReads(sql),
    passStates: new ReleasePassStates(sql),
    passMembers: new ReleasePassMembers(sql),
  };
}
