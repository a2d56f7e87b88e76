import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addPartner,
  basic,
  indicator,
  memoryHub,
  newId,
  TAXII,
  type TestPartner,
  testServer,
} from './taxii-fixture.js';

const INTEL = '/taxii2/hub/collections/intel/objects/';
const PASSWORD = 'correct horse battery staple';
let hub: ReturnType<typeof memoryHub>;
let app: FastifyInstance;
let alpha: TestPartner;

beforeEach(async () => {
  hub = memoryHub();
  alpha = await addPartner(hub, 'alpha');
  const { users } = hub.state;
  for (const [name, role] of [
    ['ana', 'analyst'],
    ['rob', 'release-officer'],
  ] as const) {
    const r = await users.add(name, role, PASSWORD, { actor: 'test', now: hub.clock.now() });
    expect(r.ok).toBe(true);
  }
  app = testServer(hub);
});
afterEach(async () => {
  await app.close();
  hub.close();
});

describe('the analysts’ intel collection', () => {
  it('lets an analyst import over TAXII and read the store back; the ledger records the import', async () => {
    const obj = indicator(newId(), '2026-02-01T00:00:00.000Z');
    const before = hub.ledger.size();
    const post = await app.inject({
      method: 'POST',
      url: INTEL,
      headers: { authorization: basic('ana', PASSWORD), 'content-type': TAXII },
      payload: JSON.stringify({ objects: [obj, { ...obj, name: 'same version, other content' }] }),
    });
    expect(JSON.parse(post.body)).toMatchObject({ success_count: 1, failure_count: 1 });
    expect(hub.ledger.size()).toBe(before + 1);
    const list = await app.inject({ url: INTEL, headers: { authorization: basic('ana', PASSWORD) } });
    expect(JSON.parse(list.body).objects).toEqual([obj]);
    const collections = await app.inject({
      url: '/taxii2/hub/collections/',
      headers: { authorization: basic('ana', PASSWORD) },
    });
    expect(JSON.parse(collections.body).collections.map((c: { alias: string }) => c.alias)).toEqual([
      'intel',
    ]);
  });

  it('is invisible to partners and to users without the analyst role', async () => {
    const asPartner = await app.inject({
      url: INTEL,
      headers: { authorization: basic(alpha.name, alpha.token) },
    });
    expect(asPartner.statusCode).toBe(404);
    // Users of other roles sign in (their password is checked, and /ledger/ takes the same
    // credentials), but the intel collection is not theirs: it answers as anything not visible.
    const asOfficer = await app.inject({ url: INTEL, headers: { authorization: basic('rob', PASSWORD) } });
    expect(asOfficer.statusCode).toBe(404);
    expect(
      (await app.inject({ url: INTEL, headers: { authorization: basic('ana', 'wrong password!') } }))
        .statusCode,
    ).toBe(401);
  });
});
