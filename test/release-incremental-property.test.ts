import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DataDirPaths, DEFAULT_CONFIG, initDataDir, readConfig } from '../src/app/data-dir.js';
import { createHub, type Hub } from '../src/app/hub.js';
import { openPgServedHub } from '../src/app/hub-postgres.js';
import { ensureLedgerKey } from '../src/app/ledger-key.js';
import { releaseStoresOf } from '../src/app/release-stores.js';
import { ManualClock } from '../src/clock.js';
import { importStream } from '../src/ingest/import-stream.js';
import { decideQueueItem } from '../src/release/release-approval.js';
import { type PipelineReport, runReleasePipeline } from '../src/release/release-pipeline.js';
import type { JsonObject } from '../src/stix/types.js';
import type { Partner } from '../src/store/hub/partner-store.js';
import { openTestSchema, PG_SKIP_REASON, TEST_PG_URL } from '../src/store/postgres/pg-test-schema.js';
import { openSqlite } from '../src/store/sqlite/database.js';
import { REPO_ROOT } from './run-cli.js';

/**
 * An incremental pass leaves the hub exactly as a full re-decision does. Two hubs (same data dir,
 * so the same secret, keys and partner ids; the same clock readings) take the same random sequence
 * of changes: imports of new objects and of new versions (other markings and labels, so decisions
 * and references flip), agreement versions (types, ceiling, approval, embargo, neighbourhood
 * scope, assurance windows), assurance attest/revoke, suspend/resume, approvals, and the clock
 * moving past assurance ends and embargoes. After every change hub A runs the incremental pass
 * and hub B `release run --full`; outcomes, queue, releases feed and release records must agree.
 */

const T0 = '2026-11-28T10:00:00.000Z';
const DAY = 86_400_000;
const DEMO = JSON.parse(readFileSync(join(REPO_ROOT, 'demo', 'isis-k-demo.json'), 'utf8')) as {
  objects: JsonObject[];
};
const POOL = DEMO.objects;
const ISISK = 'intrusion-set--d118aebe-ee43-58e9-9939-14d533fcb970';
const TLP = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
} as const;
const TYPES = [
  'intrusion-set',
  'incident',
  'indicator',
  'relationship',
  'location',
  'report',
  'threat-actor',
  'identity',
  'sighting',
  'note',
];

const agreementArb = fc.record({
  types: fc.subarray(TYPES, { minLength: 5 }),
  ceiling: fc.constantFrom('clear', 'green', 'amber'),
  approval: fc.constantFrom('none', 'none', 'one'),
  embargo: fc.constantFrom(undefined, 'PT12H'),
  neighbourhood: fc.constantFrom(0, 1, 2),
  labelsDenied: fc.constantFrom([], ['internal']),
  assuranceDays: fc.constantFrom(undefined, 3, 20),
});
type AgreementSpec = typeof agreementArb extends fc.Arbitrary<infer T> ? T : never;
const HOOD: AgreementSpec = {
  types: ['intrusion-set', 'incident', 'location', 'relationship', 'identity'],
  ceiling: 'amber',
  approval: 'none',
  embargo: undefined,
  neighbourhood: 2,
  labelsDenied: [],
  assuranceDays: undefined,
};

const opArb = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('import' as const),
      picks: fc.uniqueArray(fc.integer({ min: 0, max: POOL.length - 1 }), { minLength: 1, maxLength: 6 }),
      variant: fc.constantFrom('as-is', 'as-is', 'clear', 'green', 'amber', 'red', 'internal', 'fewer-refs'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('agreement' as const),
      partner: fc.nat(1),
      spec: agreementArb,
      later: fc.constantFrom(0, 0, 5, 30),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('condition' as const),
      partner: fc.nat(1),
      action: fc.constantFrom('attest', 'revoke', 'suspend', 'resume'),
      // Dated this many hours ahead (0: now): a future-dated event changes decisions when its time comes.
      later: fc.constantFrom(0, 0, 5, 30),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('clock' as const), hours: fc.constantFrom(1, 13, 72, 24 * 25) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('approve' as const), nth: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('nothing' as const) }) },
);
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

function agreementOf(a: AgreementSpec, nowMs: number): string {
  const conditions =
    a.assuranceDays === undefined
      ? []
      : [
          {
            kind: 'assurance',
            id: 'hr-1',
            title: 'Human-rights assurance',
            valid_from: new Date(nowMs - DAY).toISOString(),
            valid_until: new Date(nowMs + a.assuranceDays * DAY).toISOString(),
          },
        ];
  return JSON.stringify({
    scope: {
      types: a.types,
      labels_denied: a.labelsDenied,
      ...(a.neighbourhood > 0 && { neighbourhood: { of: [ISISK], hops: a.neighbourhood } }),
    },
    tlp_ceiling: a.ceiling,
    approval: a.approval,
    sanitisation: 'standard',
    ...(a.embargo && { embargo: a.embargo }),
    valid_from: '2026-01-01T00:00:00Z',
    conditions,
  });
}

