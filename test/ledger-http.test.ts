import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLedgerSigner, verifierKeyOf } from '../src/app/ledger-key.js';
import type { LedgerEntry } from '../src/ledger/ledger-entry.js';
import { checkOpenedLine } from '../src/ledger/ledger-export.js';
import { verifyReceipt } from '../src/ledger/ledger-receipt.js';
import { encodeLegacyEntries } from '../src/store/sqlite/ledger-store.js';
import { addPartner, basic, memoryHub, type TestPartner, testServer } from './taxii-fixture.js';

const ORIGINAL = 'indicator--3f2e1d0c-9b8a-4765-8432-10fedcba9876';
const PASSWORD = 'a long enough password';

/**
 * The ledger's HTTP routes as a partner, an admin and an oversight user meet them: a partner's
 * receipt is the public part of its own visible release; older (version 1) releases, another
 * partner's and embargoed ones are not handed out; only oversight users get the openings.
 */
describe('ledger routes over HTTP', () => {
  const hub = memoryHub();
  const app = testServer(hub);
  let ally: TestPartner;
  let other: TestPartner;
  let key = '';

  const releaseEntry = (releaseId: string, partner: string, derived: string): LedgerEntry => ({
    kind: 'release',
    time: hub.clock.now().toISOString(),
    actor: 'officer-olga',
    release_id: releaseId,
    partner,
    derived_id: derived,
    original_id: ORIGINAL,
    original_version: '2026-05-01T00:00:00.000Z',
    agreement_version: '1',
    reasons: ['allowed by the agreement'],
    approvals: [{ approver: 'officer-omar', time: hub.clock.now().toISOString() }],
    tearline_digest: 'sha256:00',
  });

  /** A release entry (version 1 or 2) and its record, visible from `visibleFrom`. */
  async function recordRelease(
    releaseId: string,
    partner: string,
    opts: { legacy?: boolean; visibleFrom?: string } = {},
  ): Promise<void> {
    const derived = `indicator--${releaseId.slice(-12).padStart(8, '0').slice(0, 8)}-0000-5000-8000-000000000000`;
    const entry = releaseEntry(releaseId, partner, derived);
    const legacy = encodeLegacyEntries([entry]);
    if (!legacy.ok) throw new Error(legacy.message);
    const appended = opts.legacy ? hub.ledger.appendSealed(legacy.sealed) : hub.ledger.appendEntries([entry]);
    if (!appended.ok) throw new Error(appended.message);
    await hub.state.releases.insertRecord({
      release_id: releaseId,
      partner_id: partner,
      derived_id: derived,
      original_id: ORIGINAL,
      original_version: '2026-05-01T00:00:00.000Z',
      agreement_version: 1,
      reasons: ['allowed by the agreement'],
      approvals: [],
      tearline_digest: 'sha256:00',
      released_at: hub.clock.now().toISOString(),
      visible_from: opts.visibleFrom ?? hub.clock.now().toISOString(),
      ledger_index: appended.first,
    });
  }

  const get = (url: string, authorization: string) =>
    app.inject({ method: 'GET', url, headers: { authorization } });

  beforeAll(async () => {
    ally = await addPartner(hub, 'ally');
    other = await addPartner(hub, 'other');
    const ctx = { actor: 'admin', now: hub.clock.now() };
    for (const [name, role] of [
      ['olivia', 'oversight'],
      ['adam', 'admin'],
    ] as const) {
      const made = await hub.state.users.add(name, role, PASSWORD, ctx);
      if (!made.ok) throw new Error(made.message);
    }
    const signer = loadLedgerSigner(hub.paths, hub.config.hub_name);
    if (!signer.ok) throw new Error(signer.message);
    key = verifierKeyOf(signer.signer);
    await recordRelease('release--old-0000000001', ally.id, { legacy: true });
    await recordRelease('release--new-0000000002', ally.id);
    await recordRelease('release--emb-0000000003', ally.id, { visibleFrom: '2026-06-02T00:00:00.000Z' });
    await recordRelease('release--oth-0000000004', other.id);
    // In steps of a minute: the entries above are dated at T0, so the step after covers them.
    hub.clock.advance(60_000);
    hub.checkpointIfDue();
  });
  afterAll(async () => {
    await app.close();
    hub.close();
  });

  it("gives a partner its visible release's public part, which verifies; the officers and the original stay out", async () => {
    const res = await get('/ledger/receipts/release--new-0000000002', basic(ally.name, ally.token));
    expect(res.statusCode).toBe(200);
    expect(verifyReceipt(res.body, key)).toMatchObject({
      ok: true,
      version: 2,
      entry: { kind: 'release', release_id: 'release--new-0000000002' },
    });
    const entryText = Buffer.from(JSON.parse(res.body).entry, 'base64').toString();
    for (const hidden of ['officer-', ORIGINAL, ORIGINAL.slice(12), ally.id, ally.id.slice(10), 'allowed'])
      expect(`${res.body}${entryText}`).not.toContain(hidden);
  });

  it("answers another partner's, an embargoed and a missing release alike; an older one with its reason", async () => {
    const missing = await get('/ledger/receipts/release--none', basic(ally.name, ally.token));
    expect(missing.statusCode).toBe(404);
    for (const id of ['release--oth-0000000004', 'release--emb-0000000003']) {
      const res = await get(`/ledger/receipts/${id}`, basic(ally.name, ally.token));
      expect([res.statusCode, res.body]).toEqual([missing.statusCode, missing.body]);
    }
    const old = await get('/ledger/receipts/release--old-0000000001', basic(ally.name, ally.token));
    expect(old.statusCode).toBe(404);
    expect(JSON.parse(old.body)).toMatchObject({ code: 'predates-commitments' });
    expect(old.body).not.toContain('officer-');
    // The other partner cannot tell the older release exists.
    const theirs = await get('/ledger/receipts/release--old-0000000001', basic(other.name, other.token));
    expect([theirs.statusCode, theirs.body]).toEqual([missing.statusCode, missing.body]);
    const list = await get(
      `/ledger/receipts?object=${encodeURIComponent('indicator--00000003-0000-5000-8000-000000000000')}`,
      basic(ally.name, ally.token),
    );
    expect(JSON.parse(list.body)).toEqual({ receipts: [] });
  });

  it('says a recorded release is not yet under a checkpoint, without naming anything', async () => {
    await recordRelease('release--late-000000005', ally.id);
    const res = await get('/ledger/receipts/release--late-000000005', basic(ally.name, ally.token));
    expect(res.statusCode).toBe(409);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'not-yet-checkpointed' });
  });

  it('keeps entry ranges and consistency proofs from partners, and openings from everyone but oversight', async () => {
    for (const url of ['/ledger/entries?start=0&end=5', '/ledger/consistency?from=1&to=4']) {
      expect((await get(url, basic(ally.name, ally.token))).statusCode).toBe(403);
    }
    const admin = basic('adam', PASSWORD);
    const leaves = await get('/ledger/entries?start=0&end=100', admin);
    expect(leaves.statusCode).toBe(200);
    // Version 2 leaves name no officer; the older entry is whole, as it always was.
    const leafLines = leaves.body.trim().split('\n');
    expect(leafLines.filter((l) => l.includes('officer-omar'))).toEqual([
      expect.stringContaining('"release_id":"release--old-0000000001"'),
    ]);
    expect((await get('/ledger/entries?private=true', admin)).statusCode).toBe(403);
    expect((await get('/ledger/entries?private=yes', basic('olivia', PASSWORD))).statusCode).toBe(400);
    const opened = await get('/ledger/entries?start=0&end=100&private=true', basic('olivia', PASSWORD));
    expect(opened.statusCode).toBe(200);
    const lines = opened.body.trim().split('\n').map(checkOpenedLine);
    expect(lines.every((l) => l.ok)).toBe(true);
    const releases = lines.flatMap((l) => (l.ok && l.entry.kind === 'release' ? [l] : []));
    expect(releases.map((l) => l.version)).toEqual([1, 2, 2, 2, 2]);
    expect(releases.map((l) => (l.entry.kind === 'release' ? l.entry.approvals[0]?.approver : ''))).toEqual(
      Array(5).fill('officer-omar'),
    );
    // Each opened line's leaf is exactly the leaf the public range serves.
    expect(lines.map((l) => (l.ok ? l.leaf.toString() : '')).join('\n')).toBe(leaves.body.trim());
  });
});
