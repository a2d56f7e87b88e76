import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, dataDirPaths } from '../src/app/data-dir.js';
import { createHub } from '../src/app/hub.js';
import { releaseStoresOf } from '../src/app/release-stores.js';
import { buildServer } from '../src/app/server.js';
import { ManualClock } from '../src/clock.js';
import { importStream } from '../src/ingest/import-stream.js';
import { createSigner, formatVerifierKey, parseVerifierKey } from '../src/ledger/ledger-note.js';
import { verifyReceipt } from '../src/ledger/ledger-receipt.js';
import { decideQueueItem } from '../src/release/release-approval.js';
import { runReleasePipeline } from '../src/release/release-pipeline.js';
import { listRecalls, recallRelease } from '../src/release/release-recall.js';
import type { JsonObject } from '../src/stix/types.js';
import { openSqlite } from '../src/store/sqlite/database.js';
import { SqliteReleaseFeed } from '../src/store/sqlite/release-feed.js';
import { RELEASES_COLLECTION_ID, SUBMISSIONS_COLLECTION_ID } from '../src/taxii/taxii-collections.js';
import { REPO_ROOT } from './run-cli.js';

const ISISK = 'intrusion-set--d118aebe-ee43-58e9-9939-14d533fcb970';
const T0 = '2026-11-28T10:00:00.000Z';
const DAY = 86_400_000;
const ALL = { all: false, first: false, last: true, timestamps: [] };

const allyAgreement = {
  scope: {
    types: [
      'intrusion-set',
      'incident',
      'indicator',
      'relationship',
      'location',
      'report',
      'threat-actor',
      'identity',
      'sighting',
      'note',
    ],
  },
  tlp_ceiling: 'amber',
  approval: 'none',
  sanitisation: 'ally',
  valid_from: '2026-01-01T00:00:00Z',
  conditions: [],
};

function distrustedAgreement(assuranceUntil: string) {
  return {
    scope: {
      types: ['intrusion-set', 'indicator', 'relationship', 'incident', 'report', 'location'],
      labels_denied: ['internal'],
      neighbourhood: { of: [ISISK], hops: 2 },
    },
    tlp_ceiling: 'green',
    embargo: 'PT24H',
    approval: 'two',
    sanitisation: 'strict',
    valid_from: '2026-01-01T00:00:00Z',
    valid_until: '2027-06-01T00:00:00Z',
    conditions: [
      {
        kind: 'assurance',
        id: 'hr-1',
        title: 'Human-rights assurance: treatment of detainees; protection of women and girls',
        issuer: 'Ministry of Foreign Affairs',
        valid_from: '2026-11-01T00:00:00Z',
        valid_until: assuranceUntil,
        review_due: assuranceUntil,
      },
    ],
  };
}

async function setup() {
  const clock = new ManualClock(T0);
  const hub = createHub(dataDirPaths('/nonexistent'), DEFAULT_CONFIG, openSqlite(':memory:'), clock);
  const stores = releaseStoresOf(hub);
  await importStream(createReadStream(join(REPO_ROOT, 'demo', 'isis-k-demo.json')), hub.objects, {
    source: 'demo',
    actor: 'ivan',
    maxObjectBytes: 1 << 24,
  });
  const { partners, agreements } = hub.state;
  const ctx = { actor: 'admin', now: clock.now(), randomBytes: (n: number) => new Uint8Array(n).fill(7 + n) };
  const ally = await partners.add({ name: 'ally' }, ctx);
  const kabul = await partners.add(
    { name: 'kabul' },
    { ...ctx, randomBytes: (n: number) => new Uint8Array(n).fill(3) },
  );
  if (!ally.ok || !kabul.ok) throw new Error('partners');
  await agreements.set(ally.partner.id, JSON.stringify(allyAgreement), { ...ctx, reason: 'test' });
  const assuranceUntil = new Date(Date.parse(T0) + 30 * DAY).toISOString();
  await agreements.set(kabul.partner.id, JSON.stringify(distrustedAgreement(assuranceUntil)), {
    ...ctx,
    reason: 'test',
  });
  const seed = new Uint8Array(32).fill(9);
  const signer = createSigner(hub.config.hub_name, seed);
  if (!signer.ok) throw new Error(signer.message);
  return {
    hub,
    clock,
    stores,
    ally: ally.partner,
    allyToken: ally.token,
    kabul: kabul.partner,
    kabulToken: kabul.token,
    agreements,
    assuranceUntil,
    signer: signer.signer,
  };
}

