import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LENIENT_THROTTLE } from './auth-fixture.js';
import {
  addPartner,
  basic,
  memoryHub,
  newId,
  release,
  TAXII,
  type TestPartner,
  testServer,
} from './taxii-fixture.js';

const ROOT = '/taxii2/hub';
let hub: ReturnType<typeof memoryHub>;
let app: FastifyInstance;
let alpha: TestPartner;
let bravo: TestPartner;
let logs: string[];

function logSink() {
  logs = [];
  return new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
}

async function call(
  who: TestPartner | string | undefined,
  url: string,
  init: { method?: 'GET' | 'POST'; body?: unknown } = {},
) {
  const authorization =
    who === undefined ? undefined : typeof who === 'string' ? who : basic(who.name, who.token);
  const res = await app.inject({
    method: init.method ?? 'GET',
    url,
    headers: {
      accept: TAXII,
      ...(authorization && { authorization }),
      ...(init.body !== undefined && { 'content-type': TAXII }),
    },
    ...(init.body !== undefined && { payload: JSON.stringify(init.body) }),
  });
  return { status: res.statusCode, headers: res.headers, body: JSON.parse(res.body) };
}

function sighting(by: string, of: string) {
  return {
    type: 'sighting',
    spec_version: '2.1',
    id: newId('sighting'),
    created: '2026-05-01T00:00:00.000Z',
    modified: '2026-05-01T00:00:00.000Z',
    created_by_ref: by,
    sighting_of_ref: of,
  };
}

beforeEach(async () => {
  hub = memoryHub();
  alpha = await addPartner(hub, 'alpha');
  bravo = await addPartner(hub, 'bravo');
  app = testServer(hub, { log: { stream: logSink() }, rate: { perSecond: 1, burst: 40 } });
});
afterEach(async () => {
  await app.close();
  hub.close();
});

describe('isolation between partners', () => {
  it('each partner sees only its own releases on every endpoint, and the 404s cannot be told apart', async () => {
    const a = release(hub, alpha.id);
    const b = release(hub, bravo.id);
    const ids = async (who: TestPartner, url: string) =>
      (await call(who, url)).body.objects.map((o: { id: string }) => o.id);
    expect(await ids(alpha, `${ROOT}/collections/releases/objects/`)).toEqual([a.id]);
    expect(await ids(bravo, `${ROOT}/collections/releases/objects/`)).toEqual([b.id]);
    expect(await ids(bravo, `${ROOT}/collections/releases/manifest/`)).toEqual([b.id]);
    expect(await ids(bravo, `${ROOT}/collections/releases/objects/?match[id]=${a.id}`)).toEqual([]);
    const unknown = newId();
    for (const suffix of ['/', '/versions/']) {
      const foreign = await call(bravo, `${ROOT}/collections/releases/objects/${a.id}${suffix}`);
      const missing = await call(bravo, `${ROOT}/collections/releases/objects/${unknown}${suffix}`);
      expect(foreign.status).toBe(404);
      expect(foreign.body).toEqual(missing.body);
      expect(foreign.headers['content-length']).toBe(missing.headers['content-length']);
    }
    const collections = async (who: TestPartner) => (await call(who, `${ROOT}/collections/`)).body;
    expect(await collections(alpha)).toEqual(await collections(bravo));
  });

  it('submissions and their status are visible only to the partner that sent them', async () => {
    const a = release(hub, alpha.id);
    const s = sighting(alpha.id, a.id as string);
    const posted = await call(alpha, `${ROOT}/collections/submissions/objects/`, {
      method: 'POST',
      body: { objects: [s] },
    });
    expect(posted.status).toBe(202);
    expect(posted.body).toMatchObject({
      status: 'complete',
      success_count: 1,
      failure_count: 0,
      pending_count: 0,
    });
    const own = await call(alpha, `${ROOT}/status/${posted.body.id}/`);
    expect(own.body).toEqual(posted.body);
    const theirs = await call(bravo, `${ROOT}/status/${posted.body.id}/`);
    const nothing = await call(bravo, `${ROOT}/status/00000000-0000-4000-8000-000000000000/`);
    expect(theirs.status).toBe(404);
    expect(theirs.body).toEqual(nothing.body);
    expect((await call(alpha, `${ROOT}/collections/submissions/objects/`)).body.objects).toEqual([s]);
    expect((await call(bravo, `${ROOT}/collections/submissions/objects/`)).body.objects).toEqual([]);
    expect((await call(bravo, `${ROOT}/collections/submissions/objects/${s.id}/`)).status).toBe(404);
    expect((await call(bravo, `${ROOT}/collections/submissions/objects/${s.id}/versions/`)).status).toBe(404);
    expect((await call(bravo, `${ROOT}/collections/submissions/manifest/`)).body.objects).toEqual([]);
  });

  it('partners cannot write releases nor reach the intel collection', async () => {
    const w = await call(alpha, `${ROOT}/collections/releases/objects/`, {
      method: 'POST',
      body: { objects: [] },
    });
    expect(w.status).toBe(403);
    const intel = await call(alpha, `${ROOT}/collections/intel/objects/`);
    const nowhere = await call(alpha, `${ROOT}/collections/${newId().slice(-36)}/objects/`);
    expect(intel.status).toBe(404);
    expect(intel.body).toEqual(nowhere.body);
  });
});

