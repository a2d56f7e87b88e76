import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import { type CachedAuthenticator, parseAuthorization } from './taxii-auth.js';
import { acceptsTaxii } from './taxii-media.js';
import { type PageCache, pageCacheKey } from './taxii-page-cache.js';
import { type DeliveryRecorder, principalKey } from './taxii-ports.js';
import type { TokenBuckets } from './taxii-rate-limit.js';

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
 * Repeated TAXII GETs, answered before Fastify sees them: the same gate (Accept, credentials,
 * rate limit), then the page cache, with no router, hooks or reply objects in between. It only
 * ever serves bytes the full route rendered for this principal at this exact URL under the
 * current change stamp, and only to credentials the cached authenticator proved within its TTL.
 * Anything else (a miss, unknown or failing credentials, a 406, a 429, an error) falls through
 * to Fastify untouched, which answers it in full; nothing here answers anything but a 200.
 */
export function createPageFastPath(o: PageFastPathOptions): PageFastPath {
  return async (req, res) => {
    if (req.method !== 'GET' || !req.url?.startsWith('/taxii2/')) return false;
    if (!acceptsTaxii(req.headers.accept)) return false;
    const creds = parseAuthorization(req.headers.authorization);
    if (creds.kind !== 'basic' && creds.kind !== 'bearer') return false;
    let principal: Awaited<ReturnType<CachedAuthenticator['peek']>>;
    try {
      principal = await o.authenticator.peek(creds);
    } catch {
      return false;
    }
    if (!principal) return false;
    const started = performance.now();
    let stamp: string;
    try {
      stamp = await o.pages.stamp();
    } catch {
      return false; // Fastify's route meets the same failure and answers it as a TAXII error.
    }
    const page = o.pages.cache.get(pageCacheKey(principal, req.url), stamp);
    if (!page) return false;
    // Taken only when this path answers; a limited principal falls through to the gate's 429.
    if (!o.limiter.take(principalKey(principal)).ok) return false;
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
