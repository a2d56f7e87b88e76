// The recipient's pull (issue 25) in process, on both engines: a relay server on loopback, a
// recipient hub, and a sender that seals with test keys. What is measured is what the relay
// serves and what the recipient's store holds.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { RelayClient } from '../src/app/relay-client.js';
import { ensureSealingKey, loadSealingKey } from '../src/app/relay-key-file.js';
import { pullFromRelay } from '../src/app/relay-pull.js';
import { buildRelayServer } from '../src/app/relay-server.js';
import { signCheckpoint } from '../src/ledger/ledger-checkpoint.js';
import { sealEntry } from '../src/ledger/ledger-commitment.js';
import { MemoryTree } from '../src/ledger/ledger-memory-tree.js';
import { formatVerifierKey } from '../src/ledger/ledger-note.js';
import { formatReceipt } from '../src/ledger/ledger-receipt.js';
import { encodeBundle, type RelayPayload } from '../src/relay/relay-bundle.js';
import { envelopeDigest, FIRST_PREVIOUS, mailboxIdOf } from '../src/relay/relay-envelope.js';
import { parseSealingPublicKey } from '../src/relay/relay-keys.js';
import { sealEnvelope } from '../src/relay/relay-seal.js';
import { type TestHubKeys, testHubKeys } from '../src/relay/relay-test-keys.js';
import { RelayMailStore } from '../src/store/hub/relay-mail-store.js';
import { describeOnHubEngines, type EngineHub, openSqliteEngineHub } from './hub-engines.js';
import { REPO_ROOT } from './run-cli.js';

const SENDER = 'hq.example';

interface Setup {
  relayHub: EngineHub;
  recipient: EngineHub;
  server: FastifyInstance;
  url: string;
  senderToken: string;
  recipientToken: string;
  hq: TestHubKeys;
  /** Envelopes the relay served to the recipient, counted at the relay's HTTP edge. */
  served: number[];
  sent: { sequence: number; digest: string };
}

function indicator(n: number): Record<string, unknown> {
  const t = '2026-06-01T00:00:00.000Z';
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: t,
    modified: t,
    name: `relay test indicator ${n}`,
    pattern: `[domain-name:value = 'n${n}.relay-test.example']`,
    pattern_type: 'stix',
    valid_from: t,
  };
}

async function setUp(openRecipient: () => Promise<EngineHub>): Promise<Setup> {
  const relayHub = await openSqliteEngineHub();
  const recipient = await openRecipient();
  const me = recipient.hub.config.hub_name;
  ensureSealingKey(recipient.hub.paths, me);
  const hq = await testHubKeys(SENDER, 1);
  const mail = new RelayMailStore(relayHub.hub.sql);
  const t = relayHub.clock.now();
  const s = await mail.addHub(SENDER, formatVerifierKey(SENDER, hq.signer.publicKey), t);
  const r = await mail.addHub(me, 'unused+00000000+AQ==', t);
  if (!s.ok || !r.ok) throw new Error('relay hubs');
  await mail.link(SENDER, me, t);
  const server = buildRelayServer(relayHub.hub, { failedLoginDelayMs: 0 });
  const served: number[] = [];
  server.addHook('onSend', async (request, _reply, payload) => {
    if (request.method === 'GET' && request.url.includes('/objects/') && Buffer.isBuffer(payload))
      served.push((JSON.parse(payload.toString()) as { objects?: unknown[] }).objects?.length ?? 0);
    return payload;
  });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    relayHub,
    recipient,
    server,
    url: `http://127.0.0.1:${port}/`,
    senderToken: s.token,
    recipientToken: r.token,
    hq,
    served,
    sent: { sequence: 0, digest: FIRST_PREVIOUS },
  };
}

const IDENTITY = {
  type: 'identity',
  spec_version: '2.1',
  id: 'identity--6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  created: '2026-06-01T00:00:00.000Z',
  modified: '2026-06-01T00:00:00.000Z',
  name: 'HQ (relay test)',
  identity_class: 'organization',
};

/**
 * The sender's ledger as a partner sees it: a 'relay-bundle' entry for the bundle (its sequence
 * and the SHA-256 of its bytes), in a tree whose checkpoint the sender's key signs, and the
 * inclusion receipt for it.
 */
function bundleReceipt(x: Setup, sequence: number, payload: RelayPayload): Record<string, unknown> {
  const sealed = sealEntry(
    {
      kind: 'relay-bundle',
      time: '2026-06-01T00:00:00.000Z',
      actor: 'relay-push',
      partner: 'kabul',
      sequence,
      count: payload.objects.length,
      digest: encodeBundle(payload).digest,
    },
    randomBytes(32),
  );
  if (!sealed.ok) throw new Error(sealed.message);
  // Other entries before it, as in a real ledger: the proof is not empty.
  const leaves = [...Array.from({ length: 5 }, (_, i) => Buffer.from(`other entry ${i}`)), sealed.leaf];
  const tree = MemoryTree.fromEntries(leaves);
  const signed = signCheckpoint({ origin: SENDER, size: leaves.length, root: tree.root() }, x.hq.signer);
  if (!signed.ok) throw new Error(signed.message);
  const index = leaves.length - 1;
  const proof = tree.proveInclusion(index);
  if (!proof.ok) throw new Error(proof.message);
  return JSON.parse(
    formatReceipt({ index, entry: sealed.leaf, checkpoint: signed.note, proof: proof.proof }),
  );
}

