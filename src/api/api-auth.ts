import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { type Action, actionsOf, mayDo, mayDoScoped, type Role, refusalOf } from '../access/access-roles.js';
import { looksLikeApiKey } from '../store/hub/api-key-store.js';
import type { ConsoleContext } from './api-context.js';
import { API_BODY_LIMIT, sendApiError } from './api-errors.js';
import { equalTokens, readCookie, SESSION_COOKIE, sessionCookie } from './api-session.js';

/** Who a request acts for, as its session cookie or API key proved. */
export interface ApiActor {
  name: string;
  role: Role;
  /** The credential's role: the user's, or oversight for a read-only key. */
  scope: Role;
  auth: 'password' | 'password+totp' | 'key';
  /** `console` (a browser session) or `api key:ID` (a script): approvals record it. */
  origin: string;
}

const signedIn = new WeakMap<FastifyRequest, ApiActor>();

/** The actor the guard admitted; only call from a route whose action is not `public`. */
export function userOf(request: FastifyRequest): ApiActor {
  const user = signedIn.get(request);
  if (!user) throw new Error('userOf called on a route the guard did not check (action public or none)');
  return user;
}

/** The actions a signed-in actor may take (the console shows only what it may do). */
export function permissionsOf(actor: Pick<ApiActor, 'role' | 'scope'>): Action[] {
  return actionsOf(actor.role).filter((a) => mayDo(actor.scope, a));
}

async function actorOf(
  ctx: ConsoleContext,
  request: FastifyRequest,
): Promise<{ actor: ApiActor; csrf?: string } | undefined> {
  const header = request.headers.authorization;
  if (typeof header === 'string' && /^bearer\s/i.test(header)) {
    const presented = header.slice(7).trim();
    if (!looksLikeApiKey(presented)) return undefined;
    const key = await ctx.hub.state.apiKeys.verify(presented, ctx.now());
    const user = key && (await ctx.users.get(key.user_name));
    if (!key || !user?.enabled) {
      // Keys are 256 random bits: nothing to slow down, but every refusal is in the audit log
      // (with the key's public id, never its secret).
      await ctx.hub.state.authEvents
        .record({
          at: new Date(),
          surface: 'api',
          event: 'login-failed',
          account: `key:${/^tlk_([A-Za-z0-9_-]{16})\./.exec(presented)?.[1] ?? 'malformed'}`,
          address: request.ip,
        })
        .catch(() => {});
      return undefined;
    }
    return {
      actor: {
        name: user.name,
        role: user.role,
        scope: key.role,
        auth: 'key',
        origin: `api key:${key.key_id}`,
      },
    };
  }
  const id = readCookie(request.headers.cookie, SESSION_COOKIE);
  const session = id ? await ctx.sessions.find(id, ctx.now()) : undefined;
  if (session?.kind !== 'console') return undefined;
  const user = await ctx.users.get(session.userName);
  if (!user?.enabled) return undefined;
  return {
    actor: { name: user.name, role: user.role, scope: user.role, auth: session.auth, origin: 'console' },
    csrf: session.csrf,
  };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * What a console route does, as the role table names it (access-roles.ts), checked by the one
     * guard (consoleGuard) before the handler; `public` for signing in, the docs and not-found. A
     * route that names nothing is refused: deny by default.
     */
    action?: Action | 'public';
  }
}

/**
 * The console API's one guard, a preHandler hook on its plugin: a live console session or API key
 * of an enabled user whose role (and key scope) allows the route's action (route config `action`;
 * access-roles.ts, the table the CLI enforces too). A state-changing request on a session must
 * also carry its CSRF token in X-CSRF-Token; an API key is not sent by browsers on their own, so
 * it needs none. The admitted actor is what userOf reads.
 */
export function consoleGuard(ctx: ConsoleContext): preHandlerHookHandler {
  // Async hook: a reply sent here is returned, which ends the request before the route.
  return async (request, reply) => {
    const action = request.routeOptions.config.action;
    if (action === 'public') return;
    if (action === undefined) {
      sendApiError(reply, 'forbidden', 'this route names no action, so nobody may use it');
      return reply;
    }
    const found = await actorOf(ctx, request);
    if (!found) {
      sendApiError(reply, 'unauthenticated', 'sign in first: POST /api/login with name and password');
      return reply;
    }
    if (found.csrf !== undefined && request.method !== 'GET' && request.method !== 'HEAD') {
      const header = request.headers['x-csrf-token'];
      if (typeof header !== 'string' || !equalTokens(header, found.csrf)) {
        sendApiError(
          reply,
          'csrf',
          'the X-CSRF-Token header is missing or wrong: use the csrf value of GET /api/me',
        );
        return reply;
      }
    }
    const a = found.actor;
    if (!mayDoScoped(a.role, a.scope, action)) {
      sendApiError(reply, 'forbidden', refusalOf(a.scope === a.role ? a : { ...a, role: a.scope }, action));
      return reply;
    }
    signedIn.set(request, a);
  };
}

function meBody(actor: Omit<ApiActor, 'origin'>, csrf: string) {
  return { name: actor.name, role: actor.role, auth: actor.auth, permissions: permissionsOf(actor), csrf };
}

export function registerAuthRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  app.post(
    '/api/login',
    { bodyLimit: API_BODY_LIMIT, config: { action: 'public' } },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const body = request.body as { name?: unknown; password?: unknown; totp?: unknown } | undefined;
      if (
        typeof body?.name !== 'string' ||
        typeof body.password !== 'string' ||
        (body.totp !== undefined && typeof body.totp !== 'string') ||
        body.name.length > 64 ||
        body.password.length > 1024 ||
        (typeof body.totp === 'string' && body.totp.length > 16)
      ) {
        return sendApiError(
          reply,
          'bad-request',
          'send JSON {"name": "...", "password": "...", "totp"?: "123456"}',
        );
      }
      const r = await ctx.auth.signIn(
        'console',
        {
          name: body.name,
          password: body.password,
          totp: typeof body.totp === 'string' ? body.totp : undefined,
        },
        { address: request.ip },
      );
      if (!r.ok) {
        if (r.retryAfterSeconds !== undefined) reply.header('Retry-After', String(r.retryAfterSeconds));
        return sendApiError(reply, r.code === 'failed' ? 'login-failed' : 'too-many-attempts', r.message);
      }
      const now = ctx.now();
      await ctx.sessions.deleteExpired(now);
      const { id, session } = await ctx.sessions.create(r.user.name, now, ctx.sessionTtlMs, {
        kind: 'console',
        auth: r.auth,
        origin: 'console',
      });
      reply.header('Set-Cookie', sessionCookie(id, ctx.secure, Math.floor(ctx.sessionTtlMs / 1000)));
      return meBody({ name: r.user.name, role: r.user.role, scope: r.user.role, auth: r.auth }, session.csrf);
    },
  );

  app.post(
    '/api/logout',
    { bodyLimit: API_BODY_LIMIT, config: { action: 'read' } },
    async (request, reply) => {
      const id = readCookie(request.headers.cookie, SESSION_COOKIE);
      if (id) await ctx.sessions.delete(id);
      reply.header('Set-Cookie', sessionCookie('', ctx.secure, 0));
      return { ok: true };
    },
  );

  app.get('/api/me', { config: { action: 'read' } }, async (request) => {
    const id = readCookie(request.headers.cookie, SESSION_COOKIE);
    const session = id ? await ctx.sessions.find(id, ctx.now()) : undefined;
    return meBody(userOf(request), session?.csrf ?? '');
  });
}
