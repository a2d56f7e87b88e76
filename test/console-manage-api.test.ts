import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../src/access/access-roles.js';
import { OPENAPI } from '../src/api/api-docs.js';
import { HubAuth } from '../src/app/auth-sign-in.js';
import type { ConsoleScenario } from '../src/app/console-demo.js';
import { registerConsole } from '../src/app/console-routes.js';
import type { SqliteHub as Hub } from '../src/app/hub.js';
import { LENIENT_THROTTLE } from './auth-fixture.js';
import { buildConsoleServer, openDemoHub, passwordOf } from './console-fixture.js';
import { basic, TAXII } from './taxii-fixture.js';

// The console API that runs the hub, at the edges the walk-through (console-manage-e2e) does not
// reach: bad input named field by field, secrets shown once, the why of every change kept, and
// /api/docs describing every route with the action its guard checks.

let hub: Hub;
let scenario: ConsoleScenario;
let app: FastifyInstance;
const bodies: string[] = [];

interface Session {
  cookie: string;
  csrf: string;
}

async function call(method: 'GET' | 'POST', url: string, s?: Session, payload?: unknown) {
  const res = await app.inject({
    method,
    url,
    headers: {
      ...(s && { cookie: s.cookie }),
      ...(s && method === 'POST' && { 'x-csrf-token': s.csrf }),
    },
    ...(payload !== undefined && { payload: payload as object }),
  });
  bodies.push(res.body);
  return res;
}

async function login(name: string, password = passwordOf(scenario, name)): Promise<Session> {
  const res = await call('POST', '/api/login', undefined, { name, password });
  expect(res.statusCode, res.body).toBe(200);
  return { cookie: String(res.headers['set-cookie']).split(';')[0] as string, csrf: res.json().csrf };
}

beforeAll(async () => {
  ({ hub, scenario } = await openDemoHub());
  app = buildConsoleServer(hub);
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  hub?.close();
});

describe('/api/docs', () => {
  it('describes every console route, each with the action its guard checks and that action’s roles', async () => {
    const routes: { method: string; url: string; action: string }[] = [];
    const bare = Fastify();
    bare.addHook('onRoute', (r) => {
      // /api/* is the not-found answer for every other path.
      if (!r.url.startsWith('/api/') || r.url === '/api/*') return;
      for (const m of [r.method].flat()) {
        if (m === 'HEAD') continue;
        // The one guard reads the route's action; `public` routes are open to anyone.
        const action = r.config?.action;
        routes.push({
          method: m.toLowerCase(),
          url: r.url,
          action: action === 'public' ? 'anyone' : (action ?? 'none named'),
        });
      }
    });
    registerConsole(bare, hub, new HubAuth(hub, LENIENT_THROTTLE));
    await bare.ready();
    await bare.close();
    expect(routes.length).toBeGreaterThan(40);
    const paths = OPENAPI.paths as Record<
      string,
      Record<string, { 'x-tearline-action': string; description: string }>
    >;
    const documented = Object.entries(paths).flatMap(([url, ops]) =>
      Object.entries(ops).map(([method, o]) => ({ method, url, action: o['x-tearline-action'] })),
    );
    const toOpenApi = (url: string) => url.replace(/:([a-z]+)/g, '{$1}');
    // Both ways: no route undocumented, no documented route that does not exist.
    expect(routes.map((r) => ({ ...r, url: toOpenApi(r.url) })).sort(byKey)).toEqual(documented.sort(byKey));
    for (const [url, ops] of Object.entries(paths))
      for (const o of Object.values(ops)) {
        const a = o['x-tearline-action'];
        if (a !== 'anyone')
          expect(o.description, url).toContain(ACTIONS[a as keyof typeof ACTIONS].roles.join(', '));
      }
    expect((await call('GET', '/api/docs')).json().info.description).toContain('Bearer tlk_');
  });
});

const byKey = (a: { method: string; url: string }, b: { method: string; url: string }) =>
  `${a.url} ${a.method}` < `${b.url} ${b.method}` ? -1 : 1;