describe('authentication', () => {
  it('accepts Basic with the name or the id, and Bearer with the token alone', async () => {
    release(hub, alpha.id);
    for (const auth of [
      basic(alpha.name, alpha.token),
      basic(alpha.id, alpha.token),
      `Bearer ${alpha.token}`,
    ]) {
      expect((await call(auth, `${ROOT}/collections/releases/objects/`)).body.objects).toHaveLength(1);
    }
  });

  it('refuses missing, malformed, wrong and cross-partner credentials with 401, logged without the secret', async () => {
    const cases = [
      undefined,
      'Basic %%%',
      basic('alpha', 'tl_wrong'),
      basic('alpha', bravo.token),
      basic('nobody', alpha.token),
      'Bearer tl_unknown',
    ];
    for (const auth of cases) {
      const res = await call(auth, `${ROOT}/`);
      expect([auth, res.status]).toEqual([auth, 401]);
      expect(res.headers['www-authenticate']).toContain('Basic');
      expect(res.body).toMatchObject({ http_status: '401', error_code: 'unauthenticated' });
    }
    const all = logs.join('');
    expect(all).toContain('taxii-login-failed');
    expect(all).toContain('"user":"nobody"');
    expect(all).not.toContain(alpha.token);
    expect(all).not.toContain(bravo.token);
    expect(all).not.toContain('tl_wrong');
  });

  it('stops a disabled partner once its cached login expires', async () => {
    await app.close();
    app = testServer(hub, { authCache: { ttlMs: 0, maxEntries: 10 } });
    expect((await call(alpha, `${ROOT}/`)).status).toBe(200);
    await hub.state.partners.setEnabled('alpha', false, 'test', {
      actor: 'test',
      now: hub.clock.now(),
    });
    expect((await call(alpha, `${ROOT}/`)).status).toBe(401);
  });

  it('rate-limits each credential on its own, with 429 and Retry-After', async () => {
    await app.close();
    app = testServer(hub, { rate: { perSecond: 0.5, burst: 3 } });
    for (let i = 0; i < 3; i++) expect((await call(alpha, `${ROOT}/`)).status).toBe(200);
    const limited = await call(alpha, `${ROOT}/`);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('2');
    expect(limited.body).toMatchObject({ http_status: '429' });
    expect((await call(bravo, `${ROOT}/`)).status).toBe(200);
  });

  it('locks a name after failed logins (the sign-in throttle; see redteam-credentials for the rest)', async () => {
    await app.close();
    app = testServer(hub, {
      throttle: { ...LENIENT_THROTTLE, account: { lockAfter: 2, decayMs: 3_600_000 } },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await call(basic('alpha', `tl_guess${i}`), `${ROOT}/`)).status);
    expect(statuses).toEqual([401, 401, 429, 429]);
  });
});
