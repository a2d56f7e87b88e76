import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleScenario } from '../src/app/console-demo.js';
import type { SqliteHub as Hub } from '../src/app/hub.js';
import type { ManualClock } from '../src/clock.js';
import { buildConsoleServer, openDemoHub, passwordOf } from './console-fixture.js';

const ISISK = 'intrusion-set--d118aebe-ee43-58e9-9939-14d533fcb970';
const DAY = 86_400_000;

let hub: Hub;
let clock: ManualClock;
let scenario: ConsoleScenario;
let app: FastifyInstance;
const bodies: string[] = [];

interface Session {
  cookie: string;
  csrf: string;
}

async function call(method: 'GET' | 'POST', url: string, s?: Session, payload?: unknown, csrf = true) {
  const res = await app.inject({
    method,
    url,
    headers: {
      ...(s && { cookie: s.cookie }),
      ...(s && csrf && method === 'POST' && { 'x-csrf-token': s.csrf }),
    },
    ...(payload !== undefined && { payload: payload as object }),
  });
  bodies.push(res.body);
  return res;
}

async function login(name: string): Promise<Session> {
  const res = await call('POST', '/api/login', undefined, { name, password: passwordOf(scenario, name) });
  expect(res.statusCode).toBe(200);
  const cookie = String(res.headers['set-cookie']).split(';')[0] as string;
  return { cookie, csrf: res.json().csrf };
}

beforeAll(async () => {
  ({ hub, clock, scenario } = await openDemoHub());
  app = buildConsoleServer(hub);
  await app.ready();
});

afterAll(async () => {
  await app.close();
  hub.close();
  // Nothing the API said carries a password hash, a partner token or the hub secret.
  const all = bodies.join('\n');
  expect(all).not.toMatch(/\$argon2id\$/);
  expect(all).not.toContain('password_hash');
  for (const p of scenario.partners) if (p.token) expect(all).not.toContain(p.token);
  expect(all).not.toContain(readFileSync(hub.paths.hubSecret, 'utf8').trim());
});

