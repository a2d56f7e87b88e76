import type { IncomingMessage } from 'node:http';
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

/** What the page fast path may use of the gate: cached credentials only, and the rate limit. */
export type FastGateOptions = Pick<GateOptions, 'authenticator' | 'limiter'>;

/** The gate's answer: the principal admitted, or why not (with what the reply must carry). */
export type GateAnswer =
  | { ok: true; principal: Principal }
  | {
      ok: false;
      code: 'not-acceptable' | 'unauthenticated' | 'too-many-requests';
      message: string;
      /** Send WWW-Authenticate: the client may retry with (other) credentials. */
      challenge: boolean;
      retryAfterSeconds?: number;
      /** A failed sign-in, for the log (never the secret). */
      failed?: { outcome: string; scheme: string; user?: string };
    }
  /** The fast path only: credentials the cache has not proved; the full route decides. */
  | { ok: false; code: 'not-proved' };

const CHALLENGE = 'Basic realm="tearline", Bearer realm="tearline"';
// Set on the raw request by a pass through the gate, so a page the fast path admitted but could
// not serve (a cache miss) is not charged a second token when Fastify's route takes it over.
const ADMITTED = Symbol('taxii gate admitted');
type GatedMessage = IncomingMessage & { [ADMITTED]?: Principal };

/**
 * The one TAXII gate, for the Fastify routes and the page fast path alike: content negotiation,
 * then credentials, then the per-credential rate limit. Without `checkCredentials` (the fast
 * path) only credentials the cached authenticator proved within its TTL are admitted, and
 * anything else is `not-proved`: the full route checks those, slowed and audited.
 */
export async function passTaxiiGate(
  o: FastGateOptions & Partial<Pick<GateOptions, 'checkCredentials'>>,
  req: IncomingMessage,
  address: string,
): Promise<GateAnswer> {
  if (!acceptsTaxii(req.headers.accept)) {
    const message = 'this server answers application/taxii+json;version=2.1 only';
    return { ok: false, code: 'not-acceptable', message, challenge: false };
  }
  const creds = parseAuthorization(req.headers.authorization);
  if (creds.kind === 'none' || creds.kind === 'malformed') {
    if (!o.checkCredentials) return { ok: false, code: 'not-proved' };
    const message =
      creds.kind === 'none'
        ? 'send HTTP Basic credentials (partner name or id, token) or Authorization: Bearer TOKEN'
        : 'the Authorization header is not valid Basic or Bearer';
    return { ok: false, code: 'unauthenticated', message, challenge: true };
  }
  let principal = await o.authenticator.peek(creds);
  if (!principal) {
    if (!o.checkCredentials) return { ok: false, code: 'not-proved' };
    const checked = await o.checkCredentials(creds, address);
    if (!checked.ok) {
      const failed = {
        outcome: checked.code,
        scheme: creds.kind,
        ...(creds.kind === 'basic' && { user: creds.user.slice(0, 100) }),
      };
      if (checked.code !== 'failed') {
        const retryAfterSeconds = checked.retryAfterSeconds ?? 60;
        return {
          ok: false,
          code: 'too-many-requests',
          message: checked.message,
          challenge: false,
          retryAfterSeconds,
          failed,
        };
      }
      const message = 'unknown credential, wrong token or disabled partner';
      return { ok: false, code: 'unauthenticated', message, challenge: true, failed };
    }
    principal = checked.principal;
  }
  const decision = o.limiter.take(principalKey(principal));
  if (!decision.ok) {
    const retryAfterSeconds = decision.retryAfterSeconds;
    const message = `slow down: retry after ${retryAfterSeconds} s`;
    return { ok: false, code: 'too-many-requests', message, challenge: false, retryAfterSeconds };
  }
  (req as GatedMessage)[ADMITTED] = principal;
  return { ok: true, principal };
}

/**
 * Runs before every TAXII route: passTaxiiGate, its refusals as TAXII errors (406, 401 slowed and
 * logged on failure, never logging the secret, 429). Unauthenticated attempts are limited per
 * client address by checkCredentials, so guessing is rate-limited too.
 */
export function createTaxiiGate(o: GateOptions) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    // Admitted already by the page fast path, which then missed its cache: one pass, one token.
    const admitted = (request.raw as GatedMessage)[ADMITTED];
    if (admitted) {
      request.taxiiPrincipal = admitted;
      return;
    }
    const answer = await passTaxiiGate(o, request.raw, request.ip);
    if (answer.ok) {
      request.taxiiPrincipal = answer.principal;
      return;
    }
    // The full gate always has checkCredentials: it never answers not-proved.
    if (answer.code === 'not-proved') throw new TaxiiError('unauthenticated', 'no credential');
    if (answer.failed)
      request.log.warn({ event: 'taxii-login-failed', ...answer.failed }, 'TAXII login failed');
    if (answer.challenge) reply.header('WWW-Authenticate', CHALLENGE);
    if (answer.retryAfterSeconds !== undefined) reply.header('Retry-After', String(answer.retryAfterSeconds));
    throw new TaxiiError(answer.code, answer.message);
  };
}

export function principalOf(request: FastifyRequest): Principal {
  const p = request.taxiiPrincipal;
  if (!p) throw new TaxiiError('unauthenticated', 'no credential');
  return p;
}