/** One object of the pool as the op stores it: as published, or a newer version re-marked or re-labelled. */
function versionOf(o: JsonObject, variant: string, nowMs: number): JsonObject {
  if (variant === 'as-is') return o;
  const modified = new Date(nowMs).toISOString();
  const next: JsonObject = { ...o, modified };
  if (variant === 'fewer-refs') {
    // Fewer edges: a neighbourhood scope may shrink (the report's other refs, the sighting's place).
    const refs = o.object_refs as string[] | undefined;
    if (refs && refs.length > 1) next.object_refs = refs.slice(0, 1);
    delete next.where_sighted_refs;
  } else if (variant === 'internal')
    next.labels = [...((o.labels as string[] | undefined) ?? []), 'internal'];
  else next.object_marking_refs = [TLP[variant as keyof typeof TLP]];
  return next;
}

interface World {
  hub: Hub;
  clock: ManualClock;
  partners: Partner[];
  close(): Promise<void>;
}

let dir: string;
let paths: DataDirPaths;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tearline-incremental-'));
  paths = initDataDir(join(dir, 'hub')).paths;
  ensureLedgerKey(paths);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Engine = 'sqlite' | 'postgres';

async function openWorld(initial: AgreementSpec[], engine: Engine): Promise<World> {
  const clock = new ManualClock(T0);
  let hub: Hub;
  let drop = async () => {};
  if (engine === 'sqlite') hub = createHub(paths, DEFAULT_CONFIG, openSqlite(':memory:'), clock);
  else {
    const schema = await openTestSchema('inc');
    const url = `${TEST_PG_URL}${TEST_PG_URL.includes('?') ? '&' : '?'}schema=${schema.schema}`;
    hub = await openPgServedHub(paths, readConfig(paths), url, clock);
    drop = schema.drop;
  }
  const ctx = { actor: 'admin', now: clock.now(), randomBytes: (n: number) => new Uint8Array(n).fill(5) };
  const partners: Partner[] = [];
  for (const [i, spec] of initial.entries()) {
    const added = await hub.state.partners.add(
      { name: `p${i}` },
      { ...ctx, randomBytes: (n) => new Uint8Array(n).fill(i + 1) },
    );
    if (!added.ok) throw new Error(added.message);
    const set = await hub.state.agreements.set(added.partner.id, agreementOf(spec, clock.now().getTime()), {
      ...ctx,
      reason: 'test',
    });
    if (!set.ok) throw new Error(JSON.stringify(set));
    partners.push(added.partner);
  }
  return {
    hub,
    clock,
    partners,
    close: async () => {
      await hub.close();
      await drop();
    },
  };
}

async function apply(w: World, op: Op, step: number): Promise<void> {
  const now = w.clock.now();
  const later = 'later' in op ? op.later * 3_600_000 : 0;
  const ctx = {
    actor: 'admin',
    now: new Date(now.getTime() + later),
    randomBytes: (n: number) => new Uint8Array(n).fill(9),
  };
  const partner = 'partner' in op ? (w.partners[op.partner] as Partner) : undefined;
  switch (op.kind) {
    case 'import': {
      const objects = op.picks.map((i) => versionOf(POOL[i] as JsonObject, op.variant, now.getTime() + step));
      await importStream(
        Readable.from([JSON.stringify({ type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects })]),
        w.hub.objects,
        {
          source: 'test',
          actor: 'ivan',
          maxObjectBytes: 1 << 20,
        },
      );
      return;
    }
    case 'agreement': {
      const set = await w.hub.state.agreements.set(
        (partner as Partner).id,
        agreementOf(op.spec, now.getTime() + later),
        { ...ctx, reason: 'test' },
      );
      if (!set.ok) throw new Error(JSON.stringify(set));
      return;
    }
    case 'condition': {
      const id = (partner as Partner).id;
      const c = w.hub.state.conditions;
      if (op.action === 'attest')
        await c.attestAssurance(
          id,
          'hr-1',
          {
            valid_from: ctx.now.toISOString(),
            valid_until: new Date(ctx.now.getTime() + 5 * DAY).toISOString(),
          },
          ctx,
        );
      else if (op.action === 'revoke') await c.revokeAssurance(id, 'hr-1', 'test', ctx);
      else await c.setSuspension(id, op.action === 'suspend', 'test', ctx);
      return;
    }
    case 'clock':
      w.clock.advance(op.hours * 3_600_000);
      return;
    case 'approve': {
      // The same item on both hubs: queue ids are random, so pick by (partner, object).
      const open = (await w.hub.state.releases.openItems())
        .filter((i) => i.state === 'pending')
        .sort((a, b) => (a.partner_id + a.object_id < b.partner_id + b.object_id ? -1 : 1));
      const item = open[op.nth % Math.max(open.length, 1)];
      if (!item) return;
      const r = await decideQueueItem(
        releaseStoresOf(w.hub),
        item.item_id,
        { name: 'olga', role: 'release-officer', auth: 'password', origin: 'console' },
        'approve',
        undefined,
        now,
      );
      if (!r.ok) throw new Error(JSON.stringify(r));
      return;
    }
    case 'nothing':
      return;
  }
}

