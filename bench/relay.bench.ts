// The liaison relay's throughput (issue 25), like for like: each round releases PAGES x 100 new
// copies to one partner, then carries them to that partner's hub two ways, in alternating order,
// in this one process over loopback HTTP:
//  - through the relay: the sender's `relay push` (read the feed, ledger each bundle, one
//    checkpoint, seal, sign, post) to a relay (check, chain, ledger), then the recipient's
//    `relay pull` (fetch, verify, open, check the bundle receipt, import, record);
//  - direct TAXII: the recipient's `taxii pull` of the same copies from the sender's TAXII
//    server (Basic auth, pages of 100) and the same import into a second recipient hub.
// Figure: envelopes (or pages) of 100 carried per second; target: relay >= 0.5 x direct.
// The old figure is printed too, labelled: the relay against the same pages merely fetched and
// parsed from the hub's page cache, with no import (what the issue's first rounds compared).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { initDataDir } from '../src/app/data-dir.js';
import { openHub } from '../src/app/hub.js';
import { ensureLedgerKey, loadLedgerSigner, verifierKeyOf } from '../src/app/ledger-key.js';
import { ensureSealingKey, loadSealingKey } from '../src/app/relay-key-file.js';
import { pullFromRelay } from '../src/app/relay-pull.js';
import { pushToRelay } from '../src/app/relay-push.js';
import { buildRelayServer } from '../src/app/relay-server.js';
import { buildServer } from '../src/app/server.js';
import { importStream } from '../src/ingest/import-stream.js';
import { parseVerifierKey } from '../src/ledger/ledger-note.js';
import { copyDigest } from '../src/relay/relay-hub-receipts.js';
import { PartnerStore } from '../src/store/hub/partner-store.js';
import { RelayMailStore } from '../src/store/hub/relay-mail-store.js';
import { RelayOutboxStore } from '../src/store/hub/relay-outbox-store.js';
import { openSqlite } from '../src/store/sqlite/database.js';
import { SqliteReleaseFeed } from '../src/store/sqlite/release-feed.js';
import { SqliteSql } from '../src/store/sqlite/sqlite-sql.js';
import { TaxiiClient } from '../src/taxii/taxii-client.js';
import { releaseIndicators } from './bench-taxii-load.js';
import { report } from './report.js';

const OBJECTS = 100;
const PAGES = Number(process.env.TEARLINE_BENCH_RELAY_PAGES ?? 40);
const ROUNDS = Number(process.env.TEARLINE_BENCH_RELAY_ROUNDS ?? 5);
const ACCEPT = 'application/taxii+json;version=2.1';

const listen = async (app: FastifyInstance) => {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const a = app.server.address();
  return `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/`;
};

/** A data dir under its own hub name (its ledger key carries the name). */
const namedDir = (path: string, name: string) => {
  const { paths } = initDataDir(path);
  writeFileSync(
    paths.config,
    JSON.stringify({ ...JSON.parse(readFileSync(paths.config, 'utf8')), hub_name: name }),
  );
  ensureLedgerKey(paths);
  return paths;
};

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

