import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleScenario } from '../src/app/console-demo.js';
import type { SqliteHub as Hub } from '../src/app/hub.js';
import { launchChromium } from './chromium-fixture.js';
import { buildConsoleServer, openDemoHub, passwordOf, T0 } from './console-fixture.js';
import { tempDir } from './run-cli.js';

// The audit trail in real Chromium: an overseer filters the ledger, reads each entry as a
// sentence, checks a release's receipt in the browser and exports; an analyst sees only what a
// receipt shows. Screenshots are saved under the test's temporary directory (path logged).
const ISISK = 'intrusion-set--d118aebe-ee43-58e9-9939-14d533fcb970';
const SHOTS = join(tempDir('tearline-audit-e2e-'), 'screenshots');

let hub: Hub;
let scenario: ConsoleScenario;
let app: FastifyInstance;
let browser: Browser;
let base: string;
const foreign: string[] = [];

async function inject(method: 'GET' | 'POST', url: string, as: string, payload?: object) {
  const login = await app.inject({
    method: 'POST',
    url: '/api/login',
    payload: { name: as, password: passwordOf(scenario, as) },
  });
  const cookie = String(login.headers['set-cookie']).split(';')[0] as string;
  return app.inject({
    method,
    url,
    headers: { cookie, 'x-csrf-token': login.json().csrf },
    ...(payload && { payload }),
  });
}

async function signIn(name: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:')) foreign.push(r.url());
  });
  await page.goto(`${base}/#/audit`);
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(passwordOf(scenario, name));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Audit trail' }).waitFor();
  return page;
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  console.info(`audit e2e screenshots: ${SHOTS}`);
  ({ hub, scenario } = await openDemoHub());
  app = buildConsoleServer(hub);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  base = `http://127.0.0.1:${address.port}`;
  const queue = (await inject('GET', '/api/queue?size=200', 'officer-1')).json().items as {
    id: string;
    object_id: string;
  }[];
  const item = queue.find((i) => i.object_id === ISISK);
  if (!item) throw new Error('the demo queues ISIS-K for kabul-authorities');
  await inject('POST', `/api/queue/${item.id}/approve`, 'officer-1', { comment: 'checked' });
  const second = await inject('POST', `/api/queue/${item.id}/approve`, 'officer-2', {});
  if (second.json().state !== 'released') throw new Error(second.body);
  hub.checkpointIfDue();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  hub?.close();
});