/** What the hub has decided and released, without random ids or decision times. */
async function stateOf(hub: Hub) {
  const sql = hub.state.sql;
  return {
    outcomes: await sql.all(
      // reference_id too: what an incremental pass reads for objects it does not decide again.
      `SELECT partner_id, object_id, object_version, outcome, reasons, agreement_version, fingerprint, reference_id
         FROM release_outcomes ORDER BY partner_id, object_id`,
    ),
    queue: await sql.all(
      `SELECT partner_id, object_id, object_version, state, tearline_digest, fingerprint, reasons
         FROM release_queue ORDER BY partner_id, object_id, object_version, state, fingerprint`,
    ),
    feed: await sql.all(
      `SELECT partner_id, object_id, version, digest, original_id, original_version, visible_from_us
         FROM releases ORDER BY partner_id, object_id, version`,
    ),
    records: await sql.all(
      `SELECT partner_id, original_id, original_version, tearline_digest, visible_from
         FROM release_records ORDER BY partner_id, original_id, original_version`,
    ),
  };
}

const modes = new Map<string, number>();

/**
 * Applies `ops` (after importing `first`) to two hubs, hub A passing incrementally and hub B in
 * full after each, and checks they agree after every step. Hub A's reports, one per step.
 */
async function runBoth(
  initial: AgreementSpec[],
  first: number[],
  ops: Op[],
  engine: Engine,
): Promise<PipelineReport[]> {
  const a = await openWorld(initial, engine);
  const b = await openWorld(initial, engine);
  const pass = (w: World, full: boolean): Promise<PipelineReport> =>
    runReleasePipeline(releaseStoresOf(w.hub), {
      now: w.clock.now(),
      actor: 'bot',
      hubSecret: 'test secret',
      settingsDigest: 'settings-1',
      ...(full && { full: true }),
    });
  const reports: PipelineReport[] = [];
  try {
    const seed = { kind: 'import' as const, picks: first, variant: 'as-is' as const };
    for (const [step, op] of [seed, ...ops].entries()) {
      await apply(a, op, step);
      await apply(b, op, step);
      const r = await pass(a, false);
      reports.push(r);
      modes.set(r.mode, (modes.get(r.mode) ?? 0) + 1);
      await pass(b, true);
      expect(await stateOf(a.hub), `after step ${step}: ${JSON.stringify(op)}`).toEqual(await stateOf(b.hub));
    }
    // The pass after the last one sees its writes; the one after that has nothing to do.
    await pass(a, false);
    expect((await pass(a, false)).mode).toBe('idle');
  } finally {
    await a.close();
    await b.close();
  }
  return reports;
}

const AHEAD = 5;

async function checkIncremental(engine: Engine, numRuns: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(
      fc.array(agreementArb, { minLength: 2, maxLength: 2 }),
      // The first import holds some of the objects: the rest come later (a relationship that
      // arrives after its ends moves them into a neighbourhood scope).
      fc.uniqueArray(fc.integer({ min: 0, max: POOL.length - 1 }), { minLength: 3 }),
      fc.array(opArb, { minLength: 1, maxLength: 10 }),
      async (initial, first, ops) => {
        await runBoth(initial, first, ops, engine);
      },
    ),
    {
      numRuns,
      endOnFailure: true,
      examples: [
        // A relationship arriving after its ends puts a location two hops from the seed into the
        // neighbourhood scope: the location itself did not change, the partner's terms did.
        [[HOOD, HOOD], [1, 4, 6, 10], [{ kind: 'import', picks: [8], variant: 'as-is' }]],
        // The report loses all but one of its refs: the neighbourhood shrinks.
        [
          [HOOD, HOOD],
          [0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 22],
          [{ kind: 'import', picks: [22], variant: 'fewer-refs' }],
        ],
        // An approval of a queued copy whose object has a newer (withheld) version since: the
        // approval writes the outcome outside a pass; the next pass must decide the object again.
        [
          [
            { ...HOOD, types: TYPES, ceiling: 'green', neighbourhood: 1, labelsDenied: ['internal'] },
            {
              ...HOOD,
              types: TYPES,
              ceiling: 'green',
              approval: 'one',
              neighbourhood: 1,
              labelsDenied: ['internal'],
            },
          ],
          [17, 2, 23, 21, 22, 9, 15, 20, 3, 24, 13, 0, 7, 11],
          [
            { kind: 'import', picks: [7, 20, 1, 4, 17], variant: 'internal' },
            { kind: 'approve', nth: 0 },
            { kind: 'approve', nth: 1 },
            { kind: 'approve', nth: 2 },
          ],
        ],
        // A suspension and an agreement version dated ahead take effect when the clock gets there.
        [
          [HOOD, { ...HOOD, neighbourhood: 0 }],
          [0, 1, 4, 6, 10, 22],
          [
            { kind: 'condition', partner: 0, action: 'suspend', later: AHEAD },
            { kind: 'agreement', partner: 1, spec: { ...HOOD, ceiling: 'clear' }, later: AHEAD },
            { kind: 'clock', hours: 1 },
            { kind: 'clock', hours: 13 },
          ],
        ],
      ],
    },
  );
}