const dir = mkdtempSync(join(tmpdir(), 'tearline-bench-relay-'));
const apps: FastifyInstance[] = [];
try {
  const hqPaths = namedDir(join(dir, 'hq'), 'hq.example');
  const allyPaths = namedDir(join(dir, 'ally'), 'ally.example');
  const directPaths = namedDir(join(dir, 'ally-direct'), 'ally-direct.example');
  const relayPaths = namedDir(join(dir, 'relay'), 'relay.example');
  ensureSealingKey(allyPaths, 'ally.example');
  const allySealing = await loadSealingKey(allyPaths, 'ally.example');
  if (!allySealing.ok) throw new Error(allySealing.message);

  const db = openSqlite(hqPaths.database);
  const added = await new PartnerStore(new SqliteSql(db)).add(
    { name: 'ally' },
    { actor: 'bench', now: new Date(), randomBytes: (n) => randomBytes(n) },
  );
  if (!added.ok) throw new Error(added.message);
  db.close();
  const partnerId = added.partner.id;

  const hq = openHub(hqPaths.dir);
  const ally = openHub(allyPaths.dir);
  const allyDirect = openHub(directPaths.dir);
  const relayHub = openHub(relayPaths.dir);
  const taxii = buildServer(hq, { rate: { perSecond: 1e9, burst: 1e9 } });
  apps.push(taxii);
  const taxiiUrl = await listen(taxii);
  const relay = buildRelayServer(relayHub, { rate: { perSecond: 1e9, burst: 1e9 } });
  apps.push(relay);
  const relayUrl = await listen(relay);

  const hqSigner = loadLedgerSigner(hq.paths, 'hq.example');
  if (!hqSigner.ok) throw new Error(hqSigner.message);
  const hqVerifier = parseVerifierKey(verifierKeyOf(hqSigner.signer));
  if (!hqVerifier.ok) throw new Error(hqVerifier.message);
  const mail = new RelayMailStore(relayHub.sql);
  const s = await mail.addHub('hq.example', verifierKeyOf(hqSigner.signer), new Date());
  const r = await mail.addHub('ally.example', 'unused+00000000+AQ==', new Date());
  if (!s.ok || !r.ok) throw new Error('relay hubs');
  await mail.link('hq.example', 'ally.example', new Date());
  await new RelayOutboxStore(hq.sql).setRoute(
    { partnerId, relayUrl, recipient: 'ally.example', recipientKey: allySealing.key.publicKeyText },
    new Date(),
  );
  const partner = await hq.state.partners.get(partnerId);
  if (!partner) throw new Error('no partner');

  /** A round's new copies: in the partner's feed, each with its release record (as a release pass leaves them). */
  let released = 0;
  const release = async () => {
    const when = new Date(Date.now() - 60_000);
    const feed = new SqliteReleaseFeed(hq.db);
    const copies = hq.db
      .transaction(() =>
        releaseIndicators(feed, partnerId, { from: released, to: released + PAGES * OBJECTS }, when),
      )
      .immediate();
    released += copies.length;
    for (const c of copies)
      await hq.state.releases.insertRecord({
        release_id: `release--${randomUUID()}`,
        partner_id: partnerId,
        derived_id: c.id,
        original_id: `indicator--${randomUUID()}`,
        original_version: c.modified,
        agreement_version: null,
        reasons: ['bench'],
        approvals: [],
        tearline_digest: copyDigest(c as unknown as Record<string, unknown>),
        released_at: when.toISOString(),
        visible_from: when.toISOString(),
        ledger_index: 0,
      });
  };

  const client = new TaxiiClient({ auth: { kind: 'basic', user: 'ally', password: added.token } });
  const root = `${taxiiUrl}taxii2/hub/`;
  let addedAfter: string | undefined;

  /** Direct TAXII: `taxii pull` of what is new in the feed, each page imported as that command does. */
  const direct = async () => {
    let pages = 0;
    let objects = 0;
    for await (const page of client.pullPages(root, 'releases', addedAfter, OBJECTS)) {
      if (page.dateAddedLast !== undefined) addedAfter = page.dateAddedLast;
      if (page.objects.length === 0) continue;
      pages++;
      const stats = await importStream(once(JSON.stringify(page.objects)), allyDirect.objects, {
        source: `taxii:${root}collections/releases/`,
        actor: 'bench',
        maxObjectBytes: allyDirect.config.max_object_bytes,
      });
      objects += stats.added + stats.new_versions + stats.duplicates;
    }
    return { pages, objects };
  };

  /** Through the relay: `relay push` on the sender, then `relay pull` on the recipient. */
  const phases = { push: [] as number[], pull: [] as number[] };
  const throughRelay = async () => {
    const t0 = performance.now();
    const pushed = await pushToRelay(hq, partner, s.token);
    if (pushed.failures.length > 0) throw new Error(pushed.failures.join('; '));
    const t1 = performance.now();
    const pulled = await pullFromRelay(ally, relayUrl, r.token, hqVerifier.verifier, 'bench');
    phases.push.push((t1 - t0) / Math.max(1, pushed.sealed));
    phases.pull.push((performance.now() - t1) / Math.max(1, pulled.accepted));
    if (pulled.problems.length > 0) throw new Error(pulled.problems.join('; '));
    return { pages: pulled.accepted, objects: pulled.objects.added + pulled.objects.duplicates };
  };

  /** The old baseline: the round's pages fetched again (served from the page cache) and parsed. */
  const cachedPages = async () => {
    let next: string | undefined;
    let pages = 0;
    do {
      const res = await fetch(
        `${root}collections/releases/objects/?limit=${OBJECTS}${next ? `&next=${next}` : ''}`,
        {
          headers: {
            Accept: ACCEPT,
            Authorization: `Basic ${Buffer.from(`ally:${added.token}`).toString('base64')}`,
          },
        },
      );
      if (!res.ok) throw new Error(`TAXII ${res.status}`);
      const env = (await res.json()) as { objects?: unknown[]; more?: boolean; next?: string };
      if ((env.objects?.length ?? 0) > 0) pages++;
      next = env.more ? env.next : undefined;
    } while (next !== undefined);
    return { pages, objects: 0 };
  };

  const rates = { relay: [] as number[], direct: [] as number[], cached: [] as number[] };
  const timed = async (name: keyof typeof rates, fn: () => Promise<{ pages: number }>, expect: number) => {
    const t0 = performance.now();
    const { pages } = await fn();
    const seconds = (performance.now() - t0) / 1000;
    if (pages < expect) throw new Error(`${name}: ${pages} of ${expect} pages`);
    rates[name].push(expect / seconds);
  };
  // A warm-up round (JIT, first pages, caches), not counted.
  await release();
  await direct();
  await throughRelay();
  for (let round = 0; round < ROUNDS; round++) {
    await release();
    const order = round % 2 === 0 ? (['direct', 'relay'] as const) : (['relay', 'direct'] as const);
    for (const name of order)
      await timed(name, name === 'direct' ? direct : throughRelay, name === 'direct' ? PAGES : PAGES);
    // The whole feed so far, paged from the cache: count what it holds, rate per page of 100.
    const t0 = performance.now();
    const { pages } = await cachedPages();
    rates.cached.push(pages / ((performance.now() - t0) / 1000));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  const relayRate = median(rates.relay);
  const directRate = median(rates.direct);
  const cachedRate = median(rates.cached);
  report({
    bench: 'relay',
    metric: `${OBJECTS}-object envelopes pushed, relayed, pulled, opened, checked and imported vs the same copies by taxii pull and import`,
    value: relayRate,
    unit: 'envelopes/s',
    baseline: directRate,
    ratio: relayRate / directRate,
    target: '>= 0.5 x direct TAXII (taxii pull + import)',
    met: relayRate / directRate >= 0.5,
  });
  report({
    bench: 'relay',
    metric: `old comparison, not like for like: the same envelopes/s vs ${OBJECTS}-object pages served from the hub's page cache and parsed, no import`,
    value: relayRate,
    unit: 'envelopes/s',
    baseline: cachedRate,
    ratio: relayRate / cachedRate,
  });
  // Where the relay path's time goes (ms per envelope, medians; the warm-up round included).
  for (const [phase, xs] of Object.entries(phases))
    report({
      bench: 'relay',
      metric: `relay ${phase} (${phase === 'push' ? 'read feed, ledger, seal, sign, post; relay checks and ledgers' : 'fetch, verify, open, check receipt, import, record; relay ledgers delivery'})`,
      value: median(xs),
      unit: 'ms/envelope',
    });
  for (const app of apps) await app.close();
  hq.close();
  ally.close();
  allyDirect.close();
  relayHub.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
