import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleScenario } from '../src/app/console-demo.js';
import type { SqliteHub as Hub } from '../src/app/hub.js';
import type { ManualClock } from '../src/clock.js';
import { launchChromium } from './chromium-fixture.js';
import { buildConsoleServer, openDemoHub, passwordOf } from './console-fixture.js';
import { REPO_ROOT } from './run-cli.js';

// Bulk approval in real Chromium against the real server: an officer selects a group (across
// pages if need be) and reviews its combined tearline diff, then approves everything queued for a
// partner in one confirmation; a second officer does the same and the partner's feed gets it all.
const PARTNER = 'kabul-authorities';
const SHOTS = join(REPO_ROOT, 'test-artifacts', 'console-bulk-e2e');

let hub: Hub;
let clock: ManualClock;
let scenario: ConsoleScenario;
let app: FastifyInstance;
let browser: Browser;
let page: Page;
let base: string;

interface Queued {
  total: number;
  groups: { key: string; title: string; total: number }[];
  items: {
    id: string;
    object_id: string;
    group: string;
    removed: number;
    approvals: { verdict: string }[];
  }[];
}

async function queued(): Promise<Queued> {
  return (await (await page.request.get(`${base}/api/queue?partner=${PARTNER}&size=200`)).json()) as Queued;
}

async function signIn(name: string): Promise<void> {
  await page.goto(`${base}/#/threat`);
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(passwordOf(scenario, name));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

async function openPartnerQueue(): Promise<void> {
  await page.goto(`${base}/#/queue`);
  await page.getByLabel('Partner').selectOption(PARTNER);
  await page.getByTestId('bulk-bar').waitFor();
}

/** Approves every open item of the partner in one confirmation; returns the status line. */
async function approveAllMatching(total: number): Promise<string> {
  await page.getByRole('button', { name: `Review all ${total} matching` }).click();
  const dialog = page.getByRole('dialog', { name: 'Confirm the bulk decision' });
  await dialog.getByTestId('bulk-diff').waitFor();
  expect(await dialog.getByTestId('bulk-diff').locator(':scope > li').count()).toBe(total);
  await dialog.getByRole('button', { name: `Approve all ${total}` }).click();
  const status = page.locator('p.done');
  await status.filter({ hasText: 'Decided' }).waitFor();
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
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  hub?.close();
});

describe('bulk approval in the console, in Chromium', () => {
  it('selects a whole group and shows its combined tearline diff before anything is decided', async () => {
    await signIn('officer-1');
    const before = await queued();
    expect(before.total).toBeGreaterThan(1);
    await openPartnerQueue();
    // A group of several items of which some lose parts in their copies.
    const trimmed = before.groups.filter((g) => before.items.some((i) => i.group === g.key && i.removed > 0));
    const group = trimmed.find((g) => g.total > 1) ?? trimmed[0];
    if (!group) throw new Error('the demo queue has no group');
    await page.getByLabel(`Select all ${group.total} in ${group.title}`).check();
    await page.getByText(`${group.total} selected`, { exact: true }).waitFor();
    await page.getByRole('button', { name: `Review the ${group.total} selected` }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm the bulk decision' });
    await dialog.getByTestId('bulk-diff').waitFor();
    expect(await dialog.getByTestId('bulk-diff').locator(':scope > li').count()).toBe(group.total);
    // The removals of every selected item, each with its rule, and totals by rule.
    expect(await dialog.locator('li.diff-removed').count()).toBeGreaterThan(0);
    expect(await dialog.getByTestId('bulk-totals').textContent()).toMatch(/Removed by rule: [a-z-]+ \d+/);
    await page.screenshot({ path: join(SHOTS, '01-group-diff.png'), fullPage: true });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    // Nothing was decided by looking.
    expect((await queued()).items.every((i) => i.approvals.length === 0)).toBe(true);
  });

  it('takes two officers, each with one bulk action, to release everything queued for a partner', async () => {
    const { total, items } = await queued();
    const first = await approveAllMatching(total);
    expect(first).toContain(`Decided ${total} items for ${PARTNER}: 0 released`);
    expect(first).toContain(`${total} waiting for another officer`);
    await page.screenshot({ path: join(SHOTS, '02-first-officer.png'), fullPage: true });
    // The same officer again: each item refuses a second approval by the same officer.
    await page.getByRole('button', { name: `Review all ${total} matching` }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm the bulk decision' });
    await dialog.getByRole('button', { name: `Approve all ${total}` }).click();
    await page
      .locator('p.done')
      .filter({ hasText: `${total} refused` })
      .waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn('officer-2');
    await openPartnerQueue();
    const second = await approveAllMatching(total);
    expect(second).toMatch(new RegExp(`Decided ${total} items for ${PARTNER}: (\\d+) released`));
    await page.screenshot({ path: join(SHOTS, '03-second-officer.png'), fullPage: true });
    expect((await queued()).total).toBe(0);

    const token = scenario.partners.find((p) => p.name === PARTNER)?.token;
    clock.advance(25 * 3_600_000); // past the agreement's embargo
    const res = await fetch(`${base}/taxii2/hub/collections/releases/objects/`, {
      headers: { accept: 'application/taxii+json;version=2.1', authorization: `Bearer ${token}` },
    });
    const feed = ((await res.json()) as { objects?: { type: string }[] }).objects ?? [];
    const releasedTypes = new Set(feed.map((o) => o.type));
    for (const i of items) expect(releasedTypes.has(i.object_id.split('--')[0] as string)).toBe(true);
  });
});
