import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../ledger/ledger-checkpoint.js';
import { openCosignatures, parseCosignerVerifierKey } from '../ledger/ledger-cosignature.js';
import { parseVerifierKey } from '../ledger/ledger-note.js';
import { formatAddCheckpoint } from '../ledger/ledger-witness-request.js';
import { parseWitnessLogs } from './witness-logs.js';
import { createWitnessServer, type WitnessLimits } from './witness-server.js';
import { WitnessState } from './witness-state.js';
import { TestLog, testWitnessKey } from './witness-test-log.js';

const HUB = TestLog.create('hub.example', 1, 'h', 40);
const FORK = TestLog.create('hub.example', 1, 'f', 40, HUB, 5);
const OTHER = TestLog.create('other.example', 2, 'o', 10);
const W = testWitnessKey('witness.example/w1', 9);
const T0 = new Date('2026-11-28T10:00:00Z');

let dir: string;
let state: WitnessState;
let server: Server;
let base: string;

async function start(limits: Partial<WitnessLimits> = {}): Promise<void> {
  state = new WitnessState(join(dir, 'witness.db'));
  const logs = parseWitnessLogs([`hub.example=${HUB.key}`]);
  if (!logs.ok) throw new Error(logs.message);
  server = createWitnessServer({
    state,
    cosigner: W.cosigner,
    logs: logs.logs,
    now: () => T0,
    limits,
  }) as Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  base = `http://127.0.0.1:${address.port}`;
}

async function stop(): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  state.close();
}

