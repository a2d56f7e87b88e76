import type { Clock } from '../clock.js';
import type { NoteSigner } from '../ledger/ledger-note.js';
import type { LedgerResult } from '../ledger/ledger-result.js';
import type { Gazetteer, StoredGroup } from '../osint/gazetteer-build.js';
import type { DraftStores } from '../release/osint-drafts.js';
import type { ObjectCache } from '../release/release-closure.js';
import type { DecisionInput } from '../release/release-decision.js';
import type { PipelineReport, PipelineStores } from '../release/release-pipeline.js';
import type { HubPolicy } from '../release/release-policy.js';
import type { DisclosureReport } from '../release/release-report.js';
import type { DecisionRound } from '../release/release-terms.js';
import type { ReviewStores } from '../release/submission-promote.js';
import type {
  ApiKeyBook,
  AuthEventLog,
  SessionBook,
  ThrottleLocks,
  UserBook,
} from '../store/account-ports.js';
import type { ConditionBook } from '../store/condition-ports.js';
import type { ConsoleReads } from '../store/console-read-ports.js';
import type { AuthSurface } from '../store/hub/auth-events.js';
import type { Partner } from '../store/hub/partner-store.js';
import type { AuthMethod } from '../store/hub/session-store.js';
import type { User } from '../store/hub/user-store.js';
import type { LedgerProofs } from '../store/ledger-ports.js';
import type { AgreementBook, PartnerBook } from '../store/partner-ports.js';
import type {
  ChangeStamps,
  ConditionHistoryReads,
  DecisionFactReads,
  IntelReads,
  QueueReads,
  RecallReads,
} from '../store/read-ports.js';
import type { FacetReader, NeighbourhoodFinder, ReleaseSummaryReader } from '../store/release-ports.js';
import type { DraftList, SubmissionList } from '../store/review-ports.js';
import type { SqlDatabase } from '../store/sql/sql-database.js';

/*
 * What the console routes are written against: ports named for what they need, defined here so
 * that src/api depends on the store, the release pipeline and the core, never on src/app. The
 * composition root (app/console-routes.ts) builds them from the running hub.
 */

/** The hub's state stores the routes read and write. */
export interface ConsoleStores {
  sql: SqlDatabase;
  partners: PartnerBook;
  agreements: AgreementBook;
  conditions: ConditionBook;
  users: UserBook;
  apiKeys: ApiKeyBook;
  authEvents: AuthEventLog;
  throttle: ThrottleLocks;
  releases: ReleaseSummaryReader;
  submissions: SubmissionList;
  drafts: DraftList;
  /** Agreement scopes' neighbourhoods, remembered until the objects change. */
  neighbourhoods: NeighbourhoodFinder;
  /** What queue lists show of each object, remembered until the objects change. */
  facets: FacetReader;
  /** What the intel pages, the queue, the partner summaries and decision facts read of the hub's tables. */
  reads: IntelReads & QueueReads & RecallReads & ConsoleReads & DecisionFactReads & ConditionHistoryReads;
}

/** The running hub as the routes see it. */
export interface ConsoleHub {
  config: { hub_name: string; focus_actor?: string };
  clock: Clock;
  sql: SqlDatabase;
  state: ConsoleStores;
  /** Checkpoints, receipts, proofs and audits. */
  ledgerService: LedgerProofs;
  /** Signs a checkpoint when entries wait (after each change a route commits). */
  checkpointIfDue(): void | Promise<void>;
}

/** What the hub's settings and files give the routes, computed by the composition root. */
export interface ConsoleServices {
  /** The adapters the release pipeline, the review of submissions and OSINT drafts write through. */
  releaseStores(): PipelineStores;
  reviewStores(): ReviewStores;
  draftStores(): DraftStores;
  /** A round of decisions at `now` by `policy`: the one way every surface decides. */
  decisionRound(policy: HubPolicy, now: Date): Promise<DecisionRound>;
  /** The objects a request decides, read once each. */
  objectCache(round: DecisionRound): ObjectCache;
  /** Every latest object on the hub, projected once by `round`. */
  latestInputs(round: DecisionRound): Promise<DecisionInput[]>;
  disclosureReport(
    policy: HubPolicy,
    partner: Partner,
    from: string,
    to: string,
    now: Date,
  ): Promise<DisclosureReport>;
  /** The hub's checkpoint signer, or why there is none (no key yet). */
  ledgerSigner(): LedgerResult<{ signer: NoteSigner }>;
  /** The witnesses this hub pushes checkpoints to. */
  witnesses(): readonly { name: string; key: string; url: string }[];
  /** The secret partner ids are derived with (never sent anywhere). */
  hubSecret(): Buffer;
  /** The place names and groups article extraction matches, with the hub's stored groups. */
  gazetteer(stored: readonly StoredGroup[]): Gazetteer;
}

/** The settings decisions are made by, and the outcome of the last attempt to re-read them. */
export interface ConsolePolicyState {
  policy: HubPolicy;
  digest: string;
  files: string[];
  loadedAt: string;
  error?: { message: string; at: string };
}

/**
 * Sign-in through the hub's one throttle and audit log (app/auth-sign-in.ts), from a client
 * address; one answer for every kind of failure.
 */
export interface ConsoleSignIn {
  signIn(
    surface: AuthSurface,
    input: { name: string; password: string; totp?: string | undefined },
    from: { address: string },
  ): Promise<
    | { ok: true; user: User; auth: AuthMethod }
    | { ok: false; code: 'failed' | 'locked' | 'throttled'; message: string; retryAfterSeconds?: number }
  >;
}

/** A pass asked for: its totals, or that another process was running one. */
export type ConsolePassNow = { ran: true; totals: PipelineReport['totals'] } | { ran: false };

/** What every console route reads through. `now` is wall-clock time for sessions only. */
export interface ConsoleContext {
  hub: ConsoleHub;
  services: ConsoleServices;
  /** The settings decisions are made by now (serve re-reads them when they change). */
  policy: { current(): ConsolePolicyState };
  users: UserBook;
  sessions: SessionBook;
  auth: ConsoleSignIn;
  /** What the live view compares to tell pages what changed (api-events.ts). */
  stamps: ChangeStamps;
  now: () => Date;
  sessionTtlMs: number;
  secure: boolean;
  /**
   * The hub's release passes when a worker runs them (serve): the console's "run the pipeline"
   * asks it, so the pass runs in the pass process, never on this event loop. A getter: serve starts
   * the worker after the routes are built.
   */
  passes?: () => { runNow(): Promise<ConsolePassNow> } | undefined;
}
