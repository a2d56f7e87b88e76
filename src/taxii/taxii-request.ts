import type { FastifyReply, FastifyRequest } from 'fastify';
import { type CachedAuthenticator, type PresentedCredentials, parseAuthorization } from './taxii-auth.js';
import { TaxiiError } from './taxii-errors.js';
import { acceptsTaxii } from './taxii-media.js';
import { type Principal, principalKey } from './taxii-ports.js';
import type { TokenBuckets } from './taxii-rate-limit.js';

/** The outcome of one full check of presented credentials, through the hub's sign-in throttle. */
export type CredentialCheck =
  | { ok: true; principal: Principal }
  | { ok: false; code: 'failed' | 'locked' | 'throttled'; message: string; retryAfterSeconds?: number };

export interface GateOptions {
  authenticator: CachedAuthenticator;
  limiter: TokenBuckets;
  /**
   * Checks credentials the cache does not know: one attempt at a time per account and address,
   * with back-off and lockout (see src/access/access-throttle.ts), audited.
   */
  checkCredentials(creds: PresentedCredentials, address: string): Promise<CredentialCheck>;
}

declare module 'fastify' {
  interface FastifyRequest {
    taxiiPrincipal?: Principal;
  }
}

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
    let principal = await o.authenticator.peek(creds);
    if (!principal) {
      const checked = await o.checkCredentials(creds, request.ip);
      if (!checked.ok) {
        request.log.warn(
          {
            event: 'taxii-login-failed',
            outcome: checked.code,
            scheme: creds.kind,
            user: creds.kind === 'basic' ? creds.user.slice(0, 100) : undefined,
          },
          'TAXII login failed',
        );
        if (checked.code !== 'failed') {
          reply.header('Retry-After', String(checked.retryAfterSeconds ?? 60));
          throw new TaxiiError('too-many-requests', checked.message);
        }
        reply.header('WWW-Authenticate', 'Basic realm="tearline", Bearer realm="tearline"');
        throw new TaxiiError('unauthenticated', 'unknown credential, wrong token or disabled partner');
      }
      principal = checked.principal;
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
