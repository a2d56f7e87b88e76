import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, dataDirPaths } from '../src/app/data-dir.js';
import { createHub } from '../src/app/hub.js';
import { releaseStoresOf } from '../src/app/release-stores.js';
import { ManualClock } from '../src/clock.js';
import { importStream } from '../src/ingest/import-stream.js';
import { openStoredEntry } from '../src/ledger/ledger-commitment.js';
import { combinedDiff, decideSelection, resolveSelection } from '../src/release/release-approval-bulk.js';
import { runReleasePipeline } from '../src/release/release-pipeline.js';
import { loadQueueEntries } from '../src/release/release-queue-view.js';
import { tlp2MarkingId } from '../src/stix/markings-tlp.js';
import type { JsonObject } from '../src/stix/types.js';
import { openSqlite } from '../src/store/sqlite/database.js';
import { REPO_ROOT } from './run-cli.js';

const EXTRACT = join(REPO_ROOT, 'test', 'fixtures', 'ics-attack', 'ics-attack-18.1-extract.json');
const T0 = '2026-11-28T10:00:00.000Z';
// Officers as a session or API key proves them: how, and from which OS account (dual control).
const olga = { name: 'olga', role: 'release-officer' as const, auth: 'password', origin: 'os:1001:olga@ws1' };
const omar = { name: 'omar', role: 'release-officer' as const, auth: 'password', origin: 'os:1002:omar@ws2' };

async function setup() {
  const clock = new ManualClock(T0);
  const hub = createHub(dataDirPaths('/nonexistent'), DEFAULT_CONFIG, openSqlite(':memory:'), clock);
  await importStream(createReadStream(EXTRACT), hub.objects, {
    source: 'file:ics.json',
    actor: 'ivan',
    maxObjectBytes: 1 << 24,
    marking: { id: tlp2MarkingId('green'), kind: 'tlp' },
  });
  const ctx = { actor: 'admin', now: clock.now(), randomBytes: (n: number) => new Uint8Array(n).fill(4) };
  const added = await hub.state.partners.add({ name: 'kabul' }, ctx);
  if (!added.ok) throw new Error(added.message);
  const set = await hub.state.agreements.set(
    added.partner.id,
    JSON.stringify({
      scope: {
        types: ['attack-pattern', 'malware', 'intrusion-set', 'course-of-action', 'relationship', 'identity'],
      },
      tlp_ceiling: 'green',
      approval: 'two',
      sanitisation: 'strict',
      conditions: [],
    }),
    { ...ctx, reason: 'test' },
  );
  if (!set.ok) throw new Error('agreement');
  const stores = releaseStoresOf(hub);
  const run = () => runReleasePipeline(stores, { now: clock.now(), actor: 'bot', hubSecret: 'test secret' });
  await run();
  return { hub, clock, stores, partner: added.partner, run };
}

function ledgerKinds(hub: ReturnType<typeof createHub>) {
  return hub.ledger
    .readEntries(0, hub.ledger.size())
    .map((row) => openStoredEntry(row.bytes, row.opening))
    .map((e) => (e.ok ? e.entry : undefined));
}

