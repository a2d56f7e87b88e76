// The delivery record: what each partner was actually sent over TAXII, one ledger entry per
// partner per period. Over loopback, so cached pages go through the fast path (which
// app.inject() bypasses), and against a server without a page cache, whose every page is rendered.
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadLedgerSigner, verifierKeyOf } from '../src/app/ledger-key.js';
import { flushDeliveries, type ServerOptions } from '../src/app/server.js';
import { parseVerifierKey } from '../src/ledger/ledger-note.js';
import { seedKeyQuietly } from './auth-fixture.js';
import { runTearline } from './run-cli.js';
import {
  addPartner,
  basic,
  memoryHub,
  release,
  TAXII,
  type TestPartner,
  testServer,
} from './taxii-fixture.js';

const ROOT = '/taxii2/hub/collections';
let hub: ReturnType<typeof memoryHub>;
let apps: FastifyInstance[];
let alpha: TestPartner;
let bravo: TestPartner;
let fastHits: number;

async function listen(options: ServerOptions): Promise<{ app: FastifyInstance; base: string }> {
  const app = testServer(hub, { rate: { perSecond: 1e6, burst: 1e6 }, ...options });
  apps.push(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  return { app, base: `http://127.0.0.1:${address.port}` };
}

async function get(base: string, path: string, p: TestPartner): Promise<{ status: number; body: string }> {
  const res = await fetch(`${base}${path}`, {
    headers: { authorization: basic(p.name, p.token), accept: TAXII },
  });
  return { status: res.status, body: await res.text() };
}

const fastLog = () =>
  new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) if (line.includes('TAXII page cache')) fastHits++;
      cb();
    },
  });

beforeEach(async () => {
  hub = memoryHub();
  apps = [];
  fastHits = 0;
  alpha = await addPartner(hub, 'alpha');
  bravo = await addPartner(hub, 'bravo');
});
afterEach(async () => {
  for (const a of apps) await a.close();
  hub.close();
});

