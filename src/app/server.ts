import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ThrottlePolicy } from '../access/access-throttle.js';
import { storageFaultOf } from '../store/storage-fault.js';
import {
  createCachedAuthenticator,
  createHubAuthenticator,
  type PresentedCredentials,
  type UserAuthenticator,
} from '../taxii/taxii-auth.js';
import { createCollectionKinds } from '../taxii/taxii-collections.js';
import { DeliveryLog, type DeliveryPeriod } from '../taxii/taxii-delivery-log.js';
import { TaxiiError } from '../taxii/taxii-errors.js';
import { TAXII_MEDIA_TYPE } from '../taxii/taxii-media.js';
import { PageCache } from '../taxii/taxii-page-cache.js';
import { createPageFastPath } from '../taxii/taxii-page-fast-path.js';
import type { DerivedIdResolver } from '../taxii/taxii-ports.js';
import { TokenBuckets } from '../taxii/taxii-rate-limit.js';
import { registerTaxiiRoutes, type TaxiiLimits } from '../taxii/taxii-routes.js';
import { DEFAULT_SUBMISSION_LIMITS, type SubmissionLimits } from '../taxii/taxii-submissions.js';
import { HubAuth, refusal } from './auth-sign-in.js';
import { type ConsoleOptions, registerConsole } from './console-routes.js';
import {
  createHubServerFactory,
  DEFAULT_HTTP_TIMEOUTS,
  type HttpTimeouts,
  HYGIENE_HEADERS,
  registerResponseHygiene,
} from './http-server.js';
import type { Hub } from './hub.js';
import { HubPolicySource, type HubPolicyState } from './hub-policy-watch.js';
import { registerLedgerRoutes } from './ledger-routes.js';
import { RequestTracker, trackRequests } from './server-drain.js';

export interface ServerOptions {
  limits?: Partial<TaxiiLimits>;
  rate?: { perSecond: number; burst: number };
  authCache?: { ttlMs: number; maxEntries: number };
  /** Back-off and lockout of every sign-in surface (tests make it fast). */
  throttle?: ThrottlePolicy;
  /** Defaults to the hub's user store: analysts get the `intel` collection. */
  users?: UserAuthenticator;
  /** Maps derived ids in submissions back to originals; defaults to the releases table's record. */
  resolver?: DerivedIdResolver;
  https?: { cert: Buffer; key: Buffer };
  /** Rendered pages kept until the data changes (0 entries: no cache). */
  pageCache?: { maxEntries: number; maxBytes: number };
  /** Where structured logs go; nothing is logged when absent. */
  log?: { stream: NodeJS.WritableStream; level?: string };
  /** The hub's settings in force (serve re-reads them); read once from the data dir by default. */
  policy?: { current(): HubPolicyState };
  /** Bounds on what a partner may submit (taxii-submissions.ts). */
  submissions?: Partial<SubmissionLimits>;
  /** Deadlines for slow clients on every path (http-server.ts). */
  timeouts?: Partial<HttpTimeouts>;
  /** Names each TAXII status resource; random UUIDs unless a test fixes them. */
  newStatusId?: () => string;
  /**
   * The delivery record: what each partner fetched, one ledger entry per partner per period of
   * this length (default a minute); 0 records nothing. Ended periods are written every
   * `flushEveryMs` (default the period, at most 5 s) and all of them when the server closes;
   * past `maxHeldPairs` (id, version) pairs held for all partners, the largest period is closed
   * and written at once.
   */
  deliveries?: { periodMs: number; flushEveryMs?: number; maxHeldPairs?: number };
  /** The worker running the hub's release passes, once started (the console's run goes to it). */
  passes?: ConsoleOptions['passes'];
}

const flushers = new WeakMap<FastifyInstance, () => Promise<void>>();

/** Writes every delivery period gathered so far, ended or not (tests, shutdown). */
export async function flushDeliveries(app: FastifyInstance): Promise<void> {
  await flushers.get(app)?.();
}

