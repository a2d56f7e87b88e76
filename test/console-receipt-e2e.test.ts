import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleScenario } from '../src/app/console-demo.js';
import type { SqliteHub as Hub } from '../src/app/hub.js';
import { loadLedgerSigner, verifierKeyOf } from '../src/app/ledger-key.js';
import { witnessTargetsOf } from '../src/app/witness-config.js';
import { WitnessPusher } from '../src/app/witness-push.js';
import { verifyWitnessedReceipt } from '../src/ledger/ledger-receipt-witnessed.js';
import { parseWitnessLogs } from '../src/witness/witness-logs.js';
import { createWitnessServer } from '../src/witness/witness-server.js';
import { WitnessState } from '../src/witness/witness-state.js';
import { testWitnessKey } from '../src/witness/witness-test-log.js';
import { launchChromium } from './chromium-fixture.js';
import { buildConsoleServer, openDemoHub, passwordOf } from './console-fixture.js';
import { REPO_ROOT, tempDir } from './run-cli.js';

// A receipt decoded and verified by the console in real Chromium (WebCrypto), for a hub whose
// checkpoints two real witnesses cosigned. Screenshots go to test-artifacts/console-receipt/.
const SHOTS = join(REPO_ROOT, 'test-artifacts', 'console-receipt');
const work = tempDir('tearline-console-receipt-');

let hub: Hub;
let scenario: ConsoleScenario;
let app: FastifyInstance;
let browser: Browser;
let page: Page;
let base: string;
let hubKey = '';
let releaseId = '';
const witnesses: { key: string; server: Server; state: WitnessState }[] = [];
const foreign: string[] = [];

async function startWitness(name: string, seed: number, logKey: string) {
  const w = testWitnessKey(name, seed);
  const state = new WitnessState(join(work, `${seed}.db`));
  const logs = parseWitnessLogs([`tearline.local=${logKey}`]);
  if (!logs.ok) throw new Error(logs.message);
  const server = createWitnessServer({
    state,
    cosigner: w.cosigner,
    logs: logs.logs,
    now: () => new Date(),
  }) as Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  witnesses.push({ key: w.key, server, state });
  return { url: `http://127.0.0.1:${address.port}`, key: w.key };
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  ({ hub, scenario } = await openDemoHub(async (paths) => {
    const signer = loadLedgerSigner(paths, 'tearline.local');
    if (!signer.ok) throw new Error(signer.message);
    hubKey = verifierKeyOf(signer.signer);
    const config = JSON.parse(readFileSync(paths.config, 'utf8'));
    config.witnesses = [
      await startWitness('w.example/a', 31, hubKey),
      await startWitness('w.example/b', 32, hubKey),
    ];
    writeFileSync(paths.config, JSON.stringify(config));
  }));
  const pushed = await new WitnessPusher({
    ledger: hub.ledgerService,
    cosignatures: hub.cosignatures,
    witnesses: witnessTargetsOf(hub.config),
    now: () => hub.clock.now(),
  }).pushAll();
  if (!pushed.every((r) => r.ok)) throw new Error(JSON.stringify(pushed));
  const row = await hub.sql.get<{ release_id: string }>(
    "SELECT r.release_id FROM release_records r JOIN partners p ON p.id = r.partner_id WHERE p.name = 'allied-service' ORDER BY r.ledger_index LIMIT 1",
  );
  releaseId = row?.release_id ?? '';
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
  for (const w of witnesses) {
    w.server.closeAllConnections();
    await new Promise<void>((resolve) => w.server.close(() => resolve()));
    w.state.close();
  }
  hub?.close();
});

async function checkReceipt(pasted?: string, witnessKeys?: string) {
  const form = page.locator('form.receipt-form');
  await form.getByLabel('Release id').fill(pasted ? '' : releaseId);
  await form.getByLabel('or paste a receipt').fill(pasted ?? '');
  if (witnessKeys !== undefined) await form.getByLabel('Witness keys, one a line').fill(witnessKeys);
  await form.getByRole('button', { name: 'Check receipt' }).click();
  return page.getByTestId('receipt-verdict');
}

