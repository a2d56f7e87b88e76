// Issue 23, the overseers' chart: a scripted history of Kabul's conditions (hr-1 revoked, renewed
// for three days, then expired; a day's suspension), read over the API and drawn on the partner
// page in Chromium with one bar per stretch each condition was met or lapsed.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleScenario } from '../src/app/console-demo.js';
import { readHubSecret } from '../src/app/data-dir.js';
import type { SqliteHub as Hub } from '../src/app/hub.js';
import { releaseStoresOf } from '../src/app/release-stores.js';
import type { ManualClock } from '../src/clock.js';
import { runReleasePipeline } from '../src/release/release-pipeline.js';
import { launchChromium } from './chromium-fixture.js';
import { buildConsoleServer, openDemoHub, passwordOf, T0 } from './console-fixture.js';
import { REPO_ROOT } from './run-cli.js';

const DAY = 86_400_000;
const SHOTS = join(REPO_ROOT, 'test-artifacts', 'console-condition-history-e2e');
const at = (days: number) => new Date(Date.parse(T0) + days * DAY).toISOString();

let hub: Hub;
let clock: ManualClock;
let scenario: ConsoleScenario;
let app: FastifyInstance;
let browser: Browser;
let page: Page;
let base: string;
let kabulId = '';

/** Moves the clock to `days` after the demo was set up, then records one officer's act. */
async function on(days: number, act: (ctx: { actor: string; now: Date }) => Promise<unknown>) {
  clock.advance(Date.parse(at(days)) - clock.now().getTime());
  await act({ actor: 'admin', now: clock.now() });
}

beforeAll(async () => {
  if (!existsSync(join(REPO_ROOT, 'web', 'dist', 'index.html')))
    throw new Error('web/dist is missing: npm run build:web');
  mkdirSync(SHOTS, { recursive: true });
  ({ hub, clock, scenario } = await openDemoHub());
  kabulId = (await hub.state.partners.get('kabul-authorities'))?.id ?? '';
  const c = hub.state.conditions;
  await on(1, (ctx) => c.revokeAssurance(kabulId, 'hr-1', 'reports of detainee abuse', ctx));
  await on(2, (ctx) =>
    c.attestAssurance(
      kabulId,
      'hr-1',
      { valid_from: at(2), valid_until: at(5), issuer: 'Doha channel' },
      ctx,
    ),
  );
  await on(3, (ctx) => c.setSuspension(kabulId, true, 'under review', ctx));
  await on(4, (ctx) => c.setSuspension(kabulId, false, 'review done', ctx));
  clock.advance(Date.parse(at(9)) - clock.now().getTime());
  await runReleasePipeline(releaseStoresOf(hub), {
    now: clock.now(),
    actor: 'hub',
    hubSecret: readHubSecret(hub.paths.hubSecret),
  });
  app = buildConsoleServer(hub);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  base = `http://127.0.0.1:${address.port}`;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  hub?.close();
});

