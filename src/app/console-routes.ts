import type { FastifyInstance } from 'fastify';
import { registerAuditRoutes } from '../api/api-audit.js';
import { consoleGuard, registerAuthRoutes } from '../api/api-auth.js';
import { registerConditionHistoryRoutes } from '../api/api-condition-history.js';
import { registerConditionRoutes } from '../api/api-conditions.js';
import type { ConsoleContext, ConsoleServices } from '../api/api-context.js';
import { registerDocsRoute } from '../api/api-docs.js';
import { registerDraftRoutes } from '../api/api-drafts.js';
import { registerApiNotFound } from '../api/api-errors.js';
import { registerEventRoutes } from '../api/api-events.js';
import { registerImpactRoutes } from '../api/api-impact.js';
import { registerIntelRoutes } from '../api/api-intel.js';
import { registerLedgerRoutes } from '../api/api-ledger.js';
import { registerManageRoutes } from '../api/api-manage.js';
import { registerPartnerRoutes } from '../api/api-partners.js';
import { registerQueueRoutes } from '../api/api-queue.js';
import { registerRelayApiRoutes } from '../api/api-relay.js';
import { registerReportRoutes } from '../api/api-reports.js';
import { registerSettingsRoutes } from '../api/api-settings.js';
import { registerSubmissionRoutes } from '../api/api-submissions.js';
import { registerThreatRoutes } from '../api/api-threat.js';
import { registerUserRoutes } from '../api/api-users.js';
import { ConsoleStamps } from '../store/hub/console-stamps.js';
import type { HubAuth } from './auth-sign-in.js';
import { findWebRoot, registerConsoleWeb } from './console-web.js';
import { readHubSecret } from './data-dir.js';
import type { Hub } from './hub.js';
import { objectCacheOf, openDecisionRound, readLatestInputs } from './hub-decisions.js';
import { buildDisclosureReport } from './hub-disclosures.js';
import { HubPolicySource, type HubPolicyState } from './hub-policy-watch.js';
import { loadLedgerSigner } from './ledger-key.js';
import { loadGazetteer } from './osint-data-load.js';
import { draftStoresOf, releaseStoresOf, reviewStoresOf } from './release-stores.js';
import { witnessTargetsOf } from './witness-config.js';

export interface ConsoleOptions {
  /** The hub's settings in force; read once from the data dir when absent. */
  policy?: { current(): HubPolicyState };
  secure?: boolean;
  sessionTtlMs?: number;
  eventIntervalMs?: number;
  now?: () => Date;
  webRoot?: string;
  /** The worker that runs the hub's release passes (see ConsoleContext.passes). */
  passes?: ConsoleContext['passes'];
}

/** The console: its JSON API under /api/ and the built web app at /. */
export function registerConsole(
  app: FastifyInstance,
  hub: Hub,
  auth: HubAuth,
  options: ConsoleOptions = {},
): void {
  const sessionTtlMs = options.sessionTtlMs ?? 8 * 3_600_000;
  const ctx: ConsoleContext = {
    hub,
    services: consoleServicesOf(hub),
    stamps: new ConsoleStamps(hub.state.sql),
    policy: options.policy ?? new HubPolicySource(hub.paths.dir),
    users: hub.state.users,
    sessions: hub.state.sessions,
    now: options.now ?? (() => new Date()),
    sessionTtlMs,
    secure: options.secure ?? false,
    auth,
    ...(options.passes && { passes: options.passes }),
  };
  // One encapsulated plugin for the whole API, with one guard: every route names its action in
  // its config and the hook checks it (deny by default); the web app's static files are outside.
  void app.register(async (api) => {
    api.addHook('preHandler', consoleGuard(ctx));
    registerAuthRoutes(api, ctx);
    registerThreatRoutes(api, ctx);
    registerIntelRoutes(api, ctx);
    registerPartnerRoutes(api, ctx);
    registerQueueRoutes(api, ctx);
    registerUserRoutes(api, ctx);
    registerManageRoutes(api, ctx);
    registerConditionRoutes(api, ctx);
    registerImpactRoutes(api, ctx);
    registerConditionHistoryRoutes(api, ctx);
    registerRelayApiRoutes(api, ctx);
    registerSettingsRoutes(api, ctx);
    registerSubmissionRoutes(api, ctx);
    registerDraftRoutes(api, ctx);
    registerLedgerRoutes(api, ctx);
    registerAuditRoutes(api, ctx);
    registerReportRoutes(api, ctx);
    registerEventRoutes(api, ctx, options.eventIntervalMs ?? 1000);
    registerDocsRoute(api);
    registerApiNotFound(api);
  });
  registerConsoleWeb(app, options.webRoot ?? findWebRoot());
}

/** The console's services over this hub: its files, settings and the pipeline's stores. */
function consoleServicesOf(hub: Hub): ConsoleServices {
  return {
    releaseStores: () => releaseStoresOf(hub),
    reviewStores: () => reviewStoresOf(hub),
    draftStores: () => draftStoresOf(hub),
    decisionRound: (policy, now) => openDecisionRound(hub, policy, now),
    objectCache: (round) => objectCacheOf(hub, round),
    latestInputs: (round) => readLatestInputs(hub, round),
    disclosureReport: (policy, partner, from, to, now) =>
      buildDisclosureReport(hub, policy, partner, from, to, now),
    ledgerSigner: () => loadLedgerSigner(hub.paths, hub.config.hub_name),
    witnesses: () => witnessTargetsOf(hub.config),
    hubSecret: () => readHubSecret(hub.paths.hubSecret),
    gazetteer: (stored) => loadGazetteer(stored),
  };
}
