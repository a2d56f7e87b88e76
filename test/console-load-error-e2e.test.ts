import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleScenario } from '../src/app/console-demo.js';
import type { SqliteHub as Hub } from '../src/app/hub.js';
import { launchChromium } from './chromium-fixture.js';
import { buildConsoleServer, openDemoHub, passwordOf } from './console-fixture.js';
import { REPO_ROOT } from './run-cli.js';

// Real Chromium against the real server: when the console cannot load who is signed in, only a
// 401 sends the user to the sign-in screen; any other failure (here a real database error) is
// shown as an error with a way to try again, and the session survives it.
let hub: Hub;
let scenario: ConsoleScenario;
let app: FastifyInstance;
let browser: Browser;
let page: Page;
let base: string;

beforeAll(async () => {
  if (!existsSync(join(REPO_ROOT, 'web', 'dist', 'index.html')))
    throw new Error('web/dist is missing: npm run build:web');
  ({ hub, scenario } = await openDemoHub());
  app = buildConsoleServer(hub);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  base = `http://127.0.0.1:${address.port}`;
  browser = await launchChromium();
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  hub?.close();
});

describe('console load errors', () => {
  it('a 401 shows the sign-in screen, any other failure an error, and trying again recovers', async () => {
    await page.goto(`${base}/#/threat`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);

    const name = scenario.users[0]?.name ?? 'analyst';
    await page.getByLabel('User name').fill(name);
    await page.getByLabel('Password').fill(passwordOf(scenario, name));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    // The sessions table goes missing: /api/me fails with a server error, not a 401.
    hub.db.exec('ALTER TABLE console_sessions RENAME TO console_sessions_away');
    await page.reload();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('The console could not load');
    expect(await alert.textContent()).toMatch(/HTTP 5\d\d/);
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(0);

    // The database is back: trying again finds the same session, no new sign-in needed.
    hub.db.exec('ALTER TABLE console_sessions_away RENAME TO console_sessions');
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
  });
});
