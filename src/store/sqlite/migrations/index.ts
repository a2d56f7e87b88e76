import { agreementReasonMigration } from './agreement-reason.js';
import { authMigration } from './auth.js';
import { consoleMigration } from './console.js';
import { derivedIdsMigration } from './derived-ids.js';
import { importMarkingsMigration } from './import-markings.js';
import { ledgerMigration } from './ledger.js';
import { ledgerPrivateMigration } from './ledger-private.js';
import { objectsMigration } from './objects.js';
import { osintDraftsMigration } from './osint-drafts.js';
import { outcomeHistoryMigration } from './outcome-history.js';
import { outcomeReferencesMigration } from './outcome-references.js';
import { policyMigration } from './policy.js';
import { relayMigration } from './relay.js';
import { relayBundlesMigration } from './relay-bundles.js';
import { relayPushFailuresMigration } from './relay-push-failures.js';
import { relayReleaseLookupMigration } from './relay-release-lookup.js';
import { relayReleasesMigration } from './relay-releases.js';
import { releaseMigration } from './release.js';
import { releasePassMigration } from './release-pass.js';
import { releasePassMembersMigration } from './release-pass-members.js';
import { submissionSpaceMigration } from './submission-space.js';
import { taxiiMigration } from './taxii.js';
import { usersMigration } from './users.js';
import { witnessCosignaturesMigration } from './witness.js';

export interface Migration {
  /** Unique, sortable, never renamed once released: the database records it. */
  name: string;
  sql: string;
}

/** Applied in this order, each once, each in its own transaction. Append only. */
export const MIGRATIONS: readonly Migration[] = [
  objectsMigration,
  policyMigration,
  usersMigration,
  ledgerMigration,
  derivedIdsMigration,
  taxiiMigration,
  releaseMigration,
  consoleMigration,
  // Named 1100 and 1300 on parallel branches: in name order here; each is applied once by name,
  // so a database that already holds 1300 gets 1100 after it (they touch different tables).
  ledgerPrivateMigration,
  witnessCosignaturesMigration,
  submissionSpaceMigration,
  authMigration,
  agreementReasonMigration,
  importMarkingsMigration,
  osintDraftsMigration,
  relayMigration,
  releasePassMigration,
  releasePassMembersMigration,
  outcomeHistoryMigration,
  relayReleasesMigration,
  outcomeReferencesMigration,
  relayPushFailuresMigration,
  relayBundlesMigration,
  relayReleaseLookupMigration,
];
