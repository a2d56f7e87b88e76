import type { FastifyInstance } from 'fastify';
import type { ConsoleScenario } from '../src/app/console-demo.js';
import { readHubSecret } from '../src/app/data-dir.js';
import type { SqliteHub as Hub } from '../src/app/hub.js';
import { releaseStoresOf } from '../src/app/release-stores.js';
import { buildServer } from '../src/app/server.js';
import type { ManualClock } from '../src/clock.js';
import { importStream } from '../src/ingest/import-stream.js';
import { decideQueueItem } from '../src/release/release-approval.js';
import { runReleasePipeline } from '../src/release/release-pipeline.js';
import { tlp2MarkingId } from '../src/stix/markings-tlp.js';
import { computeScoId } from '../src/stix/sco-id.js';
import type { JsonObject } from '../src/stix/types.js';
import { LENIENT_THROTTLE } from './auth-fixture.js';
import { openDemoHub } from './console-fixture.js';
import { basic, TAXII } from './taxii-fixture.js';

const HOUR = 3_600_000;
const RED = tlp2MarkingId('red');

/** What the hub holds beyond the demo: intel no partner was ever given (the attack's targets). */
export const INTERNAL: JsonObject[] = [
  {
    type: 'report',
    spec_version: '2.1',
    id: 'report--7e1d0c9a-4b3f-4e2d-9c1b-0a9f8e7d6c01',
    created: '2026-11-01T00:00:00.000Z',
    modified: '2026-11-01T00:00:00.000Z',
    name: 'Source reporting: courier network (TLP:RED)',
    published: '2026-11-01T00:00:00Z',
    object_refs: ['intrusion-set--d118aebe-ee43-58e9-9939-14d533fcb970'],
    object_marking_refs: [RED],
  },
  {
    type: 'domain-name',
    spec_version: '2.1',
    id: computeScoId({ type: 'domain-name', value: 'courier-drop.example' }) as string,
    value: 'courier-drop.example',
    object_marking_refs: [RED],
  },
];

export interface Credential {
  id: string;
  name: string;
  token: string;
}

export interface Answer {
  status: number;
  /** Every header but the socket's own (connection, keep-alive) and the wall-clock date. */
  headers: Record<string, string>;
  date: string | null;
  body: string;
}

export interface RedTeam {
  hub: Hub;
  clock: ManualClock;
  scenario: ConsoleScenario;
  app: FastifyInstance;
  base: string;
  kabul: Credential;
  ally: Credential;
  /** Status ids handed out, in order: chosen before any request body is read. */
  statusIds: string[];
  call(who: Credential, path: string, body?: unknown): Promise<Answer>;
  /** What the hub's own worker does between requests: one pipeline pass, then due releases. */
  runPipeline(): Promise<void>;
  /** Intel (every version) and every partner's releases, as stored. */
  snapshot(): Promise<{ objects: unknown[]; releases: unknown[]; records: unknown[] }>;
  close(): Promise<void>;
}

async function* chunks(objects: readonly unknown[]): AsyncIterable<string> {
  yield JSON.stringify(objects);
}

/**
 * The seed scenario (the ISIS-K demo bundle, its partners, agreements and users, one pipeline
 * run) plus INTERNAL, with the Kabul authorities' queued items approved by both officers and
 * their embargo passed, so the hostile partner holds derived ids and receipts as it would. The
 * hub is served by the composed server (what `tearline serve` runs) on a loopback port.
 */
export async function openRedTeam(): Promise<RedTeam> {
  const { hub, clock, scenario } = await openDemoHub();
  await importStream(chunks(INTERNAL), hub.objects, {
    source: 'file:internal.json',
    actor: 'analyst',
    maxObjectBytes: 1_000_000,
  });
  const stores = releaseStoresOf(hub);
  const secret = readHubSecret(hub.paths.hubSecret);
  const runPipeline = async () => {
    await runReleasePipeline(stores, { now: clock.now(), actor: 'hub', hubSecret: secret });
    hub.feed.publishDue(clock.now());
  };
  await runPipeline();
  for (const item of await hub.state.releases.openItems()) {
    for (const officer of ['officer-1', 'officer-2']) {
      await decideQueueItem(
        stores,
        item.item_id,
        { name: officer, role: 'release-officer', auth: 'password', origin: 'console' },
        'approve',
        undefined,
        clock.now(),
      );
    }
  }
  clock.advance(25 * HOUR);
  await runPipeline();
  const credential = (name: string): Credential => {
    const token = scenario.partners.find((p) => p.name === name)?.token;
    if (!token) throw new Error(`no token for ${name}`);
    return { id: '', name, token };
  };
  const kabul = credential('kabul-authorities');
  const ally = credential('allied-service');
  for (const c of [kabul, ally]) c.id = (await hub.state.partners.get(c.name))?.id ?? '';
  const statusIds: string[] = [];
  const app = buildServer(hub, {
    throttle: LENIENT_THROTTLE,
    rate: { perSecond: 1e6, burst: 1e6 },
    newStatusId: () => {
      const id = `00000000-0000-4000-8000-${String(statusIds.length + 1).padStart(12, '0')}`;
      statusIds.push(id);
      return id;
    },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  const base = `http://127.0.0.1:${address.port}`;
  return {
    hub,
    clock,
    scenario,
    app,
    base,
    kabul,
    ally,
    statusIds,
    async call(who, path, body) {
      const res = await fetch(`${base}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          accept: TAXII,
          authorization: basic(who.name, who.token),
          ...(body !== undefined && { 'content-type': TAXII }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const headers: Record<string, string> = {};
      for (const [k, v] of res.headers) if (!['date', 'connection', 'keep-alive'].includes(k)) headers[k] = v;
      return { status: res.status, headers, date: res.headers.get('date'), body: await res.text() };
    },
    runPipeline,
    async snapshot() {
      const { sql } = hub.state;
      return {
        objects: await sql.all(
          'SELECT added_us, id, version, is_latest, source, json FROM objects ORDER BY added_us',
        ),
        releases: await sql.all(
          'SELECT rid, partner_id, object_id, version_key, json, feed_us, is_latest, revoked FROM releases ORDER BY rid',
        ),
        records: await sql.all(
          'SELECT release_id, partner_id, original_id, original_version FROM release_records ORDER BY release_id',
        ),
      };
    },
    async close() {
      await app.close();
      hub.close();
    },
  };
}
