import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../src/stix/types.js';
import { passwordOf } from './console-fixture.js';
import { openRedTeam, type RedTeam } from './redteam-fixture.js';

let t: RedTeam;
let note: JsonObject;

interface Session {
  cookie: string;
  csrf: string;
}

async function call(method: 'GET' | 'POST', url: string, s?: Session, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    headers: { ...(s && { cookie: s.cookie }), ...(s && method === 'POST' && { 'x-csrf-token': s.csrf }) },
    ...(payload !== undefined && { payload: payload as object }),
  });
}

async function login(name: string): Promise<Session> {
  const res = await call('POST', '/api/login', undefined, { name, password: passwordOf(t.scenario, name) });
  expect(res.statusCode).toBe(200);
  return { cookie: String(res.headers['set-cookie']).split(';')[0] as string, csrf: res.json().csrf };
}

beforeAll(async () => {
  t = await openRedTeam();
  note = {
    type: 'note',
    spec_version: '2.1',
    id: `note--${randomUUID()}`,
    created: '2026-11-29T00:00:00.000Z',
    modified: '2026-11-29T00:00:00.000Z',
    created_by_ref: t.kabul.id,
    content: 'The courier changed routes',
    object_refs: ['intrusion-set--d118aebe-ee43-58e9-9939-14d533fcb970'],
  };
  const posted = await t.call(t.kabul, '/taxii2/hub/collections/submissions/objects/', { objects: [note] });
  expect(JSON.parse(posted.body).success_count).toBe(1);
});
afterAll(async () => {
  await t?.close();
});

describe('console API: partner submissions', () => {
  it('shows every role what partners sent, and lets only analysts decide', async () => {
    const overseer = await login('overseer');
    const listed = await call('GET', '/api/submissions', overseer);
    expect(listed.statusCode).toBe(200);
    const [item] = listed.json().items as {
      number: number;
      partner: string;
      name: string;
      object_id: string;
    }[];
    expect(item).toMatchObject({
      partner: 'kabul-authorities',
      object_id: note.id,
      name: 'The courier changed routes',
    });
    const shown = (await call('GET', `/api/submissions/${item?.number}`, overseer)).json();
    expect(shown.sent).toEqual(note);
    expect((await call('GET', '/api/submissions/99x', overseer)).statusCode).toBe(404);
    expect((await call('GET', '/api/submissions?state=maybe', overseer)).statusCode).toBe(400);

    const officer = await login('officer-1');
    const refused = await call('POST', `/api/submissions/${item?.number}/promote`, officer, {});
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toBe(
      "officer-1 (release-officer) may not promote or reject partners' submissions; that takes: analyst",
    );
    // The admin neither: the one role table (src/access/access-roles.ts) says analysts review.
    const admin = await login('admin');
    const byAdmin = await call('POST', `/api/submissions/${item?.number}/reject`, admin, { reason: 'x' });
    expect(byAdmin.statusCode).toBe(403);

    const analyst = await login('analyst');
    const noCsrf = await call(
      'POST',
      `/api/submissions/${item?.number}/reject`,
      { ...analyst, csrf: 'x' },
      { reason: 'x' },
    );
    expect(noCsrf.statusCode).toBe(403);
    expect((await call('POST', `/api/submissions/${item?.number}/reject`, analyst, {})).statusCode).toBe(400);
    const promoted = await call('POST', `/api/submissions/${item?.number}/promote`, analyst, {});
    expect(promoted.statusCode).toBe(200);
    expect(promoted.json()).toMatchObject({
      state: 'promoted',
      promoted_id: expect.stringMatching(/^note--/),
    });
    const twice = await call('POST', `/api/submissions/${item?.number}/promote`, analyst, {});
    expect(twice.statusCode).toBe(409);
    expect((await call('GET', '/api/submissions', analyst)).json().items).toEqual([]);
    const intel = await call('GET', `/api/intel/${promoted.json().promoted_id}`, analyst);
    expect(intel.json().versions[0]).toMatchObject({ imported_by: 'analyst' });
  });
});
