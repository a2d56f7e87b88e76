import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, initDataDir, readHubSecret } from '../src/app/data-dir.js';
import { createHub, type SqliteHub } from '../src/app/hub.js';
import { objectCacheOf, openDecisionRound } from '../src/app/hub-decisions.js';
import { buildDisclosureReport } from '../src/app/hub-disclosures.js';
import type { HubPolicyState } from '../src/app/hub-policy-watch.js';
import { ensureLedgerKey } from '../src/app/ledger-key.js';
import { releaseStoresOf } from '../src/app/release-stores.js';
import { buildServer } from '../src/app/server.js';
import { ManualClock } from '../src/clock.js';
import { importStream } from '../src/ingest/import-stream.js';
import { decideObject } from '../src/release/release-closure.js';
import {
  decideReleases,
  emptyTally,
  type ReleaseDecision,
  tallyDecision,
} from '../src/release/release-decision.js';
import { runReleasePipeline } from '../src/release/release-pipeline.js';
import { defaultHubPolicy, type HubPolicy } from '../src/release/release-policy.js';
import { TLP_LEVELS, type TlpLevel } from '../src/stix/markings-tlp.js';
import type { JsonObject } from '../src/stix/types.js';
import { openSqlite } from '../src/store/sqlite/database.js';
import { LENIENT_THROTTLE } from './auth-fixture.js';
import { type GeneratedWorld, worldArb } from './tearline-world.js';

const CYCLE_CASE =
  '{"world":{"objects":[{"type":"note","spec_version":"2.1","id":"note--00000000-0000-4000-8000-000000000000","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","created_by_ref":"identity--f431f809-377b-45e0-aa1c-6a4751cae5ff","abstract":"~m0_0~","content":"note ~m0_1~","object_refs":["sighting--00000000-0000-4000-8000-000000000001"]},{"type":"sighting","spec_version":"2.1","id":"sighting--00000000-0000-4000-8000-000000000001","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","created_by_ref":"identity--f431f809-377b-45e0-aa1c-6a4751cae5ff","sighting_of_ref":"note--00000000-0000-4000-8000-000000000000","first_seen":"2020-01-01T00:00:00.000Z","last_seen":"2020-01-01T00:00:00.000Z","count":2}],"markers":["~m0_0~","~m0_1~"]},"untagged":"clear","forbidden":true,"partners":[{"types":["sighting","identity","malware","intrusion-set","note","file","ipv4-addr","marking-definition"],"ceiling":"amber","approval":"none","profile":"strict","labelsDenied":[],"assurance":"none","suspended":false}]}';

/**
 * Every surface gives the same answer for (object, partner, time): the whole-store decision
 * (`decide`), one object decided over what it references (`explain`, `preview`), the release
 * pipeline's records and queue (`release run`), the console's object page and queue over real
 * HTTP, and the disclosure report's withheld counts. Random objects (the tearline worlds: TLP,
 * statement and unknown markings, granular markings, references, SCOs), random agreements,
 * conditions and hub settings; a real SQLite store.
 */

const T0 = '2026-11-28T10:00:00.000Z';
const DAY = 86_400_000;
// tearline-world.ts marks some objects with this id; here the hub holds it as a statement.
const STATEMENT = 'marking-definition--7f1c7d0e-8b1a-4c55-9a0b-2b1f6c9d0a11';
const STATEMENT_DEF: JsonObject = {
  type: 'marking-definition',
  spec_version: '2.1',
  id: STATEMENT,
  created: '2017-06-01T00:00:00.000Z',
  definition_type: 'statement',
  definition: { statement: 'Copyright the publisher; reproduced with permission.' },
};
// The world's other non-TLP markings, held by the hub as definitions it cannot read: they count
// as unknown (objects carrying them are stored, and withheld for it).
const UNREADABLE = [
  'marking-definition--5b6c0a7e-1d2f-4e3a-8b9c-0d1e2f3a4b5c',
  'marking-definition--00000000-0000-4000-8000-00000000dead',
].map(
  (id): JsonObject => ({
    type: 'marking-definition',
    spec_version: '2.1',
    id,
    created: '2020-01-01T00:00:00.000Z',
    definition_type: 'x-caveat',
    definition: { caveat: 'NOFORN' },
  }),
);

/** The world's objects as an import accepts them: catalogue ids in a form the validator takes. */
function storable(o: JsonObject): JsonObject {
  const refs = o.external_references;
  if (!Array.isArray(refs)) return o;
  return {
    ...o,
    external_references: refs.map((r, i) => {
      const ref = r as JsonObject;
      if (ref.source_name === 'cve') return { ...ref, external_id: `CVE-2016-${1000 + i}` };
      if (ref.source_name === 'capec') return { ...ref, external_id: `CAPEC-${460 + i}` };
      return ref;
    }),
  };
}
const TYPES = [
  'indicator',
  'report',
  'relationship',
  'sighting',
  'location',
  'identity',
  'malware',
  'intrusion-set',
  'note',
  'file',
  'ipv4-addr',
  'marking-definition',
];

