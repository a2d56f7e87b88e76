import { consoleMigration } from './console.js';
import { derivedIdsMigration } from './derived-ids.js';
import { ledgerMigration } from './ledger.js';
import { objectsMigration } from './objects.js';
import { osintDraftsMigration } from './osint-drafts.js';
import { policyMigration } from './policy.js';
import { releaseMigration } from './release.js';
import { submissionSpaceMigration } from './submission-space.js';
import { taxiiMigration } from './taxii.js';
import { usersMigration } from './users.js';

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
  submissionSpaceMigration,
  osintDraftsMigration,
];
