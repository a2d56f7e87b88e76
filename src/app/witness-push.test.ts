import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import type { LedgerEntry } from '../ledger/ledger-entry.js';
import { createSigner, formatVerifierKey, type NoteSigner } from '../ledger/ledger-note.js';
import { verifyWitnessedReceipt } from '../ledger/ledger-receipt-witnessed.js';
import { formatAddCheckpoint } from '../ledger/ledger-witness-request.js';
import { openTestSchema, TEST_PG_URL } from '../store/postgres/pg-test-schema.js';
import { openSqlite } from '../store/sqlite/database.js';
import { parseWitnessLogs } from '../witness/witness-logs.js';
import { createWitnessServer } from '../witness/witness-server.js';
import { WitnessState } from '../witness/witness-state.js';
import { testWitnessKey } from '../witness/witness-test-log.js';
import { DEFAULT_CONFIG, dataDirPaths } from './data-dir.js';
import { createHub, type SqliteHub } from './hub.js';
import { openPgServedHub } from './hub-postgres.js';
import { witnessTargetsOf } from './witness-config.js';
import { WitnessPusher, type WitnessPushResult } from './witness-push.js';

const T0 = '2026-11-28T10:00:00.000Z';
const work = mkdtempSync(join(tmpdir(), 'tearline-witness-push-'));
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const signerOf = (seed: number): NoteSigner => {
  const made = createSigner(DEFAULT_CONFIG.hub_name, Buffer.alloc(32, seed));
  if (!made.ok) throw new Error(made.message);
  return made.signer;
};
const HUB_SIGNER = signerOf(1);
const HUB_KEY = formatVerifierKey(HUB_SIGNER.name, HUB_SIGNER.publicKey);

const entry = (i: number, tag = 'a'): LedgerEntry => ({
  kind: 'partner-change',
  time: T0,
  actor: 'admin',
  partner: `partner-${tag}-${i}`,
  change: 'created',
  digest: `sha256:${i}`,
});

let stateNo = 0;

