import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteHub } from '../src/app/hub.js';
import { startHubWorker } from '../src/app/hub-worker.js';
import { launchChromium } from './chromium-fixture.js';
import { buildConsoleServer, openDemoHub, passwordOf } from './console-fixture.js';
import { tempDir } from './run-cli.js';

// Issue 24 done as the issue says: the seed article pasted in the console by an analyst, its
// entities highlighted beside the text, reviewed and confirmed in real Chromium against the real
// server on loopback; then one pass of the hub's own worker, after which the confirmed report
// and its objects are released to the ally and queued for the distrusted partner like any intel.
const SEED = readFileSync(new URL('fixtures/articles/seed-000.txt', import.meta.url), 'utf8');
const ISISK = 'intrusion-set--d118aebe-ee43-58e9-9939-14d533fcb970';
const SHOTS = tempDir('tearline-drafts-e2e-');

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

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

/** The item listed under `kind` with this name: its key and decision. */
async function itemOf(page: Page, kind: string, name: string) {
  const li = page
    .locator(`section[data-kind="${kind}"] li.draft-item`)
    .filter({ has: page.locator('.item-name', { hasText: new RegExp(`^${name}$`) }) });
  expect(await li.count(), `${kind} ${name} listed once`).toBe(1);
  return {
    li,
    key: (await li.getAttribute('data-key')) ?? '',
    decision: await li.getAttribute('data-decision'),
  };
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

describe('console drafts: the seed article from paste to release (issue 24)', () => {
  it('an analyst pastes the seed article, sees its entities highlighted, confirms it; one worker pass releases it to the ally and queues it for Kabul', {
    timeout: 240_000,
  }, async () => {
    const analyst = await signIn('analyst', '#/drafts');
    const form = analyst.getByTestId('new-draft');
    await form.getByLabel('Article (text or HTML)').fill(SEED);
    await form.getByLabel('Title').fill('Cooperation with the Taliban against ISIS-K');
    await form.getByLabel('Source URL').fill('https://news.example.net/isis-k-taliban');
    await form.getByLabel('Published').fill('2024-04-10');
    await form.getByLabel('Marking').selectOption('green');
    await form.getByRole('button', { name: 'Draft from article' }).click();
    await analyst.waitForURL(/#\/drafts\/[0-9a-f-]{36}$/);
    const draftId = analyst.url().split('/').pop() as string;
    const text = analyst.getByTestId('article-text');
    await text.waitFor();
    // The article is shown as text: the page holds exactly the stored text, nothing dropped.
    expect(await text.textContent()).toBe(SEED.trim());
    await shot(analyst, '01-draft-beside-text');

    const marks = await text
      .locator('mark')
      .evaluateAll((ms) =>
        ms.map((m) => ({ keys: (m.getAttribute('data-keys') ?? '').split(' '), text: m.textContent })),
      );
    const highlighted = (key: string) => marks.filter((m) => m.keys.includes(key)).map((m) => m.text ?? '');
    const expected = [
      ['group', 'ISIS-K', 'ISIS-K'],
      ['group', 'Taliban', 'Taliban'],
      ['location', 'United States', 'United States'],
      ['location', 'Afghanistan', 'Afghanistan'],
      ['location', 'Kabul', 'Kabul'],
      ['location', 'Doha', 'Doha'],
      ['location', 'Moscow', 'Moscow'],
      ['location', 'Crocus City Hall', 'Crocus City Hall'],
      ['location', 'Iran', 'Iran'],
      ['location', 'Europe', 'Europe'],
      ['event', '2021 withdrawal', 'withdrawal'],
      ['incident', 'Crocus City Hall attack', 'attack'],
    ] as const;
    for (const [kind, name, shown] of expected) {
      const item = await itemOf(analyst, kind, name);
      const runs = highlighted(item.key);
      expect(runs.length, `${kind} ${name} highlighted`).toBeGreaterThan(0);
      expect(runs.join(' | '), `${kind} ${name}`).toContain(shown);
      // The evidence sentence is shown with the item (its first place; "U.S." for United States).
      const quote = (await item.li.locator('blockquote.evidence').textContent()) ?? '';
      expect(
        runs.some((r) => quote.includes(r)),
        `${name}: "${quote}"`,
      ).toBe(true);
    }
    const crocus = await itemOf(analyst, 'incident', 'Crocus City Hall attack');
    expect(await crocus.li.textContent()).toContain('130 killed');
    // The demo's ISIS-K is linked, not made again.
    expect(await (await itemOf(analyst, 'group', 'ISIS-K')).li.textContent()).toContain(ISISK);

    // A release officer reads the draft but has none of the write controls.
    const officer = await signIn('officer-1', `#/drafts/${draftId}`);
    await officer.getByTestId('article-text').waitFor();
    expect(await officer.locator('mark').count()).toBe(marks.length);
    expect(await officer.getByRole('button', { name: 'Confirm as intel' }).count()).toBe(0);
    expect(await officer.getByRole('button', { name: /^Reject every/ }).count()).toBe(0);
    expect(await officer.getByRole('button', { name: 'Draft from article' }).count()).toBe(0);

    // Review: reject every identity, rename the event, then accept it.
    await analyst.getByRole('button', { name: 'Reject every identity' }).click();
    await expect
      .poll(() => analyst.locator('section[data-kind="identity"] li[data-decision="rejected"]').count())
      .toBe(await analyst.locator('section[data-kind="identity"] li').count());
    const event = await itemOf(analyst, 'event', '2021 withdrawal');
    await event.li.getByText('Change').click();
    await event.li.getByLabel('New name for 2021 withdrawal').fill('US withdrawal from Afghanistan (2021)');
    await event.li.getByRole('button', { name: 'Rename' }).click();
    const renamed = analyst.locator(`li[data-key="${event.key}"]`);
    await renamed.locator('.item-name', { hasText: 'US withdrawal from Afghanistan (2021)' }).waitFor();
    await shot(analyst, '02-reviewed');

    await analyst.getByRole('button', { name: 'Confirm as intel' }).click();
    await analyst.getByRole('alertdialog').getByRole('button', { name: 'Confirm' }).click();
    const status = analyst.locator('p.done[role="status"]');
    await status.filter({ hasText: 'Confirmed: report' }).waitFor();
    const reportId = /report--[0-9a-f-]{36}/.exec((await status.textContent()) ?? '')?.[0] ?? '';
    expect(reportId).not.toBe('');
    await analyst.getByTestId('draft-state').filter({ hasText: 'Draft confirmed' }).waitFor();
    expect(await analyst.getByRole('button', { name: 'Confirm as intel' }).count()).toBe(0);
    await shot(analyst, '03-confirmed');

    // One pass of the hub's own worker (as `serve` runs it), then what each partner got.
    const worker = startHubWorker(hub, {
      intervalMs: 3_600_000,
      onError: (e) => {
        throw e;
      },
    });
    await worker.runOnce();
    await worker.stop();

    const report = JSON.parse(
      (
        await hub.state.sql.get<{ json: string }>('SELECT json FROM objects WHERE id = ? AND is_latest', [
          reportId,
        ])
      )?.json ?? '{}',
    ) as { object_refs: string[]; name: string; object_marking_refs: string[] };
    expect(report.name).toBe('Cooperation with the Taliban against ISIS-K');
    expect(report.object_refs).toContain(ISISK);
    const partnerId = async (name: string) =>
      (await hub.state.sql.get<{ id: string }>('SELECT id FROM partners WHERE name = ?', [name]))?.id ?? '';
    const ally = await partnerId('allied-service');
    const kabul = await partnerId('kabul-authorities');
    const released = async (partner: string, ids: string[]) =>
      new Set(
        (
          await hub.state.sql.all<{ original_id: string }>(
            `SELECT DISTINCT original_id FROM releases WHERE partner_id = ? AND withdrawn = 0
              AND original_id IN (${ids.map(() => '?').join(', ')})`,
            [partner, ...ids],
          )
        ).map((r) => r.original_id),
      );
    // The ally has the report and every object it refers to (none left waiting for references).
    const everything = [reportId, ...report.object_refs];
    expect([...(await released(ally, everything))].sort()).toEqual([...new Set(everything)].sort());
    const allyOutcome = await hub.state.sql.get<{ outcome: string }>(
      'SELECT outcome FROM release_outcomes WHERE partner_id = ? AND object_id = ?',
      [ally, reportId],
    );
    expect(allyOutcome?.outcome).toBe('released');
    // The ally's copy refers only to what the ally was given (its own derived ids).
    const copy = await hub.state.sql.get<{ json: string }>(
      'SELECT json FROM releases WHERE partner_id = ? AND original_id = ?',
      [ally, reportId],
    );
    const copyRefs = (JSON.parse(copy?.json ?? '{}') as { object_refs: string[] }).object_refs;
    const given = await hub.state.sql.all<{ object_id: string }>(
      `SELECT object_id FROM releases WHERE partner_id = ? AND object_id IN (${copyRefs.map(() => '?').join(', ')})`,
      [ally, ...copyRefs],
    );
    expect(new Set(given.map((g) => g.object_id)).size).toBe(new Set(copyRefs).size);

    // Kabul: nothing released from the draft; the report waits in the queue for two officers.
    expect((await released(kabul, everything)).size).toBe(0);
    const queued = await hub.state.sql.all<{ state: string; author: string | null }>(
      'SELECT state, author FROM release_queue WHERE partner_id = ? AND object_id = ?',
      [kabul, reportId],
    );
    expect(queued).toEqual([{ state: 'pending', author: 'analyst' }]);

    await officer.goto(`${base}/#/queue`);
    await officer.getByText('Cooperation with the Taliban against ISIS-K').first().waitFor();
    await shot(officer, '04-queued-for-kabul');
  });
});