export const DEFAULT_LIMITS: TaxiiLimits = {
  maxPageSize: 1000,
  maxContentLength: 10 * 1024 * 1024,
  maxObjects: 10_000,
  maxDepth: 64,
};

/**
 * The HTTP face of one hub: TAXII 2.1 under /taxii2/ (the console API adds its routes to the
 * same instance later). Logs never carry the Authorization header or any body.
 */
export function buildServer(hub: Hub, options: ServerOptions = {}): FastifyInstance {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const { partners } = hub.state;
  const { releases, submissions, intel, sink, statuses } = hub.taxii;
  const now = () => hub.clock.now();
  const resolver = options.resolver ?? releases.createResolver();
  const users = options.users ?? hub.state.users;

  const authenticator = createCachedAuthenticator(
    createHubAuthenticator(
      {
        authenticate: (nameOrId, token) => partners.authenticate(nameOrId, token),
        findPartnerIdByToken: (token) => partners.findIdByToken(token),
      },
      users,
    ),
    {
      ttlMs: 60_000,
      maxEntries: 10_000,
      ...options.authCache,
      now: () => Date.now(),
      epoch: () => hub.credentialEpoch(),
    },
  );
  // One throttle per process for every surface: console, TAXII and /ledger/ count together.
  const auth = new HubAuth(hub, options.throttle);
  const checkCredentials = async (
    creds: PresentedCredentials,
    address: string,
    surface: 'taxii' | 'ledger',
  ) => {
    const outcome = await auth.attempt(
      surface,
      creds.kind === 'basic' ? creds.user : undefined,
      { address },
      () =>
        creds.kind === 'basic'
          ? authenticator.authenticateBasic(creds.user, creds.secret)
          : authenticator.authenticateBearer(creds.token),
    );
    return outcome.ok ? { ok: true as const, principal: outcome.value } : refusal(outcome);
  };
  const limiter = new TokenBuckets({ perSecond: 200, burst: 400, ...options.rate, now: () => Date.now() });
  const cacheSize = options.pageCache ?? { maxEntries: 2000, maxBytes: 128 * 1024 * 1024 };
  const pageCache =
    cacheSize.maxEntries > 0
      ? {
          cache: new PageCache(cacheSize.maxEntries, cacheSize.maxBytes),
          stamp: async () => releases.changeStamp(now()),
        }
      : undefined;

  const periodMs = options.deliveries?.periodMs ?? 60_000;
  // A period closed early (a partner crawling fast) is written at once, not on the next timer.
  let writeOverflow = () => {};
  const deliveries =
    periodMs > 0
      ? new DeliveryLog({
          periodMs,
          now: () => hub.clock.now().getTime(),
          onOverflow: () => writeOverflow(),
          ...(options.deliveries?.maxHeldPairs !== undefined && {
            maxHeldPairs: options.deliveries.maxHeldPairs,
          }),
        })
      : undefined;

  let app: FastifyInstance | undefined;
  const tracker = new RequestTracker();
  // Cached TAXII pages are answered before Fastify routes them (taxii-page-fast-path.ts); every
  // path gets the same deadlines for slow clients (http-server.ts).
  const serverFactory = createHubServerFactory(
    { ...DEFAULT_HTTP_TIMEOUTS, ...options.timeouts },
    pageCache &&
      createPageFastPath({
        authenticator,
        limiter,
        pages: pageCache,
        log: () => app?.log,
        ...(deliveries && { deliveries }),
      }),
    options.https,
    tracker,
  );
  app = Fastify({
    logger: options.log
      ? {
          level: options.log.level ?? 'info',
          stream: options.log.stream,
          redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
        }
      : false,
    bodyLimit: limits.maxContentLength,
    routerOptions: { ignoreTrailingSlash: true },
    serverFactory,
  }) as unknown as FastifyInstance;
  trackRequests(app, tracker);
  registerResponseHygiene(app);

  const kinds = createCollectionKinds({
    releases,
    submissions,
    intel,
    intelWriter: hub.objects,
    intelMarking: (user) => hub.state.importMarkings.get('user', user),
    submit: { sink, resolver, now, limits: { ...DEFAULT_SUBMISSION_LIMITS, ...options.submissions } },
    now,
  });

  registerTaxiiRoutes(app, {
    title: `Tearline hub ${hub.config.hub_name}`,
    apiRoot: 'hub',
    kinds,
    statuses,
    limits,
    now,
    newStatusId: options.newStatusId ?? randomUUID,
    authenticator,
    limiter,
    checkCredentials: (creds, address) => checkCredentials(creds, address, 'taxii'),
    ...(pageCache && { pageCache }),
    responseHeaders: HYGIENE_HEADERS,
    ...(deliveries && { deliveries }),
  });
  if (deliveries) {
    writeOverflow = recordDeliveries(
      app,
      hub,
      deliveries,
      options.deliveries?.flushEveryMs ?? Math.min(periodMs, 5000),
    );
  }

  registerLedgerRoutes(app, hub, {
    peek: (creds) => authenticator.peek(creds),
    check: (creds, address) => checkCredentials(creds, address, 'ledger'),
  });
  registerConsole(app, hub, auth, {
    policy: options.policy ?? new HubPolicySource(hub.paths.dir),
    secure: options.https !== undefined,
    ...(options.passes && { passes: options.passes }),
  });

  // The console API and the ledger routes: a storage fault is 507 or 503, in the API's shape.
  app.setErrorHandler((err, request, reply) => {
    const fault = storageFaultOf(err);
    // Anything else goes on to Fastify's own handler, as before.
    if (!fault) throw err;
    request.log.warn({ code: fault.code }, 'write refused: storage');
    return reply
      .code(fault.kind === 'full' ? 507 : 503)
      .header('Retry-After', '60')
      .type('application/json')
      .send({
        code: fault.kind === 'full' ? 'insufficient-storage' : 'unavailable',
        message:
          fault.kind === 'full'
            ? "the hub's disk is full: nothing was changed; free space and try again"
            : fault.kind === 'busy'
              ? 'the hub is busy: nothing was changed; try again shortly'
              : "the hub's storage is read-only: nothing was changed; reads still work",
      });
  });

  app.setNotFoundHandler((request, reply) => {
    const e = new TaxiiError('not-found', 'no such resource, or not visible to this credential');
    const type = request.url.startsWith('/taxii2') ? TAXII_MEDIA_TYPE : 'application/json';
    return reply
      .code(404)
      .header('Content-Type', type)
      .send(Buffer.from(JSON.stringify(e.toBody())));
  });
  return app;
}