/** A real witness (the same server `tearline witness serve` runs) on a loopback port. */
async function startWitness(
  name: string,
  seed: number,
  port = 0,
  statePath = join(work, `w${stateNo++}.db`),
) {
  const w = testWitnessKey(name, seed);
  const state = new WitnessState(statePath);
  const logs = parseWitnessLogs([`${DEFAULT_CONFIG.hub_name}=${HUB_KEY}`]);
  if (!logs.ok) throw new Error(logs.message);
  const server = createWitnessServer({
    state,
    cosigner: w.cosigner,
    logs: logs.logs,
    now: () => new Date(T0),
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  const stop = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    state.close();
  };
  cleanups.push(stop);
  return { key: w.key, url: `http://127.0.0.1:${address.port}`, port: address.port, state, stop, statePath };
}

function hubWith(witnesses: { url: string; key: string }[], tag = 'a', signer = HUB_SIGNER) {
  const hub: SqliteHub = createHub(
    dataDirPaths('/nonexistent'),
    { ...DEFAULT_CONFIG, witnesses: witnesses.map(({ url, key }) => ({ url, key })) },
    openSqlite(':memory:'),
    new ManualClock(T0),
  );
  cleanups.push(() => hub.close());
  const grow = (n: number) => {
    const first = hub.ledger.size();
    const res = hub.ledger.appendEntries(Array.from({ length: n }, (_, i) => entry(first + i, tag)));
    if (!res.ok) throw new Error(res.message);
    const cp = hub.checkpoints.checkpoint(hub.clock.now(), signer);
    if (!cp.ok) throw new Error(cp.message);
    return cp.checkpoint;
  };
  const pusher = (opts: Partial<ConstructorParameters<typeof WitnessPusher>[0]> = {}) => {
    const p = new WitnessPusher({
      ledger: hub.ledgerService,
      cosignatures: hub.cosignatures,
      witnesses: witnessTargetsOf(hub.config),
      now: () => hub.clock.now(),
      ...opts,
    });
    cleanups.push(() => p.stop());
    return p;
  };
  return { hub, grow, pusher };
}

describe('the hub pushes checkpoints to its witnesses', () => {
  it('gets each checkpoint cosigned by two witnesses and hands out receipts that meet a quorum of 2', async () => {
    const a = await startWitness('w.example/a', 11);
    const b = await startWitness('w.example/b', 12);
    const { hub, grow, pusher } = hubWith([a, b]);
    const p = pusher();
    grow(5);
    expect((await p.pushAll()).map((r) => r.ok && r.size)).toEqual([5, 5]);
    grow(7);
    expect((await p.pushAll()).map((r) => r.ok && r.fresh)).toEqual([true, true]);
    expect(a.state.held('tearline.local')?.size).toBe(12);
    const receipt = await hub.ledgerService.receipt(3);
    if (!receipt.ok) throw new Error(receipt.message);
    const verified = verifyWitnessedReceipt(receipt.json, HUB_KEY, { witnesses: [a.key, b.key], quorum: 2 });
    expect(verified.ok && verified.cosignatures.map((c) => c.name)).toEqual(['w.example/a', 'w.example/b']);
    expect(verified.ok && verified.checkpoint.size).toBe(12);
    // A third push of the same checkpoint asks nobody: the cosignatures are kept.
    expect((await p.pushAll()).map((r) => r.ok && r.fresh)).toEqual([false, false]);
    // Served at /ledger/checkpoint too.
    expect((await hub.ledgerService.latestCosigned())?.witnesses).toEqual(['w.example/a', 'w.example/b']);
  });

  it('re-sends from the size a witness names in its 409', async () => {
    const a = await startWitness('w.example/a', 11);
    const { hub, grow, pusher } = hubWith([a]);
    grow(4);
    const cp = grow(6);
    // Another process of this hub got checkpoint 10 cosigned already; this one does not know.
    const proof = hub.ledger.proveConsistency(4, 10);
    if (!proof.ok) throw new Error(proof.message);
    await fetch(`${a.url}/add-checkpoint`, {
      method: 'POST',
      body: `old 0\n\n${hub.checkpoints.at(4)?.note}`,
    });
    const r = await fetch(`${a.url}/add-checkpoint`, {
      method: 'POST',
      body: formatAddCheckpoint(4, proof.proof, cp.note),
    });
    expect(r.status).toBe(200);
    grow(3);
    const results = await pusher().pushAll();
    expect(results).toEqual([
      { witness: 'w.example/a', ok: true, size: 13, cosignedUnix: Date.parse(T0) / 1000, fresh: true },
    ]);
    expect(a.state.held('tearline.local')?.size).toBe(13);
  });

  it('backs off while a witness is down and catches up when it is back', async () => {
    const a = await startWitness('w.example/a', 11);
    const { port, url, key } = a;
    await a.stop();
    const { hub, grow, pusher } = hubWith([{ url, key }]);
    const events: (WitnessPushResult & { retryInMs?: number })[] = [];
    const p = pusher({
      backoff: { baseMs: 40, maxMs: 1000 },
      random: () => 1,
      onResult: (r) => events.push(r),
    });
    grow(3);
    p.wake();
    await expect.poll(() => events.length).toBeGreaterThanOrEqual(1);
    p.wake(); // too early: backing off, no second attempt yet
    await expect.poll(() => p.status()[0]?.failures).toBe(1);
    await new Promise((r) => setTimeout(r, 60));
    p.wake();
    await expect.poll(() => events.length).toBeGreaterThanOrEqual(2);
    expect(events.map((e) => !e.ok && [e.code, e.retryInMs])).toEqual([
      ['unreachable', 40],
      ['unreachable', 80],
    ]);
    const back = await startWitness('w.example/a', 11, port, a.statePath);
    await new Promise((r) => setTimeout(r, 100));
    p.wake();
    await expect.poll(() => back.state.held('tearline.local')?.size).toBe(3);
    await expect.poll(() => p.status()[0]?.failures).toBe(0);
    expect((await hub.ledgerService.latestCosigned())?.witnesses).toEqual(['w.example/a']);
  });

  it("never holds up the hub's own work: a witness that never answers only delays its own cosignature", async () => {
    const sockets = new Set<import('node:net').Socket>();
    const silent: Server = createServer(() => {}); // accepts, reads, never answers
    silent.on('connection', (s) => sockets.add(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const s of sockets) s.destroy();
          silent.close(() => resolve());
        }),
    );
    const address = silent.address();
    if (typeof address !== 'object' || !address) throw new Error('no address');
    const a = await startWitness('w.example/a', 11);
    const mute = testWitnessKey('w.example/mute', 13);
    const { hub, grow, pusher } = hubWith([a, { url: `http://127.0.0.1:${address.port}`, key: mute.key }]);
    const events: WitnessPushResult[] = [];
    const p = pusher({ timeoutMs: 1500, onResult: (r) => events.push(r) });
    grow(2);
    p.wake();
    // Meanwhile the hub appends, signs and serves receipts as usual.
    grow(5);
    const receipt = await hub.ledgerService.receipt(1);
    expect(receipt.ok).toBe(true);
    await expect.poll(() => a.state.held('tearline.local')?.size).toBeGreaterThanOrEqual(2);
    expect(events.some((e) => e.witness === 'w.example/mute')).toBe(false);
    await expect
      .poll(() => events.find((e) => e.witness === 'w.example/mute'), { timeout: 5000 })
      .toMatchObject({
        ok: false,
        code: 'unreachable',
        message: /no answer within 1500 ms/,
      });
  });

  it('is refused by its witness when it signs a fork, and keeps no cosignature for it', async () => {
    const a = await startWitness('w.example/a', 11);
    const honest = hubWith([a], 'a');
    honest.grow(6);
    expect((await honest.pusher().pushAll())[0]?.ok).toBe(true);
    // The same hub key signing another history (entries from 'b'), shown to the same witness.
    const forked = hubWith([a], 'b');
    forked.grow(9);
    const [result] = await forked.pusher().pushAll();
    expect(result).toMatchObject({ ok: false, code: 'inconsistent', message: /HTTP 422/ });
    expect(await forked.hub.cosignatures.linesFor(9)).toEqual([]);
    expect(a.state.held('tearline.local')?.size).toBe(6);
    expect(a.state.evidence('tearline.local')).toHaveLength(1);
    // A fork that claims the witness's size with its own root is refused the same way.
    const shorter = hubWith([a], 'c');
    shorter.grow(6);
    expect((await shorter.pusher().pushAll())[0]).toMatchObject({ ok: false, code: 'inconsistent' });
  });

  it('refuses an answer that is not a cosignature by the configured key', async () => {
    const impostor: Server = createServer((_req, res) => {
      res.end(`${testWitnessKey('w.example/a', 99).cosigner.cosign('tearline.local\n1\nx\n', 5)}\n`);
    });
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => impostor.close(() => resolve())));
    const address = impostor.address();
    if (typeof address !== 'object' || !address) throw new Error('no address');
    const { hub, grow, pusher } = hubWith([
      { url: `http://127.0.0.1:${address.port}`, key: testWitnessKey('w.example/a', 11).key },
    ]);
    grow(1);
    expect((await pusher().pushAll())[0]).toMatchObject({ ok: false, code: 'bad-cosignature' });
    expect(await hub.cosignatures.linesFor(1)).toEqual([]);
  });
});