const run = (s: Awaited<ReturnType<typeof setup>>) =>
  runReleasePipeline(s.stores, { now: s.clock.now(), actor: 'release-bot', hubSecret: 'test secret' });

function feedIds(s: Awaited<ReturnType<typeof setup>>, partnerId: string): JsonObject[] {
  return new SqliteReleaseFeed(s.hub.db)
    .pageSync(partnerId, { version: ALL, limit: 1000 }, s.clock.now())
    .rows.map((r) => JSON.parse(r.json) as JsonObject);
}

describe('release pipeline: the ISIS-K scenario', () => {
  it('releases to the ally at once, queues for the distrusted partner, and is idempotent', async () => {
    const s = await setup();
    const first = await run(s);
    const ally = first.partners.find((p) => p.partner === 'ally');
    const kabul = first.partners.find((p) => p.partner === 'kabul');
    expect(ally?.released).toBeGreaterThan(5);
    expect(kabul?.released).toBe(0);
    expect(kabul?.queued).toBeGreaterThan(3);
    const allyFeed = feedIds(s, s.ally.id);
    expect(allyFeed.some((o) => o.type === 'intrusion-set' && o.name === 'ISIS-K')).toBe(true);
    // The ally never sees internal ids, RED content or the note marked internal-only sources.
    const text = JSON.stringify(allyFeed);
    expect(text).not.toContain(ISISK);
    expect(text).not.toContain('SANDSTORM-7');
    expect(feedIds(s, s.kabul.id)).toEqual([]);

    const again = await run(s);
    expect(again.totals.released + again.totals.queued + again.totals.withheld).toBe(0);

    // Over TAXII, with the token `partner add` printed: the ally sees its copies, Kabul nothing yet.
    const app = buildServer(s.hub, { pageCache: { maxEntries: 0, maxBytes: 0 } });
    const get = (token: string) =>
      app.inject({
        method: 'GET',
        url: `/taxii2/hub/collections/${RELEASES_COLLECTION_ID}/objects/`,
        headers: { authorization: `Bearer ${token}`, accept: 'application/taxii+json;version=2.1' },
      });
    const allyRes = await get(s.allyToken);
    expect(allyRes.statusCode).toBe(200);
    expect(JSON.parse(allyRes.body).objects.length).toBe(allyFeed.length);
    const kabulRes = await get(s.kabulToken);
    expect(kabulRes.statusCode).toBe(200);
    expect(JSON.parse(kabulRes.body).objects ?? []).toEqual([]);
    await app.close();
  });

  it('needs two distinct officers, never the importer; the release appears after the embargo', async () => {
    const s = await setup();
    await run(s);
    const item = (await s.hub.state.releases.openItems()).find(
      (i) => i.partner_id === s.kabul.id && i.object_id === ISISK,
    );
    expect(item).toBeDefined();
    const id = item?.item_id as string;
    const now = s.clock.now();
    expect(
      await decideQueueItem(
        s.stores,
        id,
        { name: 'ivan', role: 'analyst', auth: 'password', origin: 'console' },
        'approve',
        undefined,
        now,
      ),
    ).toMatchObject({ ok: false, code: 'not-an-officer' });
    expect(
      await decideQueueItem(
        s.stores,
        id,
        { name: 'ivan', role: 'release-officer', auth: 'password', origin: 'console' },
        'approve',
        undefined,
        now,
      ),
    ).toMatchObject({ ok: false, code: 'author-may-not-approve' });
    expect(
      await decideQueueItem(
        s.stores,
        id,
        { name: 'olga', role: 'release-officer', auth: 'password', origin: 'console' },
        'approve',
        'ok',
        now,
      ),
    ).toMatchObject({ ok: true, state: 'pending', approvals: 1, required: 2 });
    expect(
      await decideQueueItem(
        s.stores,
        id,
        { name: 'olga', role: 'release-officer', auth: 'password', origin: 'console' },
        'approve',
        'again',
        now,
      ),
    ).toMatchObject({ ok: false, code: 'already-decided' });
    const done = await decideQueueItem(
      s.stores,
      id,
      { name: 'omar', role: 'release-officer', auth: 'password', origin: 'console' },
      'approve',
      undefined,
      now,
    );
    expect(done).toMatchObject({ ok: true, state: 'released', approvals: 2 });
    expect(feedIds(s, s.kabul.id).filter((o) => o.type === 'intrusion-set')).toEqual([]);
    s.clock.advance(DAY - 1000);
    expect(feedIds(s, s.kabul.id).filter((o) => o.type === 'intrusion-set')).toEqual([]);
    s.clock.advance(2000);
    const visible = feedIds(s, s.kabul.id).filter((o) => o.type === 'intrusion-set');
    expect(visible).toHaveLength(1);
    // Strict profile: no external references, no confidence, our identity as creator.
    expect(visible[0]?.external_references).toBeUndefined();
    expect(visible[0]?.id).not.toBe(ISISK);

    // The receipt verifies offline with the verifier key alone.
    s.hub.checkpoints.checkpoint(s.clock.now(), s.signer);
    const releaseId = done.ok ? (done.releaseId as string) : '';
    const receipt = await s.hub.ledgerService.receiptForPartner(releaseId, s.kabul.id);
    expect(receipt.ok).toBe(true);
    const key = formatVerifierKey(s.signer.name, s.signer.publicKey);
    expect(verifyReceipt(receipt.ok ? receipt.json : '', key).ok).toBe(true);
    const verifier = parseVerifierKey(key);
    if (!verifier.ok) throw new Error(verifier.message);
    expect((await s.hub.ledgerService.audit(verifier.verifier)).ok).toBe(true);

    // Over HTTP: the partner fetches its own receipt; the other partner gets the same 404 as for
    // a release that does not exist.
    const app = buildServer(s.hub, { pageCache: { maxEntries: 0, maxBytes: 0 } });
    const fetchReceipt = (token: string, id: string) =>
      app.inject({
        method: 'GET',
        url: `/ledger/receipts/${id}`,
        headers: { authorization: `Bearer ${token}` },
      });
    const mine = await fetchReceipt(s.kabulToken, releaseId);
    expect(mine.statusCode).toBe(200);
    expect(verifyReceipt(mine.body, key).ok).toBe(true);
    const theirs = await fetchReceipt(s.allyToken, releaseId);
    const none = await fetchReceipt(s.allyToken, 'release--00000000-0000-4000-8000-000000000000');
    expect([theirs.statusCode, theirs.body]).toEqual([none.statusCode, none.body]);
    expect(theirs.statusCode).toBe(404);
    const byObject = await app.inject({
      method: 'GET',
      url: `/ledger/receipts?object=${encodeURIComponent(visible[0]?.id as string)}`,
      headers: { authorization: `Bearer ${s.kabulToken}` },
    });
    expect(JSON.parse(byObject.body).receipts.map((r: { release_id: string }) => r.release_id)).toEqual([
      releaseId,
    ]);
    expect(
      (
        await app.inject({
          method: 'GET',
          url: '/ledger/entries?start=0&end=5',
          headers: { authorization: `Bearer ${s.kabulToken}` },
        })
      ).statusCode,
    ).toBe(403);
    await app.close();
  });

  it('withholds new intel with the reason when the assurance lapses, and queues it once restored', async () => {
    const s = await setup();
    await run(s);
    s.clock.set(new Date(Date.parse(s.assuranceUntil) + 1000));
    const indicator = {
      type: 'indicator',
      spec_version: '2.1',
      id: 'indicator--5f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9',
      created: s.clock.now().toISOString(),
      modified: s.clock.now().toISOString(),
      name: 'Fictional demo: new staging domain',
      indicator_types: ['malicious-activity'],
      pattern: "[domain-name:value = 'new-staging.example.org']",
      pattern_type: 'stix',
      valid_from: s.clock.now().toISOString(),
      object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
    };
    const rel = {
      type: 'relationship',
      spec_version: '2.1',
      id: 'relationship--6a2f3e4d-5c6b-4a89-9706-b5c4d3e2f1a0',
      created: indicator.created,
      modified: indicator.created,
      relationship_type: 'indicates',
      source_ref: indicator.id,
      target_ref: ISISK,
      object_marking_refs: indicator.object_marking_refs,
    };
    await s.hub.objects.putObjects(
      [indicator, rel].map((o) => ({ object: o, json: JSON.stringify(o), source: 'test' })),
      { actor: 'ivan', source: 'test' },
    );
    await run(s);
    const outcome = await s.hub.state.releases.outcome(s.kabul.id, indicator.id);
    expect(outcome?.outcome).toBe('withheld');
    expect(outcome?.reasons.some((r) => r.code === 'condition-unmet' && r.message.includes('hr-1'))).toBe(
      true,
    );
    expect((await s.hub.state.releases.outcome(s.ally.id, indicator.id))?.outcome).toBe('released');

    const later = new Date(Date.parse(s.assuranceUntil) + 60 * DAY).toISOString();
    await s.agreements.set(s.kabul.id, JSON.stringify(distrustedAgreement(later)), {
      actor: 'admin',
      now: s.clock.now(),
      reason: 'assurance extended',
    });
    await run(s);
    expect((await s.hub.state.releases.outcome(s.kabul.id, indicator.id))?.outcome).toBe('queued');
  });

  it('recalls a release and the relationships citing it; the feed shows revoked versions', async () => {
    const s = await setup();
    await run(s);
    const r = await recallRelease(
      s.stores,
      s.ally.id,
      ISISK,
      'source reliability downgraded',
      'olga',
      s.clock.now(),
    );
    expect(r.ok).toBe(true);
    const recalled = r.ok ? r.recalled.map((x) => x.original_id) : [];
    expect(recalled[0]).toBe(ISISK);
    expect(recalled.some((id) => id.startsWith('relationship--'))).toBe(true);
    const feed = feedIds(s, s.ally.id);
    const isk = feed.find((o) => o.type === 'intrusion-set');
    expect(isk?.revoked).toBe(true);
    // A recalled object is not released again by the next run.
    const again = await run(s);
    expect(again.partners.find((p) => p.partner === 'ally')?.released).toBe(0);

    // Outstanding until the ally acknowledges with a note citing the revoked object over TAXII.
    const mine = (await listRecalls(s.stores, s.ally.id)).find((x) => x.original_id === ISISK);
    expect(mine?.acknowledged_at).toBeNull();
    const app = buildServer(s.hub, { pageCache: { maxEntries: 0, maxBytes: 0 } });
    const note = {
      type: 'note',
      spec_version: '2.1',
      id: 'note--0c3e8f2a-6b1d-4e5f-9a7b-8c9d0e1f2a3b',
      created: s.clock.now().toISOString(),
      modified: s.clock.now().toISOString(),
      created_by_ref: s.ally.id,
      content: 'Recall received; copies destroyed.',
      object_refs: [mine?.derived_id as string],
    };
    const posted = await app.inject({
      method: 'POST',
      url: `/taxii2/hub/collections/${SUBMISSIONS_COLLECTION_ID}/objects/`,
      headers: {
        authorization: `Bearer ${s.allyToken}`,
        accept: 'application/taxii+json;version=2.1',
        'content-type': 'application/taxii+json;version=2.1',
      },
      payload: JSON.stringify({ objects: [note] }),
    });
    expect(posted.statusCode).toBe(202);
    expect(JSON.parse(posted.body).success_count).toBe(1);
    expect(
      (await listRecalls(s.stores, s.ally.id)).find((x) => x.original_id === ISISK)?.acknowledged_at,
    ).not.toBeNull();
    await app.close();
  });
});
