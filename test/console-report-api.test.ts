import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATEST_TYPES } from '../src/api/api-threat.js';
import type { ConsoleScenario } from '../src/app/console-demo.js';
import type { SqliteHub as Hub } from '../src/app/hub.js';
import { openDecisionRound } from '../src/app/hub-decisions.js';
import { requireHubPolicy } from '../src/app/hub-policy-watch.js';
import { decideReleases } from '../src/release/release-decision.js';
import type { DisclosureReport } from '../src/release/release-report.js';
import { DISCLOSURE_TABLES } from '../src/release/release-report-format.js';
import type { JsonObject } from '../src/stix/types.js';
import { buildConsoleServer, openDemoHub, passwordOf, T0 } from './console-fixture.js';

// The disclosure report over the console API: its counts add up, each checked against the
// records themselves (release records, the queue, the one decision), in every format.
const ISISK = 'intrusion-set--d118aebe-ee43-58e9-9939-14d533fcb970';
const PERIOD = `from=${T0.slice(0, 10)}&to=${T0.slice(0, 10)}`;

let hub: Hub;
let scenario: ConsoleScenario;
let app: FastifyInstance;
let kabulId = '';

async function as(name: string) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/login',
    payload: { name, password: passwordOf(scenario, name) },
  });
  const cookie = String(res.headers['set-cookie']).split(';')[0] as string;
  const csrf = res.json().csrf as string;
  return {
    get: (url: string) => app.inject({ method: 'GET', url, headers: { cookie } }),
    post: (url: string, payload: object) =>
      app.inject({ method: 'POST', url, payload, headers: { cookie, 'x-csrf-token': csrf } }),
  };
}

/** Rows of a CSV with no line breaks inside fields (true of every table but receipts). */
const csvRows = (text: string) => text.trimEnd().split('\r\n').slice(1);

beforeAll(async () => {
  ({ hub, scenario } = await openDemoHub());
  app = buildConsoleServer(hub);
  await app.ready();
  kabulId = (await hub.state.partners.get('kabul-authorities'))?.id as string;
  // One release with two approvals, one denial, then a recall of the release.
  const o1 = await as('officer-1');
  const o2 = await as('officer-2');
  const items = (await o1.get('/api/queue?partner=kabul-authorities&size=200')).json().items as {
    id: string;
    object_id: string;
  }[];
  const isisk = items.find((i) => i.object_id === ISISK);
  const other = items.find((i) => i.object_id !== ISISK);
  if (!isisk || !other) throw new Error('the demo queues at least two items for kabul-authorities');
  await o1.post(`/api/queue/${isisk.id}/approve`, { comment: 'checked' });
  expect((await o2.post(`/api/queue/${isisk.id}/approve`, {})).json().state).toBe('released');
  expect((await o1.post(`/api/queue/${other.id}/deny`, { comment: 'source at risk' })).statusCode).toBe(200);
  const recall = await o2.post(`/api/partners/${kabulId}/recall`, {
    object_id: ISISK,
    reason: 'source downgraded',
  });
  expect(recall.statusCode).toBe(200);
});

afterAll(async () => {
  await app?.close();
  hub?.close();
});

