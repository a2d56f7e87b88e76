import { AgreementStore } from '../store/hub/agreement-store.js';
import { ConditionEvents } from '../store/hub/condition-events.js';
import { DerivedIdStore } from '../store/hub/derived-ids.js';
import { OsintDraftStore } from '../store/hub/osint-draft-store.js';
import { DecisionMarks } from '../store/hub/partner-decision-marks.js';
import { PartnerStore } from '../store/hub/partner-store.js';
import { ReleaseStore } from '../store/hub/release-store.js';
import { SessionStore } from '../store/hub/session-store.js';
import { SubmissionReviewStore } from '../store/hub/submission-review-store.js';
import { UserStore } from '../store/hub/user-store.js';
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
  conditions: ConditionEvents;
  users: UserStore;
  sessions: SessionStore;
  releases: ReleaseStore;
  derivedIds: DerivedIdStore;
  decisionMarks: DecisionMarks;
  /** Partner submissions as analysts review them (promote or reject). */
  submissions: SubmissionReviewStore;
  /** Drafts from open-source articles, apart from intel until an analyst confirms one. */
  drafts: OsintDraftStore;
}

export function createHubState(sql: SqlDatabase): HubState {
  return {
    sql,
    partners: new PartnerStore(sql),
    agreements: new AgreementStore(sql),
    conditions: new ConditionEvents(sql),
    users: new UserStore(sql),
    sessions: new SessionStore(sql),
    releases: new ReleaseStore(sql),
    derivedIds: new DerivedIdStore(sql),
    decisionMarks: new DecisionMarks(sql),
    submissions: new SubmissionReviewStore(sql),
    drafts: new OsintDraftStore(sql),
  };
}
