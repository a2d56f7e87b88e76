import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteReleaseFeed } from '../src/store/sqlite/release-feed.js';
import {
  addPartner,
  basic,
  indicator,
  memoryHub,
  newId,
  release,
  TAXII,
  type TestPartner,
  testServer,
} from './taxii-fixture.js';

const ROOT = '/taxii2/hub';
let hub: ReturnType<typeof memoryHub>;
let app: FastifyInstance;
let alpha: TestPartner;

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await app.inject({
    url,
    headers: { authorization: basic(alpha.name, alpha.token), accept: TAXII, ...headers },
  });
  return { status: res.statusCode, headers: res.headers, body: res.body ? JSON.parse(res.body) : undefined };
}

beforeEach(async () => {
  hub = memoryHub();
  alpha = await addPartner(hub, 'alpha');
  app = testServer(hub, { limits: { maxPageSize: 5, maxObjects: 3, maxContentLength: 4096, maxDepth: 12 } });
});
afterEach(async () => {
  await app.close();
  hub.close();
});

describe('TAXII endpoints (in process)', () => {
  it('discovery, API root and collections describe what this partner has', async () => {
    const d = await get('/taxii2/');
    expect(d.status).toBe(200);
    expect(d.headers['content-type']).toBe(TAXII);
    expect(d.body).toMatchObject({
      default: `http://localhost:80${ROOT}/`,
      api_roots: [`http://localhost:80${ROOT}/`],
    });
    const r = await get(new URL(d.body.default).pathname);
    expect(r.body).toEqual({
      title: 'Tearline hub tearline.local',
      versions: [TAXII],
      max_content_length: 4096,
    });
    const c = await get(`${ROOT}/collections/`);
    expect(
      c.body.collections.map((x: { alias: string; can_read: boolean; can_write: boolean }) => [
        x.alias,
        x.can_read,
        x.can_write,
      ]),
    ).toEqual([
      ['releases', true, false],
      ['submissions', true, true],
    ]);
    const one = await get(`${ROOT}/collections/${c.body.collections[0].id}/`);
    expect(one.body).toEqual(c.body.collections[0]);
    expect((await get(`${ROOT}/collections/intel/`)).status).toBe(404);
  });

  it('pages objects with more/next, date headers and a capped limit', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      ids.push(release(hub, alpha.id).id as string);
      hub.clock.advance(1000);
    }
    const first = await get(`${ROOT}/collections/releases/objects/?limit=50`);
    expect(first.body.objects.map((o: { id: string }) => o.id)).toEqual(ids.slice(0, 5));
    expect(first.body.more).toBe(true);
    expect(first.headers['x-taxii-date-added-first']).toBe('2026-06-01T00:00:00.000000Z');
    expect(first.headers['x-taxii-date-added-last']).toBe('2026-06-01T00:00:04.000000Z');
    const second = await get(`${ROOT}/collections/releases/objects/?limit=50&next=${first.body.next}`);
    expect(second.body).toMatchObject({ more: false });
    expect(second.body.next).toBeUndefined();
    expect(second.body.objects.map((o: { id: string }) => o.id)).toEqual(ids.slice(5));
    const after = await get(
      `${ROOT}/collections/releases/objects/?added_after=${first.headers['x-taxii-date-added-last']}`,
    );
    expect(after.body.objects.map((o: { id: string }) => o.id)).toEqual(ids.slice(5));
    const empty = await get(`${ROOT}/collections/releases/objects/?added_after=2030-01-01T00:00:00Z`);
    expect(empty.body).toEqual({ more: false, objects: [] });
    expect(empty.headers['x-taxii-date-added-first']).toBeUndefined();
  });

  it('filters by id, type, version and spec_version', async () => {
    const id = newId();
    release(hub, alpha.id, { id, modified: '2026-02-01T00:00:00.000Z' });
    release(hub, alpha.id, { id, modified: '2026-02-02T00:00:00.000Z' });
    const other = release(hub, alpha.id);
    const url = `${ROOT}/collections/releases/objects/`;
    const versions = async (q: string) =>
      (await get(`${url}?${q}`)).body.objects.map(
        (o: { id: string; modified: string }) => `${o.id === id ? 'x' : 'o'}@${o.modified}`,
      );
    expect(await versions(`match[id]=${id}`)).toEqual(['x@2026-02-02T00:00:00.000Z']);
    expect(await versions(`match[id]=${id}&match[version]=first`)).toEqual(['x@2026-02-01T00:00:00.000Z']);
    expect(await versions(`match[id]=${id}&match[version]=all`)).toHaveLength(2);
    expect(await versions(`match[id]=${id}&match[version]=2026-02-01T00:00:00Z`)).toEqual([
      'x@2026-02-01T00:00:00.000Z',
    ]);
    expect(await versions(`match[id]=${id},${other.id}`)).toHaveLength(2);
    expect(await versions('match[type]=malware')).toEqual([]);
    expect(await versions('match[type]=indicator')).toHaveLength(2);
    expect(await versions('match[spec_version]=2.0')).toEqual([]);
    expect(await versions('match[spec_version]=2.1')).toHaveLength(2);
  });

  it('serves one object, its versions and the manifest', async () => {
    const id = newId();
    release(hub, alpha.id, { id, modified: '2026-02-01T00:00:00.000Z' });
    hub.clock.advance(1000);
    release(hub, alpha.id, { id, modified: '2026-02-02T00:00:00.000Z' });
    const obj = await get(`${ROOT}/collections/releases/objects/${id}/`);
    expect(obj.body.objects).toEqual([indicator(id, '2026-02-02T00:00:00.000Z')]);
    const all = await get(`${ROOT}/collections/releases/objects/${id}/?match[version]=all`);
    expect(all.body.objects).toHaveLength(2);
    const v = await get(`${ROOT}/collections/releases/objects/${id}/versions/`);
    expect(v.body).toEqual({
      more: false,
      versions: ['2026-02-01T00:00:00.000Z', '2026-02-02T00:00:00.000Z'],
    });
    expect(v.headers['x-taxii-date-added-last']).toBe('2026-06-01T00:00:01.000000Z');
    const m = await get(`${ROOT}/collections/releases/manifest/?match[version]=all`);
    expect(m.body.objects).toEqual([
      {
        id,
        date_added: '2026-06-01T00:00:00.000000Z',
        version: '2026-02-01T00:00:00.000Z',
        media_type: 'application/stix+json;version=2.1',
      },
      {
        id,
        date_added: '2026-06-01T00:00:01.000000Z',
        version: '2026-02-02T00:00:00.000Z',
        media_type: 'application/stix+json;version=2.1',
      },
    ]);
    expect(
      (await get(`${ROOT}/collections/releases/objects/${id}/versions/?match[type]=indicator`)).status,
    ).toBe(400);
  });

  it('shows an embargoed release only when its embargo ends, and a recall as a revoked version', async () => {
    const id = newId();
    release(hub, alpha.id, { id, visibleFrom: '2026-06-02T00:00:00Z' });
    const url = `${ROOT}/collections/releases/objects/${id}/`;
    const hidden = await get(url);
    const unknown = await get(`${ROOT}/collections/releases/objects/${newId()}/`);
    expect(hidden.status).toBe(404);
    expect(hidden.body).toEqual(unknown.body);
    hub.clock.set('2026-06-02T00:00:00Z');
    expect((await get(url)).status).toBe(200);
    hub.clock.advance(60_000);
    expect(new SqliteReleaseFeed(hub.db).recall(alpha.id, id, hub.clock.now()).ok).toBe(true);
    const latest = await get(url);
    expect(latest.body.objects[0]).toMatchObject({ id, revoked: true, modified: '2026-06-02T00:01:00.000Z' });
  });

  it('negotiates content: 406 for other media types, 415 for other bodies', async () => {
    expect((await get(`${ROOT}/`, { accept: 'application/json' })).status).toBe(406);
    const wrong = await get(`${ROOT}/`, { accept: 'application/taxii+json;version=2.0' });
    expect(wrong.status).toBe(406);
    expect(wrong.body).toMatchObject({ title: 'Not acceptable', http_status: '406' });
    expect((await get(`${ROOT}/`, { accept: '*/*' })).status).toBe(200);
    const post = (type: string, payload: string) =>
      app.inject({
        method: 'POST',
        url: `${ROOT}/collections/submissions/objects/`,
        headers: { authorization: basic(alpha.name, alpha.token), 'content-type': type },
        payload,
      });
    for (const type of [
      'application/json',
      'application/taxii+json',
      'text/plain',
      'application/stix+json;version=2.1',
    ]) {
      const res = await post(type, '{"objects":[]}');
      expect([type, res.statusCode]).toEqual([type, 415]);
      expect(JSON.parse(res.body)).toMatchObject({ http_status: '415' });
    }
  });

  it('refuses oversized, too many, too deep and malformed bodies with TAXII errors', async () => {
    const post = async (payload: string) => {
      const res = await app.inject({
        method: 'POST',
        url: `${ROOT}/collections/submissions/objects/`,
        headers: { authorization: basic(alpha.name, alpha.token), 'content-type': TAXII },
        payload,
      });
      return { status: res.statusCode, body: JSON.parse(res.body), type: res.headers['content-type'] };
    };
    const big = await post(JSON.stringify({ objects: [{ pad: 'x'.repeat(5000) }] }));
    expect(big).toMatchObject({ status: 413, type: TAXII, body: { http_status: '413' } });
    expect((await post('{"objects":[{},{},{},{}]}')).status).toBe(413);
    expect((await post(`{"objects":[${'['.repeat(30)}${']'.repeat(30)}]}`)).body.description).toMatch(
      /^body: at line 1, column \d+ \(byte \d+\): nesting deeper than \d+ levels$/,
    );
    expect((await post('{"objects":[')).status).toBe(400);
    expect((await post('')).status).toBe(400);
    expect((await post('{"objects":{}}')).body.description).toMatch(/"objects" must be an array/);
  });

  it('answers every unknown path and bad query with a TAXII error resource', async () => {
    const res = await get(`${ROOT}/nowhere/`);
    expect(res).toMatchObject({ status: 404, body: { title: 'Not found', http_status: '404' } });
    expect(res.headers['content-type']).toBe(TAXII);
    const bad = await get(`${ROOT}/collections/releases/objects/?limit=-1`);
    expect(bad).toMatchObject({ status: 400, body: { error_code: 'bad-request' } });
    const del = await app.inject({
      method: 'DELETE',
      url: `${ROOT}/collections/releases/objects/${newId()}/`,
      headers: { authorization: basic(alpha.name, alpha.token) },
    });
    expect(del.statusCode).toBe(404);
  });
});