const post = async (body: string | Uint8Array, path = '/add-checkpoint') => {
  const res = await fetch(`${base}${path}`, { method: 'POST', body });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tearline-witness-'));
  await start();
});
afterEach(async () => {
  await stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('witness over HTTP (C2SP tlog-witness)', () => {
  it('returns a cosignature that verifies with the witness key over the checkpoint, and serves it to monitors', async () => {
    const res = await post(HUB.body(0, 7));
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^\u2014 witness\.example\/w1 [A-Za-z0-9+/]+=*\n$/u);
    const verifier = parseCosignerVerifierKey(W.key);
    if (!verifier.ok) throw new Error(verifier.message);
    const opened = openCosignatures(`${HUB.note(7)}${res.text}`, [verifier.verifier]);
    expect(opened.ok && opened.cosignatures.map((c) => c.timestamp)).toEqual([T0.getTime() / 1000]);
    // Monitoring: the checkpoint with the log's signature and the cosignature, at sha256(origin).
    const hash = createHash('sha256').update('hub.example').digest('hex');
    const read = await fetch(`${base}/${hash}/checkpoint`);
    expect(read.status).toBe(200);
    const note = await read.text();
    expect(note).toBe(`${HUB.note(7)}${res.text}`);
    const hubVerifier = parseVerifierKey(HUB.key);
    expect(hubVerifier.ok && openCheckpoint(note, hubVerifier.verifier).ok).toBe(true);
    expect((await fetch(`${base}/${'0'.repeat(64)}/checkpoint`)).status).toBe(404);
  });

  it('answers every refusal with the status and body the spec gives', async () => {
    expect((await post(HUB.body(0, 10))).status).toBe(200);
    expect(await post(OTHER.body(0, 5))).toMatchObject({ status: 404 });
    const forged = TestLog.create('hub.example', 3, 'h', 40);
    expect(await post(forged.body(10, 12))).toMatchObject({ status: 403 });
    expect(await post(HUB.body(10, 9))).toMatchObject({ status: 400, text: /old size 10 is larger/ });
    expect(await post(HUB.body(4, 12))).toEqual({ status: 409, type: 'text/x.tlog.size', text: '10\n' });
    expect(await post(FORK.body(10, 20))).toMatchObject({ status: 422, text: /not consistent/ });
    expect(await post(FORK.body(10, 10))).toMatchObject({ status: 422, text: /root differs/ });
    expect(await post(formatAddCheckpoint(10, [], HUB.note(12)))).toMatchObject({ status: 422 });
    expect(await post('old 10\n\n')).toMatchObject({ status: 400, text: /checkpoint after the blank line/ });
    expect(await post('hello')).toMatchObject({ status: 400 });
    expect(await post(new Uint8Array([0x6f, 0x6c, 0x64, 0x20, 0xff, 0x0a, 0x0a]))).toMatchObject({
      status: 400,
      text: /UTF-8/,
    });
    expect((await fetch(`${base}/add-checkpoint`)).status).toBe(405);
    expect((await post('x', '/add-checkpoint/')).status).toBe(404);
    expect((await post('x', '/')).status).toBe(404);
    // The fork's signed checkpoints were kept as evidence against the log; 409s and 404s were not.
    expect(state.evidence('hub.example').map((e) => e.status)).toEqual([400, 422, 422, 422]);
    expect(state.held('hub.example')?.size).toBe(10);
  });

  it('marks every answer not to be cached or content-sniffed', async () => {
    const answers = [
      await fetch(`${base}/add-checkpoint`, { method: 'POST', body: HUB.body(0, 10) }),
      await fetch(`${base}/add-checkpoint`, { method: 'POST', body: HUB.body(4, 12) }),
      await fetch(`${base}/add-checkpoint`, { method: 'POST', body: 'hello' }),
      await fetch(`${base}/add-checkpoint`, { method: 'POST', body: 'A'.repeat(70 * 1024) }),
      await fetch(`${base}/${createHash('sha256').update('hub.example').digest('hex')}/checkpoint`),
      await fetch(`${base}/nothing`),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 409, 400, 413, 200, 404]);
    for (const r of answers) {
      await r.arrayBuffer();
      expect([r.headers.get('cache-control'), r.headers.get('x-content-type-options')]).toEqual([
        'no-store',
        'nosniff',
      ]);
    }
  });

  it('refuses a body over the limit, announced or streamed, without reading it all', async () => {
    const big = 'A'.repeat(70 * 1024);
    expect(await post(`old 0\n${big}`)).toMatchObject({ status: 413 });
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 100; i++) c.enqueue(new TextEncoder().encode(big.slice(0, 1024)));
        c.close();
      },
    });
    const res = await fetch(`${base}/add-checkpoint`, {
      method: 'POST',
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
  });

  it('cuts off a client that sends its body too slowly', async () => {
    await stop();
    await start({ requestTimeoutMs: 300, headersTimeoutMs: 200 });
    const port = Number(new URL(base).port);
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write('POST /add-checkpoint HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nold 0\n');
      });
      let got = '';
      socket.on('data', (d) => {
        got += d.toString();
      });
      socket.on('close', () => resolve(got));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('keeps its state across a restart and goes on from it', async () => {
    expect((await post(HUB.body(0, 8))).status).toBe(200);
    expect((await post(HUB.body(8, 15))).status).toBe(200);
    await stop();
    await start();
    expect(state.held('hub.example')?.size).toBe(15);
    expect(await post(HUB.body(8, 20))).toMatchObject({ status: 409, text: '15\n' });
    expect(await post(FORK.body(15, 20))).toMatchObject({ status: 422 });
    expect((await post(HUB.body(15, 20))).status).toBe(200);
  });

  it('lets exactly one of many simultaneous pushes from the same old size through', async () => {
    expect((await post(HUB.body(0, 5))).status).toBe(200);
    const sizes = [6, 9, 12, 20, 25, 33, 40];
    const results = await Promise.all(sizes.map((n) => post(HUB.body(5, n))));
    const won = results.flatMap((r, i) => (r.status === 200 ? [sizes[i]] : []));
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).every((r) => r.text === `${won[0]}\n`)).toBe(true);
    expect(state.held('hub.example')?.size).toBe(won[0]);
  });
});
