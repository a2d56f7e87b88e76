import { spawn } from 'node:child_process';
import { request } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_THROTTLE_POLICY, promisedMs, type ThrottlePolicy } from '../src/access/access-throttle.js';
import type { ConsoleScenario } from '../src/app/console-demo.js';
import { type SqliteHub as Hub, openHub } from '../src/app/hub.js';
import { buildServer } from '../src/app/server.js';
import { LENIENT_THROTTLE } from './auth-fixture.js';
import { openDemoHub, passwordOf } from './console-fixture.js';
import { REPO_ROOT } from './run-cli.js';
import { basic, TAXII } from './taxii-fixture.js';

// Issue 15, findings 5 and 7, as a hostile partner or insider would try them against a real
// server on loopback with the demo scenario loaded: guessing in parallel on every surface, the
// right secret during a lockout, user enumeration, and credentials that outlive a disable.

/** The real shape of the throttle with small numbers, so a lockout takes about a second. */
const RED: ThrottlePolicy = {
  ...DEFAULT_THROTTLE_POLICY,
  baseMs: 40,
  capMs: 320,
  account: { lockAfter: 6, decayMs: 3_600_000 },
  address: { lockAfter: 100_000, lockMs: 60_000, decayMs: 3_600_000 },
};
const GUESSES = 100;

let hub: Hub;
let scenario: ConsoleScenario;
let app: FastifyInstance;
let base: string;

async function start(policy: ThrottlePolicy): Promise<void> {
  ({ hub, scenario } = await openDemoHub());
  app = buildServer(hub, { throttle: policy, pageCache: { maxEntries: 100, maxBytes: 1 << 24 } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  base = `http://127.0.0.1:${address.port}`;
}

afterEach(async () => {
  await app?.close();
  hub?.close();
});

const login = (name: string, password: string) =>
  fetch(`${base}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });

async function signInAs(name: string): Promise<{ cookie: string; csrf: string }> {
  const res = await login(name, passwordOf(scenario, name));
  expect(res.status).toBe(200);
  return {
    cookie: String(res.headers.get('set-cookie')).split(';')[0] as string,
    csrf: ((await res.json()) as { csrf: string }).csrf,
  };
}

async function unlockAsAdmin(key: string): Promise<void> {
  const admin = await signInAs('admin');
  const res = await fetch(`${base}/api/locks/unlock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: admin.cookie, 'x-csrf-token': admin.csrf },
    body: JSON.stringify({ key }),
  });
  expect(await res.json()).toEqual({ key, unlocked: true });
}

