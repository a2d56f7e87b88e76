// Done-when of issue 15: a partner's sighting becomes intel only through the console. The Kabul
// authorities submit a sighting over TAXII; an analyst promotes it in Chromium; two release
// officers, each in a browser context of their own, approve its release to the allied service
// (whose agreement asks for two); the ally then receives it over TAXII, never naming Kabul.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allyAgreement, kabulAgreement } from '../src/app/console-demo.js';
import { tlp2MarkingId } from '../src/stix/markings-tlp.js';
import type { JsonObject } from '../src/stix/types.js';
import { SUBMISSION_PROVENANCE_EXTENSION_ID } from '../src/tearline/tearline-provenance.js';
import { launchChromium } from './chromium-fixture.js';
import { passwordOf } from './console-fixture.js';
import { openRedTeam, type RedTeam } from './redteam-fixture.js';
import { REPO_ROOT } from './run-cli.js';

const SHOTS = join(REPO_ROOT, 'test-artifacts', 'console-submissions-e2e');
const RELEASES = '/taxii2/hub/collections/releases/objects/';

let t: RedTeam;
let browser: Browser;
const contexts: BrowserContext[] = [];
let indicatorOriginal = '';
let sighting: JsonObject;
let promotedId = '';

async function signedIn(name: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${t.base}/#/submissions`);
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(passwordOf(t.scenario, name));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

async function feedOf(who: RedTeam['ally']): Promise<JsonObject[]> {
  const res = await t.call(who, `${RELEASES}?match[version]=all`);
  expect(res.status).toBe(200);
  return (JSON.parse(res.body) as { objects?: JsonObject[] }).objects ?? [];
}

beforeAll(async () => {
  if (!existsSync(join(REPO_ROOT, 'web', 'dist', 'index.html')))
    throw new Error('web/dist is missing: npm run build:web');
  mkdirSync(SHOTS, { recursive: true });
  t = await openRedTeam();
  const set = await t.hub.state.agreements.set(
    t.ally.id,
    // The demo's allied service, now with two officers' approval for every release.
    allyAgreement(t.clock.now().getTime(), 'two'),
    { actor: 'test', now: t.clock.now(), reason: 'test' },
  );
  if (!set.ok) throw new Error(set.errors.map((e) => e.message).join('; '));
  // Kabul consents to its promoted submissions going on naming the hub only (issue 23); without
  // consent (the default) nothing promoted from them would reach the ally at all.
  const consent = await t.hub.state.agreements.set(
    t.kabul.id,
    `${kabulAgreement(t.clock.now().getTime())}submitter_consent: hub-only\n`,
    { actor: 'test', now: t.clock.now(), reason: 'test: Kabul consents to hub-only re-sharing' },
  );
  if (!consent.ok) throw new Error(consent.errors.map((e) => e.message).join('; '));
  // An indicator both partners hold: Kabul sights it, under the id Kabul was given.
  const row = await t.hub.state.sql.get<{ original_id: string; object_id: string }>(
    `SELECT k.original_id, k.object_id FROM releases k JOIN releases a ON a.original_id = k.original_id
      WHERE k.partner_id = ? AND a.partner_id = ? AND k.type = 'indicator' ORDER BY k.rid LIMIT 1`,
    [t.kabul.id, t.ally.id],
  );
  if (!row) throw new Error('no indicator released to both partners');
  indicatorOriginal = row.original_id;
  sighting = {
    type: 'sighting',
    spec_version: '2.1',
    id: `sighting--${randomUUID()}`,
    created: '2026-11-29T06:00:00.000Z',
    modified: '2026-11-29T06:00:00.000Z',
    created_by_ref: t.kabul.id,
    sighting_of_ref: row.object_id,
    where_sighted_refs: [t.kabul.id],
    first_seen: '2026-11-28T20:00:00Z',
    last_seen: '2026-11-28T23:00:00Z',
    count: 4,
    description: 'Seen on a handset seized at a checkpoint near Jalalabad',
    object_marking_refs: [tlp2MarkingId('green')],
  };
  const posted = await t.call(t.kabul, '/taxii2/hub/collections/submissions/objects/', {
    objects: [sighting],
  });
  expect(JSON.parse(posted.body).success_count).toBe(1);
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await t?.close();
});

describe('promoting a partner’s sighting from the console', () => {
  it('an analyst sees who sent it and when, and promotes it into intel', async () => {
    await t.runPipeline();
    expect((await feedOf(t.ally)).some((o) => o.type === 'sighting' && o.count === 4)).toBe(false);
    const page = await signedIn('analyst');
    const card = page.locator('section.submission[data-type="sighting"]');
    await card.waitFor();
    expect(await card.textContent()).toContain('kabul-authorities');
    await card.getByText(/^Content/).click();
    await card.locator('pre').filter({ hasText: indicatorOriginal }).waitFor();
    await page.screenshot({ path: join(SHOTS, '01-submission.png'), fullPage: true });
    await card.getByRole('button', { name: 'Promote to intel' }).click();
    const status = page.locator('p.done').filter({ hasText: 'promoted as' });
    await status.waitFor();
    promotedId = /promoted as (sighting--[0-9a-f-]+)/.exec((await status.textContent()) ?? '')?.[1] ?? '';
    expect(promotedId).not.toBe('');
    expect(promotedId).not.toBe(sighting.id);
    await page.screenshot({ path: join(SHOTS, '02-promoted.png'), fullPage: true });
    // The object page says whose submission it was and what Kabul's consent lets copies say.
    await page.goto(`${t.base}/#/object/${encodeURIComponent(promotedId)}`);
    const provenance = page.getByTestId('provenance');
    await provenance.waitFor();
    expect(await provenance.textContent()).toMatch(
      /kabul-authorities.*hub only: promoted submissions go to other partners naming the hub/,
    );
    // And the partner page shows the consent beside the rest of Kabul's agreement.
    await page.goto(`${t.base}/#/partners`);
    const kabulCard = page.locator('section[data-partner="kabul-authorities"]');
    await kabulCard.getByText('Submitter consent').waitFor();
    expect(await kabulCard.textContent()).toContain('hub only: promoted submissions go to other partners');
    // The hub's worker picks it up as any intel: the ally's agreement asks two officers.
    await t.runPipeline();
    const queue = (
      (await (await page.request.get(`${t.base}/api/queue?size=200`)).json()) as {
        items: { object_id: string; partner: string; author: string }[];
      }
    ).items;
    // Queued for each partner whose agreement takes it, with the analyst as its importer.
    const items = queue.filter((i) => i.object_id === promotedId);
    expect(items).toContainEqual(expect.objectContaining({ partner: 'allied-service', author: 'analyst' }));
    expect(items.every((i) => i.author === 'analyst')).toBe(true);
  });

  it('takes two officers, each in a browser of their own, to release it; the ally gets it without Kabul’s name', async () => {
    const first = await signedIn('officer-1');
    const second = await signedIn('officer-2');
    const approve = async (page: Page, shot: string) => {
      await page.goto(`${t.base}/#/queue`);
      const item = page
        .locator(`section.queue-item[data-object="${promotedId}"]`)
        .filter({ hasText: 'allied-service' });
      await item.getByRole('button', { name: 'Approve' }).click();
      const done = page.locator('p.done').filter({ hasText: 'approvals' });
      await done.waitFor();
      await page.screenshot({ path: join(SHOTS, shot), fullPage: true });
      return (await done.textContent()) ?? '';
    };
    expect(await approve(first, '03-first-officer.png')).toContain('1/2 approvals');
    expect((await feedOf(t.ally)).some((o) => o.type === 'sighting' && o.count === 4)).toBe(false);
    expect(await approve(second, '04-second-officer.png')).toContain('released (2/2 approvals)');

    const received = (await feedOf(t.ally)).filter((o) => o.type === 'sighting' && o.count === 4);
    expect(received).toHaveLength(1);
    const copy = received[0] as JsonObject;
    const allyIndicator = await t.hub.state.sql.get<{ object_id: string }>(
      'SELECT object_id FROM releases WHERE partner_id = ? AND original_id = ?',
      [t.ally.id, indicatorOriginal],
    );
    expect(copy.sighting_of_ref).toBe(allyIndicator?.object_id);
    // Where it was sighted: the hub, in Kabul's place.
    expect(copy.where_sighted_refs).toEqual([copy.created_by_ref]);
    const text = JSON.stringify(copy);
    for (const secret of [
      t.kabul.id,
      t.kabul.name,
      'kabul',
      sighting.id as string,
      sighting.sighting_of_ref as string,
      SUBMISSION_PROVENANCE_EXTENSION_ID,
      promotedId,
    ]) {
      expect(text.toLowerCase(), secret).not.toContain(secret.toLowerCase());
    }
  });
});
