import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Authenticator, Principal } from './taxii-ports.js';

export type Credentials =
  | { kind: 'basic'; user: string; secret: string }
  | { kind: 'bearer'; token: string }
  | { kind: 'none' }
  | { kind: 'malformed' };

const MAX_HEADER = 2048;

export function parseAuthorization(header: string | undefined): Credentials {
  if (header === undefined || header === '') return { kind: 'none' };
  if (header.length > MAX_HEADER) return { kind: 'malformed' };
  const m = /^(\S+)\s+(\S+)\s*$/.exec(header);
  if (!m) return { kind: 'malformed' };
  const scheme = (m[1] as string).toLowerCase();
  const value = m[2] as string;
  if (scheme === 'bearer') return { kind: 'bearer', token: value };
  if (scheme !== 'basic' || !/^[A-Za-z0-9+/]+=*$/.test(value)) return { kind: 'malformed' };
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return { kind: 'malformed' };
  return { kind: 'basic', user: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** Users and roles arrive with the user store; this is the shape TAXII needs of it. */
export interface UserAuthenticator {
  /** `totp`: the user must give a second code, which HTTP Basic cannot carry: Basic is refused. */
  authenticate(
    name: string,
    password: string,
  ): Promise<{ name: string; role: string; totp?: boolean } | undefined>;
}

export interface PartnerAuthPorts {
  authenticate(nameOrId: string, token: string): Promise<{ id: string; name: string } | undefined>;
  findPartnerIdByToken(token: string): Promise<string | undefined>;
}

/** Partners first (name or id + token), then users, when a user store is wired in. */
export function createHubAuthenticator(partners: PartnerAuthPorts, users?: UserAuthenticator): Authenticator {
  const asPartner = (p: { id: string; name: string }): Principal => ({
    kind: 'partner',
    partnerId: p.id,
    name: p.name,
  });
  return {
    async authenticateBasic(user, secret) {
      const p = await partners.authenticate(user, secret);
      if (p) return asPartner(p);
      const u = users ? await users.authenticate(user, secret) : undefined;
      // Any enabled user without a second factor (Basic cannot carry a code); each surface then
      // decides what the role may see (TAXII: the intel collection for analysts).
      return u && !u.totp ? { kind: 'user', user: u.name, role: u.role } : undefined;
    },
    async authenticateBearer(token) {
      const id = await partners.findPartnerIdByToken(token);
      // Unknown tokens still pay for one verification, so timing does not tell them apart.
      // No partner can be named this ("--" is refused in names, ids are UUIDs); no NUL either,
      // which PostgreSQL refuses in text (an unknown token answered 500 there).
      const p = await partners.authenticate(id ?? 'identity--unknown', token);
      return p ? asPartner(p) : undefined;
    },
  };
}

export interface AuthCacheOptions {
  ttlMs: number;
  maxEntries: number;
  now: () => number;
  /**
   * Moves whenever a credential may have stopped being good, in any process (a disabled user or
   * partner, a new token or password, a revoked key, a lock): the cache is emptied when it does.
   */
  epoch?: () => string | Promise<string>;
}

interface CacheEntry {
  digest: Buffer;
  principal: Principal;
  expires: number;
}

/** Credentials that name someone (parseAuthorization's 'basic' and 'bearer'). */
export type PresentedCredentials = Extract<Credentials, { kind: 'basic' | 'bearer' }>;

export interface CachedAuthenticator extends Authenticator {
  /**
   * The principal these credentials proved within the TTL, without verifying anything new:
   * undefined means "not known to be good" (the caller then authenticates in full).
   */
  peek(creds: PresentedCredentials): Promise<Principal | undefined>;
}

/**
 * argon2id costs tens of milliseconds per check; successful checks are remembered for `ttlMs`
 * under a keyed SHA-256 (key random per process) of the credentials, never the credentials
 * themselves. The whole cache is dropped whenever `epoch` moves, so a rotated token, a disabled
 * partner or user or a lock stops a cached credential at once, in every process. Failures are not
 * cached: each one pays the full price.
 */
export function createCachedAuthenticator(inner: Authenticator, opts: AuthCacheOptions): CachedAuthenticator {
  // SHA-256(key || credentials) rather than HMAC: a third of the cost on every request, and as
  // good here, since the digests never leave the process (length extension needs a digest).
  const key = randomBytes(32).toString('hex');
  const cache = new Map<string, CacheEntry>();
  let seenEpoch: string | undefined;
  const current = async () => {
    if (!opts.epoch) return;
    const e = await opts.epoch();
    if (e !== seenEpoch) {
      cache.clear();
      seenEpoch = e;
    }
  };
  const digestOf = (c: PresentedCredentials): Buffer =>
    hash(
      'sha256',
      // The user's length makes the encoding unambiguous: ('a\0b', 'c') is not ('a', 'b\0c').
      c.kind === 'basic'
        ? `${key}\u0000basic\u0000${c.user.length}\u0000${c.user}\u0000${c.secret}`
        : `${key}\u0000bearer\u0000${c.token}`,
      'buffer',
    );

  function find(digest: Buffer, k: string): Principal | undefined {
    const hit = cache.get(k);
    // The Map lookup is keyed by a keyed hash, so its timing reveals nothing about the secret;
    // the constant-time comparison is the explicit check that the entry is the one asked for.
    if (hit && hit.expires > opts.now() && timingSafeEqual(hit.digest, digest)) return hit.principal;
    if (hit) cache.delete(k);
    return undefined;
  }

  async function lookup(c: PresentedCredentials, verify: () => Promise<Principal | undefined>) {
    await current();
    const epochBefore = seenEpoch;
    const digest = digestOf(c);
    const k = digest.toString('base64');
    const known = find(digest, k);
    if (known) return known;
    const principal = await verify();
    // A credential proven while the epoch moved may be the one that just ended: do not keep it.
    await current();
    if (principal && seenEpoch === epochBefore) {
      if (cache.size >= opts.maxEntries) {
        const oldest = cache.keys().next();
        if (!oldest.done) cache.delete(oldest.value);
      }
      cache.set(k, { digest, principal, expires: opts.now() + opts.ttlMs });
    }
    return principal;
  }

  return {
    authenticateBasic: (user, secret) =>
      lookup({ kind: 'basic', user, secret }, () => inner.authenticateBasic(user, secret)),
    authenticateBearer: (token) => lookup({ kind: 'bearer', token }, () => inner.authenticateBearer(token)),
    async peek(c) {
      await current();
      const digest = digestOf(c);
      return find(digest, digest.toString('base64'));
    },
  };
}
