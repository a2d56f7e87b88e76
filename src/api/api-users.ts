import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { accountOfKey } from '../access/access-throttle.js';
import { userOf } from './api-auth.js';
import { enabledChangeOf } from './api-change-body.js';
import type { ConsoleContext } from './api-context.js';
import { API_BODY_LIMIT, sendApiError } from './api-errors.js';

const NAME = /^[a-z][a-z0-9._-]{1,63}$/;
type Body = Record<string, unknown> | undefined;

/**
 * Users, their API keys and sign-in lockouts in the console: admins manage users and lift locks;
 * everyone manages their own keys and password. Every change lands in user_events and the ledger
 * with who made it (the stores do that), and generated secrets are shown once, in the answer.
 */
export function registerUserRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { users, apiKeys, throttle, authEvents } = ctx.hub.state;
  const change = (request: Parameters<typeof userOf>[0]) => ({
    actor: userOf(request).name,
    now: ctx.hub.clock.now(),
  });

  app.get('/api/users', { config: { action: 'user.manage' } }, async () => ({
    users: await users.list(),
    locks: await throttle.locks(Date.now()),
  }));

  app.post(
    '/api/users',
    { bodyLimit: API_BODY_LIMIT, config: { action: 'user.manage' } },
    async (request, reply) => {
      const body = request.body as Body;
      if (typeof body?.name !== 'string' || typeof body.role !== 'string' || !NAME.test(body.name))
        return sendApiError(
          reply,
          'bad-request',
          'send {"name": "lower-case name", "role": "analyst|release-officer|oversight|admin"}',
        );
      const password = randomBytes(18).toString('base64url');
      const r = await users.add(body.name, body.role, password, change(request));
      if (!r.ok) return sendApiError(reply, r.code === 'user-exists' ? 'conflict' : 'bad-request', r.message);
      return { user: r.user, password };
    },
  );

  app.post(
    '/api/users/:name/enabled',
    { bodyLimit: API_BODY_LIMIT, config: { action: 'user.manage' } },
    async (request, reply) => {
      const { name } = request.params as { name: string };
      const c = enabledChangeOf(request, reply);
      if (!c) return reply;
      if (!c.enabled && name === userOf(request).name)
        return sendApiError(reply, 'bad-request', 'you cannot disable yourself; ask another admin');
      const r = await users.setEnabled(name, c.enabled, { ...change(request), reason: c.reason });
      return r.ok ? { user: r.user } : sendApiError(reply, 'not-found', r.message);
    },
  );

  app.post(
    '/api/users/:name/password',
    { bodyLimit: API_BODY_LIMIT, config: { action: 'user.manage' } },
    async (request, reply) => {
      const { name } = request.params as { name: string };
      const password = randomBytes(18).toString('base64url');
      const r = await users.setPassword(name, password, change(request));
      return r.ok ? { user: r.user, password } : sendApiError(reply, 'not-found', r.message);
    },
  );

  app.post(
    '/api/me/password',
    { bodyLimit: API_BODY_LIMIT, config: { action: 'self.manage' } },
    async (request, reply) => {
      const me = userOf(request);
      const body = request.body as Body;
      if (typeof body?.current !== 'string' || typeof body.next !== 'string' || body.current.length > 1024)
        return sendApiError(reply, 'bad-request', 'send {"current": "...", "next": "..."}');
      if (me.auth === 'key')
        return sendApiError(reply, 'forbidden', 'change your password signed in, not with an API key');
      if (!(await users.authenticate(me.name, body.current)))
        return sendApiError(reply, 'forbidden', 'the current password is wrong');
      const r = await users.setPassword(me.name, body.next, change(request));
      return r.ok ? { ok: true, signed_out: true } : sendApiError(reply, 'bad-request', r.message);
    },
  );

  app.post(
    '/api/locks/unlock',
    { bodyLimit: API_BODY_LIMIT, config: { action: 'user.manage' } },
    async (request, reply) => {
      const body = request.body as Body;
      if (typeof body?.key !== 'string' || !/^(acct|at|addr|os):.{1,330}$/.test(body.key))
        return sendApiError(
          reply,
          'bad-request',
          'send {"key": "acct:NAME"} (every lock of that account) or a key as GET /api/users lists it',
        );
      const key = body.key;
      // acct:NAME lifts the account's locks from every source it was guessed from.
      const held = key.startsWith('acct:')
        ? (await throttle.unlockAccount(key.slice(5))).length > 0
        : await throttle.unlock(key);
      const c = change(request);
      const account = accountOfKey(key);
      await authEvents.record({
        at: c.now,
        surface: 'console',
        event: 'unlocked',
        account,
        address: account ? undefined : key,
        actor: c.actor,
        detail: { key, held },
      });
      if (account && (await users.get(account))) await users.recordEvent(account, 'unlock', c, { key });
      return { key, unlocked: held };
    },
  );

  app.get('/api/auth-events', { config: { action: 'ledger.audit' } }, async (request) => {
    const q = request.query as { account?: string };
    return authEvents.list({
      ...(typeof q.account === 'string' && { account: q.account.slice(0, 128) }),
      limit: 500,
    });
  });

  app.get('/api/keys', { config: { action: 'self.manage' } }, async (request) => {
    const me = userOf(request);
    const all =
      (request.query as { all?: string }).all === '1' && me.role === 'admin' && me.scope === 'admin';
    return apiKeys.list(all ? undefined : me.name);
  });

  app.post(
    '/api/keys',
    { bodyLimit: API_BODY_LIMIT, config: { action: 'self.manage' } },
    async (request, reply) => {
      const me = userOf(request);
      if (me.auth === 'key')
        return sendApiError(
          reply,
          'forbidden',
          'create API keys signed in with your password, not with a key',
        );
      const body = request.body as Body;
      if (typeof body?.label !== 'string' || (body.role !== undefined && typeof body.role !== 'string'))
        return sendApiError(
          reply,
          'bad-request',
          'send {"label": "what it is for", "role"?: "your role or oversight"}',
        );
      const r = await apiKeys.create(
        me.name,
        me.role,
        { label: body.label, ...(typeof body.role === 'string' && { role: body.role }) },
        change(request),
      );
      return r.ok ? { key: r.key, secret: r.secret } : sendApiError(reply, 'bad-request', r.message);
    },
  );

  app.post(
    '/api/keys/:id/revoke',
    { bodyLimit: API_BODY_LIMIT, config: { action: 'self.manage' } },
    async (request, reply) => {
      const me = userOf(request);
      const { id } = request.params as { id: string };
      const k = await apiKeys.get(id);
      if (!k || (k.user_name !== me.name && !(me.role === 'admin' && me.scope === 'admin')))
        return sendApiError(reply, 'not-found', `no API key ${id} of yours`);
      const r = await apiKeys.revoke(id, change(request));
      return r.ok ? { key: r.key } : sendApiError(reply, 'not-found', r.message);
    },
  );
}
