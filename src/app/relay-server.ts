import type { FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import { RelayMailStore } from '../store/hub/relay-mail-store.js';
import { TokenBuckets } from '../taxii/taxii-rate-limit.js';
import { createHubServerFactory, DEFAULT_HTTP_TIMEOUTS, registerResponseHygiene } from './http-server.js';
import type { Hub } from './hub.js';
import { loadLedgerSigner, verifierKeyOf } from './ledger-key.js';
import { DEFAULT_RELAY_LIMITS, type RelayLimits, registerRelayRoutes } from './relay-routes.js';

export interface RelayServerOptions {
  limits?: Partial<RelayLimits>;
  rate?: { perSecond: number; burst: number };
  failedLoginDelayMs?: number;
  log?: { stream: NodeJS.WritableStream; level?: string };
}

/**
 * A relay: the TAXII 2.1 mailboxes, its ledger's key, checkpoints and receipts, over a data dir
 * (`tearline init`) whose relay tables hold hubs, mailboxes and sealed envelopes. Its ledger is
 * the data dir's ledger, so `tearline ledger verify|receipt|consistency` work on it as on a hub.
 * It serves nothing else of a hub: no releases, no console.
 */
export function buildRelayServer(hub: Hub, options: RelayServerOptions = {}): FastifyInstance {
  const limits = { ...DEFAULT_RELAY_LIMITS, ...options.limits };
  const app = Fastify({
    logger: options.log
      ? {
          level: options.log.level ?? 'info',
          stream: options.log.stream,
          redact: { paths: ['req.headers.authorization'], censor: '[redacted]' },
        }
      : false,
    bodyLimit: limits.maxContentLength,
    routerOptions: { ignoreTrailingSlash: true },
    serverFactory: createHubServerFactory(DEFAULT_HTTP_TIMEOUTS),
  }) as unknown as FastifyInstance;
  registerResponseHygiene(app);
  const signer = () => {
    const s = loadLedgerSigner(hub.paths, hub.config.hub_name);
    return s.ok ? s.signer : undefined;
  };
  const rate = options.rate ?? { perSecond: 200, burst: 400 };
  registerRelayRoutes(app, {
    title: `Tearline relay ${hub.config.hub_name}`,
    mail: new RelayMailStore(hub.sql),
    limiter: new TokenBuckets({ ...rate, now: () => Date.now() }),
    now: () => hub.clock.now(),
    ledgerKey: () => {
      const s = signer();
      return s && verifierKeyOf(s);
    },
    checkpoint: async () => {
      const s = signer();
      if (s) await hub.ledgerService.checkpointIfDue(hub.clock.now(), s, { intervalMs: 0 });
      return (await hub.ledgerService.latest())?.note;
    },
    receipt: async (index) => {
      const s = signer();
      // Signed on demand: a receipt always proves against a checkpoint that covers its entry.
      if (s) await hub.ledgerService.checkpointIfDue(hub.clock.now(), s, { intervalMs: 0 });
      const r = await hub.ledgerService.receipt(index);
      return r.ok ? r.json : undefined;
    },
    failedLoginDelayMs: options.failedLoginDelayMs ?? 1000,
    limits,
  });
  return app;
}
