import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleScenario } from '../src/app/console-demo.js';
import type { SqliteHub as Hub } from '../src/app/hub.js';
import type { ManualClock } from '../src/clock.js';
import { buildConsoleServer, openDemoHub, passwordOf } from './console-fixture.js';

const DAY = 86_400_000;
let hub: Hub;
let clock: ManualClock;
let scenario: ConsoleScenario;
let app: FastifyInstance;

async function login(name: string) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/login',
    payload: { name, password: passwordOf(scenario, name) },
  });
  expect(res.statusCode).toBe(200);
  return {
    cookie: String(res.headers['set-cookie']).split(';')[0] as string,
    csrf: res.json().csrf as string,
  };
}

beforeAll(async () => {
  ({ hub, clock, scenario } = await openDemoHub());
  app = buildConsoleServer(hub);
  await app.ready();
}, 120_000);

afterAll(async () => {
  await app.close();
  hub.close();
});

describe('console API: what would it take, on the demo scenario with hr-1 lapsed', () => {
  it('the partner page says what restoring hr-1 releases; the object page says what each item would take', async () => {
    const overseer = await login('overseer');
    const get = (url: string) => app.inject({ method: 'GET', url, headers: { cookie: overseer.cookie } });
    const kabul = (await hub.state.partners.list()).find((p) => p.name === 'kabul-authorities');
    if (!kabul) throw new Error('demo partner missing');
    // The demo's hr-1 holds for 30 days from T0.
    clock.set(new Date(clock.now().getTime() + 31 * DAY));
    const res = await get(`/api/partners/${kabul.id}/impact`);
    expect(res.statusCode).toBe(200);
    const impact = res.json();
    const hr = impact.conditions.find((c: { key: string }) => c.key === 'hr-1');
    expect(hr.requirement.code).toBe('attest-assurance');
    expect(hr.line).toMatch(/^restoring hr-1 releases \d+ item\(s\)/);
    const n = hr.alone.release + hr.alone['needs-approval'];
    expect(n).toBeGreaterThan(0);
    expect(hr.sample.length).toBe(Math.min(20, n));
    expect(impact.withheld).toBeGreaterThanOrEqual(n);
    // Each sampled item, on its object page, names hr-1 as (one way) to release it to Kabul.
    for (const id of hr.sample.slice(0, 3)) {
      const page = (await get(`/api/intel/${encodeURIComponent(id)}`)).json();
      const d = page.decisions.find((x: { partner: string }) => x.partner === 'kabul-authorities');
      expect(d.decision).toBe('withhold');
      expect(d.what_would_it_take.code).toBe('facts');
      expect(
        d.what_would_it_take.answers.some(
          (a: { requirements: { condition?: string }[] }) =>
            a.requirements.length === 1 && a.requirements[0]?.condition === 'hr-1',
        ),
      ).toBe(true);
      const ally = page.decisions.find((x: { partner: string }) => x.partner === 'allied-service');
      expect(ally.what_would_it_take).not.toBeNull();
    }
    // Restoring hr-1: the sampled item is no longer withheld, and hr-1 gates nothing.
    const admin = await login('admin');
    const attest = await app.inject({
      method: 'POST',
      url: `/api/partners/${kabul.id}/conditions/hr-1/attest`,
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      payload: {
        valid_from: clock.now().toISOString(),
        valid_until: new Date(clock.now().getTime() + 90 * DAY).toISOString(),
        review_due: new Date(clock.now().getTime() + 60 * DAY).toISOString(),
      },
    });
    expect(attest.statusCode, attest.body).toBe(200);
    const after = (await get(`/api/partners/${kabul.id}/impact`)).json();
    expect(after.conditions.find((c: { key: string }) => c.key === 'hr-1')).toBeUndefined();
    expect(after.withheld).toBe(impact.withheld - n);
    const page = (await get(`/api/intel/${encodeURIComponent(hr.sample[0])}`)).json();
    const d = page.decisions.find((x: { partner: string }) => x.partner === 'kabul-authorities');
    expect(d.decision).not.toBe('withhold');
  });

  it('an unknown partner is a 404 with a code; no session is a 401', async () => {
    const overseer = await login('overseer');
    const res = await app.inject({
      method: 'GET',
      url: '/api/partners/nope/impact',
      headers: { cookie: overseer.cookie },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('not-found');
    expect((await app.inject({ method: 'GET', url: '/api/partners/nope/impact' })).statusCode).toBe(401);
  });
});
