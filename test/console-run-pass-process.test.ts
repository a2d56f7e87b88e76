import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleScenario } from '../src/app/console-demo.js';
import type { SqliteHub as Hub } from '../src/app/hub.js';
import { loadHubPolicy } from '../src/app/hub-policy-load.js';
import { type HubWorker, startHubWorker } from '../src/app/hub-worker.js';
import { buildServer } from '../src/app/server.js';
import { LENIENT_THROTTLE } from './auth-fixture.js';
import { openDemoHub, passwordOf } from './console-fixture.js';

// The console's "run the release pipeline" under serve: the pass goes to the worker's pass
// process (its own connection), not the request's event loop.

let hub: Hub;
let scenario: ConsoleScenario;
let app: FastifyInstance;
let worker: HubWorker;

beforeAll(async () => {
  ({ hub, scenario } = await openDemoHub());
  const loaded = loadHubPolicy(hub.paths.dir);
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  worker = startHubWorker(hub, {
    intervalMs: 3_600_000,
    policy: { current: () => ({ policy: loaded.policy, digest: loaded.digest }) },
    passProcess: { data: hub.paths.dir },
    onError: (e) => {
      throw e;
    },
  });
  app = buildServer(hub, {
    throttle: LENIENT_THROTTLE,
    pageCache: { maxEntries: 0, maxBytes: 0 },
    passes: () => worker,
  });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await worker?.stop();
  hub?.close();
});

describe('POST /api/release/run under serve', () => {
  it('runs the pass in the pass process and answers with its totals', async () => {
    const login = await app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { name: 'admin', password: passwordOf(scenario, 'admin') },
    });
    expect(login.statusCode, login.body).toBe(200);
    const headers = {
      cookie: String(login.headers['set-cookie']).split(';')[0] as string,
      'x-csrf-token': login.json().csrf as string,
    };
    expect(worker.passProcessesStarted()).toBe(0);
    const first = await app.inject({ method: 'POST', url: '/api/release/run', headers, payload: {} });
    expect(first.statusCode, first.body).toBe(200);
    expect(Object.keys(first.json()).sort()).toEqual(
      ['decisions', 'queued', 'released', 'unchanged', 'waiting', 'withheld'].sort(),
    );
    // The pass ran in a process the worker started for it.
    expect(worker.passProcessesStarted()).toBe(1);
    // Asked again with nothing changed: a pass still runs (in the same process) and changes nothing.
    const again = await app.inject({ method: 'POST', url: '/api/release/run', headers, payload: {} });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ released: 0, queued: 0, withheld: 0 });
    expect(worker.passProcessesStarted()).toBe(1);
  }, 120_000);
});
