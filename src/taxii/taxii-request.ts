import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseAuthorization } from './taxii-auth.js';
import { TaxiiError } from './taxii-errors.js';
import { acceptsTaxii } from './taxii-media.js';
import { type Authenticator, type Principal, principalKey } from './taxii-ports.js';
import type { TokenBuckets } from './taxii-rate-limit.js';

export interface GateOptions {
  authenticator: Authenticator;
  limiter: TokenBuckets;
  /** Every failed login waits this long before its 401, slowing guessing (and is logged). */
  failedLoginDelayMs: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    taxiiPrincipal?: Principal;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function limited(reply: FastifyReply, retryAfterSeconds: number): TaxiiError {
  reply.header('Retry-After', String(retryAfterSeconds));
  return new TaxiiError('too-many-requests', `slow down: retry after ${retryAfterSeconds} s`);
}

/**
 * Runs before every TAXII route: content negotiation (406), authentication (401, slowed and
 * logged on failure, never logging the secret), then the per-credential rate limit (429).
 * Unauthenticated attempts are limited per client address, so guessing is rate-limited too.
 */
export function createTaxiiGate(o: GateOptions) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!acceptsTaxii(request.headers.accept)) {
      throw new TaxiiError('not-acceptable', 'this server answers application/taxii+json;version=2.1 only');
    }
    const creds = parseAuthorization(request.headers.authorization);
    if (creds.kind === 'none' || creds.kind === 'malformed') {
      reply.header('WWW-Authenticate', 'Basic realm="tearline", Bearer realm="tearline"');
      throw new TaxiiError(
        'unauthenticated',
        creds.kind === 'none'
          ? 'send HTTP Basic credentials (partner name or id, token) or Authorization: Bearer TOKEN'
          : 'the Authorization header is not valid Basic or Bearer',
      );
    }
    const anonKey = `addr:${request.ip}`;
    const principal =
      creds.kind === 'basic'
        ? await o.authenticator.authenticateBasic(creds.user, creds.secret)
        : await o.authenticator.authenticateBearer(creds.token);
    if (!principal) {
      request.log.warn(
        {
          event: 'taxii-login-failed',
          scheme: creds.kind,
          user: creds.kind === 'basic' ? creds.user.slice(0, 100) : undefined,
        },
        'TAXII login failed',
      );
      const gate = o.limiter.take(anonKey);
      await sleep(o.failedLoginDelayMs);
      if (!gate.ok) throw limited(reply, gate.retryAfterSeconds);
      reply.header('WWW-Authenticate', 'Basic realm="tearline", Bearer realm="tearline"');
      throw new TaxiiError('unauthenticated', 'unknown credential, wrong token or disabled partner');
    }
    const decision = o.limiter.take(principalKey(principal));
    if (!decision.ok) throw limited(reply, decision.retryAfterSeconds);
    request.taxiiPrincipal = principal;
  };
}

export function principalOf(request: FastifyRequest): Principal {
  const p = request.taxiiPrincipal;
  if (!p) throw new TaxiiError('unauthenticated', 'no credential');
  return p;
}
