import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteHub } from '../src/app/hub.js';
import { launchChromium } from './chromium-fixture.js';
import { buildConsoleServer, openDemoHub, passwordOf } from './console-fixture.js';
import { REPO_ROOT, tempDir } from './run-cli.js';

// Issue 24's gaps, in real Chromium against the real server on loopback: the seed article
// uploaded as a PDF (its text extracted on the hub and kept with the draft), and an item merged
// with a stored object found by name or alias instead of a typed STIX id.
const PDF = join(REPO_ROOT, 'test', 'fixtures', 'pdf', 'seed-000.pdf');
const CROCUS = 'location--56dd09a4-af6a-5092-919b-a4eb78709f06';
const ISISK = 'intrusion-set--d118aebe-ee43-58e9-9939-14d533fcb970';
const NETWORK = 'threat-actor--9ed6e194-7a40-5614-8167-ce734977489d';
const SHOTS = tempDir('tearline-drafts-merge-e2e-');

let hub: SqliteHub;
let app: FastifyInstance;
let browser: Browser;
let base: string;
let scenario: Awaited<ReturnType<typeof openDemoHub>>['scenario'];

async function signIn(name: string, hash: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  await page.goto(`${base}/${hash}`);
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(passwordOf(scenario, name));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

function itemOf(page: Page, kind: string, name: string) {
  return page
    .locator(`section[data-kind="${kind}"] li.draft-item`)
    .filter({ has: page.locator('.item-name', { hasText: new RegExp(`^${name}$`) }) });
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const opened = await openDemoHub();
  hub = opened.hub;
  scenario = opened.scenario;
  app = buildConsoleServer(hub);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  base = `http://127.0.0.1:${address.port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  hub?.close();
});

describe('console drafts: PDF upload and merge search', () => {
  it('an analyst uploads the seed article as a PDF, then merges items with stored objects found by name and alias', {
    timeout: 240_000,
  }, async () => {
    const analyst = await signIn('analyst', '#/drafts');
    const form = analyst.getByTestId('new-draft');
    await form.getByTestId('article-file').setInputFiles(PDF);
    await form.getByTestId('pdf-chosen').filter({ hasText: 'PDF seed-000.pdf' }).waitFor();
    await form.getByLabel('Published').fill('2024-04-10');
    await form.getByRole('button', { name: 'Draft from article' }).click();
    await analyst.waitForURL(/#\/drafts\/[0-9a-f-]{36}$/);
    const text = analyst.getByTestId('article-text');
    await text.waitFor();
    // The text the hub extracted from the PDF, its wrapped lines joined, highlighted at its offsets.
    expect(await text.textContent()).toContain(
      'the Biden administration is deliberating over the prospect of enhancing collaboration with the Taliban regime in Kabul',
    );
    expect(await text.locator('mark', { hasText: 'Crocus City Hall' }).count()).toBeGreaterThan(0);
    await analyst.screenshot({ path: join(SHOTS, '01-pdf-draft.png'), fullPage: true });

    // The venue is stored under a longer name, so it was not linked: find it and pick it.
    const crocus = itemOf(analyst, 'location', 'Crocus City Hall');
    expect(await crocus.count()).toBe(1);
    expect(await crocus.textContent()).not.toContain(CROCUS);
    await crocus.getByText('Change').click();
    const search = crocus.getByLabel('Find stored objects to merge Crocus City Hall with');
    expect(await search.inputValue()).toBe('Crocus City Hall');
    await crocus.getByRole('button', { name: 'Find' }).click();
    const pick = crocus.getByRole('button', { name: 'Merge with Crocus City Hall, Krasnogorsk' });
    await pick.waitFor();
    expect(await crocus.locator(`.merge-candidates li[data-id="${CROCUS}"]`).count()).toBe(1);
    await analyst.screenshot({ path: join(SHOTS, '02-candidates.png'), fullPage: true });
    await pick.click();
    await crocus.getByText(`Is stored object ${CROCUS}`).waitFor();

    // A group, by alias, filtered by type: the threat actor only when asked for threat actors.
    const taliban = itemOf(analyst, 'group', 'Taliban');
    await taliban.getByText('Change').click();
    const groupSearch = taliban.getByLabel('Find stored objects to merge Taliban with');
    await groupSearch.fill('iskp');
    await taliban.getByRole('button', { name: 'Find' }).click();
    const candidates = taliban.locator('.merge-candidates li');
    await candidates.first().waitFor();
    expect(await candidates.evaluateAll((li) => li.map((l) => l.getAttribute('data-id')))).toEqual([
      ISISK,
      NETWORK,
    ]);
    expect(await candidates.first().textContent()).toContain('alias ISKP');
    await taliban.getByLabel('Type').selectOption('threat-actor');
    await taliban.getByRole('button', { name: 'Find' }).click();
    await expect
      .poll(() => candidates.evaluateAll((li) => li.map((l) => l.getAttribute('data-id'))))
      .toEqual([NETWORK]);

    // Nothing stored by that name: said so, nothing to pick.
    const kabul = itemOf(analyst, 'location', 'Kabul');
    await kabul.getByText('Change').click();
    await kabul.getByLabel('Find stored objects to merge Kabul with').fill('Zzyzx');
    await kabul.getByRole('button', { name: 'Find' }).click();
    await kabul.getByText('No stored location by that name or alias.').waitFor();
    expect(await kabul.locator('.merge-candidates').count()).toBe(0);
    expect(await kabul.textContent()).not.toContain('Is stored object');
  });
});