// Weighted towards agreements that let things through, so the tearline is exercised often.
const rarely = fc.integer({ min: 0, max: 7 }).map((n) => n === 0);
const agreementArb = fc.record({
  types: fc.subarray(TYPES, { minLength: 7 }),
  ceiling: fc.constantFrom(...TLP_LEVELS, 'amber', 'amber+strict'),
  approval: fc.constantFrom('none', 'none', 'one', 'two'),
  profile: fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom('strict', 'standard', 'ally') },
    { weight: 1, arbitrary: fc.constant('missing') },
  ),
  labelsDenied: fc.subarray(['plain ~m0_0~', 'internal:~m1_0~']),
  assurance: fc.constantFrom('none', 'none', 'met', 'expired'),
  suspended: rarely,
});
type AgreementSpec = typeof agreementArb extends fc.Arbitrary<infer T> ? T : never;

function agreementOf(a: AgreementSpec): string {
  const t0 = Date.parse(T0);
  const conditions =
    a.assurance === 'none'
      ? []
      : [
          {
            kind: 'assurance',
            id: 'hr-1',
            title: 'Human-rights assurance',
            valid_from: new Date(t0 - 10 * DAY).toISOString(),
            valid_until: new Date(t0 + (a.assurance === 'met' ? 10 : -1) * DAY).toISOString(),
          },
        ];
  return JSON.stringify({
    scope: { types: a.types, labels_denied: a.labelsDenied },
    tlp_ceiling: a.ceiling,
    approval: a.approval,
    sanitisation: a.profile,
    valid_from: '2026-01-01T00:00:00Z',
    conditions,
  });
}

const caseArb = fc.record({
  world: worldArb,
  untagged: fc.constantFrom(undefined, 'clear', 'green', 'green', 'amber'),
  forbidden: rarely,
  partners: fc.array(agreementArb, { minLength: 1, maxLength: 2 }),
});

let dir: string;
/** Decisions seen over all runs, by outcome and reason. */
const seen = emptyTally();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tearline-surfaces-'));
  ensureLedgerKey(initDataDir(join(dir, 'hub')).paths);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function policyOf(untagged: string | undefined, forbidden: boolean): HubPolicy {
  const p = defaultHubPolicy();
  if (untagged) p.untaggedTlp = untagged as TlpLevel;
  if (forbidden) {
    // A rule that hits some generated text ('~m2_' markers) but not all.
    p.forbidden = {
      size: 1,
      scan: (text) => (text.includes('~m2_1~') ? { name: 'marker', source: 'hub' } : undefined),
    };
    p.forbiddenRuleNames = ['marker'];
  }
  return p;
}

const view = (d: Pick<ReleaseDecision, 'outcome' | 'reasons' | 'tearline'>) => ({
  outcome: d.outcome,
  reasons: d.reasons.map((r) => ({ code: r.code, message: r.message })),
  digest: d.tearline?.digest ?? null,
});