describe.skipIf(!TEST_PG_URL)('witnessing a hub on PostgreSQL', () => {
  it('two hub processes push to the same witnesses; one cosignature per witness and checkpoint is kept', async () => {
    const a = await startWitness('w.example/a', 11);
    const b = await startWitness('w.example/b', 12);
    const schema = await openTestSchema('wp');
    cleanups.push(() => schema.drop());
    const url = `${TEST_PG_URL}${TEST_PG_URL.includes('?') ? '&' : '?'}schema=${schema.schema}`;
    const config = { ...DEFAULT_CONFIG, witnesses: [a, b].map(({ url, key }) => ({ url, key })) };
    const clock = new ManualClock(T0);
    const processes = [
      await openPgServedHub(dataDirPaths('/nonexistent'), config, url, clock),
      await openPgServedHub(dataDirPaths('/nonexistent'), config, url, clock),
    ];
    for (const h of processes) cleanups.push(() => h.close());
    const pushers = processes.map(
      (h) =>
        new WitnessPusher({
          ledger: h.ledgerService,
          cosignatures: h.cosignatures,
          witnesses: witnessTargetsOf(config),
          now: () => clock.now(),
          exclusive: (key, work) => h.sql.runExclusive(key, work),
        }),
    );
    for (const p of pushers) cleanups.push(() => p.stop());
    const [one, two] = processes as [(typeof processes)[0], (typeof processes)[0]];
    for (let round = 1; round <= 4; round++) {
      await one.sql.transaction((tx) => tx.appendLedger([entry(round)]));
      const cp = await (round % 2 ? one : two).ledgerService.checkpoint(clock.now(), HUB_SIGNER);
      if (!cp.ok) throw new Error(cp.message);
      for (const p of pushers) p.wake();
      await expect.poll(async () => (await two.cosignatures.linesFor(round)).length).toBe(2);
    }
    const rows = await one.sql.all<{ n: number }>(
      'SELECT count(*) AS n FROM ledger_cosignatures GROUP BY size, witness_key ORDER BY n DESC',
    );
    expect(rows.map((r) => r.n)).toEqual(Array(8).fill(1));
    const receipt = await two.ledgerService.receipt(0);
    if (!receipt.ok) throw new Error(receipt.message);
    const verified = verifyWitnessedReceipt(receipt.json, HUB_KEY, { witnesses: [a.key, b.key], quorum: 2 });
    expect(verified.ok && verified.checkpoint.size).toBe(4);
  });
});

process.on('exit', () => rmSync(work, { recursive: true, force: true }));
