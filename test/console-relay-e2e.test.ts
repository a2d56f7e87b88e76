// Issue 25 in the console: the demo's allied service reached through a relay (a real relay server
// on loopback), some envelopes delivered and some not; the partner page shows the route, the last
// push and acknowledgement, and each release's delivery status, read over /api/.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleScenario } from '../src/app/console-demo.js';
import type { SqliteHub as Hub } from '../src/app/hub.js';
import { loadLedgerSigner, verifierKeyOf } from '../src/app/ledger-key.js';
import { sendFeedback } from '../src/app/relay-feedback.js';
import { pushToRelay } from '../src/app/relay-push.js';
import { buildRelayServer } from '../src/app/relay-server.js';
import { releaseStoresOf } from '../src/app/release-stores.js';
import { mailboxIdOf } from '../src/relay/relay-envelope.js';
import { formatSealingPublicKey } from '../src/relay/relay-keys.js';
import { testHubKeys } from '../src/relay/relay-test-keys.js';
import { recallRelease } from '../src/release/release-recall.js';
import type { RelayDeliveryView } from '../src/store/console-shapes.js';
import { RelayMailStore } from '../src/store/hub/relay-mail-store.js';
import { RelayOutboxStore } from '../src/store/hub/relay-outbox-store.js';
import { TAXII_MEDIA_TYPE } from '../src/taxii/taxii-media.js';
import { launchChromium } from './chromium-fixture.js';
import { buildConsoleServer, openDemoHub, passwordOf } from './console-fixture.js';
import { type EngineHub, openSqliteEngineHub } from './hub-engines.js';
import { REPO_ROOT } from './run-cli.js';

const SHOTS = join(REPO_ROOT, 'test-artifacts', 'console-relay-e2e');
const PARTNER = 'allied-service';
const RECIPIENT = 'ally.example';

let hub: Hub;
let scenario: ConsoleScenario;
let relayHub: EngineHub;
let relay: FastifyInstance;
let relayUrl: string;
let app: FastifyInstance;
let browser: Browser;
let page: Page;
let base: string;
let partnerId = '';

beforeAll(async () => {
  if (!existsSync(join(REPO_ROOT, 'web', 'dist', 'index.html')))
    throw new Error('web/dist is missing: npm run build:web');
  mkdirSync(SHOTS, { recursive: true });
  ({ hub, scenario } = await openDemoHub());
  const partner = await hub.state.partners.get(PARTNER);
  if (!partner) throw new Error('no demo partner');
  partnerId = partner.id;
  // The relay knows the agency's hub by its ledger key and the ally's hub; the ally's sealing key
  // comes from fixed test seeds (its hub is not needed to show the sender's side).
  relayHub = await openSqliteEngineHub();
  const mail = new RelayMailStore(relayHub.hub.sql);
  const signer = loadLedgerSigner(hub.paths, hub.config.hub_name);
  if (!signer.ok) throw new Error(signer.message);
  const sender = await mail.addHub(hub.config.hub_name, verifierKeyOf(signer.signer), relayHub.clock.now());
  const ally = await testHubKeys(RECIPIENT, 41);
  const recipient = await mail.addHub(RECIPIENT, 'unused+00000000+AQ==', relayHub.clock.now());
  if (!sender.ok || !recipient.ok) throw new Error('relay hubs');
  await mail.link(hub.config.hub_name, RECIPIENT, relayHub.clock.now());
  relay = buildRelayServer(relayHub.hub, { failedLoginDelayMs: 0 });
  await relay.listen({ host: '127.0.0.1', port: 0 });
  const ra = relay.server.address();
  relayUrl = `http://127.0.0.1:${typeof ra === 'object' && ra ? ra.port : 0}/`;
  await new RelayOutboxStore(hub.sql).setRoute(
    {
      partnerId,
      relayUrl,
      recipient: RECIPIENT,
      recipientKey: formatSealingPublicKey(RECIPIENT, ally.sealing.key),
    },
    hub.clock.now(),
  );
  // Envelopes of 5 copies; the ally fetches only the first page of 2, then the agency pushes
  // again and learns which were delivered.
  await pushToRelay(hub, partner, sender.token, { envelopeObjects: 5 });
  const first = await fetch(
    new URL(
      `taxii2/relay/collections/${mailboxIdOf(hub.config.hub_name, RECIPIENT)}/objects/?limit=2`,
      relayUrl,
    ),
    { headers: { Accept: TAXII_MEDIA_TYPE, Authorization: `Bearer ${recipient.token}` } },
  );
  expect(first.status).toBe(200);
  await pushToRelay(hub, partner, sender.token, { envelopeObjects: 5 });
  // Then a recall, pushed with a token the relay does not know: the envelope carrying the revoked
  // version is sealed, its post refused (401), and the agency keeps the refusal.
  const oldest = await hub.sql.get<{ original_id: string }>(
    'SELECT original_id FROM release_records WHERE partner_id = ? ORDER BY released_at, release_id LIMIT 1',
    [partnerId],
  );
  const recalled = await recallRelease(
    releaseStoresOf(hub),
    partnerId,
    oldest?.original_id ?? '',
    'source at risk',
    'officer',
    hub.clock.now(),
  );
  expect(recalled.ok).toBe(true);
  await expect(pushToRelay(hub, partner, 'trl_not-this-hubs-token', { envelopeObjects: 5 })).rejects.toThrow(
    /401/,
  );

  // Sightings sent back to the ally's hub with a token the relay does not know: refused (401) and
  // kept, as a refused push is, for the console's feedback section.
  const t = hub.clock.now().toISOString();
  await expect(
    sendFeedback(hub, relayUrl, 'trl_not-this-hubs-token', ally.sealing, [
      {
        type: 'sighting',
        spec_version: '2.1',
        id: `sighting--${crypto.randomUUID()}`,
        created: t,
        modified: t,
        sighting_of_ref: `indicator--${crypto.randomUUID()}`,
      },
    ]),
  ).rejects.toThrow(/401/);

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
  await relay?.close();
  await relayHub?.close();
  hub?.close();
});