/** Writes ended delivery periods on a timer, and every period when the server closes. */
function recordDeliveries(app: FastifyInstance, hub: Hub, log: DeliveryLog, everyMs: number): () => void {
  let writing = Promise.resolve();
  let overflowQueued = false;
  const writeNow = async (periods: DeliveryPeriod[]) => {
    if (periods.length === 0) return;
    try {
      await hub.state.deliveries.write(periods, hub.clock.now());
    } catch (err) {
      // Kept for the next attempt: a record lost here is a partner's fetch nobody can account for.
      app.log.error({ err: (err as Error).message }, 'delivery record not written; will retry');
      log.putBack(periods);
    }
  };
  const write = (periods: DeliveryPeriod[]) => {
    if (periods.length === 0) return writing;
    writing = writing.then(() => writeNow(periods));
    return writing;
  };
  const timer = setInterval(() => {
    write(log.takeEnded()).catch(() => {});
  }, everyMs);
  timer.unref();
  flushers.set(app, () => write(log.takeAll()));
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await write(log.takeAll());
  });
  // One write queued behind the current one takes every period closed by then.
  return () => {
    if (overflowQueued) return;
    overflowQueued = true;
    writing = writing.then(() => {
      overflowQueued = false;
      return writeNow(log.takeEnded());
    });
  };
}