async function signIn(name: string): Promise<void> {
  await page.goto(`${base}/#/partners`);
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(passwordOf(scenario, name));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** The scripted stretches, per condition: [status, from, to (undefined: still running)]. */
const EXPECTED: Record<string, [string, string, string | undefined][]> = {
  'hr-1': [
    ['met', T0, at(1)],
    ['unmet', at(1), at(2)],
    ['met', at(2), at(5)],
    ['unmet', at(5), undefined],
  ],
  suspension: [
    ['met', T0, at(3)],
    ['unmet', at(3), at(4)],
    ['met', at(4), undefined],
  ],
  breach: [['met', T0, undefined]],
  review: [['met', T0, undefined]],
};

describe('conditions over time for overseers', () => {
  it('the API gives each stretch of the scripted history, hr-1 gating what it withholds now', async () => {
    await signIn('overseer');
    const res = await page.request.get(`${base}/api/partners/${kabulId}/conditions/history`);
    expect(res.status()).toBe(200);
    const body = (await res.json()) as {
      intervals: { condition: string; status: string; from: string; to?: string; gated?: number }[];
    };
    const got: Record<string, [string, string, string | undefined][]> = {};
    for (const i of body.intervals)
      got[i.condition] = [...(got[i.condition] ?? []), [i.status, i.from, i.to]];
    expect(got).toEqual(EXPECTED);
    const open = body.intervals.find((i) => i.condition === 'hr-1' && i.to === undefined);
    // The pass at day 9 withheld Kabul's items for hr-1: the open stretch says how many.
    expect(open?.gated).toBeGreaterThan(0);
  });

  it('gives released / queued / withheld as each pass left them, the last as the outcomes stand now', async () => {
    const res = await page.request.get(`${base}/api/partners/${kabulId}/outcomes/history`);
    expect(res.status()).toBe(200);
    const { points } = (await res.json()) as {
      points: { at: string; released: number; queued: number; withheld: number; denied: number }[];
    };
    // The demo's pass at T0 and the pass at day 9, when hr-1 had lapsed: more withheld.
    expect(points.length).toBeGreaterThanOrEqual(2);
    const [first, last] = [points[0], points.at(-1)] as [(typeof points)[number], (typeof points)[number]];
    expect(last.at).toBe(at(9));
    expect(last.withheld).toBeGreaterThan(first.withheld);
    const now = await hub.state.sql.all<{ outcome: string; n: number }>(
      'SELECT outcome, count(*) AS n FROM release_outcomes WHERE partner_id = ? GROUP BY outcome',
      [kabulId],
    );
    const count = (o: string) => Number(now.find((r) => r.outcome === o)?.n ?? 0);
    expect(last).toMatchObject({
      released: count('released'),
      queued: count('queued') + count('waiting'),
      withheld: count('withheld'),
      denied: count('denied'),
    });
  });

  it('the partner page draws one bar per stretch, coloured by status', async () => {
    await page.goto(`${base}/#/partners`);
    const card = page.locator('section[data-partner="kabul-authorities"]');
    const chart = card.locator('figure.condition-history svg');
    await chart.waitFor();
    for (const [condition, stretches] of Object.entries(EXPECTED)) {
      const bars = chart.locator(`rect.interval[data-condition="${condition}"]`);
      expect(await bars.count(), condition).toBe(stretches.length);
      expect(await bars.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).toEqual(
        stretches.map(([status]) => status),
      );
    }
    // Bars of one condition follow each other left to right without overlapping.
    const hr1 = await chart
      .locator('rect.interval[data-condition="hr-1"]')
      .evaluateAll((els) => els.map((e) => [Number(e.getAttribute('x')), Number(e.getAttribute('width'))]));
    for (let k = 1; k < hr1.length; k++) {
      const [x0, w0] = hr1[k - 1] as [number, number];
      expect((hr1[k] as [number, number])[0]).toBeCloseTo(x0 + w0, 3);
    }
    // Above the bars, on the same time axis: what was released, queued and withheld, to now.
    const lines = chart.locator('g.outcome-lines');
    expect(Number(await lines.getAttribute('data-points'))).toBeGreaterThanOrEqual(2);
    expect(await lines.locator('path').count()).toBe(3);
    expect(await chart.getAttribute('aria-label')).toMatch(/; now \d+ released, \d+ queued, \d+ withheld$/);
    await card.screenshot({ path: join(SHOTS, 'kabul-conditions-over-time.png') });
  });

  it('an analyst neither sees the chart nor reads the history', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn('analyst');
    await page.locator('section[data-partner="kabul-authorities"]').waitFor();
    expect(await page.locator('figure.condition-history').count()).toBe(0);
    const res = await page.request.get(`${base}/api/partners/${kabulId}/conditions/history`);
    expect(res.status()).toBe(403);
    expect((await page.request.get(`${base}/api/partners/${kabulId}/outcomes/history`)).status()).toBe(403);
  });
});