/** A console sign-in from another loopback address (Linux routes all of 127/8 to this host). */
function loginFrom(localAddress: string, name: string, password: string): Promise<number> {
  const body = JSON.stringify({ name, password });
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/api/login`,
      { method: 'POST', localAddress, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const taxiiGet = (auth: string, path = '/taxii2/') =>
  fetch(`${base}${path}`, { headers: { accept: TAXII, authorization: auth } });

const authEvents = (account: string) =>
  hub.db.prepare('SELECT event, actor FROM auth_events WHERE account = ? ORDER BY seq').all(account) as {
    event: string;
    actor: string | null;
  }[];

/** Fires `n` attempts at once; resolves with their statuses and how long the burst took. */
async function burst(
  n: number,
  attempt: () => Promise<Response>,
): Promise<{ statuses: number[]; ms: number }> {
  const t0 = performance.now();
  const statuses = await Promise.all(Array.from({ length: n }, async () => (await attempt()).status));
  return { statuses, ms: performance.now() - t0 };
}

describe('red team: guessing credentials in parallel (issue 15, finding 5)', () => {
  it('console: 100 parallel wrong passwords take the promised back-off, lock the account, and the right password then fails until an admin unlocks', async () => {
    await start(RED);
    const { statuses, ms } = await burst(GUESSES, () => login('officer-1', 'a wrong password guess'));
    expect(ms).toBeGreaterThanOrEqual(promisedMs(RED, 'account'));
    expect(statuses.filter((s) => s === 401)).toHaveLength(RED.account.lockAfter);
    expect(statuses.filter((s) => s === 429)).toHaveLength(GUESSES - RED.account.lockAfter);
    const right = await login('officer-1', passwordOf(scenario, 'officer-1'));
    expect(right.status).toBe(429);
    expect(((await right.json()) as { message: string }).message).toContain('locked');
    // Every failure is in the audit log, with the lock and each refusal during it.
    const events = authEvents('officer-1').map((e) => e.event);
    expect(events.filter((e) => e === 'login-failed')).toHaveLength(RED.account.lockAfter);
    expect(events).toContain('locked');
    expect(events.filter((e) => e === 'refused-locked').length).toBeGreaterThanOrEqual(
      GUESSES - RED.account.lockAfter,
    );

    await unlockAsAdmin('acct:officer-1');
    expect(authEvents('officer-1').at(-1)).toEqual({ event: 'unlocked', actor: 'admin' });
    expect(await hub.state.users.events('officer-1')).toContainEqual(
      expect.objectContaining({ action: 'unlock', actor: 'admin' }),
    );
    const ledger = hub.db
      .prepare("SELECT count(*) AS n FROM ledger_entries WHERE kind = 'user-change' AND actor = 'admin'")
      .get() as { n: number };
    expect(ledger.n).toBeGreaterThan(0);
    expect((await login('officer-1', passwordOf(scenario, 'officer-1'))).status).toBe(200);
  });

  it('TAXII: 100 parallel wrong tokens for a partner name lock it, even against a credential the server had cached', async () => {
    await start(RED);
    const token = scenario.partners.find((p) => p.name === 'allied-service')?.token as string;
    const good = basic('allied-service', token);
    expect((await taxiiGet(good)).status).toBe(200);
    const { statuses, ms } = await burst(GUESSES, () =>
      taxiiGet(basic('allied-service', `tl_${'x'.repeat(43)}`)),
    );
    expect(ms).toBeGreaterThanOrEqual(promisedMs(RED, 'account'));
    expect(statuses.filter((s) => s === 401)).toHaveLength(RED.account.lockAfter);
    expect(statuses.filter((s) => s === 429)).toHaveLength(GUESSES - RED.account.lockAfter);
    expect((await taxiiGet(good)).status).toBe(429);
    await unlockAsAdmin('acct:allied-service');
    expect((await taxiiGet(good)).status).toBe(200);
  });

  it('/ledger/: 100 parallel wrong passwords for an overseer lock the account; the right one is refused meanwhile', async () => {
    await start(RED);
    const good = basic('overseer', passwordOf(scenario, 'overseer'));
    const ledger = (auth: string) => fetch(`${base}/ledger/checkpoint`, { headers: { authorization: auth } });
    const { statuses, ms } = await burst(GUESSES, () => ledger(basic('overseer', 'a wrong password guess')));
    expect(ms).toBeGreaterThanOrEqual(promisedMs(RED, 'account'));
    expect(statuses.filter((s) => s === 401)).toHaveLength(RED.account.lockAfter);
    expect(statuses.filter((s) => s === 429)).toHaveLength(GUESSES - RED.account.lockAfter);
    expect((await ledger(good)).status).toBe(429);
    await unlockAsAdmin('acct:overseer');
    expect((await ledger(good)).status).toBe(200);
  });

  it('CLI sign-in: 100 concurrent wrong passwords from ten processes take the back-off and lock the account', {
    timeout: 180_000,
  }, async () => {
    // What `tearline login` runs after reading the password (login-command.ts), ten attempts at
    // once in each of ten processes of the built code: each has its own connection and HubAuth,
    // so nothing in one process queues another's attempts; only the shared table can.
    // (cli-login.test.ts runs 24 real binaries at once, the whole command each.)
    await start(RED);
    const script = `
      const [dir, policy, password] = process.argv.slice(1);
      const { openHub } = await import(${JSON.stringify(`${REPO_ROOT}dist/src/app/hub.js`)});
      const { HubAuth } = await import(${JSON.stringify(`${REPO_ROOT}dist/src/app/auth-sign-in.js`)});
      const hub = openHub(dir);
      const auth = new HubAuth(hub, JSON.parse(policy));
      const from = { osAccount: 'os:1000:guesser@host' };
      const rs = await Promise.all(Array.from({ length: 10 }, () =>
        auth.signIn('cli', { name: 'officer-2', password }, from)));
      hub.close();
      process.stdout.write(JSON.stringify(rs.map((r) => (r.ok ? 'ok' : r.code))));`;
    const guessFrom = (password: string) =>
      new Promise<string[]>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['--input-type=module', '-e', script, hub.paths.dir, JSON.stringify(RED), password],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
        });
        child.stderr.on('data', (d: Buffer) => {
          err += d.toString();
        });
        child.on('close', (code) =>
          code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(`exit ${code}: ${err}`)),
        );
      });
    const t0 = performance.now();
    const codes = (
      await Promise.all(Array.from({ length: GUESSES / 10 }, () => guessFrom('a wrong password guess')))
    ).flat();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(promisedMs(RED, 'account'));
    expect(codes).toHaveLength(GUESSES);
    expect(codes.filter((c) => c === 'failed')).toHaveLength(RED.account.lockAfter);
    expect(codes.filter((c) => c === 'locked')).toHaveLength(GUESSES - RED.account.lockAfter);
    expect((await guessFrom(passwordOf(scenario, 'officer-2'))).every((c) => c === 'locked')).toBe(true);
    expect(authEvents('officer-2').filter((e) => e.event === 'login-failed')).toHaveLength(
      RED.account.lockAfter,
    );
  });

  it('counts across surfaces: failures on TAXII and the console lock the same account', async () => {
    await start(RED);
    for (let i = 0; i < 3; i++)
      expect((await taxiiGet(basic('analyst', 'wrong password guess'))).status).toBe(401);
    for (let i = 0; i < 3; i++) expect((await login('analyst', 'wrong password guess')).status).toBe(401);
    expect((await login('analyst', passwordOf(scenario, 'analyst'))).status).toBe(429);
  });
});

describe('red team: a partner cannot lock our people out (issue 15)', () => {
  it("a partner's guesses at an officer's name over TAXII lock the partner out, not the officer; spread over many addresses they lock it for a while only", async () => {
    const policy: ThrottlePolicy = {
      ...RED,
      'account-wide': { lockAfter: 15, lockMs: 60_000, decayMs: 3_600_000, backoff: false },
    };
    await start(policy);
    // The partner guesses at admin's password with Basic auth, on its own credentials' surface.
    const { statuses } = await burst(30, () => taxiiGet(basic('admin', 'a wrong password guess')));
    expect(statuses.filter((s) => s === 401)).toHaveLength(policy.account.lockAfter);
    expect((await login('admin', passwordOf(scenario, 'admin'))).status).toBe(429);
    // The admin, from another address, signs in at once and sees the lock of that one source.
    expect(await loginFrom('127.0.0.2', 'admin', passwordOf(scenario, 'admin'))).toBe(200);
    expect(await hub.state.throttle.locks(Date.now())).toEqual([
      expect.objectContaining({ key: 'at:addr:127.0.0.1|admin', kind: 'account', account: 'admin' }),
    ]);
    // Guesses from three more addresses reach the account-wide count: locked everywhere, timed.
    for (const from of ['127.0.0.3', '127.0.0.4', '127.0.0.5'])
      for (let i = 0; i < 5; i++) await loginFrom(from, 'admin', 'a wrong password guess');
    expect(await loginFrom('127.0.0.2', 'admin', passwordOf(scenario, 'admin'))).toBe(429);
    const wide = (await hub.state.throttle.locks(Date.now())).find((l) => l.kind === 'account-wide');
    expect(wide?.key).toBe('acct:admin');
    expect(Date.parse(wide?.locked_until ?? '')).toBeLessThanOrEqual(Date.now() + 60_000);
    // acct:NAME lifts every lock of the account, from every source, in one audited step.
    await hub.state.throttle.unlockAccount('admin');
    expect(await loginFrom('127.0.0.2', 'admin', passwordOf(scenario, 'admin'))).toBe(200);
    expect((await login('admin', passwordOf(scenario, 'admin'))).status).toBe(200);
  });
});

describe('red team: no user enumeration', () => {
  it('answers an unknown name exactly as a wrong password, with similar work, and locks it the same way', async () => {
    await start(LENIENT_THROTTLE);
    const known: number[] = [];
    const unknown: number[] = [];
    const bodies = new Set<string>();
    for (let i = 0; i < 10; i++) {
      for (const [name, times] of [
        ['officer-2', known],
        [`ghost-${i}`, unknown],
      ] as const) {
        const t0 = performance.now();
        const res = await login(name, `wrong password number ${i}`);
        times.push(performance.now() - t0);
        expect(res.status).toBe(401);
        bodies.add(await res.text());
      }
    }
    expect(bodies.size).toBe(1);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    // Both pay one argon2id verification (a dummy hash for unknown names): within a factor of two.
    const ratio = median(known) / median(unknown);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  it('locks an unknown name after the same failures, with the same message as a real one', async () => {
    await start(RED);
    const lockOut = async (name: string) => {
      for (let i = 0; i < RED.account.lockAfter; i++) await login(name, 'wrong password guess');
      const res = await login(name, 'wrong password guess');
      return { status: res.status, body: await res.text() };
    };
    expect(await lockOut('nobody-at-all')).toEqual(await lockOut('officer-2'));
  });
});

describe('red team: a credential ends at once when it should (issue 15, finding 7)', () => {
  it('ends console sessions on a password change and on disable, made by another process', async () => {
    await start(LENIENT_THROTTLE);
    const other = openHub(hub.paths.dir);
    try {
      const me = (s: { cookie: string }) => fetch(`${base}/api/me`, { headers: { cookie: s.cookie } });
      const officer = await signInAs('officer-1');
      expect((await me(officer)).status).toBe(200);
      const set = await other.state.users.setPassword('officer-1', 'a brand new password', {
        actor: 'admin',
        now: new Date(),
      });
      expect(set.ok).toBe(true);
      expect((await me(officer)).status).toBe(401);
      const analyst = await signInAs('analyst');
      await other.state.users.setEnabled('analyst', false, { actor: 'admin', now: new Date() });
      expect((await me(analyst)).status).toBe(401);
    } finally {
      other.close();
    }
  });

  it('stops a disabled analyst reading TAXII intel, and a rotated partner token, on the next request (no cache window)', async () => {
    await start(LENIENT_THROTTLE);
    const other = openHub(hub.paths.dir);
    try {
      const analyst = basic('analyst', passwordOf(scenario, 'analyst'));
      const intel = '/taxii2/hub/collections/intel/objects/?limit=5';
      // Twice: the second answer comes from the credential cache and the page fast path.
      expect((await taxiiGet(analyst, intel)).status).toBe(200);
      expect((await taxiiGet(analyst, intel)).status).toBe(200);
      await other.state.users.setEnabled('analyst', false, { actor: 'admin', now: new Date() });
      expect((await taxiiGet(analyst, intel)).status).toBe(401);

      const token = scenario.partners.find((p) => p.name === 'allied-service')?.token as string;
      const bearer = `Bearer ${token}`;
      const feed = '/taxii2/hub/collections/releases/objects/?limit=5';
      expect((await taxiiGet(bearer, feed)).status).toBe(200);
      expect((await taxiiGet(bearer, feed)).status).toBe(200);
      const rotated = await other.state.partners.rotateToken('allied-service', {
        actor: 'admin',
        now: new Date(),
        randomBytes: (n) => new Uint8Array(n).fill(9),
      });
      expect(rotated.ok).toBe(true);
      expect((await taxiiGet(bearer, feed)).status).toBe(401);
      if (rotated.ok) expect((await taxiiGet(`Bearer ${rotated.token}`, feed)).status).toBe(200);
    } finally {
      other.close();
    }
  });
});
