// The liaison relay's throughput (issue 25): 100-object releases carried through a relay (the
// sender records each batch's bundle in its ledger, signs one checkpoint per round, seals each
// batch with its bundle receipt and signs it, posts it to the relay, which checks the signature
// and ciphertext digest, chains and ledgers it; the recipient fetches, verifies the signature,
// opens it and checks the receipt) against the same 100 objects fetched directly
// from the hub's TAXII server (Basic auth, pages of 100), in alternating rounds of one run, both
// over loopback HTTP in this process. Import into the recipient's store is left out of both.
// Figure: envelopes (pages) per second; target: relay >= 0.5 x direct.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { initDataDir } from '../src/app/data-dir.js';
import { openHub } from '../src/app/hub.js';
import { ensureLedgerKey } from '../src/app/ledger-key.js';
import { RelayClient } from '../src/app/relay-client.js';
import { buildRelayServer } from '../src/app/relay-server.js';
import { buildServer } from '../src/app/server.js';
import { signCheckpoint } from '../src/ledger/ledger-checkpoint.js';
import { sealEntry } from '../src/ledger/ledger-commitment.js';
import { hashLeaf } from '../src/ledger/ledger-hash.js';
import { MemoryTree } from '../src/ledger/ledger-memory-tree.js';
import { formatVerifierKey } from '../src/ledger/ledger-note.js';
import { formatReceipt } from '../src/ledger/ledger-receipt.js';
import { encodeBundle } from '../src/relay/relay-bundle.js';
import {
  envelopeDigest,
  FIRST_PREVIOUS,
  mailboxIdOf,
  parseSealedEnvelope,
} from '../src/relay/relay-envelope.js';
import { checkBundleReceipt } from '../src/relay/relay-hub-receipts.js';
import { openEnvelope, sealEnvelope } from '../src/relay/relay-seal.js';
import { testHubKeys } from '../src/relay/relay-test-keys.js';
import { PartnerStore } from '../src/store/hub/partner-store.js';
import { RelayMailStore } from '../src/store/hub/relay-mail-store.js';
import { openSqlite } from '../src/store/sqlite/database.js';
import { SqliteReleaseFeed } from '../src/store/sqlite/release-feed.js';
import { SqliteSql } from '../src/store/sqlite/sqlite-sql.js';
import { releaseIndicators } from './bench-taxii-load.js';
import { report } from './report.js';

const OBJECTS = 100;
const PAGES = Number(process.env.TEARLINE_BENCH_RELAY_PAGES ?? 40);
const ROUNDS = 5;
const ACCEPT = 'application/taxii+json;version=2.1';

const listen = async (app: FastifyInstance) => {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const a = app.server.address();
  return `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/`;
};