describe('delivery record', () => {
  it('records what each partner was sent, cached or not, once per partner and period, and nothing else', async () => {
    const a = [release(hub, alpha.id), release(hub, alpha.id), release(hub, alpha.id)];
    const b = release(hub, bravo.id);
    const cached = await listen({ log: { stream: fastLog() } });
    const uncached = await listen({ pageCache: { maxEntries: 0, maxBytes: 0 } });
    for (let i = 0; i < 5; i++)
      expect((await get(cached.base, `${ROOT}/releases/objects/?limit=2`, alpha)).status).toBe(200);
    expect(fastHits).toBe(4);
    expect((await get(uncached.base, `${ROOT}/releases/objects/${a[2]?.id}/`, alpha)).status).toBe(200);
    expect((await get(uncached.base, `${ROOT}/releases/objects/${a[2]?.id}/`, alpha)).status).toBe(200);
    // Metadata, the partner's own submissions and refusals deliver no intelligence.
    expect((await get(cached.base, `${ROOT}/releases/manifest/`, alpha)).status).toBe(200);
    expect((await get(cached.base, `${ROOT}/releases/objects/${a[0]?.id}/versions/`, alpha)).status).toBe(
      200,
    );
    expect((await get(cached.base, `${ROOT}/submissions/objects/`, alpha)).status).toBe(200);
    expect((await get(cached.base, `${ROOT}/releases/objects/${b.id}/`, alpha)).status).toBe(404);
    expect((await get(cached.base, `${ROOT}/releases/objects/`, bravo)).status).toBe(200);

    // The next period begins: what ended is written, by each server for its own requests.
    hub.clock.advance(60_000);
    for (const { app } of [cached, uncached]) await flushDeliveries(app);
    const day = ['2026-06-01T00:00:00.000Z', '2026-06-02T00:00:00.000Z'] as const;
    const ofAlpha = await hub.state.deliveries.list(alpha.id, ...day);
    expect(ofAlpha.map((d) => d.items)).toEqual([
      [a[0], a[1]].map((o) => [o?.id, o?.modified]).sort(),
      [[a[2]?.id, a[2]?.modified]],
    ]);
    expect(ofAlpha.map((d) => [d.period_start, d.period_end])).toEqual([
      ['2026-06-01T00:00:00.000Z', '2026-06-01T00:01:00.000Z'],
      ['2026-06-01T00:00:00.000Z', '2026-06-01T00:01:00.000Z'],
    ]);
    const ofBravo = await hub.state.deliveries.list(bravo.id, ...day);
    expect(ofBravo.map((d) => d.items)).toEqual([[[b.id, b.modified]]]);

    // Each is a ledger entry that opens to its digest; `ledger verify` checks the lists too.
    const signer = loadLedgerSigner(hub.paths, hub.config.hub_name);
    if (!signer.ok) throw new Error(signer.message);
    const verifier = parseVerifierKey(verifierKeyOf(signer.signer));
    if (!verifier.ok) throw new Error(verifier.message);
    expect(await hub.ledgerService.audit(verifier.verifier)).toMatchObject({ ok: true });
    hub.db.prepare("UPDATE ledger_deliveries SET items = '[]' WHERE idx = ?").run(ofBravo[0]?.index);
    expect(await hub.ledgerService.audit(verifier.verifier)).toMatchObject({
      ok: false,
      index: ofBravo[0]?.index,
      message: expect.stringContaining('does not match its digest'),
    });
  });

  it('separates what was released from what was fetched in `report disclosures`', async () => {
    const objs = [release(hub, alpha.id), release(hub, alpha.id)];
    const { app, base } = await listen({});
    expect((await get(base, `${ROOT}/releases/objects/${objs[1]?.id}/`, alpha)).status).toBe(200);
    await flushDeliveries(app);
    // An overseer reads the report, signed in with a key of their own.
    const env = { TEARLINE_API_KEY: seedKeyQuietly(hub.paths.dir, 'overseer', 'oversight') };
    const report = await runTearline(
      [
        'report',
        'disclosures',
        '--partner',
        'alpha',
        '--from',
        '2026-06-01',
        '--to',
        '2026-06-02',
        '--format',
        'json',
        '--data',
        hub.paths.dir,
      ],
      { env },
    );
    expect(report.stderr).toBe('');
    const doc = JSON.parse(report.stdout);
    expect(doc.fetched).toEqual([
      expect.objectContaining({
        derived_id: objs[1]?.id,
        version: objs[1]?.modified,
        period_start: '2026-06-01T00:00:00.000Z',
      }),
    ]);
    const csv = await runTearline(
      [
        'report',
        'disclosures',
        '--partner',
        'alpha',
        '--from',
        '2026-06-01',
        '--to',
        '2026-06-02',
        '--table',
        'fetched',
        '--data',
        hub.paths.dir,
      ],
      { env },
    );
    // One table per output: the fetched list alone, as a spreadsheet opens it.
    expect(csv.stdout.split('\r\n')[0]).toBe(
      'period_start,period_end,derived_id,version,original_id,ledger_index',
    );
    expect(csv.stdout).toContain(objs[1]?.id as string);
    expect(csv.stdout).not.toContain(objs[0]?.id as string);
  });

  it('writes a period closed early at once, without waiting for the timer', async () => {
    const a = [release(hub, alpha.id), release(hub, alpha.id), release(hub, alpha.id)];
    const { base } = await listen({
      deliveries: { periodMs: 60_000, flushEveryMs: 3_600_000, maxHeldPairs: 2 },
    });
    expect((await get(base, `${ROOT}/releases/objects/?limit=2`, alpha)).status).toBe(200);
    const day = ['2026-06-01T00:00:00.000Z', '2026-06-02T00:00:00.000Z'] as const;
    // No flush and no timer: the bound alone makes the write happen.
    let written = await hub.state.deliveries.list(alpha.id, ...day);
    for (let i = 0; i < 100 && written.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      written = await hub.state.deliveries.list(alpha.id, ...day);
    }
    expect(written.map((d) => d.items)).toEqual([[a[0], a[1]].map((o) => [o?.id, o?.modified]).sort()]);
  });

  it('records nothing when turned off', async () => {
    release(hub, alpha.id);
    const { app, base } = await listen({ deliveries: { periodMs: 0 } });
    expect((await get(base, `${ROOT}/releases/objects/`, alpha)).status).toBe(200);
    await flushDeliveries(app);
    await app.close();
    expect(
      await hub.state.deliveries.list(alpha.id, '2000-01-01T00:00:00.000Z', '2100-01-01T00:00:00.000Z'),
    ).toEqual([]);
  });
});