describe('console API: sessions', () => {
  it('refuses without a session, with a code and a message', async () => {
    const res = await call('GET', '/api/me');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({
      code: 'unauthenticated',
      message: expect.stringContaining('sign in'),
    });
  });

  it('refuses a wrong password and a malformed body', async () => {
    const wrong = await call('POST', '/api/login', undefined, {
      name: 'analyst',
      password: 'not the password',
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('login-failed');
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const bad = await call('POST', '/api/login', undefined, { name: 'analyst' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('bad-request');
  });

  it('sets an HttpOnly SameSite=Strict cookie whose id is stored only hashed', async () => {
    const res = await call('POST', '/api/login', undefined, {
      name: 'overseer',
      password: passwordOf(scenario, 'overseer'),
    });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const id = (cookie.split(';')[0] as string).split('=')[1] as string;
    expect(Buffer.from(id, 'base64url')).toHaveLength(32);
    const rows = hub.db.prepare('SELECT id_hash FROM console_sessions').all() as { id_hash: string }[];
    expect(rows.some((r) => r.id_hash === id)).toBe(false);
    expect(res.json()).toMatchObject({
      name: 'overseer',
      role: 'oversight',
      permissions: ['read', 'ledger.audit', 'self.manage'],
    });
  });

  it('rejects a state-changing request without the CSRF token, and logs out', async () => {
    const s = await login('analyst');
    expect((await call('POST', '/api/logout', s, {}, false)).json().code).toBe('csrf');
    expect((await call('POST', '/api/logout', { ...s, csrf: 'x'.repeat(43) }, {})).statusCode).toBe(403);
    expect((await call('POST', '/api/logout', s, {})).statusCode).toBe(200);
    expect((await call('GET', '/api/me', s)).statusCode).toBe(401);
  });
});

describe('console API: threat picture and intel', () => {
  it('picks the most active actor and gives counts, a monthly timeline, latest items and a graph', async () => {
    const s = await login('analyst');
    const actors = (await call('GET', '/api/actors', s)).json();
    expect(actors[0].id).toBe(ISISK);
    const t = (await call('GET', '/api/threat', s)).json();
    expect(t.actor.name).toBe('ISIS-K');
    expect(t.counts.incident).toBe(2);
    expect(t.timeline.unit).toBe('day');
    // The demo's incidents carry no event date: they sit at the citing report's published date
    // (2026-11-02), not at their created time (store/hub/incident-dates.ts).
    expect(t.timeline.buckets[0].start).toBe('2026-11-02');
    expect(t.timeline.buckets[0].incident).toBe(2);
    expect(t.timeline.buckets.reduce((n: number, b: { incident: number }) => n + b.incident, 0)).toBe(2);
    expect(
      t.timeline.buckets.reduce((n: number, b: { release: number }) => n + b.release, 0),
    ).toBeGreaterThan(0);
    expect(t.graph.nodes.some((n: { id: string }) => n.id === ISISK)).toBe(true);
    expect(t.graph.edges.length).toBeGreaterThan(2);
    expect(t.latest.length).toBeGreaterThan(0);
  });

  it('searches by text, type and date, and explains bad filters', async () => {
    const s = await login('analyst');
    const crocus = (await call('GET', '/api/intel?q=Crocus&type=incident', s)).json();
    expect(crocus.items.map((i: { type: string }) => i.type)).toEqual(['incident']);
    expect((await call('GET', '/api/intel?type=incident&to=2024-02-01', s)).json().items).toHaveLength(0);
    const bad = await call('GET', '/api/intel?from=yesterday', s);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^from/);
  });

  it('shows an object with versions, graph and each partner decision with reasons', async () => {
    const s = await login('overseer');
    const page = (await call('GET', `/api/intel/${ISISK}`, s)).json();
    expect(page.object.name).toBe('ISIS-K');
    expect(page.versions).toHaveLength(1);
    const byPartner = Object.fromEntries(
      page.decisions.map((d: { partner: string; outcome: string }) => [d.partner, d]),
    );
    expect(byPartner['allied-service'].state).toBe('released');
    expect(byPartner['kabul-authorities'].state).toBe('queued');
    expect(byPartner['allied-service'].decision).toBe('release');
    expect(byPartner['kabul-authorities'].decision).toBe('needs-approval');
    expect(byPartner['kabul-authorities'].reasons.length).toBeGreaterThan(0);
    expect(
      (await call('GET', '/api/intel/indicator--00000000-0000-4000-8000-000000000000', s)).statusCode,
    ).toBe(404);
  });
});

describe('console API: partners, queue, ledger', () => {
  it('shows conditions with time to lapse; only officers and admins suspend', async () => {
    const analyst = await login('analyst');
    const partners = (await call('GET', '/api/partners', analyst)).json();
    const kabul = partners.find((p: { name: string }) => p.name === 'kabul-authorities');
    expect(kabul.agreement.raw).toContain('Doha channel');
    const hr = kabul.conditions.find((c: { id: string }) => c.id === 'hr-1');
    expect(hr).toMatchObject({ status: 'met', lapse: 'in 30 days' });
    const url = `/api/partners/${kabul.id}/suspension`;
    expect((await call('POST', url, analyst, { on: true, reason: 'test' })).json().code).toBe('forbidden');
    expect((await call('POST', url, await login('overseer'), { on: true, reason: 'test' })).statusCode).toBe(
      403,
    );
    const officer = await login('officer-1');
    expect((await call('POST', url, officer, { on: true })).statusCode).toBe(400);
    expect((await call('POST', url, officer, { on: true, reason: 'drill' })).json().suspended).toBe(true);
    expect((await call('POST', url, officer, { on: false, reason: 'drill over' })).json().suspended).toBe(
      false,
    );
  });

  it('takes two different officers to release a queued tearline; other roles may not decide', async () => {
    const o1 = await login('officer-1');
    const queue = (await call('GET', '/api/queue?size=200', o1)).json().items;
    const item = queue.find((i: { object_id: string }) => i.object_id === ISISK);
    expect(item.partner).toBe('kabul-authorities');
    expect(item.approvals_required).toBe(2);
    expect(item.removed).toBeGreaterThan(0);
    const copies = (await call('GET', `/api/queue/${item.id}`, o1)).json();
    expect(copies.removed.length).toBe(item.removed);
    expect(copies.original.id).toBe(ISISK);
    expect(JSON.stringify(copies.tearline)).not.toContain(ISISK);
    const url = `/api/queue/${item.id}/approve`;
    expect((await call('POST', url, await login('analyst'), {})).statusCode).toBe(403);
    expect((await call('POST', url, await login('overseer'), {})).statusCode).toBe(403);
    expect((await call('POST', `/api/queue/${item.id}/deny`, o1, {})).json().message).toMatch(/comment/);
    expect((await call('POST', url, o1, { comment: 'checked' })).json()).toMatchObject({
      ok: true,
      approvals: 1,
    });
    expect((await call('POST', url, o1, {})).statusCode).toBe(409);
    const second = (await call('POST', url, await login('officer-2'), {})).json();
    expect(second).toMatchObject({ ok: true, approvals: 2, state: 'released' });
    expect(second.releaseId).toBeTruthy();
    const after = (await call('GET', '/api/queue?size=200', o1)).json().items;
    expect(after.some((i: { id: string }) => i.id === item.id)).toBe(false);

    const receipt = await call('GET', `/api/ledger/receipt?release=${second.releaseId}`, o1);
    expect(receipt.statusCode).toBe(200);
    expect(receipt.json().receipt).toBeTruthy();
    const csv = await call('GET', '/api/disclosures.csv', o1);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body).toContain(second.releaseId);
    expect(csv.body.split('\r\n')[0]).toMatch(/^release_id,partner,/);
  });

  it('pages and groups the queue, and decides a selection in bulk only as its diff was shown', async () => {
    const o1 = await login('officer-1');
    const all = (await call('GET', '/api/queue?partner=kabul-authorities&size=200', o1)).json();
    expect(all.total).toBeGreaterThan(2);
    const page2 = (
      await call('GET', '/api/queue?partner=kabul-authorities&size=2&page=2&sort=title', o1)
    ).json();
    expect(page2).toMatchObject({ page: 2, size: 2, pages: Math.ceil(all.total / 2) });
    const byTitle = (
      await call('GET', '/api/queue?partner=kabul-authorities&size=200&sort=title', o1)
    ).json();
    expect(page2.items.map((i: { id: string }) => i.id)).toEqual(
      byTitle.items.slice(2, 4).map((i: { id: string }) => i.id),
    );
    for (const g of all.groups)
      expect(g.total).toBe(all.items.filter((i: { group: string }) => i.group === g.key).length);
    const rel = all.items.find((i: { type: string }) => i.type === 'relationship');
    if (rel) expect(rel.title).toMatch(/^.+ -> [a-z-]+ -> .+$/);
    expect((await call('GET', '/api/queue?size=500', o1)).statusCode).toBe(400);
    expect((await call('GET', '/api/queue?sort=colour', o1)).statusCode).toBe(400);

    const sel = { partner: 'kabul-authorities', types: ['intrusion-set', 'incident'] };
    const preview = (await call('POST', '/api/queue/bulk/preview', o1, sel)).json();
    expect(preview.count).toBeGreaterThan(0);
    expect(preview.items.every((i: { type: string }) => sel.types.includes(i.type))).toBe(true);
    const stale = await call('POST', '/api/queue/bulk/approve', o1, { ...sel, digest: '0000000000000000' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().message).toMatch(/changed since it was shown/);
    expect(
      (
        await call('POST', '/api/queue/bulk/approve', await login('analyst'), {
          ...sel,
          digest: preview.digest,
        })
      ).statusCode,
    ).toBe(403);
    const first = (
      await call('POST', '/api/queue/bulk/approve', o1, { ...sel, digest: preview.digest })
    ).json();
    expect(first).toMatchObject({ ok: true, decided: preview.count, pending: preview.count });
    // The second officer sees the same items (approvals do not change an item's digest).
    const again = (await call('POST', '/api/queue/bulk/preview', await login('officer-2'), sel)).json();
    expect(again.digest).toBe(preview.digest);
    const second = (
      await call('POST', '/api/queue/bulk/approve', await login('officer-2'), {
        ...sel,
        digest: again.digest,
      })
    ).json();
    expect(second.ok).toBe(true);
    expect(second.released + second.approved).toBe(preview.count);
    expect((await call('POST', '/api/queue/bulk/deny', o1, { ...sel, digest: 'x' })).json().message).toMatch(
      /comment/,
    );
  });

  it('verifies the ledger on the server and shows the checkpoint and verifier key', async () => {
    const s = await login('overseer');
    const ledger = (await call('GET', '/api/ledger', s)).json();
    expect(ledger.checkpoint.size).toBeGreaterThan(0);
    expect(ledger.verifier_key).toMatch(/^tearline/);
    const v = (await call('POST', '/api/ledger/verify', s, {})).json();
    expect(v).toMatchObject({ ok: true, checkpoints: expect.any(Number) });
    expect(v.entries).toBe(ledger.size);
  });

  it('shows the assurance lapsed once the hub clock passes its expiry', async () => {
    clock.advance(31 * DAY);
    const s = await login('overseer');
    const kabul = (await call('GET', '/api/partners', s))
      .json()
      .find((p: { name: string }) => p.name === 'kabul-authorities');
    const hr = kabul.conditions.find((c: { id: string }) => c.id === 'hr-1');
    expect(hr.status).toBe('unmet');
    expect(hr.reason).toMatch(/hr-1 expired/);
    clock.advance(-31 * DAY);
  });

  it('answers unknown API paths and oversized bodies with a code and a message', async () => {
    const missing = await call('GET', '/api/nothing-here');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({
      code: 'not-found',
      message: expect.stringContaining('/api/docs'),
    });
    const huge = await call('POST', '/api/login', undefined, {
      name: 'analyst',
      password: 'x'.repeat(100_000),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  });

  it('serves the OpenAPI description', async () => {
    const docs = (await call('GET', '/api/docs')).json();
    expect(docs.openapi).toBe('3.1.0');
    expect(Object.keys(docs.paths)).toContain('/api/queue/{id}/approve');
  });
});