describe('bulk approval', () => {
  it('groups by the object items hang from and titles relationships source -> verb -> target', async () => {
    const s = await setup();
    const entries = await loadQueueEntries(s.hub.state.reads, { partnerId: s.partner.id });
    expect(entries.length).toBeGreaterThan(15);
    const rel = entries.find((e) => e.type === 'relationship') as (typeof entries)[number];
    const o = JSON.parse((await s.hub.objects.getLatest(rel.object_id))?.json ?? '{}') as JsonObject;
    const name = async (id: string) => JSON.parse((await s.hub.objects.getLatest(id))?.json ?? '{}').name;
    expect(rel.title).toBe(
      `${await name(o.source_ref as string)} -> ${o.relationship_type} -> ${await name(o.target_ref as string)}`,
    );
    expect(rel.group).toMatchObject({ key: o.source_ref, kind: 'object' });
    // The object a relationship hangs from is in the same group.
    expect(entries.filter((e) => e.group.key === o.source_ref).map((e) => e.object_id)).toContain(
      o.source_ref,
    );
  });

  it('decides a whole selection only as shown, one ledger entry per item, two distinct officers', async () => {
    const s = await setup();
    const sel = { partnerId: s.partner.id };
    const resolved = await resolveSelection(s.stores, sel);
    if (!resolved.ok) throw new Error(resolved.message);
    const n = resolved.entries.length;
    const diff = await combinedDiff(s.stores, resolved.entries);
    expect(diff.count).toBe(n);
    // The strict profile drops MITRE's references and custom properties: the diff says so per rule.
    expect(Object.keys(diff.by_rule)).toEqual(
      expect.arrayContaining(['external-reference', 'custom-property']),
    );
    const now = s.clock.now();
    expect(
      await decideSelection(s.stores, sel, 'not-the-digest', olga, 'approve', undefined, now),
    ).toMatchObject({
      ok: false,
      code: 'selection-changed',
    });
    const before = ledgerKinds(s.hub).length;
    const first = await decideSelection(s.stores, sel, diff.digest, olga, 'approve', undefined, now);
    expect(first).toMatchObject({ ok: true, decided: n, pending: n, released: 0 });
    const approvals = ledgerKinds(s.hub).slice(before);
    expect(approvals.filter((e) => e?.kind === 'approval')).toHaveLength(n);
    // The same officer again: every item refuses, nothing is written.
    const again = await decideSelection(s.stores, sel, diff.digest, olga, 'approve', undefined, now);
    expect(again).toMatchObject({ ok: true, decided: 0 });
    if (again.ok) expect(new Set(again.refused.map((r) => r.code))).toEqual(new Set(['already-decided']));
    // The importer may not approve, in bulk as one at a time.
    const ivan = await decideSelection(
      s.stores,
      sel,
      diff.digest,
      { name: 'ivan', role: 'release-officer', auth: 'password', origin: 'os:1003:ivan@ws3' },
      'approve',
      undefined,
      now,
    );
    expect(ivan.ok).toBe(true);
    if (ivan.ok) expect(ivan.refused.map((r) => r.code)).toEqual(Array(n).fill('author-may-not-approve'));
    // A second name on olga's OS account is not a second officer, in bulk as one at a time.
    const twin = await decideSelection(
      s.stores,
      sel,
      diff.digest,
      { ...omar, origin: olga.origin },
      'approve',
      undefined,
      now,
    );
    expect(twin).toMatchObject({ ok: true, decided: 0 });
    if (twin.ok) expect(twin.refused.map((r) => r.code)).toEqual(Array(n).fill('same-os-account'));
    const second = await decideSelection(s.stores, sel, diff.digest, omar, 'approve', undefined, now);
    expect(second).toMatchObject({ ok: true, decided: n, released: n, approved: 0, pending: 0 });
    expect(ledgerKinds(s.hub).filter((e) => e?.kind === 'release').length).toBe(n);
    expect(await loadQueueEntries(s.hub.state.reads, { partnerId: s.partner.id })).toEqual([]);
  });

  it("a change to one item voids only that item's approvals", async () => {
    const s = await setup();
    const sel = { partnerId: s.partner.id, types: ['attack-pattern'] };
    const resolved = await resolveSelection(s.stores, sel);
    if (!resolved.ok) throw new Error(resolved.message);
    const diff = await combinedDiff(s.stores, resolved.entries);
    expect(
      await decideSelection(s.stores, sel, diff.digest, olga, 'approve', undefined, s.clock.now()),
    ).toMatchObject({
      ok: true,
      pending: diff.count,
    });
    // A new version of one technique: its item is superseded, the others keep olga's approval.
    const changedId = resolved.entries[0]?.object_id as string;
    const original = JSON.parse((await s.hub.objects.getLatest(changedId))?.json ?? '{}') as JsonObject;
    const next = { ...original, modified: '2026-11-01T00:00:00.000Z', description: 'revised' };
    s.clock.advance(1000);
    await importStream(Readable.from([JSON.stringify(next)]), s.hub.objects, {
      source: 'file:update.json',
      actor: 'ivan',
      maxObjectBytes: 1 << 24,
    });
    await s.run();
    const now = await loadQueueEntries(s.hub.state.reads, sel);
    const changed = now.find((e) => e.object_id === changedId);
    expect(changed?.approvals).toEqual([]);
    for (const e of now.filter((x) => x.object_id !== changedId))
      expect(e.approvals).toMatchObject([{ approver: 'olga', verdict: 'approve', auth: 'password' }]);
    // omar's bulk approval releases the others; the changed one waits for two officers again.
    const shown = await resolveSelection(s.stores, sel);
    if (!shown.ok) throw new Error(shown.message);
    const d2 = await combinedDiff(s.stores, shown.entries);
    const r = await decideSelection(s.stores, sel, d2.digest, omar, 'approve', undefined, s.clock.now());
    expect(r).toMatchObject({ ok: true, released: diff.count - 1, pending: 1 });
    expect((await loadQueueEntries(s.hub.state.reads, sel)).map((e) => e.object_id)).toEqual([changedId]);
  });

  it('denies a grouping with a comment, one denial entry each', async () => {
    const s = await setup();
    const entries = await loadQueueEntries(s.hub.state.reads, { partnerId: s.partner.id });
    const group = entries.find((e) => e.type === 'relationship')?.group.key as string;
    const sel = { partnerId: s.partner.id, group };
    const resolved = await resolveSelection(s.stores, sel);
    if (!resolved.ok) throw new Error(resolved.message);
    const diff = await combinedDiff(s.stores, resolved.entries);
    expect(diff.count).toBeGreaterThan(1);
    const r = await decideSelection(
      s.stores,
      sel,
      diff.digest,
      olga,
      'deny',
      'not for this partner',
      s.clock.now(),
    );
    expect(r).toMatchObject({ ok: true, denied: diff.count });
    expect(ledgerKinds(s.hub).filter((e) => e?.kind === 'denial')).toHaveLength(diff.count);
  });
});
