import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerOptions as NodeServerOptions,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { FastifyInstance, FastifyServerFactory } from 'fastify';
import type { PageFastPath } from '../taxii/taxii-page-fast-path.js';

/**
 * How long a client may take, on every path the server has (Fastify's routes, the TAXII page
 * fast path, HTTP and HTTPS alike). Node checks the deadlines every `checkEveryMs`, so a request
 * whose headers or body trickle in is closed (408) within deadline + checkEveryMs: 10 + 1 s for
 * the headers, 25 + 1 s for the whole request. An idle keep-alive connection closes after
 * `keepAliveMs` (Fastify's default, above the 60 s idle timeout of common load balancers).
 */
export interface HttpTimeouts {
  headersMs: number;
  requestMs: number;
  checkEveryMs: number;
  keepAliveMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = {
  headersMs: 10_000,
  requestMs: 25_000,
  checkEveryMs: 1_000,
  keepAliveMs: 72_000,
};

/** Where the fast path counts the pages it is serving, and learns that the server is closing. */
export interface FastPathInFlight {
  readonly closing: boolean;
  enter(): void;
  leave(): void;
}

/**
 * Fastify's serverFactory, always used: the HTTP(S) server with the timeouts above, whose GETs try
 * the page fast path first when there is one. Everything else goes straight to Fastify.
 */
export function createHubServerFactory(
  timeouts: HttpTimeouts,
  fastPath?: PageFastPath,
  tls?: { cert: Buffer; key: Buffer },
  inFlight?: FastPathInFlight,
): FastifyServerFactory {
  return (handler) => {
    const listener = (req: IncomingMessage, res: ServerResponse) => {
      // While the server closes, Fastify answers everything (503, Connection: close).
      if (!fastPath || req.method !== 'GET' || inFlight?.closing) {
        handler(req, res);
        return;
      }
      inFlight?.enter();
      fastPath(req, res)
        .then(
          (served) => {
            if (!served) handler(req, res);
          },
          () => {
            if (!res.headersSent) handler(req, res);
          },
        )
        .finally(() => inFlight?.leave());
    };
    const options: NodeServerOptions = {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      connectionsCheckingInterval: timeouts.checkEveryMs,
    };
    const server: Server = tls
      ? createHttpsServer({ ...options, ...tls }, listener)
      : createHttpServer(options, listener);
    server.keepAliveTimeout = timeouts.keepAliveMs;
    return server;
  };
}

/** On every API, ledger, TAXII and error response: never cached by anyone, never content-sniffed. */
export const HYGIENE_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const;

/**
 * Adds HYGIENE_HEADERS to every response Fastify sends (the console's hashed assets keep their
 * own Cache-Control). Responses written around Fastify set them themselves: the TAXII page cache
 * stores them with each page, and the console's event stream writes them.
 */
export function registerResponseHygiene(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', HYGIENE_HEADERS['cache-control']);
    reply.header('x-content-type-options', HYGIENE_HEADERS['x-content-type-options']);
    return payload;
  });
}