async function checkCase(c: {
  world: GeneratedWorld;
  untagged: string | undefined;
  forbidden: boolean;
  partners: AgreementSpec[];
}): Promise<void> {
  const clock = new ManualClock(T0);
  const paths = initDataDir(join(dir, 'hub')).paths;
  const hub: SqliteHub = createHub(paths, DEFAULT_CONFIG, openSqlite(':memory:'), clock);
  const policy = policyOf(c.untagged, c.forbidden);
  const state: HubPolicyState = { policy, digest: 'x', files: [], loadedAt: T0 };
  const app = buildServer(hub, {
    policy: { current: () => state },
    throttle: LENIENT_THROTTLE,
    pageCache: { maxEntries: 0, maxBytes: 0 },
  });
  try {
    const objects = [STATEMENT_DEF, ...UNREADABLE, ...c.world.objects.map(storable)];
    await importStream(Readable.from([JSON.stringify(objects)]), hub.objects, {
      source: 'test',
      actor: 'ivan',
      maxObjectBytes: 1 << 20,
    });
    const ctx = { actor: 'admin', now: clock.now(), randomBytes: (n: number) => new Uint8Array(n).fill(5) };
    const partners = [];
    for (const [i, spec] of c.partners.entries()) {
      const added = await hub.state.partners.add(
        { name: `p${i}` },
        { ...ctx, randomBytes: (n) => new Uint8Array(n).fill(i + 1) },
      );
      if (!added.ok) throw new Error(added.message);
      const set = await hub.state.agreements.set(added.partner.id, agreementOf(spec), {
        ...ctx,
        reason: 'test',
      });
      if (!set.ok) throw new Error(JSON.stringify(set));
      if (spec.suspended) await hub.state.conditions.setSuspension(added.partner.id, true, 'test', ctx);
      partners.push(added.partner);
    }
    const officer = await hub.state.users.add('olga', 'release-officer', 'a long enough password', ctx);
    if (!officer.ok) throw new Error(officer.message);

    // decide: the whole store at once.
    const round = await openDecisionRound(hub, policy, clock.now());
    const rows = await hub.state.sql.all<{ json: string }>('SELECT json FROM objects WHERE is_latest');
    const inputs = rows.map((r) => round.input(JSON.parse(r.json) as JsonObject));
    const whole = new Map<string, Map<string, ReleaseDecision>>();
    for (const p of partners) {
      whole.set(p.id, new Map(decideReleases(inputs, await round.termsFor(p)).map((d) => [d.object_id, d])));
    }
    const ids = inputs.map((i) => i.projection.id);
    for (const m of whole.values()) for (const d of m.values()) tallyDecision(seen, d);

    // explain / preview: one object over what it references.
    const single = await openDecisionRound(hub, policy, clock.now());
    const cache = objectCacheOf(hub, single);
    for (const p of partners) {
      const terms = await single.termsFor(p);
      for (const id of ids) {
        const d = await decideObject(terms, id, cache);
        expect(d && view(d), `${p.name} ${id}`).toEqual(view(whole.get(p.id)?.get(id) as ReleaseDecision));
      }
    }

    // release run: what it records, releases and queues.
    await runReleasePipeline(releaseStoresOf(hub), {
      now: clock.now(),
      actor: 'bot',
      hubSecret: readHubSecret(hub.paths.hubSecret),
      policy,
    });
    for (const p of partners) {
      const outcomes = await hub.state.releases.outcomesOfPartner(p.id);
      const records = new Map((await hub.state.releases.records(p.id)).map((r) => [r.original_id, r]));
      const queue = new Map((await hub.state.releases.openItems(p.id)).map((q) => [q.object_id, q]));
      for (const id of ids) {
        const d = whole.get(p.id)?.get(id) as ReleaseDecision;
        const o = outcomes.get(id);
        if (d.outcome === 'withhold') {
          expect(o?.outcome, `${p.name} ${id}`).toBe('withheld');
          expect(o?.reasons).toEqual(view(d).reasons);
        } else if (d.outcome === 'release') {
          expect(o?.outcome, `${p.name} ${id}: ${JSON.stringify(o)}`).toBe('released');
          expect(records.get(id)?.tearline_digest).toBe(d.tearline?.digest);
        } else {
          expect(o?.outcome, `${p.name} ${id}`).toBe('queued');
          expect(queue.get(id)?.tearline_digest).toBe(d.tearline?.digest);
          expect(queue.get(id)?.reasons).toEqual(view(d).reasons);
        }
      }
    }

    // The console, over real HTTP: each object's page, and the queue.
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const login = await fetch(`${base}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'olga', password: 'a long enough password' }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const get = async (path: string) => (await fetch(`${base}${path}`, { headers: { cookie } })).json();
    for (const id of ids) {
      const page = (await get(`/api/intel/${encodeURIComponent(id)}`)) as {
        decisions: {
          partner_id: string;
          decision: string;
          reasons: { code: string; message: string }[];
          tearline: { digest: string } | null;
        }[];
      };
      for (const p of partners) {
        const shown = page.decisions.find((x) => x.partner_id === p.id);
        expect(
          shown && {
            outcome: shown.decision,
            reasons: shown.reasons.map((r) => ({ code: r.code, message: r.message })),
            digest: shown.tearline?.digest ?? null,
          },
          `console ${p.name} ${id}`,
        ).toEqual(view(whole.get(p.id)?.get(id) as ReleaseDecision));
      }
    }
    const queued = (
      (await get('/api/queue?size=200')) as {
        items: { object_id: string; partner: string; tearline_digest: string }[];
      }
    ).items;
    for (const p of partners) {
      const expected = [...(whole.get(p.id)?.values() ?? [])].filter((d) => d.outcome === 'needs-approval');
      const shown = queued.filter((q) => q.partner === p.name);
      expect(shown.map((q) => [q.object_id, q.tearline_digest]).sort()).toEqual(
        expected.map((d) => [d.object_id, d.tearline?.digest]).sort(),
      );
    }

    // report disclosures: what is withheld, by reason.
    for (const p of partners) {
      const report = await buildDisclosureReport(
        hub,
        policy,
        p,
        '2026-11-01T00:00:00.000Z',
        '2027-01-01T00:00:00.000Z',
        clock.now(),
      );
      const tally = emptyTally();
      for (const d of whole.get(p.id)?.values() ?? []) if (d.outcome === 'withhold') tallyDecision(tally, d);
      expect(report.withheld_by_reason).toEqual(tally.reasons);
    }
  } finally {
    await app.close();
    hub.close();
  }
}

describe('every surface gives the same decision', () => {
  it('decide, explain/preview, release run, the console (HTTP) and the report agree (property)', async () => {
    // The first example is a counterexample found once (a note about a sighting of that note): a
    // reference cycle that release run left waiting forever while decide said released.
    await fc.assert(fc.asyncProperty(caseArb, checkCase), {
      numRuns: 40,
      examples: [[JSON.parse(CYCLE_CASE)]],
    });
    // The generators must reach every outcome and the tearline's own reasons, or this proves little.
    expect(seen.counts.release).toBeGreaterThan(0);
    expect(seen.counts['needs-approval']).toBeGreaterThan(0);
    expect(Object.keys(seen.reasons)).toEqual(
      expect.arrayContaining(['in-scope', 'marking-above-ceiling', 'internal-marking', 'tlp-above-ceiling']),
    );
  }, 300_000);
});