const dir = mkdtempSync(join(tmpdir(), 'tearline-bench-relay-'));
const apps: FastifyInstance[] = [];
try {
  // The sender hub's feed for one partner: PAGES x 100 released copies.
  const { paths } = initDataDir(join(dir, 'hub'));
  ensureLedgerKey(paths);
  const db = openSqlite(paths.database);
  const added = await new PartnerStore(new SqliteSql(db)).add(
    { name: 'ally' },
    { actor: 'bench', now: new Date(), randomBytes: (n) => randomBytes(n) },
  );
  if (!added.ok) throw new Error(added.message);
  const feed = new SqliteReleaseFeed(db);
  const copies = db
    .transaction(() =>
      releaseIndicators(
        feed,
        added.partner.id,
        { from: 0, to: PAGES * OBJECTS },
        new Date(Date.now() - 60_000),
      ),
    )
    .immediate();
  db.close();
  const hub = openHub(paths.dir);
  const taxii = buildServer(hub, { rate: { perSecond: 1e9, burst: 1e9 } });
  apps.push(taxii);
  const taxiiUrl = await listen(taxii);
  const basic = `Basic ${Buffer.from(`ally:${added.token}`).toString('base64')}`;

  // The sender's ledger as the envelopes carry it: a 'relay-bundle' entry per envelope, appended
  // per round under one checkpoint its key signs (as pushToRelay does with the hub's ledger).
  const hq = await testHubKeys('hq.example', 1);
  const ally = await testHubKeys('ally.example', 11);
  const releaseIds = copies.map(() => `release--${randomUUID()}`);
  const tree = new MemoryTree();
  const leaves: Buffer[] = [];
  const bundleLeaf = (sequence: number, count: number, digest: string) => {
    const s = sealEntry(
      {
        kind: 'relay-bundle',
        time: new Date().toISOString(),
        actor: 'relay-push',
        partner: 'ally',
        sequence,
        count,
        digest,
      },
      randomBytes(32),
    );
    if (!s.ok) throw new Error(s.message);
    leaves.push(s.leaf);
    tree.appendLeafHash(hashLeaf(s.leaf));
    return leaves.length - 1;
  };
  const receiptOf = (index: number, note: string) => {
    const p = tree.proveInclusion(index);
    if (!p.ok) throw new Error(p.message);
    return JSON.parse(
      formatReceipt({ index, entry: leaves[index] as Buffer, checkpoint: note, proof: p.proof }),
    ) as Record<string, unknown>;
  };

  // A relay on its own data dir.
  const relayPaths = initDataDir(join(dir, 'relay')).paths;
  ensureLedgerKey(relayPaths);
  const relayHub = openHub(relayPaths.dir);
  const mail = new RelayMailStore(relayHub.sql);
  const s = await mail.addHub('hq.example', formatVerifierKey('hq.example', hq.signer.publicKey), new Date());
  const r = await mail.addHub('ally.example', 'unused+00000000+AQ==', new Date());
  if (!s.ok || !r.ok) throw new Error('relay hubs');
  await mail.link('hq.example', 'ally.example', new Date());
  const relay = buildRelayServer(relayHub, { rate: { perSecond: 1e9, burst: 1e9 } });
  apps.push(relay);
  const relayUrl = await listen(relay);
  const sender = new RelayClient(relayUrl, s.token);
  const recipient = new RelayClient(relayUrl, r.token);
  const mailbox = mailboxIdOf('hq.example', 'ally.example');
  let chain = { sequence: 0, digest: FIRST_PREVIOUS };
  let taken = 0;

  /** One round through the relay: PAGES envelopes sealed, posted, fetched, opened and checked. */
  const throughRelay = async () => {
    const waiting: unknown[] = [];
    const bundles = Array.from({ length: PAGES }, (_, p) => {
      const objects = copies.slice(p * OBJECTS, (p + 1) * OBJECTS);
      const encoded = encodeBundle({
        objects,
        feed: { after_us: 0, through_us: 0 },
        releases: objects.map((o, i) => ({
          derived_id: o.id,
          release_id: releaseIds[p * OBJECTS + i] as string,
        })),
      });
      return { encoded, index: bundleLeaf(chain.sequence + 1 + p, objects.length, encoded.digest) };
    });
    const signed = signCheckpoint({ origin: 'hq.example', size: tree.size, root: tree.root() }, hq.signer);
    if (!signed.ok) throw new Error(signed.message);
    for (const [p, b] of bundles.entries()) {
      const sealed = await sealEnvelope({
        id: `x-tearline-sealed-envelope--${randomUUID()}`,
        created: new Date().toISOString(),
        signer: hq.signer,
        recipient: ally.sealing,
        sequence: chain.sequence + 1,
        previousDigest: chain.digest,
        payload: b.encoded,
        receipt: receiptOf(b.index, signed.note),
      });
      if (!sealed.ok) throw new Error(sealed.message);
      chain = { sequence: chain.sequence + 1, digest: envelopeDigest(sealed.envelope) };
      waiting.push(sealed.envelope);
      // Posted 20 at a time, as relay push does.
      if (waiting.length === 20 || p === PAGES - 1) {
        const status = await sender.post(mailbox, waiting.splice(0));
        if ((status.failures ?? []).length > 0) throw new Error(JSON.stringify(status.failures));
      }
    }
    let opened = 0;
    const checkpoints = new Map();
    for await (const page of recipient.pages(mailbox, taken)) {
      for (const value of page) {
        const e = parseSealedEnvelope(value);
        if (!e.ok) throw new Error(e.message);
        const o = await openEnvelope(e.envelope, ally.open(hq.verifier));
        if (!o.ok) throw new Error(o.message);
        const checked = checkBundleReceipt(o, e.envelope.sequence, hq.verifier, 'bench', checkpoints);
        if (!checked.ok) throw new Error(checked.message);
        opened++;
        taken = e.envelope.sequence;
      }
    }
    if (opened !== PAGES) throw new Error(`opened ${opened} of ${PAGES}`);
  };

  /** One round direct: the same PAGES pages of 100 from the hub's TAXII feed, parsed. */
  const direct = async () => {
    let next: string | undefined;
    let pages = 0;
    do {
      const res = await fetch(
        `${taxiiUrl}taxii2/hub/collections/releases/objects/?limit=${OBJECTS}${next ? `&next=${next}` : ''}`,
        { headers: { Accept: ACCEPT, Authorization: basic } },
      );
      if (!res.ok) throw new Error(`TAXII ${res.status}`);
      const env = (await res.json()) as { objects?: unknown[]; more?: boolean; next?: string };
      if ((env.objects?.length ?? 0) > 0) pages++;
      next = env.more ? env.next : undefined;
    } while (next !== undefined);
    if (pages !== PAGES) throw new Error(`direct: ${pages} pages of ${PAGES}`);
  };

  const rates = { relay: [] as number[], direct: [] as number[] };
  await direct();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, fn] of [
      ['direct', direct],
      ['relay', throughRelay],
    ] as const) {
      const t0 = performance.now();
      await fn();
      rates[name].push(PAGES / ((performance.now() - t0) / 1000));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  const relayRate = median(rates.relay);
  const directRate = median(rates.direct);
  const ratio = relayRate / directRate;
  report({
    bench: 'relay',
    metric: `${OBJECTS}-object envelopes through the relay (bundle, seal, post, fetch, open, check receipt)`,
    value: relayRate,
    unit: 'envelopes/s',
    baseline: directRate,
    ratio,
    target: '>= 0.5 x direct TAXII pages of 100',
    met: ratio >= 0.5,
  });
  for (const app of apps) await app.close();
  hub.close();
  relayHub.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