/** How a test forges an envelope: what it carries against what the ledger recorded, its receipt. */
interface Forge {
  /** What the sender's ledger records (and the envelope carries unless `carried` says otherwise). */
  recorded?(p: RelayPayload): RelayPayload;
  carried?(p: RelayPayload): RelayPayload;
  recordedSequence?(n: number): number;
  receipt?(r: Record<string, unknown>): Record<string, unknown> | undefined;
}

/** Seals `count` envelopes of `perEnvelope` new indicators (and the hub's identity) each and posts them. */
async function send(x: Setup, count: number, perEnvelope = 3, forge: Forge = {}): Promise<void> {
  const me = x.recipient.hub.config.hub_name;
  const key = await loadSealingKey(x.recipient.hub.paths, me);
  if (!key.ok) throw new Error(key.message);
  const recipient = parseSealingPublicKey(key.key.publicKeyText);
  if (!recipient.ok) throw new Error(recipient.message);
  const envelopes = [];
  for (let i = 0; i < count; i++) {
    const objects = Array.from({ length: perEnvelope }, (_, n) => indicator(x.sent.sequence * 100 + n));
    const sequence = x.sent.sequence + 1;
    const base: RelayPayload = {
      objects: [IDENTITY, ...objects],
      feed: { after_us: 0, through_us: 1 },
      releases: objects.map((o) => ({ derived_id: o.id as string, release_id: `release--${randomUUID()}` })),
    };
    const recorded = forge.recorded ? forge.recorded(base) : base;
    const receipt = bundleReceipt(x, forge.recordedSequence?.(sequence) ?? sequence, recorded);
    const forged = forge.receipt ? forge.receipt(receipt) : receipt;
    const sealed = await sealEnvelope({
      id: `x-tearline-sealed-envelope--${randomUUID()}`,
      created: new Date().toISOString(),
      signer: x.hq.signer,
      recipient: recipient.publicKey,
      sequence,
      previousDigest: x.sent.digest,
      payload: forge.carried ? forge.carried(recorded) : recorded,
      ...(forged && { receipt: forged }),
    });
    if (!sealed.ok) throw new Error(sealed.message);
    x.sent = { sequence, digest: envelopeDigest(sealed.envelope) };
    envelopes.push(sealed.envelope);
  }
  const status = await new RelayClient(x.url, x.senderToken).post(mailboxIdOf(SENDER, me), envelopes);
  expect(status.failures ?? []).toEqual([]);
}

const pull = (x: Setup, faults = {}) =>
  pullFromRelay(x.recipient.hub, x.url, x.recipientToken, x.hq.verifier, 'test-analyst', faults);

async function counts(x: Setup) {
  const sql = x.recipient.hub.sql;
  const n = async (q: string) => Number((await sql.get<{ n: number }>(q))?.n ?? 0);
  return {
    objects: await n("SELECT count(*) AS n FROM objects WHERE type = 'indicator'"),
    inbox: await n('SELECT count(*) AS n FROM relay_inbox'),
    received: (
      await x.recipient.hub.ledgerService.readEntries(0, await x.recipient.hub.ledgerService.size())
    ).filter((e) => e.kind === 'relay-received').length,
  };
}

