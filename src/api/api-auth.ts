import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import type { Role, User } from '../store/hub/user-store.js';
import type { ConsoleContext } from './api-context.js';
import { API_BODY_LIMIT, sendApiError } from './api-errors.js';
import { equalTokens, readCookie, SESSION_COOKIE, sessionCookie } from './api-session.js';

/** What a route does; each role is offered only what it may do (oversight reads, never changes). */
export type Access = 'read' | 'decide' | 'suspend' | 'promote' | 'draft';

const ALLOWED: Record<Access, readonly Role[]> = {
  read: ['analyst', 'release-officer', 'oversight', 'admin'],
  decide: ['release-officer'],
  suspend: ['release-officer', 'admin'],
  // Partner submissions become intel (or are turned away) only by an analyst's review.
  promote: ['analyst'],
  // Articles become drafts, and drafts intel, only by an analyst (who then counts as importer).
  draft: ['analyst'],
};

export function permissionsOf(role: Role): Access[] {
  return (Object.keys(ALLOWED) as Access[]).filter((a) => ALLOWED[a].includes(role));
}

const signedIn = new WeakMap<FastifyRequest, User>();

/** The user the guard admitted; only call from a route that has the guard as preHandler. */
export function userOf(request: FastifyRequest): User {
  const user = signedIn.get(request);
  if (!user) throw new Error('userOf called on a route without the session guard');
  return user;
}

/**
 * Admits a request with a live session of an enabled user whose role allows `access`; a
 * state-changing method must also carry the session's CSRF token in X-CSRF-Token.
 */
export function guard(ctx: ConsoleContext, access: Access): preHandlerHookHandler {
  // Async hook: a reply sent here is returned, which ends the request before the route.
  return async (request, reply) => {
    const id = readCookie(request.headers.cookie, SESSION_COOKIE);
    const session = id ? await ctx.sessions.find(id, ctx.now()) : undefined;
    const user = session ? await ctx.users.get(session.userName) : undefined;
    if (!session || !user?.enabled) {
      sendApiError(reply, 'unauthenticated', 'sign in first: POST /api/login with name and password');
      return reply;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const header = request.headers['x-csrf-token'];
      if (typeof header !== 'string' || !equalTokens(header, session.csrf)) {
        sendApiError(
          reply,
          'csrf',
          'the X-CSRF-Token header is missing or wrong: use the csrf value of GET /api/me',
        );
        return reply;
      }
    }
    if (!ALLOWED[access].includes(user.role)) {
      sendApiError(
        reply,
        'forbidden',
        `${user.name} (${user.role}) may not do this; it takes: ${ALLOWED[access].join(' or ')}`,
      );
      return reply;
    }
    signedIn.set(request, user);
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Consecutive failures per name and per client address: each failure waits longer (up to 8x). */
class LoginThrottle {
  readonly #failures = new Map<string, number>();
  constructor(private readonly baseMs: number) {}
  async fail(keys: string[]): Promise<void> {
    let worst = 0;
    for (const k of keys) {
      const n = (this.#failures.get(k) ?? 0) + 1;
      if (this.#failures.size > 10_000) this.#failures.clear();
      this.#failures.set(k, n);
      worst = Math.max(worst, n);
    }
    await sleep(this.baseMs * 2 ** (Math.min(worst, 4) - 1));
  }
  succeed(keys: string[]): void {
    for (const k of keys) this.#failures.delete(k);
  }
}

function meBody(user: User, csrf: string) {
  return { name: user.name, role: user.role, permissions: permissionsOf(user.role), csrf };
}

export function registerAuthRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const throttle = new LoginThrottle(ctx.failedLoginDelayMs);
  app.post(
    '/api/login',
    { bodyLimit: API_BODY_LIMIT },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const body = request.body as { name?: unknown; password?: unknown } | undefined;
      if (
        typeof body?.name !== 'string' ||
        typeof body.password !== 'string' ||
        body.name.length > 64 ||
        body.password.length > 1024
      ) {
        return sendApiError(reply, 'bad-request', 'send JSON {"name": "...", "password": "..."}');
      }
      const keys = [`name:${body.name}`, `ip:${request.ip}`];
      const user = await ctx.users.authenticate(body.name, body.password);
      if (!user) {
        await throttle.fail(keys);
        return sendApiError(reply, 'login-failed', 'wrong name or password, or the user is disabled');
      }
      throttle.succeed(keys);
      const now = ctx.now();
      await ctx.sessions.deleteExpired(now);
      const { id, session } = await ctx.sessions.create(user.name, now, ctx.sessionTtlMs);
      reply.header('Set-Cookie', sessionCookie(id, ctx.secure, Math.floor(ctx.sessionTtlMs / 1000)));
      return meBody(user, session.csrf);
    },
  );

  app.post(
    '/api/logout',
    { bodyLimit: API_BODY_LIMIT, preHandler: guard(ctx, 'read') },
    async (request, reply) => {
      const id = readCookie(request.headers.cookie, SESSION_COOKIE);
      if (id) await ctx.sessions.delete(id);
      reply.header('Set-Cookie', sessionCookie('', ctx.secure, 0));
      return { ok: true };
    },
  );

  app.get('/api/me', { preHandler: guard(ctx, 'read') }, async (request) => {
    const id = readCookie(request.headers.cookie, SESSION_COOKIE) as string;
    const session = await ctx.sessions.find(id, ctx.now());
    return meBody(userOf(request), session?.csrf ?? '');
  });
}