async function signIn(name: string): Promise<void> {
  await page.goto(`${base}/#/partners`);
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(passwordOf(scenario, name));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

describe('a partner reached via a relay, in the console', () => {
  it('the API gives the route, last push, last sequence acknowledged and each release’s delivery', async () => {
    await signIn('overseer');
    const res = await page.request.get(`${base}/api/partners/${partnerId}/relay`);
    expect(res.status()).toBe(200);
    const { via } = (await res.json()) as { via: RelayDeliveryView };
    const outbox = await new RelayOutboxStore(hub.sql).list(partnerId);
    expect(outbox.length).toBeGreaterThan(2);
    expect(via).toMatchObject({
      relayUrl,
      recipient: RECIPIENT,
      envelopes: outbox.length,
      lastDelivered: 2,
      lastPush: expect.any(String),
    });
    const released = await hub.sql.all<{ release_id: string }>(
      'SELECT release_id FROM release_records WHERE partner_id = ?',
      [partnerId],
    );
    expect(new Set(via.releases.map((r) => r.releaseId))).toEqual(new Set(released.map((r) => r.release_id)));
    // Envelopes 1-2 were served to the ally; the rest were taken by the relay, with its receipt.
    for (const r of via.releases) {
      expect(r.sequence).not.toBeNull();
      expect(r.relayIndex).not.toBeNull();
      expect(r.status).toBe((r.sequence ?? 0) <= 2 ? 'delivered' : 'handed-to-relay');
    }
    expect(via.releases.some((r) => r.status === 'delivered')).toBe(true);
    expect(via.releases.some((r) => r.status === 'handed-to-relay')).toBe(true);
    // The refused post of the recall's envelope is listed until a push has the relay take it.
    expect(via.unposted).toBe(1);
    expect(via.refusedPosts).toEqual([
      {
        sequence: outbox.length,
        reason: 'unauthenticated',
        message: expect.stringMatching(/\(401\)/),
        attemptedAt: expect.any(String),
        resolvedAt: null,
      },
    ]);
    // Kabul is not reached through a relay.
    const kabul = await hub.state.partners.get('kabul-authorities');
    const none = await page.request.get(`${base}/api/partners/${kabul?.id}/relay`);
    expect(await none.json()).toMatchObject({ via: null });
    expect((await page.request.get(`${base}/api/partners/nope/relay`)).status()).toBe(404);
  });

  it('the partner page shows the relay route and the delivery status of each release', async () => {
    await page.goto(`${base}/#/partners`);
    const card = page.locator(`section[data-partner="${PARTNER}"]`);
    const panel = card.getByRole('region', { name: `relay route of ${PARTNER}` });
    await panel.waitFor();
    await expect.poll(() => panel.textContent()).toContain(`Reached via ${relayUrl} as ${RECIPIENT}`);
    expect(await panel.textContent()).toMatch(/last sequence acknowledged 2\./);
    const delivered = await panel.locator('tr[data-status="delivered"]').count();
    const handed = await panel.locator('tr[data-status="handed-to-relay"]').count();
    expect(delivered).toBeGreaterThan(0);
    expect(handed).toBeGreaterThan(0);
    expect(await panel.locator('tr[data-status="delivered"]').first().textContent()).toMatch(
      /delivered#[12]relay ledger entry \d+/,
    );
    const refused = panel.locator('[data-problem="refused-posts"] li[data-reason="unauthenticated"]');
    expect(await refused.count()).toBe(1);
    expect(await refused.textContent()).toMatch(/envelope #\d+, unauthenticated: relay refused .*\(401\)/);
    // Only the partner reached through a relay has the panel.
    expect(await page.locator('section[data-partner="kabul-authorities"] [data-relay]').count()).toBe(0);
    await card.screenshot({ path: join(SHOTS, 'partner-via-relay.png') });
  });

  it('lists feedback the relay refused, per hub it was for, over the API and on the partners page', async () => {
    const res = await page.request.get(`${base}/api/relay/feedback`);
    expect(res.status()).toBe(200);
    expect(await res.json()).toEqual({
      hubs: [
        {
          hub: RECIPIENT,
          envelopes: 1,
          unposted: 1,
          lastPost: null,
          refusedPosts: [
            {
              sequence: 1,
              reason: 'unauthenticated',
              message: expect.stringMatching(/\(401\)/),
              attemptedAt: expect.any(String),
              resolvedAt: null,
            },
          ],
        },
      ],
    });
    await page.goto(`${base}/#/partners`);
    const section = page.getByRole('region', { name: 'feedback through a relay' });
    await section.waitFor();
    const hubPart = section.locator(`[data-feedback-hub="${RECIPIENT}"]`);
    expect(await hubPart.textContent()).toMatch(
      /1 envelope of sightings sealed, last taken by the relay never/,
    );
    const refused = hubPart.locator('[data-problem="refused-posts"] li[data-reason="unauthenticated"]');
    expect(await refused.count()).toBe(1);
    expect(await refused.textContent()).toMatch(/envelope #1, unauthenticated: relay refused .*\(401\)/);
    await section.screenshot({ path: join(SHOTS, 'relay-feedback-refused.png') });
  });
});
