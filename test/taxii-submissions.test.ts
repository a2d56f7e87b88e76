import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listFeedbackReceipts } from '../src/store/hub/feedback-count.js';
import {
  addPartner,
  basic,
  memoryHub,
  newId,
  release,
  TAXII,
  type TestPartner,
  testServer,
} from './taxii-fixture.js';

const URL = '/taxii2/hub/collections/submissions/objects/';
let hub: ReturnType<typeof memoryHub>;
let app: FastifyInstance;
let alpha: TestPartner;
let bravo: TestPartner;

async function submit(who: TestPartner, objects: unknown[]) {
  const res = await app.inject({
    method: 'POST',
    url: URL,
    headers: { authorization: basic(who.name, who.token), 'content-type': TAXII, accept: TAXII },
    payload: JSON.stringify({ objects }),
  });
  expect(res.statusCode).toBe(202);
  return JSON.parse(res.body);
}

function note(by: string | undefined, refs: string[], extra: Record<string, unknown> = {}) {
  return {
    type: 'note',
    spec_version: '2.1',
    id: newId('note'),
    created: '2026-05-01T00:00:00.000Z',
    modified: '2026-05-01T00:00:00.000Z',
    content: 'seen at the border crossing',
    object_refs: refs,
    ...(by !== undefined && { created_by_ref: by }),
    ...extra,
  };
}

beforeEach(async () => {
  hub = memoryHub();
  alpha = await addPartner(hub, 'alpha');
  bravo = await addPartner(hub, 'bravo');
  app = testServer(hub);
});
afterEach(async () => {
  await app.close();
  hub.close();
});

describe('partner submissions', () => {
  it('reports successes and failures with reasons, object by object', async () => {
    const ok = note(alpha.id, [newId()]);
    const status = await submit(alpha, [
      ok,
      note(bravo.id, [newId()]),
      note(undefined, [newId()]),
      { type: 'note', id: 'nonsense' },
      'a string',
    ]);
    expect(status).toMatchObject({
      total_count: 5,
      success_count: 1,
      failure_count: 4,
      pending_count: 0,
      pendings: [],
    });
    expect(status.successes).toEqual([{ id: ok.id, version: ok.modified }]);
    const reasons = status.failures.map((f: { message: string }) => f.message);
    expect(reasons[0]).toContain(`created_by_ref must be your own identity ${alpha.id}`);
    expect(reasons[1]).toContain('created_by_ref is required');
    expect(reasons[2]).toContain('not of the form type--UUID');
    expect(reasons[3]).toBe('not a JSON object');
  });

  it('keeps the object in the partner’s space, derived ids mapped for analysts, intel untouched', async () => {
    const original = newId();
    const derived = release(hub, alpha.id, { originalId: original });
    const unrelated = newId();
    const n = note(alpha.id, [derived.id as string, unrelated]);
    await submit(alpha, [n]);
    expect(await hub.objects.getLatest(n.id)).toBeUndefined();
    expect((await hub.objects.stats()).versions).toBe(0);
    const [pending] = await hub.state.submissions.list({ partnerId: alpha.id, limit: 10 });
    const detail = await hub.state.submissions.get(pending?.number ?? 0);
    expect(detail?.mapped.object_refs).toEqual([original, unrelated]);
    expect(detail?.sent).toEqual(n);
    const back = await app.inject({
      url: `${URL}${n.id}/`,
      headers: { authorization: basic(alpha.name, alpha.token) },
    });
    expect(JSON.parse(back.body).objects).toEqual([n]);
  });

  it('does not map another partner’s derived ids; a new version of a released object stays the partner’s', async () => {
    const original = newId();
    const toBravo = release(hub, bravo.id, { originalId: original });
    const n = note(alpha.id, [toBravo.id as string]);
    await submit(alpha, [n]);
    const [mine] = await hub.state.submissions.list({ partnerId: alpha.id, limit: 10 });
    expect((await hub.state.submissions.get(mine?.number ?? 0))?.mapped.object_refs).toEqual([toBravo.id]);
    const released = release(hub, alpha.id);
    const status = await submit(alpha, [
      { ...released, modified: '2026-07-01T00:00:00.000Z', created_by_ref: alpha.id },
    ]);
    expect(status.success_count).toBe(1);
    expect(await hub.objects.getLatest(released.id as string)).toBeUndefined();
    const feed = await app.inject({
      url: '/taxii2/hub/collections/releases/objects/',
      headers: { authorization: basic(alpha.name, alpha.token), accept: TAXII },
    });
    expect(JSON.parse(feed.body).objects.map((o: { modified: string }) => o.modified)).toEqual([
      released.modified,
    ]);
  });

  it('refuses an object above the size limit and submissions beyond the pending quota', async () => {
    await app.close();
    app = testServer(hub, { submissions: { maxObjectBytes: 2000, maxPending: 2 } });
    const big = note(alpha.id, [newId()], { content: 'x'.repeat(3000) });
    const status = await submit(alpha, [big, note(alpha.id, [newId()]), note(alpha.id, [newId()])]);
    expect(status.failures.map((f: { message: string }) => f.message)).toEqual([
      expect.stringMatching(/^object is \d+ bytes; at most 2000 are accepted$/),
    ]);
    const more = await submit(alpha, [note(alpha.id, [newId()])]);
    expect(more.failures[0].message).toContain('2 submissions awaiting review');
    expect((await submit(bravo, [note(bravo.id, [newId()])])).success_count).toBe(1);
  });

  it('counts sightings, notes and opinions as the partner’s feedback; a resend is a success, a clash a failure', async () => {
    const target = release(hub, alpha.id);
    const n = note(alpha.id, [target.id as string]);
    const s = {
      type: 'sighting',
      spec_version: '2.1',
      id: newId('sighting'),
      created: '2026-05-01T00:00:00.000Z',
      modified: '2026-05-01T00:00:00.000Z',
      created_by_ref: alpha.id,
      sighting_of_ref: target.id,
    };
    await submit(alpha, [n, s]);
    expect(await listFeedbackReceipts(hub.sql, alpha.id, 0)).toHaveLength(2);
    expect(await listFeedbackReceipts(hub.sql, bravo.id, 0)).toHaveLength(0);
    const again = await submit(alpha, [n, { ...n, content: 'different text, same version' }]);
    expect(again.success_count).toBe(1);
    expect(again.failures[0].message).toContain('you sent this id and version before with different content');
  });

  it('keeps status resources across a server restart', async () => {
    const status = await submit(alpha, [note(alpha.id, [newId()])]);
    await app.close();
    app = testServer(hub);
    const res = await app.inject({
      url: `/taxii2/hub/status/${status.id}/`,
      headers: { authorization: `Bearer ${alpha.token}` },
    });
    expect(JSON.parse(res.body)).toEqual(status);
  });
});