describe('partners from the console', () => {
  it('adds a partner with its token shown once; rotating and disabling need a reason, kept in its history', async () => {
    const admin = await login('admin');
    const bad = await call('POST', '/api/partners', admin, { country: 'AF' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('name');
    const added = await call('POST', '/api/partners', admin, { name: 'herat-police', country: 'AF' });
    expect(added.statusCode, added.body).toBe(200);
    const { token } = added.json() as { token: string };
    expect(token).toMatch(/^tl_/);
    const id = added.json().partner.id as string;
    // Shown once: nothing read afterwards carries it.
    const shown = await call('GET', `/api/partners/${id}`, admin);
    expect(shown.body).not.toContain(token);
    expect((await call('GET', '/api/partners', admin)).body).not.toContain(token);

    const noReason = await call('POST', `/api/partners/${id}/token`, admin, {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().message).toContain('reason');
    const blank = await call('POST', `/api/partners/${id}/token`, admin, { reason: '   ' });
    expect(blank.statusCode).toBe(400);
    const rotated = await call('POST', `/api/partners/${id}/token`, admin, { reason: 'token sent by mail' });
    expect(rotated.statusCode).toBe(200);
    const fresh = rotated.json().token as string;
    expect(fresh).not.toBe(token);
    const taxii = (t: string) =>
      app.inject({
        method: 'GET',
        url: '/taxii2/',
        headers: { accept: TAXII, authorization: basic('herat-police', t) },
      });
    expect((await taxii(token)).statusCode).toBe(401);
    expect((await taxii(fresh)).statusCode).toBe(200);

    expect((await call('POST', `/api/partners/${id}/enabled`, admin, { enabled: false })).statusCode).toBe(
      400,
    );
    expect(
      (await call('POST', `/api/partners/${id}/enabled`, admin, { enabled: false, reason: 'audit' }))
        .statusCode,
    ).toBe(200);
    expect((await taxii(fresh)).statusCode).toBe(401);

    const history = (await call('GET', `/api/partners/${id}/history`, admin)).json() as {
      actor: string;
      what: string;
      why: string | null;
    }[];
    // (The demo hub's clock stands still, so the three share one time: compare them as a set.)
    expect(history.map((h) => [h.what, h.actor, h.why]).sort()).toEqual(
      [
        ['partner add', 'admin', null],
        ['partner disable', 'admin', 'audit'],
        ['partner rotate-token', 'admin', 'token sent by mail'],
      ].sort(),
    );
    const ledger = hub.db
      .prepare("SELECT count(*) AS n FROM ledger_entries WHERE kind = 'partner-change' AND actor = 'admin'")
      .get() as { n: number };
    expect(ledger.n).toBe(3);
    expect(bodies.filter((b) => b.includes(fresh))).toHaveLength(1);
  });

  it('checks an agreement with the line and field of each error, and refuses an unknown partner', async () => {
    const officer = await login('officer-1');
    const checked = await call('POST', '/api/agreements/check', officer, {
      text: 'scope:\n  types: [indicator]\ntlp_ceiling: purple\napproval: none\nsanitisation: standard\nvalid_from: 2026-01-01T00:00:00Z\nconditions: []\n',
    });
    expect(checked.statusCode).toBe(200);
    const r = checked.json() as { ok: boolean; errors: { line?: number; path?: string }[]; text: string };
    expect(r.ok).toBe(false);
    expect(r.text).toMatch(/agreement:3\b/);
    expect(r.text).toContain('tlp_ceiling');
    expect((await call('POST', '/api/agreements/check', officer, { yaml: 'x' })).statusCode).toBe(400);
    const admin = await login('admin');
    const unknown = await call('POST', '/api/partners/nobody/agreement', admin, { text: 'x' });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('users and keys from the console', () => {
  it('adds a user with a password shown once; a reset and a disable end their sessions at once', async () => {
    const admin = await login('admin');
    expect((await call('POST', '/api/users', admin, { name: 'Bad Name!', role: 'analyst' })).statusCode).toBe(
      400,
    );
    expect((await call('POST', '/api/users', admin, { name: 'nadia', role: 'janitor' })).statusCode).toBe(
      400,
    );
    const added = await call('POST', '/api/users', admin, { name: 'nadia', role: 'analyst' });
    expect(added.statusCode, added.body).toBe(200);
    const password = added.json().password as string;
    expect((await call('GET', '/api/users', admin)).body).not.toContain(password);
    const nadia = await login('nadia', password);
    expect((await call('GET', '/api/me', nadia)).statusCode).toBe(200);

    const reset = await call('POST', '/api/users/nadia/password', admin, {});
    expect(reset.statusCode).toBe(200);
    expect((await call('GET', '/api/me', nadia)).statusCode).toBe(401);
    const again = await login('nadia', reset.json().password as string);
    expect((await call('POST', '/api/users/nadia/enabled', admin, { enabled: 'no' })).statusCode).toBe(400);
    // Every change says why.
    expect((await call('POST', '/api/users/nadia/enabled', admin, { enabled: false })).statusCode).toBe(400);
    expect(
      (await call('POST', '/api/users/nadia/enabled', admin, { enabled: false, reason: 'left the unit' }))
        .statusCode,
    ).toBe(200);
    expect((await hub.state.users.events('nadia')).at(-1)).toMatchObject({
      action: 'disable',
      reason: 'left the unit',
    });
    expect((await call('GET', '/api/me', again)).statusCode).toBe(401);
    // An admin cannot lock themselves out by disabling their own account.
    expect(
      (await call('POST', '/api/users/admin/enabled', admin, { enabled: false, reason: 'self' })).statusCode,
    ).toBe(400);
  });

  it('creates an API key shown once, usable as Bearer within its scope, listed without its secret, revoked at once', async () => {
    const officer = await login('officer-2');
    expect((await call('POST', '/api/keys', officer, {})).statusCode).toBe(400);
    const escalate = await call('POST', '/api/keys', officer, { label: 'x', role: 'admin' });
    expect(escalate.statusCode).toBe(400);
    const made = await call('POST', '/api/keys', officer, { label: 'reports', role: 'oversight' });
    expect(made.statusCode, made.body).toBe(200);
    const { key, secret } = made.json() as { key: { key_id: string }; secret: string };
    const bearer = (method: 'GET' | 'POST', url: string) =>
      app.inject({ method, url, headers: { authorization: `Bearer ${secret}` }, payload: {} });
    expect((await bearer('GET', '/api/queue')).statusCode).toBe(200);
    // Scoped to oversight: it reads, but cannot approve even though its owner could.
    expect((await bearer('POST', '/api/queue/queue--nope/approve')).statusCode).toBe(403);
    // A key cannot make keys.
    expect((await bearer('POST', '/api/keys')).statusCode).toBe(403);
    const listed = await call('GET', '/api/keys', officer);
    expect(listed.body).toContain(key.key_id);
    expect(listed.body).not.toContain(secret);
    expect((await call('POST', `/api/keys/${key.key_id}/revoke`, officer, {})).statusCode).toBe(200);
    expect((await bearer('GET', '/api/queue')).statusCode).toBe(401);
    // Another user's key is not one's own to revoke (nor to learn of).
    const other = await login('officer-1');
    expect((await call('POST', `/api/keys/${key.key_id}/revoke`, other, {})).statusCode).toBe(404);
  });
});
