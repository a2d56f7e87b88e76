import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStoredEntry } from '../src/ledger/ledger-commitment.js';
import { tlp2MarkingId } from '../src/stix/markings-tlp.js';
import { as, initHub, runTearline, TEST_USERS, tempDir } from './run-cli.js';
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
  it("gives an analyst's pushes their default marking, never lowering one, and records it in the ledger", async () => {
    const amber = tlp2MarkingId('amber');
    const red = tlp2MarkingId('red');
    await hub.state.importMarkings.set('user', 'ana', { id: amber, kind: 'tlp' }, 'admin', hub.clock.now());
    const bare = indicator(newId(), '2026-02-01T00:00:00.000Z');
    const held = indicator(newId(), '2026-02-01T00:00:00.000Z', { object_marking_refs: [red] });
    const post = await app.inject({
      method: 'POST',
      url: INTEL,
      headers: { authorization: basic('ana', PASSWORD), 'content-type': TAXII },
      payload: JSON.stringify({ objects: [bare, held] }),
    });
    expect(JSON.parse(post.body)).toMatchObject({ success_count: 2, failure_count: 0 });
    const list = await app.inject({ url: INTEL, headers: { authorization: basic('ana', PASSWORD) } });
    const stored = new Map(
      (JSON.parse(list.body).objects as { id: string; object_marking_refs?: string[] }[]).map((o) => [
        o.id,
        o.object_marking_refs,
      ]),
    );
    expect(stored.get(bare.id as string)).toEqual([amber]);
    expect(stored.get(held.id as string)).toEqual([red]);
    const row = hub.ledger.readEntry(hub.ledger.size() - 1);
    const opened = row ? openStoredEntry(row.bytes, row.opening) : undefined;
    const body = opened?.ok ? opened.entry : {};
    expect(body).toMatchObject({
      kind: 'ingest-batch',
      actor: 'ana',
      details: { marking: amber, marked: 1 },
    });
  });

  it("gives what taxii pull brings from a source that source's default, or the run's --marking", async () => {
    const green = tlp2MarkingId('green');
    const red = tlp2MarkingId('red');
    const bare = indicator(newId(), '2026-02-01T00:00:00.000Z');
    const held = indicator(newId(), '2026-02-01T00:00:00.000Z', { object_marking_refs: [red] });
    await app.inject({
      method: 'POST',
      url: INTEL,
      headers: { authorization: basic('ana', PASSWORD), 'content-type': TAXII },
      payload: JSON.stringify({ objects: [bare, held] }),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (typeof address !== 'object' || !address) throw new Error('no address');
    const url = `http://127.0.0.1:${address.port}/taxii2/`;
    const data = join(tempDir(), 'other');
    // An analyst pulls and sets the source's default (marking.manage: analysts and admins).
    const t = (...args: string[]) => runTearline([...args, '--data', data], as(data, 'analyst'));
    expect((await initHub(data)).code).toBe(0);
    const refused = await runTearline(
      ['marking', 'set', 'tlp:green', '--source', url, '--collection', 'intel', '--data', data],
      as(data, 'officer'),
    );
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('may not set or clear default import markings');
    const set = await t('marking', 'set', 'tlp:green', '--source', url, '--collection', 'intel');
    expect(set.stdout).toContain(`imports get ${green} by default`);
    const pull = await t(
      'taxii',
      'pull',
      url,
      '--collection',
      'intel',
      '--user',
      'ana',
      '--password',
      PASSWORD,
      '--json',
    );
    expect(pull.stderr).toBe('');
    expect(JSON.parse(pull.stdout)).toMatchObject({ received: 2, added: 2, marked: 1 });
    const exported = JSON.parse((await t('export')).stdout) as {
      objects: { id: string; object_marking_refs?: string[] }[];
    };
    const marks = new Map(exported.objects.map((o) => [o.id, o.object_marking_refs]));
    expect(marks.get(bare.id as string)).toEqual([green]);
    expect(marks.get(held.id as string)).toEqual([red]);
    // A run's --marking is checked like import's, and goes first.
    const wrong = await t(
      'taxii',
      'pull',
      url,
      '--collection',
      'intel',
      '--user',
      'ana',
      '--password',
      PASSWORD,
      '--marking',
      'tlp:blue',
    );
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("--marking: marking 'tlp:blue' is not one of");
    const listed = JSON.parse((await t('marking', 'list', '--json')).stdout);
    expect(listed).toMatchObject([{ scope: 'source', marking: { id: green }, set_by: TEST_USERS.analyst }]);
    rmSync(join(data, '..'), { recursive: true, force: true });
  }, 120_000);
});
