import { createReadStream, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initDataDir } from '../src/app/data-dir.js';
import { type SqliteHub as Hub, openHub } from '../src/app/hub.js';
import { ensureLedgerKey } from '../src/app/ledger-key.js';
import { buildServer } from '../src/app/server.js';
import { importStream } from '../src/ingest/import-stream.js';
import { openStoredEntry } from '../src/ledger/ledger-commitment.js';
import { LENIENT_THROTTLE, TEST_PASSWORD } from './auth-fixture.js';
import { launchChromium } from './chromium-fixture.js';
import { REPO_ROOT, tempDir } from './run-cli.js';

// The seed scenario run from the console alone, in real Chromium against the real server on
// loopback: an admin creates the Kabul partner, writes its agreement with the human-rights
// assurance (form, YAML editor, the CLI's validation errors), attests the assurance and runs the
// pipeline; two officers approve in two browser contexts; one suspends, then recalls. Screenshots
// of each step go to test-artifacts/console-manage-e2e/ (ignored by git).
const ISISK = 'intrusion-set--d118aebe-ee43-58e9-9939-14d533fcb970';
const DAY = 86_400_000;
const SHOTS = join(REPO_ROOT, 'test-artifacts', 'console-manage-e2e');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

let hub: Hub;
let app: FastifyInstance;
let browser: Browser;
let base: string;

async function signIn(name: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`${base}/#/partners`);
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

/** Submits an action form (answering its confirmation if it asks) and returns what it reported. */
async function submit(form: Locator, button: string): Promise<string> {
  await form.getByRole('button', { name: button }).click();
  const confirm = form.getByRole('button', { name: 'Confirm' });
  if (await confirm.isVisible().catch(() => false)) await confirm.click();
  await form.locator('output.done, .error').first().waitFor();
  const error = await form.locator('.error').count();
  if (error > 0) throw new Error(`${button}: ${await form.locator('.error').textContent()}`);
  return (await form.locator('output.done').textContent()) ?? '';
}

