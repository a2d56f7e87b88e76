import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { CachedAuthenticator } from './taxii-auth.js';
import { type PageCache, pageCacheKey } from './taxii-page-cache.js';
import { type DeliveryRecorder, principalKey } from './taxii-ports.js';
import type { TokenBuckets } from './taxii-rate-limit.js';
import { passTaxiiGate } from './taxii-request.js';

export interface PageFastPathOptions {
  authenticator: CachedAuthenticator;
  limiter: TokenBuckets;
  pages: { cache: PageCache; stamp(): Promise<string> };
  /** Told what each served page delivered, as the full route tells it. */
  deliveries?: DeliveryRecorder;
  /** The server's logger once it exists; a served page is logged at info, like Fastify's requests. */
  log(): FastifyBaseLogger | undefined;
}

const LOGS_INFO = new Set(['trace', 'debug', 'info']);

/** Serves the request and returns true, or returns false having written nothing. */
export type PageFastPath = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/**
 * Repeated TAXII GETs, answered before Fastify sees them: the one gate (passTaxiiGate: Accept,
 * credentials, rate limit), then the page cache, with no router, hooks or reply objects between. It only
 * ever serves bytes the full route rendered for this principal at this exact URL under the
 * current change stamp, and only to credentials the cached authenticator proved within its TTL.
 * Anything else (a miss, unknown or failing credentials, a 406, a 429, an error) falls through
 * to Fastify untouched, which answers it in full; nothing here answers anything but a 200. The
 * gate marks a request it admitted, so a miss that falls through is not charged a second token.
 */
export function createPageFastPath(o: PageFastPathOptions): PageFastPath {
  return async (req, res) => {
    if (req.method !== 'GET' || !req.url?.startsWith('/taxii2/')) return false;
    let gate: Awaited<ReturnType<typeof passTaxiiGate>>;
    try {
      // No address: without checkCredentials the gate checks no sign-in, so it needs none.
      gate = await passTaxiiGate(o, req, '');
    } catch {
      return false;
    }
    // A refusal (406, 401, 429) or credentials not proved yet: Fastify's route answers in full.
    if (!gate.ok) return false;
    const principal = gate.principal;
    const started = performance.now();
    let stamp: string;
    try {
      stamp = await o.pages.stamp();
    } catch {
      return false; // Fastify's route meets the same failure and answers it as a TAXII error.
    }
    const page = o.pages.cache.get(pageCacheKey(principal, req.url), stamp);
    if (!page) return false;
    res.writeHead(200, page.headers);
    res.end(page.body);
    if (page.delivered) o.deliveries?.record(principal, page.delivered);
    const log = o.log();
    if (log && LOGS_INFO.has(log.level)) {
      log.info(
        {
          req: { method: req.method, url: req.url },
          res: { statusCode: 200 },
          principal: principalKey(principal),
          responseTime: performance.now() - started,
        },
        'request completed (TAXII page cache)',
      );
    }
    return true;
  };
}
