import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHubSecret } from '../src/app/data-dir.js';
import type { SqliteHub } from '../src/app/hub.js';
import { releaseStoresOf } from '../src/app/release-stores.js';
import { runReleasePipeline } from '../src/release/release-pipeline.js';
import { buildConsoleServer, openDemoHub, passwordOf } from './console-fixture.js';

const SEED = readFileSync(new URL('fixtures/articles/seed-000.txt', import.meta.url), 'utf8');

let hub: SqliteHub;
let app: FastifyInstance;
let scenario: Awaited<ReturnType<typeof openDemoHub>>['scenario'];

interface Session {
  cookie: string;
  csrf: string;
}

async function call(method: 'GET' | 'POST', url: string, s?: Session, payload?: unknown) {
  return app.inject({
    method,
    url,
    headers: { ...(s && { cookie: s.cookie }), ...(s && method === 'POST' && { 'x-csrf-token': s.csrf }) },
    ...(payload !== undefined && { payload: payload as object }),
  });
}

async function login(name: string): Promise<Session> {
  const res = await call('POST', '/api/login', undefined, { name, password: passwordOf(scenario, name) });
  expect(res.statusCode).toBe(200);
  return { cookie: String(res.headers['set-cookie']).split(';')[0] as string, csrf: res.json().csrf };
}

beforeAll(async () => {
  const opened = await openDemoHub();
  hub = opened.hub;
  scenario = opened.scenario;
  app = buildConsoleServer(hub);
});
afterAll(async () => {
  await app?.close();
  hub?.close();
});