describe('release pipeline: incremental passes', () => {
  it('after any sequence of changes, the incremental result equals a full re-decision (sqlite)', async () => {
    await checkIncremental('sqlite', 25);
    // The property exercised every kind of pass.
    expect([...modes.keys()].sort()).toEqual(['full', 'idle', 'incremental']);
  }, 600_000);

  it('a neighbourhood that grows or shrinks re-decides only what entered or left it, and what depends on that', async () => {
    const all = POOL.map((_, i) => i);
    const grow = await runBoth(
      [HOOD, HOOD],
      all.filter((i) => i !== 8),
      [{ kind: 'import', picks: [8], variant: 'as-is' }],
      'sqlite',
    );
    // Without the incidents' relationships (8, 9) only the report joins them to the seed.
    const shrink = await runBoth(
      [HOOD, HOOD],
      all.filter((i) => i !== 8 && i !== 9),
      [{ kind: 'import', picks: [22], variant: 'fewer-refs' }],
      'sqlite',
    );
    for (const [first, after] of [
      [grow[0], grow[1]],
      [shrink[0], shrink[1]],
    ]) {
      // The first pass decides every stored object for both partners; the next one fewer than
      // every object again (one more was imported).
      expect(first?.mode).toBe('full');
      expect(after?.mode).toBe('incremental');
      expect(after?.decided).toBeLessThan((first?.decided ?? 0) + 2);
    }
  }, 120_000);

  it('new objects that reference stored ones are decided alone, against what was recorded for those', async () => {
    const all = POOL.map((_, i) => i);
    const spec: AgreementSpec = { ...HOOD, types: [...HOOD.types, 'indicator'], neighbourhood: 0 };
    // An indicator and its relationship to the intrusion set arrive: the intrusion set, its
    // creator and what else they reach are not decided again; the property's check (both hubs
    // agree, what each object's references resolve to included) says the answer is the same.
    const reports = await runBoth(
      [spec, { ...spec, ceiling: 'clear' as const }],
      all.filter((i) => i !== 18 && i !== 19),
      [{ kind: 'import', picks: [18, 19], variant: 'as-is' }],
      'sqlite',
    );
    expect(reports[1]?.mode).toBe('incremental');
    expect(reports[1]?.decided).toBe(2 * 2);
  }, 120_000);

  it('an agreement version or condition event dated ahead wakes an otherwise idle pass when its time comes', async () => {
    const ops = [
      { kind: 'condition', partner: 0, action: 'suspend', later: 5 },
      { kind: 'agreement', partner: 1, spec: { ...HOOD, types: ['location'] }, later: 30 },
      { kind: 'clock', hours: 1 },
      { kind: 'clock', hours: 4 },
      { kind: 'clock', hours: 1 },
      { kind: 'clock', hours: 24 },
    ] as Op[];
    const reports = await runBoth([HOOD, HOOD], [0, 1, 4, 6, 10], ops, 'sqlite');
    // Each is written with a ledger entry (a pass that finds nothing to change); then nothing is
    // due until the suspension's time (5 h) and the agreement version's (30 h), each re-deciding.
    expect(reports.map((r) => r.mode)).toEqual([
      'full',
      'incremental',
      'incremental',
      'idle',
      'full',
      'idle',
      'full',
    ]);
  }, 120_000);
  if (!TEST_PG_URL) console.warn(PG_SKIP_REASON);
  it.skipIf(!TEST_PG_URL)(
    'after any sequence of changes, the incremental result equals a full re-decision (postgres)',
    () => checkIncremental('postgres', 5),
    600_000,
  );
});