describe('the audit trail in the browser', () => {
  it('filters by kind and partner, and says who released what to whom, approved by whom', async () => {
    const page = await signIn('overseer');
    const list = page.getByTestId('audit-list');
    await list.waitFor();
    const total = await hub.sql.get<{ n: number }>('SELECT count(*) AS n FROM ledger_entries');
    expect(await list.locator('caption').textContent()).toBe(`${total?.n} entries`);
    await page.locator('select[name=kind]').selectOption('release');
    await page.getByRole('textbox', { name: 'Partner' }).fill('kabul-authorities');
    await page.getByRole('button', { name: 'Filter' }).click();
    const sentence = `Released ISIS-K (${ISISK}) to kabul-authorities, approved by officer-1 and officer-2`;
    await list.getByTestId('sentence').filter({ hasText: sentence }).waitFor();
    const kinds = await list
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')));
    expect(kinds.length).toBeGreaterThan(0);
    expect(new Set(kinds)).toEqual(new Set(['release']));
    for (const s of await list.getByTestId('sentence').allTextContents())
      expect(s).toContain('to kabul-authorities');
    await page.screenshot({ path: join(SHOTS, '01-audit-filtered.png'), fullPage: true });

    // The receipt of that release, checked in this browser with the hub's key.
    await list.locator('tr', { hasText: sentence }).getByRole('button', { name: 'Check' }).click();
    await page.getByTestId('receipt-verdict').filter({ hasText: 'Verified in this browser' }).waitFor();
    await page.screenshot({ path: join(SHOTS, '02-audit-receipt.png'), fullPage: true });

    // The exports carry the same filter.
    const csvHref = await page.getByRole('link', { name: 'Export as CSV' }).getAttribute('href');
    expect(csvHref).toContain('partner=kabul-authorities');
    const csv = await page.request.get(`${base}${csvHref}`);
    expect(csv.status()).toBe(200);
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines.length - 1).toBe(kinds.length);
    await page.close();
  });

  it('shows an analyst entries as receipts show them, with no one named', async () => {
    const page = await signIn('analyst');
    const list = page.getByTestId('audit-list');
    await list.waitFor();
    expect(await page.locator('input[name=partner]').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Export as CSV' }).count()).toBe(0);
    const text = (await list.textContent()) ?? '';
    for (const name of ['officer-1', 'officer-2', 'kabul-authorities', 'allied-service'])
      expect(text).not.toContain(name);
    await page.locator('select[name=kind]').selectOption('release');
    await page.getByRole('button', { name: 'Filter' }).click();
    await list
      .getByTestId('sentence')
      .filter({ hasText: /^Release release--/ })
      .first()
      .waitFor();
    await page.screenshot({ path: join(SHOTS, '03-audit-analyst.png'), fullPage: true });
    await page.close();
    expect(foreign).toEqual([]);
  });

  it('opens the disclosure report for print: the counts shown are the rows listed, and it prints to PDF', async () => {
    const page = await signIn('overseer');
    await page.goto(`${base}/#/ledger`);
    const links = page.locator('.report-links');
    await links.locator('select').selectOption('kabul-authorities');
    await links.getByLabel('From').fill(T0.slice(0, 10));
    await links.getByLabel('To (inclusive)').fill(T0.slice(0, 10));
    const href = await links
      .getByRole('link', { name: 'Open the report (HTML, for print)' })
      .getAttribute('href');
    expect(href).toContain('partner=kabul-authorities');
    const csvHrefs = await links.getByRole('link', { name: 'withheld-summary' }).getAttribute('href');
    expect(csvHrefs).toContain('table=withheld-summary');
    await page.goto(`${base}${href}`);
    await page.getByRole('heading', { name: 'Disclosures to kabul-authorities' }).waitFor();
    const count = async (k: string) => Number(await page.locator(`[data-count="${k}"]`).textContent());
    const section = (title: string) =>
      page.locator(`h2:has-text("${title}") + table tbody tr, h2:has-text("${title}") + p + table tbody tr`);
    const released = await section('Released and recalled').evaluateAll(
      (rows) => rows.filter((r) => r.firstElementChild?.textContent === 'release').length,
    );
    expect(await count('released')).toBe(released);
    expect(released).toBeGreaterThan(0);
    expect(await section('Withheld objects').count()).toBe(await count('withheld'));
    // The summary's first-reason column adds up to the total it shows.
    const summary = await section('Withheld, by reason').evaluateAll((rows) =>
      rows.map((r) => [r.children[0]?.textContent ?? '', Number(r.children[1]?.textContent)] as const),
    );
    const total = summary.find(([reason]) => reason === 'Total')?.[1];
    expect(total).toBe(await count('withheld'));
    expect(summary.filter(([reason]) => reason !== 'Total').reduce((a, [, n]) => a + n, 0)).toBe(total);
    expect(await page.locator('body').textContent()).toContain('officer-1 officer-2');
    await page.screenshot({ path: join(SHOTS, '04-report.png'), fullPage: true });
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: join(SHOTS, '05-report.pdf'), format: 'A4', landscape: true });
    await page.close();
    expect(foreign).toEqual([]);
  });

  it('shows an object with names for its references, granular markings on their field and its release history', async () => {
    const page = await signIn('analyst');
    await page.goto(`${base}/#/object/${encodeURIComponent(ISISK)}`);
    const createdBy = page.locator('[data-prop="created_by_ref"] dd a');
    await createdBy.waitFor();
    expect(await createdBy.textContent()).toBe('Counter-Terrorism Analysis Centre (demo)');
    expect(await page.locator('[data-prop="object_marking_refs"] dd').textContent()).toBe('TLP:CLEAR');
    const history = page.getByTestId('release-history');
    await history
      .locator('tr', { hasText: 'kabul-authorities' })
      .filter({ hasText: 'approved by officer-1 and officer-2' })
      .waitFor();
    await page.screenshot({ path: join(SHOTS, '06-object-isisk.png'), fullPage: true });
    await page.goto(`${base}/#/object/indicator--2deae758-82d6-5cf4-801f-471e0a76c49f`);
    const description = page.locator('[data-prop="description"] dt');
    await description.locator('[data-marking]').waitFor();
    expect(await description.locator('[data-marking]').textContent()).toBe('TLP:RED');
    expect(await page.locator('[data-prop="granular_markings"] dd').textContent()).toBe(
      'TLP:RED on description',
    );
    await page.screenshot({ path: join(SHOTS, '07-object-granular.png'), fullPage: true });
    await page.close();
  });

  it('gives the threat graph a legend whose counts are the nodes drawn, and full names on hover', async () => {
    const page = await signIn('analyst');
    await page.goto(`${base}/#/threat`);
    const legend = page.getByTestId('graph-legend').first();
    await legend.locator('label').first().waitFor();
    const graph = page.getByTestId('graph').first();
    const drawn = await graph
      .locator('svg[role="group"] g.node')
      .evaluateAll((gs) =>
        gs.map((g) => [...g.classList].find((c) => c.startsWith('node-'))?.slice(5) ?? ''),
      );
    const shown = await legend.locator('label').allTextContents();
    const expected = [...new Set(drawn)].sort().map((t) => `${t} (${drawn.filter((d) => d === t).length})`);
    expect(shown.map((s) => s.trim())).toEqual(expected);
    const titles = await graph.locator('g.node title').allTextContents();
    expect(titles.length).toBe(drawn.length);
    expect(titles.every((t) => /^[a-z-]+: ./.test(t))).toBe(true);
    await page.screenshot({ path: join(SHOTS, '08-threat-legend.png'), fullPage: true });
    await page.close();
  });
});