describe('console API: drafts from open-source articles', () => {
  it('an analyst pastes the seed article, reviews it and confirms it; its objects are released to the ally and the report queued for Kabul', async () => {
    const analyst = await login('analyst');
    const overseer = await login('overseer');
    const officer = await login('officer-1');
    const made = await call('POST', '/api/drafts', analyst, {
      text: SEED,
      title: 'Cooperation with the Taliban against ISIS-K',
      source_url: 'https://news.example.net/a',
      published: '2024-04-10',
      marking: 'green',
    });
    expect(made.statusCode).toBe(200);
    const { id } = made.json() as { id: string };
    // Oversight and release officers read drafts; only analysts make or change them.
    expect(
      (await call('GET', '/api/drafts', overseer)).json().items.map((d: { id: string }) => d.id),
    ).toEqual([id]);
    expect((await call('POST', '/api/drafts', officer, { text: 'x' })).statusCode).toBe(403);
    expect((await call('POST', `/api/drafts/${id}/confirm`, overseer)).statusCode).toBe(403);
    expect((await call('POST', `/api/drafts/${id}/confirm`, { ...analyst, csrf: 'wrong' })).statusCode).toBe(
      403,
    );
    const shown = (await call('GET', `/api/drafts/${id}`, overseer)).json();
    expect(shown.text).toBe(SEED.trim());
    const names = (shown.items as { kind: string; name: string }[]).map((i) => `${i.kind}:${i.name}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'group:ISIS-K',
        'location:Crocus City Hall',
        'incident:Crocus City Hall attack',
      ]),
    );
    // The demo's ISIS-K intrusion set is linked, not duplicated.
    const isisk = (shown.items as { kind: string; name: string; mergeWith?: string }[]).find(
      (i) => i.kind === 'group' && i.mergeWith,
    );
    expect(isisk?.mergeWith).toBe('intrusion-set--d118aebe-ee43-58e9-9939-14d533fcb970');

    const bad = await call('POST', `/api/drafts/${id}/edit`, analyst, {
      edits: [{ key: 'location:kabul', decision: 'maybe' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('edits[0].decision');
    const edited = await call('POST', `/api/drafts/${id}/edit`, analyst, {
      edits: [{ kind: 'identity', decision: 'rejected' }],
    });
    expect(edited.statusCode).toBe(200);
    const confirmed = await call('POST', `/api/drafts/${id}/confirm`, analyst);
    expect(confirmed.statusCode).toBe(200);
    const reportId = confirmed.json().report_id as string;
    expect((await call('POST', `/api/drafts/${id}/confirm`, analyst)).statusCode).toBe(409);

    await runReleasePipeline(releaseStoresOf(hub), {
      now: new Date(),
      actor: 'test',
      hubSecret: readHubSecret(hub.paths.hubSecret),
    });
    const outcomes = await hub.state.sql.all<{ name: string; outcome: string }>(
      `SELECT p.name AS name, o.outcome AS outcome FROM release_outcomes o JOIN partners p ON p.id = o.partner_id
        WHERE o.object_id = ? ORDER BY p.name`,
      [reportId],
    );
    // Kabul's agreement queues everything for a release officer. The ally gets every object the
    // draft made and the report too: the report refers to the event's note and the note to the
    // report, a reference cycle the pipeline publishes together (it had waited for references
    // before the pipeline learnt that; see test/console-drafts-e2e.test.ts for the feed itself).
    expect(outcomes.find((o) => o.name === 'kabul-authorities')?.outcome).toBe('queued');
    expect(outcomes.find((o) => o.name === 'allied-service')?.outcome).toBe('released');
    const ally = await hub.state.sql.all<{ outcome: string; type: string }>(
      `SELECT o.outcome AS outcome, b.type AS type FROM release_outcomes o JOIN objects b ON b.id = o.object_id
        WHERE o.partner_id = (SELECT id FROM partners WHERE name = 'allied-service') AND b.source = ?`,
      [`osint:draft:${id}`],
    );
    expect(ally.length).toBeGreaterThan(5);
    expect(ally.map((o) => o.type)).toEqual(expect.arrayContaining(['report', 'note', 'incident']));
    expect(ally.every((o) => o.outcome === 'released')).toBe(true);
  });

  it('takes a PDF as base64: the draft keeps the extracted text; a damaged one is refused by name', async () => {
    const analyst = await login('analyst');
    const pdf = (name: string) =>
      readFileSync(new URL(`fixtures/pdf/${name}`, import.meta.url)).toString('base64');
    const made = await call('POST', '/api/drafts', analyst, { pdf_base64: pdf('seed-000.pdf') });
    expect(made.statusCode, made.body).toBe(200);
    const d = (await call('GET', `/api/drafts/${made.json().id}`, analyst)).json();
    expect(d.text).toContain('The deadly attack at Moscow’s Crocus City Hall concert venue');
    const bad = await call('POST', '/api/drafts', analyst, { pdf_base64: pdf('seed-000-truncated.pdf') });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toBe('the PDF is not a readable PDF (damaged or truncated)');
    const both = await call('POST', '/api/drafts', analyst, { text: 'x', pdf_base64: pdf('seed-000.pdf') });
    expect(both.json().message).toContain('exactly one is required');
    const notBase64 = await call('POST', '/api/drafts', analyst, { pdf_base64: '%PDF-1.7 raw' });
    expect(notBase64.json().message).toContain('pdf_base64: must be base64');
  });

  it('finds stored objects to merge with by name or alias, best match first, type-filtered; every role reads', async () => {
    const officer = await login('officer-1');
    const find = async (query: string) => {
      const r = await call('GET', `/api/drafts/candidates?${query}`, officer);
      return {
        status: r.statusCode,
        body: r.json() as { items?: { id: string; match: string; matched: string }[]; message?: string },
      };
    };
    const isk = await find('q=ISKP&kind=group');
    expect(isk.status).toBe(200);
    // The intrusion set answers to the alias whole; the threat actor's alias only begins with it.
    expect(isk.body.items?.map((c) => [c.id.split('--')[0], c.match, c.matched])).toEqual([
      ['intrusion-set', 'exact', 'ISKP'],
      ['threat-actor', 'prefix', 'ISKP external operations'],
    ]);
    const actors = await find('q=iskp&kind=group&type=threat-actor');
    expect(actors.body.items?.map((c) => c.id.split('--')[0])).toEqual(['threat-actor']);
    const venue = await find(`q=${encodeURIComponent('crocus city')}&kind=location`);
    // (The first test confirmed a "Crocus City Hall" of its own: both begin with the words.)
    expect(venue.body.items?.map((c) => c.matched)).toContain('Crocus City Hall, Krasnogorsk');
    expect(venue.body.items?.every((c) => c.match === 'prefix')).toBe(true);
    // A location search never returns a group, whatever the text.
    expect((await find('q=ISIS-K&kind=location')).body.items).toEqual([]);
    for (const [query, message] of <[string, string][]>[
      ['kind=group', 'q: 2 to 200 characters'],
      ['q=I&kind=group', 'q: 2 to 200 characters'],
      ['q=ISKP', 'kind must be one of group, identity'],
      ['q=ISKP&kind=relationship', 'kind must be one of'],
      ['q=ISKP&kind=group&type=location', 'type must be one of intrusion-set, threat-actor for a group'],
    ]) {
      const r = await find(query);
      expect(r.status, query).toBe(400);
      expect(r.body.message, query).toContain(message);
    }
    expect((await call('GET', '/api/drafts/candidates?q=ISKP&kind=group')).statusCode).toBe(401);
  });

  it('refuses bad input with a message naming the field', async () => {
    const analyst = await login('analyst');
    expect((await call('POST', '/api/drafts', analyst, {})).json().message).toContain('text');
    expect((await call('POST', '/api/drafts', analyst, { text: '' })).json().message).toContain('no text');
    expect(
      (await call('POST', '/api/drafts', analyst, { text: 'ISIS-K', title: 5 })).json().message,
    ).toContain('title must be a string');
    const html = await call('POST', '/api/drafts', analyst, {
      text: '<p>ISKP struck <script>alert(1)</script>Kabul.</p>',
    });
    const d = (await call('GET', `/api/drafts/${html.json().id}`, analyst)).json();
    expect(d.text).toBe('ISKP struck Kabul.');
    expect((await call('GET', '/api/drafts/not-an-id', analyst)).statusCode).toBe(404);
  });
});
