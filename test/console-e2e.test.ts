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
import { buildConsoleServer, openDemoHub, passwordOf } from './console-fixture.js';
import { REPO_ROOT } from './run-cli.js';

// Real Chromium against the real server on a loopback port; screenshots of each step are kept
// in test-artifacts/console-e2e/ (ignored by git).
const ISISK = 'intrusion-set--d118aebe-ee43-58e9-9939-14d533fcb970';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SHOTS = join(REPO_ROOT, 'test-artifacts', 'console-e2e');

let hub: Hub;
let clock: ManualClock;
let scenario: ConsoleScenario;
let app: FastifyInstance;
let browser: Browser;
let page: Page;
let base: string;
const foreign: string[] = [];

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function signIn(name: string): Promise<void> {
  await page.goto(`${base}/#/threat`);
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(passwordOf(scenario, name));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

async function signOut(): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
}

async function approveIsisK(): Promise<string> {
  await page.goto(`${base}/#/queue`);
  const item = page.locator(`section.queue-item[data-object="${ISISK}"]`);
  await item.getByRole('button', { name: 'Approve' }).click();
  const status = page.locator('p.done');
  await status.filter({ hasText: 'approvals' }).waitFor();
  return (await status.textContent()) ?? '';
}

beforeAll(async () => {
  if (!existsSync(join(REPO_ROOT, 'web', 'dist', 'index.html')))
    throw new Error('web/dist is missing: npm run build:web');
  mkdirSync(SHOTS, { recursive: true });
  ({ hub, clock, scenario } = await openDemoHub());
  app = buildConsoleServer(hub);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  base = `http://127.0.0.1:${address.port}`;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:')) foreign.push(r.url());
  });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  hub?.close();
});

describe('console end to end in Chromium', () => {
  it('signs in and shows the threat picture with a chart and a graph one can expand', async () => {
    await page.goto(base);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await shot('01-sign-in');
    await signIn('officer-1');
    const chart = page.getByTestId('timeline-chart');
    await chart.locator('rect.bar').first().waitFor();
    expect(await chart.locator('rect.bar').count()).toBeGreaterThan(2);
    const graph = page.getByTestId('graph');
    await graph.locator('g.node').first().waitFor();
    const before = await graph.locator('g.node').count();
    expect(before).toBeGreaterThan(3);
    await shot('02-threat-picture');
    // Expand a neighbour by keyboard: its own neighbours join the graph.
    await graph.getByRole('button', { name: /^incident Crocus City Hall attack/ }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => graph.locator('g.node').count()).toBeGreaterThan(before);
    await shot('03-graph-expanded');
  });

  it('finds intel by text and type and opens the object page with each partner decision', async () => {
    await page.goto(`${base}/#/intel`);
    await page.getByLabel('Text').fill('Crocus');
    await page.getByLabel('Type').selectOption('incident');
    await page.getByRole('button', { name: 'Search' }).click();
    const link = page.getByRole('link', { name: 'Crocus City Hall attack' });
    await link.click();
    await page.getByRole('heading', { name: /Crocus City Hall attack/ }).waitFor();
    await page.locator('tr[data-partner="allied-service"] .outcome-released').waitFor();
    await page.locator('tr[data-partner="kabul-authorities"] .outcome-queued').waitFor();
    await shot('03b-object-page');
  });

  it('takes two officers to release a queued tearline, which then reaches the partner feed', async () => {
    await page.goto(`${base}/#/queue`);
    const item = page.locator(`section.queue-item[data-object="${ISISK}"]`);
    await item.getByText(/^Tearline preview/).click();
    await item.getByTestId('tearline-diff').locator('li.diff-removed').first().waitFor();
    await shot('04-queue');
    await item.screenshot({ path: join(SHOTS, '04-queue-item-diff.png') });
    expect(await approveIsisK()).toContain('1/2 approvals');
    await shot('05-first-approval');
    await signOut();
    await signIn('officer-2');
    const second = await approveIsisK();
    expect(second).toContain('released (2/2 approvals)');
    await shot('06-second-approval');

    const token = scenario.partners.find((p) => p.name === 'kabul-authorities')?.token;
    const feed = async () => {
      const res = await fetch(`${base}/taxii2/hub/collections/releases/objects/`, {
        headers: { accept: 'application/taxii+json;version=2.1', authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { objects?: { type: string; name?: string }[] }).objects ?? [];
    };
    // The agreement embargoes releases for a day after approval.
    expect((await feed()).some((o) => o.type === 'intrusion-set')).toBe(false);
    clock.advance(25 * HOUR);
    const objects = await feed();
    expect(objects.some((o) => o.type === 'intrusion-set' && o.name === 'ISIS-K')).toBe(true);
  });

  it('offers an overseer no decisions, and verifies the ledger on the server for them', async () => {
    await signOut();
    await signIn('overseer');
    await page.goto(`${base}/#/queue`);
    await page.locator('section.queue-item').first().waitFor();
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await page.goto(`${base}/#/partners`);
    await page.locator('section[data-partner]').first().waitFor();
    expect(await page.getByRole('switch').count()).toBe(0);
    await page.goto(`${base}/#/ledger`);
    await page.getByRole('button', { name: 'Verify the ledger' }).click();
    const result = page.getByTestId('verify-result');
    await result.filter({ hasText: 'Verified:' }).waitFor();
    expect(await result.textContent()).toMatch(/Verified: \d+ entries and \d+ checkpoints/);
    await shot('07-ledger-verified');
  });

  it('shows an item withheld with the lapsed assurance as the reason once the hub clock passes expiry', async () => {
    const queued = (
      (await (await page.request.get(`${base}/api/queue?size=200`)).json()) as {
        items: { object_id: string; partner: string }[];
      }
    ).items;
    const incident = queued.find(
      (i) => i.partner === 'kabul-authorities' && i.object_id.startsWith('incident--'),
    );
    expect(incident).toBeDefined();
    // The lapse reaches an open page by Server-Sent Events, without a reload.
    await page.goto(`${base}/#/partners`);
    const hr = page.locator('section[data-partner="kabul-authorities"] tr[data-condition="hr-1"]');
    await hr.locator('.status-met').waitFor();
    expect(await hr.textContent()).toMatch(/expires in \d+ days/);
    clock.advance(31 * DAY);
    await hr.locator('.status-unmet').waitFor();
    // Beside it, what restoring hr-1 would release (issue 23).
    const impact = page.locator('section[data-partner="kabul-authorities"] [data-impact-condition="hr-1"]');
    await impact.waitFor();
    expect(await impact.textContent()).toMatch(/^restoring hr-1 releases [1-9]\d* item\(s\)/);
    await shot('08-partners-condition-lapsed-live');
    await runReleasePipeline(releaseStoresOf(hub), {
      now: clock.now(),
      actor: 'release-bot',
      hubSecret: readHubSecret(hub.paths.hubSecret),
    });
    await page.goto(`${base}/#/object/${encodeURIComponent(incident?.object_id ?? '')}`);
    const row = page.locator('tr[data-partner="kabul-authorities"]');
    await row.locator('.outcome-withheld').waitFor();
    expect(await row.textContent()).toMatch(/hr-1 expired/);
    expect(await row.locator('.wwit').textContent()).toMatch(/What would it take.*attest hr-1/);
    await shot('09-withheld-assurance-lapsed');
  });

  it('fits a 390 px wide screen and made no request beyond the hub', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/#/threat`);
    await page.getByTestId('graph').locator('g.node').first().waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot('10-threat-390px');
    expect(foreign).toEqual([]);
  });
});
