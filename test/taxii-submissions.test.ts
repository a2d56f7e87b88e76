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

  it('maps derived ids back to the originals in the intel store, and reads back what was sent', async () => {
    const original = newId();
    const derived = release(hub, alpha.id, { originalId: original });
    const unrelated = newId();
    const n = note(alpha.id, [derived.id as string, unrelated]);
    await submit(alpha, [n]);
    const stored = await hub.objects.getLatest(n.id);
    expect(JSON.parse(stored?.json ?? '{}').object_refs).toEqual([original, unrelated]);
    const back = await app.inject({
      url: `${URL}${n.id}/`,
      headers: { authorization: basic(alpha.name, alpha.token) },
    });
    expect(JSON.parse(back.body).objects).toEqual([n]);
  });

  it('does not map another partner’s derived ids, and refuses new versions of released objects', async () => {
    const original = newId();
    const toBravo = release(hub, bravo.id, { originalId: original });
    const n = note(alpha.id, [toBravo.id as string]);
    await submit(alpha, [n]);
    expect(JSON.parse((await hub.objects.getLatest(n.id))?.json ?? '{}').object_refs).toEqual([toBravo.id]);
    const mine = release(hub, alpha.id);
    const status = await submit(alpha, [
      { ...mine, modified: '2026-07-01T00:00:00.000Z', created_by_ref: alpha.id },
    ]);
    expect(status.failures[0].message).toContain('an object the hub released to you');
    expect(await hub.objects.getLatest(mine.id as string)).toBeUndefined();
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
    expect(again.failures[0].message).toContain('different content');
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