describe('disclosure report: counts that add up', () => {
  it('JSON: each count is the records it counts, and withheld objects are counted once', async () => {
    const res = await (await as('overseer')).get(
      `/api/reports/disclosures?partner=kabul-authorities&${PERIOD}&format=json`,
    );
    expect(res.statusCode).toBe(200);
    const doc = res.json() as DisclosureReport;
    const from = T0.slice(0, 10);
    const records = await hub.sql.all<{ released_at: string; recalled_at: string | null }>(
      'SELECT released_at, recalled_at FROM release_records WHERE partner_id = ?',
      [kabulId],
    );
    const inDay = (t: string | null) => t?.startsWith(from) ?? false;
    expect(doc.rows.filter((r) => r.event === 'release').length).toBe(
      records.filter((r) => inDay(r.released_at)).length,
    );
    expect(doc.rows.filter((r) => r.event === 'recall').length).toBe(
      records.filter((r) => inDay(r.recalled_at)).length,
    );
    expect(doc.rows.some((r) => r.event === 'recall' && r.object_name === 'ISIS-K')).toBe(true);
    const denied = await hub.sql.get<{ n: number }>(
      "SELECT count(*) AS n FROM release_queue WHERE partner_id = ? AND state = 'denied'",
      [kabulId],
    );
    expect(doc.denials.length).toBe(denied?.n);
    expect(doc.denials).toEqual([
      expect.objectContaining({ officer: 'officer-1', reason: 'source at risk' }),
    ]);
    expect(doc.denials[0]?.object_name).not.toBe('');

    // The one decision, made here again: the withheld list is exactly its withholds.
    const round = await openDecisionRound(hub, requireHubPolicy(hub.paths.dir), new Date(doc.withheld_as_of));
    const objects = await hub.sql.all<{ json: string }>('SELECT json FROM objects WHERE is_latest');
    const partner = await hub.state.partners.get('kabul-authorities');
    const decisions = decideReleases(
      objects.map((o) => round.input(JSON.parse(o.json) as JsonObject)),
      await round.termsFor(partner as NonNullable<typeof partner>),
    ).filter((d) => d.outcome === 'withhold');
    expect(doc.withheld.map((w) => w.object_id).sort()).toEqual(decisions.map((d) => d.object_id).sort());
    expect(new Set(doc.withheld.map((w) => w.object_id)).size).toBe(doc.withheld.length);
    const firstSum = Object.values(doc.withheld_by_first_reason).reduce((a, b) => a + b, 0);
    expect(firstSum).toBe(doc.withheld.length);
    for (const [code, n] of Object.entries(doc.withheld_by_reason)) {
      expect(n).toBe(
        doc.withheld.filter((w) => w.reasons.split('; ').some((r) => r.startsWith(`${code}:`))).length,
      );
      expect(n).toBeLessThanOrEqual(doc.withheld.length);
    }
  });

  it('CSV: one table per file, rows matching the JSON; HTML: the counts shown are the rows listed', async () => {
    const o = await as('overseer');
    const doc = (
      await o.get(`/api/reports/disclosures?partner=kabul-authorities&${PERIOD}&format=json`)
    ).json() as DisclosureReport;
    const expected: Record<string, number> = {
      releases: doc.rows.length,
      denials: doc.denials.length,
      withheld: doc.withheld.length,
      fetched: doc.fetched.length,
    };
    for (const table of DISCLOSURE_TABLES) {
      const res = await o.get(
        `/api/reports/disclosures?partner=kabul-authorities&${PERIOD}&format=csv&table=${table}`,
      );
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/csv/);
      expect(res.headers['content-disposition']).toContain(`-${table}.csv`);
      const header = res.body.split('\r\n')[0] as string;
      // One table: one header line, no blank separator lines, no second header.
      expect(
        res.body
          .trimEnd()
          .split('\r\n')
          .filter((l) => l === ''),
      ).toEqual([]);
      if (table in expected) expect(csvRows(res.body).length).toBe(expected[table]);
      if (table === 'withheld-summary') {
        const firsts = csvRows(res.body).map((l) => Number(l.split(',')[1]));
        expect(firsts.reduce((a, b) => a + b, 0)).toBe(doc.withheld.length);
      }
      expect(header.split(',').length).toBeGreaterThan(1);
    }
    const html = await o.get(`/api/reports/disclosures?partner=kabul-authorities&${PERIOD}`);
    expect(html.headers['content-type']).toMatch(/text\/html/);
    expect(html.headers['content-security-policy']).toContain("default-src 'none'");
    const count = (k: string) => Number(new RegExp(`data-count="${k}">(\\d+)<`).exec(html.body)?.[1]);
    expect(count('released')).toBe(doc.rows.filter((r) => r.event === 'release').length);
    expect(count('recalled')).toBe(doc.rows.filter((r) => r.event === 'recall').length);
    expect(count('denied')).toBe(doc.denials.length);
    expect(count('withheld')).toBe(doc.withheld.length);
    expect(html.body).toContain('ISIS-K');
    expect(html.body).toContain('source at risk');
    expect(html.body).toContain('@media print');
  });

  it('names what is wrong in a bad request, and refuses anyone not signed in', async () => {
    const o = await as('analyst');
    const cases: [string, RegExp][] = [
      [`partner=kabul-authorities&${PERIOD}&format=pdf`, /format must be html, json or csv/],
      [`partner=kabul-authorities&${PERIOD}&format=csv&table=all`, /table must be one of releases/],
      [PERIOD, /partner: give a partner/],
      ['partner=kabul-authorities&from=2026-12-01&to=2026-11-01', /must be before/],
      ['partner=kabul-authorities&from=soon&to=2026-11-01', /from must be a date/],
      [`partner=nobody&${PERIOD}`, /no partner named or with id "nobody"/],
    ];
    for (const [query, message] of cases) {
      const res = await o.get(`/api/reports/disclosures?${query}`);
      expect([400, 404]).toContain(res.statusCode);
      expect(res.json().message).toMatch(message);
    }
    expect(
      (
        await app.inject({
          method: 'GET',
          url: `/api/reports/disclosures?partner=kabul-authorities&${PERIOD}`,
        })
      ).statusCode,
    ).toBe(401);
  });
});

describe('object page: names, granular markings, release history', () => {
  it('names references and markings, puts granular markings on their field, and lists releases per partner', async () => {
    const o = await as('analyst');
    const page = (await o.get(`/api/intel/${ISISK}`)).json() as {
      names: Record<string, { name: string; type: string }>;
      history: { partner: string; event: string; detail: string }[];
    };
    const identity = await hub.sql.get<{ json: string }>(
      'SELECT json FROM objects WHERE is_latest AND id = ?',
      ['identity--eb9b06f3-9693-5999-8eb9-d9cab368f480'],
    );
    expect(page.names['identity--eb9b06f3-9693-5999-8eb9-d9cab368f480']?.name).toBe(
      JSON.parse(identity?.json as string).name,
    );
    expect(
      page.history.filter((h) => h.partner === 'kabul-authorities').map((h) => [h.event, h.detail]),
    ).toEqual([
      ['released', 'approved by officer-1 and officer-2'],
      ['recalled', 'source downgraded'],
    ]);
    const indicator = 'indicator--2deae758-82d6-5cf4-801f-471e0a76c49f';
    const marked = (await o.get(`/api/intel/${indicator}`)).json() as {
      granular: Record<string, { marking: string; selector: string }[]>;
    };
    expect(marked.granular).toEqual({
      description: [
        { marking: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1', selector: 'description' },
      ],
    });
  });
});

describe('threat picture: Latest lists what analysts read', () => {
  it('keeps to reports, incidents, indicators and actors unless asked for other types', async () => {
    const o = await as('analyst');
    const t = (await o.get('/api/threat')).json() as { latest: { type: string }[] };
    expect(t.latest.length).toBeGreaterThan(0);
    for (const x of t.latest) expect(LATEST_TYPES).toContain(x.type);
    const only = (await o.get('/api/threat?latest=indicator')).json() as { latest: { type: string }[] };
    expect(only.latest.length).toBeGreaterThan(0);
    expect(new Set(only.latest.map((x) => x.type))).toEqual(new Set(['indicator']));
    const bad = await o.get('/api/threat?latest=Robert%27);DROP');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/latest: comma-separated STIX type names/);
  });
});