beforeAll(async () => {
  if (!existsSync(join(REPO_ROOT, 'web', 'dist', 'index.html')))
    throw new Error('web/dist is missing: npm run build:web');
  mkdirSync(SHOTS, { recursive: true });
  const dir = join(tempDir('tearline-manage-'), 'hub');
  ensureLedgerKey(initDataDir(dir).paths);
  hub = openHub(dir);
  const now = new Date();
  for (const [name, role] of [
    ['admin', 'admin'],
    ['analyst', 'analyst'],
    ['officer-1', 'release-officer'],
    ['officer-2', 'release-officer'],
  ] as const) {
    const r = await hub.state.users.add(name, role, TEST_PASSWORD, { actor: 'setup', now });
    if (!r.ok) throw new Error(r.message);
  }
  await importStream(createReadStream(join(REPO_ROOT, 'demo', 'isis-k-demo.json')), hub.objects, {
    source: 'demo',
    actor: 'analyst',
    maxObjectBytes: hub.config.max_object_bytes,
  });
  hub.checkpointIfDue();
  app = buildServer(hub, { throttle: LENIENT_THROTTLE, pageCache: { maxEntries: 0, maxBytes: 0 } });
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

describe('the console runs the seed scenario (issue 17)', () => {
  it('creates Kabul, writes and attests its agreement, two officers approve, one suspends and recalls', {
    timeout: 240_000,
  }, async () => {
    const admin = await signIn('admin');
    const add = admin.getByTestId('add-partner');
    await add.getByLabel('Name').fill('kabul');
    await add.getByLabel('Country (ISO code)').fill('AF');
    await add.getByLabel('Description').fill('De facto authorities in Kabul, through the Doha channel');
    expect(await submit(add, 'Add partner')).toMatch(
      /added kabul; its TAXII token, shown once: tl_[A-Za-z0-9_-]{43}/,
    );
    await shot(admin, '01-partner-added');

    const card = admin.locator('section[data-partner="kabul"]');
    await card.getByText('Write the agreement').click();
    await card.getByLabel('Neighbourhood of').fill(ISISK);
    await card.getByLabel('Embargo').fill('PT24H');
    await card
      .getByLabel('Valid from')
      .first()
      .fill(iso(Date.now() - DAY));
    await card
      .getByLabel('Valid until')
      .first()
      .fill(iso(Date.now() + 365 * DAY));
    await card.getByLabel('Assurance id').fill('hr-1');
    await card.getByLabel('Assurance title').fill('Human-rights assurance: women and girls; detainees');
    await card.getByRole('button', { name: 'Fill the editor from the form' }).click();
    const yaml = card.getByLabel('Agreement (YAML or JSON)');
    const written = await yaml.inputValue();
    expect(written).toContain('id: hr-1');
    // A mistake gets the same error, line and field, as `tearline agreement check`.
    await yaml.fill(written.replace('tlp_ceiling: green', 'tlp_ceiling: purple'));
    await card.getByRole('button', { name: 'Check' }).click();
    const errors = card.getByTestId('agreement-errors');
    await errors.waitFor();
    expect(await errors.textContent()).toMatch(
      /line \d+: tlp_ceiling must be one of clear, green, amber, amber\+strict, red/,
    );
    await shot(admin, '02-agreement-error');
    await yaml.fill(written);
    // Every change says why: the reason is kept with the version and shown in the history.
    await card
      .getByLabel(/^Why \(kept with the version/)
      .fill('First agreement, on the liaison officer request');
    await card.getByRole('button', { name: 'Save as a new version' }).click();
    await card.locator('.agreement-editor output.done').filter({ hasText: 'saved as version 1' }).waitFor();
    await shot(admin, '03-agreement-saved');

    const hr1 = card.locator('[data-assurance="hr-1"]');
    await hr1.waitFor();
    await hr1.getByLabel('Issuer').fill('Doha channel: written assurance (fictional)');
    await hr1.getByLabel('Grade').fill('C3');
    await hr1.getByLabel('Evidence').fill('letter-2026-11, minutes-12');
    await hr1.getByLabel('Valid from').fill(iso(Date.now() - DAY));
    await hr1.getByLabel('Valid until').fill(iso(Date.now() + 30 * DAY));
    expect(await submit(hr1.locator('form').first(), 'Attest hr-1')).toBe('attested hr-1');
    await card.locator('tr[data-condition="hr-1"] .status-met').waitFor();
    await shot(admin, '04-assurance-attested');

    await admin.goto(`${base}/#/queue`);
    const run = admin
      .locator('form.action')
      .filter({ has: admin.getByRole('button', { name: 'Run the release pipeline now' }) });
    expect(await submit(run, 'Run the release pipeline now')).toMatch(
      /pipeline: \d+ released, [1-9]\d* queued/,
    );

    // Two officers, each in a browser context of their own.
    const approve = async (page: Page) => {
      await page.goto(`${base}/#/queue`);
      const item = page.locator(`section.queue-item[data-object="${ISISK}"]`);
      await item.getByRole('button', { name: 'Approve' }).click();
      const status = page.locator('p.done').filter({ hasText: 'approvals' });
      await status.waitFor();
      return (await status.textContent()) ?? '';
    };
    const one = await signIn('officer-1');
    const two = await signIn('officer-2');
    expect(await approve(one)).toContain('1/2 approvals');
    await shot(one, '05-first-officer');
    expect(await approve(two)).toContain('released (2/2 approvals)');
    await shot(two, '06-second-officer');

    await one.goto(`${base}/#/partners`);
    const kabul = one.locator('section[data-partner="kabul"]');
    const suspension = kabul.getByTestId('suspension');
    await suspension.getByLabel('Reason').fill('Reports of reprisals against detainees');
    await suspension.getByRole('button', { name: 'Suspend releases' }).click();
    await suspension.getByRole('alertdialog').waitFor();
    await shot(one, '07-suspend-confirmation');
    await suspension.getByRole('button', { name: 'Confirm' }).click();
    await kabul.locator('.badge.bad').filter({ hasText: 'suspended' }).waitFor();
    const recall = kabul.getByTestId('recall');
    await recall.getByLabel('Object id').fill(ISISK);
    await recall.getByLabel('Reason').fill('Assurance in doubt after the reports');
    expect(await submit(recall, 'Recall')).toMatch(/recalled [1-9]\d* object\(s\) from kabul/);
    await kabul.getByText(/^History/).click();
    const history = kabul.getByTestId('history');
    expect(await history.textContent()).toContain('officer-1');
    expect(await history.textContent()).toContain('Reports of reprisals against detainees');
    expect(await history.textContent()).toContain('First agreement, on the liaison officer request');
    await shot(one, '08-suspended-and-recalled');

    // Every change landed in the ledger with who made it, each approval with how they signed in.
    // Read whole, opened as an overseer would: the leaves hold no actor.
    const entries = Array.from({ length: hub.ledger.size() }, (_, i) => {
      const row = hub.ledger.readEntry(i);
      const opened = row && openStoredEntry(row.bytes, row.opening);
      if (!opened?.ok) throw new Error(`ledger entry ${i} does not open`);
      return opened.entry as { kind: string; actor: string; details?: { auth?: string; reason?: string } };
    });
    const by = (kind: string) => entries.filter((e) => e.kind === kind).map((e) => e.actor);
    expect(by('partner-change')).toContain('admin');
    expect(by('agreement-change')).toContain('admin');
    expect(entries.find((e) => e.kind === 'agreement-change')?.details?.reason).toBe(
      'First agreement, on the liaison officer request',
    );
    expect(by('condition-change')).toEqual(expect.arrayContaining(['admin', 'officer-1']));
    expect(by('approval').sort()).toEqual(['officer-1', 'officer-2']);
    expect(entries.filter((e) => e.kind === 'approval').every((e) => e.details?.auth === 'password')).toBe(
      true,
    );
    expect(by('recall')).toContain('officer-1');
  });
});