describeOnHubEngines('relay pull', (open) => {
  let x: Setup;
  beforeEach(async () => {
    x = await setUp(open);
  }, 60_000);
  afterEach(async () => {
    await x.server.close();
    await x.recipient.close();
    await x.relayHub.close();
  });

  it('asks the relay only for what follows the last envelope it took', async () => {
    await send(x, 4);
    const first = await pull(x);
    expect(first).toMatchObject({ fetched: 4, accepted: 4, receipts: 4, problems: [] });
    expect(x.served.reduce((a, b) => a + b, 0)).toBe(4);
    x.served.length = 0;
    await send(x, 2);
    const second = await pull(x);
    expect(second).toMatchObject({ fetched: 2, accepted: 2, problems: [] });
    expect(second.objects.added).toBe(6);
    // The relay served the two new envelopes and nothing it had served before.
    expect(x.served.reduce((a, b) => a + b, 0)).toBe(2);
    x.served.length = 0;
    expect(await pull(x)).toMatchObject({ fetched: 0, accepted: 0, problems: [] });
    expect(x.served).toEqual([0]);
    expect(await counts(x)).toEqual({ objects: 18, inbox: 6, received: 6 });
  });

  it('imports and records an envelope together: a pull killed (kill -9) between them leaves neither, and the next pull takes it once', async () => {
    await send(x, 3);
    const before = await counts(x);
    const child = spawn(
      process.execPath,
      [
        join(REPO_ROOT, 'test', 'relay-pull-kill-child.mjs'),
        x.recipient.hub.paths.dir,
        x.url,
        x.recipientToken,
        formatVerifierKey(SENDER, x.hq.signer.publicKey),
        '2',
        ...(x.recipient.dbUrl ? [x.recipient.dbUrl] : []),
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const ended = once(child, 'exit');
    // Envelope 2's objects are written, its record not: the kill lands inside their transaction.
    let out = '';
    for await (const chunk of child.stdout) {
      out += String(chunk);
      if (out.includes('imported 2')) break;
    }
    expect(out, stderr).toContain('imported 2');
    child.kill('SIGKILL');
    const [, signal] = await ended;
    expect(signal).toBe('SIGKILL');
    // Envelope 1 was taken whole; envelope 2's objects went with its missing record.
    expect(await counts(x)).toEqual({
      objects: before.objects + 3,
      inbox: before.inbox + 1,
      received: before.received + 1,
    });
    const again = await pull(x);
    expect(again).toMatchObject({ fetched: 2, accepted: 2, problems: [] });
    // The hub's identity rides in every envelope: taken with envelope 1, a duplicate after.
    expect(again.objects).toMatchObject({ added: 6, duplicates: 2 });
    expect(await counts(x)).toEqual({
      objects: before.objects + 9,
      inbox: before.inbox + 3,
      received: before.received + 3,
    });
  });

  it('refuses an envelope whose bundle receipt is tampered, misplaced or missing, or whose content differs from what the hub recorded (identity included), saying why, and takes nothing after it', async () => {
    const cases: [string, Forge, RegExp][] = [
      [
        'proof',
        {
          receipt: (r) => ({
            ...r,
            proof: (r.proof as string[]).map(() => Buffer.alloc(32, 7).toString('base64')),
          }),
        },
        /bundle receipt does not verify: receipt: .*(root|proof)/,
      ],
      [
        'signer',
        // The same receipt under a checkpoint whose signature is not the sender's.
        {
          receipt: (r) => ({
            ...r,
            checkpoint: (r.checkpoint as string).replace(/— .*$/m, '— hq.example AAAA'),
          }),
        },
        /bundle receipt does not verify/,
      ],
      [
        'another indicator',
        {
          carried: (p) => ({
            ...p,
            objects: p.objects.map((o) => (o.type === 'indicator' ? { ...o, name: 'changed' } : o)),
          }),
        },
        /bundle receipt names bundle digest [0-9a-f]{64}, but the bytes opened hash to/,
      ],
      [
        'tampered identity',
        {
          carried: (p) => ({
            ...p,
            objects: p.objects.map((o) => (o.type === 'identity' ? { ...o, name: 'Someone else' } : o)),
          }),
        },
        /bundle receipt names bundle digest [0-9a-f]{64}, but the bytes opened hash to/,
      ],
      [
        'tampered marking definition',
        {
          carried: (p) => ({
            ...p,
            objects: [
              ...p.objects,
              {
                type: 'marking-definition',
                spec_version: '2.1',
                id: 'marking-definition--0c9b1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4',
                created: '2026-06-01T00:00:00.000Z',
                definition_type: 'statement',
                definition: { statement: 'slipped in after the hub recorded the bundle' },
              },
            ],
          }),
        },
        /bundle receipt names bundle digest [0-9a-f]{64}, but the bytes opened hash to/,
      ],
      ['another envelope', { recordedSequence: (n) => n + 1 }, /bundle receipt is for envelope 2, not 1/],
      ['missing', { receipt: () => undefined }, /comes without the sender hub's bundle receipt/],
      [
        'unreleased copy',
        // Recorded and carried alike, but a released copy names no release.
        { recorded: (p) => ({ ...p, releases: (p.releases ?? []).slice(1) }) },
        /indicator--.* names no release it came from/,
      ],
    ];
    for (const [name, forge, reason] of cases) {
      const fresh = await setUp(open);
      try {
        await send(fresh, 1, 3, forge);
        await send(fresh, 1, 3);
        const r = await pullFromRelay(
          fresh.recipient.hub,
          fresh.url,
          fresh.recipientToken,
          fresh.hq.verifier,
          'a',
        );
        expect(r.accepted, name).toBe(0);
        expect(r.problems.join('\n'), name).toMatch(reason);
        expect((await counts(fresh)).objects, name).toBe(0);
      } finally {
        await fresh.server.close();
        await fresh.recipient.close();
        await fresh.relayHub.close();
      }
    }
  });
});