describe('a receipt verified in the browser', () => {
  it('serves partners the cosigned checkpoint and receipts carrying both cosignatures', async () => {
    const token = scenario.partners.find((p) => p.name === 'allied-service')?.token;
    const auth = { authorization: `Bearer ${token}` };
    const checkpoint = await (await fetch(`${base}/ledger/checkpoint`, { headers: auth })).text();
    expect(checkpoint).toMatch(/\n\u2014 w\.example\/a \S+\n\u2014 w\.example\/b \S+\n$/u);
    const res = await fetch(`${base}/ledger/receipts/${releaseId}`, { headers: auth });
    expect(res.status).toBe(200);
    const receipt = await res.text();
    const verified = verifyWitnessedReceipt(receipt, hubKey, {
      witnesses: witnesses.map((w) => w.key),
      quorum: 2,
    });
    expect(verified.ok && verified.entry.kind).toBe('release');
  });

  it('decodes the entry and checks the hub signature, the inclusion proof and both cosignatures', async () => {
    await page.goto(`${base}/#/ledger`);
    await page.getByLabel('User name').fill('overseer');
    await page.getByLabel('Password').fill(passwordOf(scenario, 'overseer'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByTestId('cosigned-by')
      .filter({ hasText: 'Cosigned by w.example/a, w.example/b.' })
      .waitFor();
    const verdict = await checkReceipt();
    await verdict.filter({ hasText: 'Verified in this browser' }).waitFor();
    expect(await verdict.textContent()).toContain('cosigned by 2 witnesses');
    const view = page.getByTestId('receipt-view');
    expect(await view.locator('[data-field="kind"] dd').textContent()).toBe('release');
    expect(await view.locator('[data-check="hub-signature"]').getAttribute('data-state')).toBe('good');
    expect(await view.locator('[data-check="inclusion"]').getAttribute('data-state')).toBe('good');
    expect(await view.locator('[data-check="witness"][data-state="good"]').count()).toBe(2);
    await page.screenshot({ path: join(SHOTS, '01-receipt-verified.png'), fullPage: true });
  });

  it('refuses a tampered receipt pasted in, and a quorum the checkpoint does not meet', async () => {
    const receipt = JSON.parse(
      await (await page.request.get(`${base}/api/ledger/receipt?release=${releaseId}`)).text(),
    ).receipt as { index: number; checkpoint: string };
    const moved = JSON.stringify({ ...receipt, index: receipt.index + 1 });
    const verdict = await checkReceipt(moved);
    await verdict.filter({ hasText: 'Not verified' }).waitFor();
    const view = page.getByTestId('receipt-view');
    expect(await view.locator('[data-check="inclusion"]').getAttribute('data-state')).toBe('bad');
    expect(await view.locator('[data-check="hub-signature"]').getAttribute('data-state')).toBe('good');
    await page.screenshot({ path: join(SHOTS, '02-receipt-tampered.png'), fullPage: true });
    // A witness that did not cosign (a third key) is shown as missing.
    const third = testWitnessKey('w.example/c', 33).key;
    await checkReceipt(JSON.stringify(receipt), [...witnesses.map((w) => w.key), third].join('\n'));
    await verdict.filter({ hasText: 'Not verified' }).waitFor();
    expect(await view.locator('[data-check="witness"][data-state="missing"]').textContent()).toContain(
      'No cosignature from witness w.example/c',
    );
    // A cosignature cut out of the checkpoint, with the two keys: missing again.
    const cut = receipt.checkpoint.replace(/\u2014 w\.example\/b \S+\n/u, '');
    await checkReceipt(
      JSON.stringify({ ...receipt, checkpoint: cut }),
      witnesses.map((w) => w.key).join('\n'),
    );
    await verdict.filter({ hasText: 'Not verified: 1 check failed' }).waitFor();
    expect(foreign).toEqual([]);
  });
});
