import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleScenario } from '../src/app/console-demo.js';
import type { SqliteHub as Hub } from '../src/app/hub.js';
import type { ManualClock } from '../src/clock.js';
import { buildConsoleServer, openDemoHub, passwordOf } from './console-fixture.js';

let hub: Hub;
let clock: ManualClock;
let scenario: ConsoleScenario;
let app: ReturnType<typeof buildConsoleServer>;
let port: number;

beforeAll(async () => {
  ({ hub, clock, scenario } = await openDemoHub());
  app = buildConsoleServer(hub);
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as { port: number }).port;
});

afterAll(() => {
  hub.close();
});

/** Reads `change` events from /api/events until `done` says stop. */
function listen(cookie: string, done: (changed: string[]) => boolean): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    const seen: string[][] = [];
    const req = request({ host: '127.0.0.1', port, path: '/api/events', headers: { cookie } }, (res) => {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/event-stream');
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = event.split('\n').find((l) => l.startsWith('data: '));
          if (!data) continue;
          const { changed } = JSON.parse(data.slice(6)) as { changed: string[] };
          seen.push(changed);
          if (done(changed)) {
            req.destroy();
            resolve(seen);
          }
        }
      });
    });
    req.on('error', (e) => (e.message.includes('aborted') ? undefined : reject(e)));
    req.end();
  });
}

describe('console live updates (Server-Sent Events)', () => {
  it('refuses without a session', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/events`);
    expect(res.status).toBe(401);
  });

  it('tells a signed-in console when intel arrives and when a condition lapses', async () => {
    const login = await fetch(`http://127.0.0.1:${port}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'overseer', password: passwordOf(scenario, 'overseer') }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const intel = listen(cookie, (c) => c.includes('intel'));
    // The first check records the stamps; the change must come after it.
    await new Promise((r) => setTimeout(r, 1500));
    const note = {
      type: 'note',
      spec_version: '2.1',
      id: 'note--0d5b7f9e-3c2a-4f1b-9e8d-7a6b5c4d3e2f',
      created: '2026-11-28T10:00:00.000Z',
      modified: '2026-11-28T10:00:00.000Z',
      content: 'fresh analyst note',
      object_refs: ['intrusion-set--d118aebe-ee43-58e9-9939-14d533fcb970'],
    };
    hub.objects.putObjectsSync([{ object: note, json: JSON.stringify(note), source: 'test' }]);
    expect((await intel).flat()).toContain('intel');

    const lapse = listen(cookie, (c) => c.includes('conditions'));
    await new Promise((r) => setTimeout(r, 1500));
    clock.advance(31 * 86_400_000);
    expect((await lapse).flat()).toContain('conditions');
  });

  it('ends open streams when the server closes, so shutdown does not wait on them', async () => {
    const login = await fetch(`http://127.0.0.1:${port}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'analyst', password: passwordOf(scenario, 'analyst') }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const res = await fetch(`http://127.0.0.1:${port}/api/events`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const body = res.text();
    await app.close();
    expect(await body).toContain(': tearline console events');
  });
});
