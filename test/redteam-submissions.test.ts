// The red-team suite: the Kabul authorities, a partner the hub distrusts, attack the hub over their
// own TAXII credentials on loopback, with the seed scenario loaded. Each finding of issue 15
// (1-4) is a regression test; the property at the end throws random submissions at it.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchIntel } from '../src/api/api-intel.js';
import { reviewStoresOf } from '../src/app/release-stores.js';
import { loadMarkingClassifier } from '../src/release/release-facts.js';
import { promoteSubmission } from '../src/release/submission-promote.js';
import { TLP_MARKINGS, tlp2MarkingId } from '../src/stix/markings-tlp.js';
import { computeScoId } from '../src/stix/sco-id.js';
import type { JsonObject } from '../src/stix/types.js';
import { listActors } from '../src/store/hub/threat-reads.js';
import { buildReleasingIdentity } from '../src/tearline/tearline-identity.js';
import { type Answer, type Credential, INTERNAL, openRedTeam, type RedTeam } from './redteam-fixture.js';

const SUBMISSIONS = '/taxii2/hub/collections/submissions/objects/';
const RELEASES = '/taxii2/hub/collections/releases/objects/';
const RED = tlp2MarkingId('red');
const [RED_REPORT, RED_DOMAIN] = INTERNAL as [JsonObject, JsonObject];

let t: RedTeam;

beforeAll(async () => {
  t = await openRedTeam();
});
afterAll(async () => {
  await t?.close();
});

async function submit(who: Credential, objects: unknown[]): Promise<{ answer: Answer; statusId: string }> {
  const answer = await t.call(who, SUBMISSIONS, { objects });
  return { answer, statusId: t.statusIds.at(-1) ?? '' };
}

/**
 * An answer with its genuinely per-request values taken out: the status id (handed out by the
 * server's generator before the body is read: the n-th POST gets the n-th id whatever it holds)
 * and the Date header (the wall clock, checked to be one). `swap` puts one id in place of another
 * of the same length, to compare answers about two ids.
 */
function normalised(a: { answer: Answer; statusId: string }, swap?: [string, string]) {
  expect(a.answer.date && Math.abs(Date.parse(a.answer.date) - Date.now()) < 60_000).toBe(true);
  let body = a.answer.body.split(a.statusId).join('<status>');
  if (swap) body = body.split(swap[0]).join(swap[1]);
  return { status: a.answer.status, headers: a.answer.headers, body };
}

/** Where what the hub holds could show: intel, every partner's releases, and both partners' feeds. */
async function observable() {
  return {
    ...(await t.snapshot()),
    ally: (await t.call(t.ally, `${RELEASES}?match[version]=all`)).body,
    kabul: (await t.call(t.kabul, `${RELEASES}?match[version]=all`)).body,
  };
}

async function latestIntel(type: string): Promise<JsonObject[]> {
  const rows = await t.hub.state.sql.all<{ json: string }>(
    'SELECT json FROM objects WHERE is_latest = 1 AND type = ? ORDER BY added_us',
    [type],
  );
  return rows.map((r) => JSON.parse(r.json) as JsonObject);
}

/** An original id released to Kabul (as a receipt would name it), of this type. */
async function originalReleasedTo(who: Credential, type: string): Promise<string> {
  const row = await t.hub.state.sql.get<{ original_id: string }>(
    'SELECT original_id FROM releases WHERE partner_id = ? AND type = ? ORDER BY rid LIMIT 1',
    [who.id, type],
  );
  if (!row) throw new Error(`nothing of type ${type} was released to ${who.name}`);
  return row.original_id;
}

const later = '2027-01-01T00:00:00.000Z';

describe('red team: a partner’s submissions never become the hub’s intelligence unreviewed', () => {
  it('finding 1: versions and revocations of hub objects whose ids it knows change nothing anyone receives', async () => {
    await t.runPipeline();
    const before = await observable();
    const indicatorId = await originalReleasedTo(t.kabul, 'indicator');
    const locationId = await originalReleasedTo(t.ally, 'location');
    const [indicator] = (await latestIntel('indicator')).filter((o) => o.id === indicatorId);
    const [location] = (await latestIntel('location')).filter((o) => o.id === locationId);
    const attack = [
      { ...indicator, modified: later, created_by_ref: t.kabul.id, name: 'rewritten by kabul' },
      { ...location, modified: later, created_by_ref: t.kabul.id, revoked: true },
      { ...RED_REPORT, modified: later, created_by_ref: t.kabul.id, name: 'rewritten TLP:RED report' },
    ];
    const { answer } = await submit(t.kabul, attack);
    expect(answer.status).toBe(202);
    expect(JSON.parse(answer.body).success_count).toBe(3);
    await t.runPipeline();
    expect(await observable()).toEqual(before);
  });

  it('finding 2: a new object or a re-versioned identity named as another partner reaches nobody', async () => {
    await t.runPipeline();
    const before = await observable();
    const kabulIdentity = (await t.hub.state.partners.get(t.kabul.id))?.identity as JsonObject;
    const planted = {
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--${randomUUID()}`,
      created: '2026-11-30T00:00:00.000Z',
      modified: '2026-11-30T00:00:00.000Z',
      created_by_ref: t.kabul.id,
      name: 'Planted by kabul: opposition office',
      pattern: "[ipv4-addr:value = '192.0.2.77']",
      pattern_type: 'stix',
      valid_from: '2026-11-30T00:00:00Z',
      object_marking_refs: [tlp2MarkingId('clear')],
    };
    const impostor = {
      ...kabulIdentity,
      modified: later,
      created_by_ref: t.kabul.id,
      name: 'allied-service',
    };
    const { answer } = await submit(t.kabul, [planted, impostor]);
    expect(JSON.parse(answer.body).success_count).toBe(2);
    await t.runPipeline();
    expect(await observable()).toEqual(before);
    // Nor do the console's search or threat picture show them: they read intel only.
    const found = await searchIntel(t.hub.state.reads, { q: 'Planted by kabul' });
    expect(found).toMatchObject({ ok: true, items: [], total: 0 });
    expect((await listActors(t.hub.state.sql)).map((a) => a.name)).not.toContain('allied-service');
    expect(await t.hub.state.submissions.list({ partnerId: t.kabul.id, limit: 50 })).toEqual(
      expect.arrayContaining([expect.objectContaining({ object_id: planted.id, state: 'pending' })]),
    );
  });

  it('finding 3: an id the hub holds is answered exactly as an id nobody holds', async () => {
    const [held] = await latestIntel('indicator');
    if (!held) throw new Error('no indicator');
    const fresh = `indicator--${randomUUID()}`;
    const sameVersionOtherContent = { ...held, created_by_ref: t.kabul.id, name: 'other content' };
    const a = await submit(t.kabul, [sameVersionOtherContent]);
    const b = await submit(t.kabul, [{ ...sameVersionOtherContent, id: fresh }]);
    expect(normalised(b, [fresh, held.id as string])).toEqual(normalised(a));
    expect(JSON.parse(a.answer.body).success_count).toBe(1);
    // SCO ids are computed from the value: one of a TLP:RED domain the hub holds, one of a domain
    // nobody holds, answer alike.
    const unheld = { type: 'domain-name', spec_version: '2.1', value: 'nobody-holds-this.example' };
    const unheldId = computeScoId(unheld) as string;
    const c = await submit(t.kabul, [
      { type: 'domain-name', spec_version: '2.1', id: RED_DOMAIN.id, value: RED_DOMAIN.value },
    ]);
    const d = await submit(t.kabul, [{ ...unheld, id: unheldId }]);
    expect(normalised(d, [unheldId, RED_DOMAIN.id as string])).toEqual(normalised(c));
    // Reading back: an id it never sent is a 404, alike whether the hub holds it or not.
    const [actor] = await latestIntel('threat-actor');
    const e = await t.call(t.kabul, `${SUBMISSIONS}${actor?.id}/`);
    const f = await t.call(t.kabul, `${SUBMISSIONS}threat-actor--${randomUUID()}/`);
    expect({ ...e, date: null }).toEqual({ ...f, date: null });
    expect(e.status).toBe(404);
  });

  it('finding 4: a marking definition under TLP:RED’s id is kept only in the partner’s space', async () => {
    const hostile = {
      type: 'marking-definition',
      spec_version: '2.1',
      id: RED,
      created: '2026-11-30T00:00:00.000Z',
      created_by_ref: t.kabul.id,
      name: 'TLP:RED',
      definition_type: 'statement',
      definition: { statement: 'releasable to all partners' },
    };
    const fresh = `marking-definition--${randomUUID()}`;
    const a = await submit(t.kabul, [hostile]);
    const b = await submit(t.kabul, [{ ...hostile, id: fresh }]);
    expect(normalised(b, [fresh, RED])).toEqual(normalised(a));
    expect(await latestIntel('marking-definition')).toEqual([]);
    const classify = await loadMarkingClassifier(t.hub.state.reads);
    expect(classify(RED)).toEqual({ kind: 'tlp', level: 'red' });
    const [mine] = await t.hub.state.submissions.list({ partnerId: t.kabul.id, limit: 1 });
    const sub = (
      await t.hub.state.submissions.list({ partnerId: t.kabul.id, state: 'all', limit: 100 })
    ).find((s) => s.object_id === RED);
    expect(mine).toBeDefined();
    const promoted = await promoteSubmission(
      reviewStoresOf(t.hub),
      sub?.number ?? 0,
      { name: 'analyst' },
      t.clock.now(),
    );
    expect(promoted).toMatchObject({ ok: false, code: 'not-promotable' });
  });

  it('other routes in: another partner’s derived ids do not resolve, huge and deep input is refused whole', async () => {
    const allyDerived = await t.hub.state.sql.get<{ object_id: string }>(
      'SELECT object_id FROM releases WHERE partner_id = ? ORDER BY rid LIMIT 1',
      [t.ally.id],
    );
    const note = {
      type: 'note',
      spec_version: '2.1',
      id: `note--${randomUUID()}`,
      created: '2026-11-30T00:00:00.000Z',
      modified: '2026-11-30T00:00:00.000Z',
      created_by_ref: t.kabul.id,
      content: 'about what the ally got',
      object_refs: [allyDerived?.object_id as string],
    };
    expect(JSON.parse((await submit(t.kabul, [note])).answer.body).success_count).toBe(1);
    const stored = (
      await t.hub.state.submissions.list({ partnerId: t.kabul.id, state: 'all', limit: 100 })
    ).find((s) => s.object_id === note.id);
    expect((await t.hub.state.submissions.get(stored?.number ?? 0))?.mapped.object_refs).toEqual(
      note.object_refs,
    );

    const before = await t.snapshot();
    const big = { ...note, id: `note--${randomUUID()}`, content: 'x'.repeat(1_100_000) };
    const huge = await submit(t.kabul, [big]);
    expect(JSON.parse(huge.answer.body).failures[0].message).toMatch(/^object is \d+ bytes; at most 1048576/);
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100; i++) deep = [deep];
    const nested = await t.call(t.kabul, SUBMISSIONS, { objects: [{ ...note, x_deep: deep }] });
    expect(nested.status).toBe(400);
    expect(JSON.parse(nested.body).description).toMatch(
      /^body: at line 1, column \d+ \(byte \d+\): nesting deeper than 64 levels$/,
    );
    const tooMany = await t.call(t.kabul, SUBMISSIONS, { objects: Array.from({ length: 10_001 }, () => 1) });
    expect(tooMany.status).toBe(413);
    expect(await t.snapshot()).toEqual(before);
    expect(
      (await t.hub.state.submissions.list({ partnerId: t.kabul.id, state: 'all', limit: 1000 })).some(
        (s) => s.object_id === big.id,
      ),
    ).toBe(false);
  });
});

describe('red team property: random submissions change nothing and reveal nothing', () => {
  it('for ids the hub holds, partners’ derived ids, computed SCO ids and reserved ids', async () => {
    await t.runPipeline();
    const baseline = await observable();
    const { sql } = t.hub.state;
    const intel = (
      await sql.all<{ json: string }>('SELECT json FROM objects WHERE is_latest = 1 ORDER BY added_us')
    ).map((r) => JSON.parse(r.json) as JsonObject);
    const derived = (await sql.all<{ json: string }>('SELECT json FROM releases ORDER BY rid')).map(
      (r) => JSON.parse(r.json) as JsonObject,
    );
    const partners = await t.hub.state.partners.list();
    const reserved: JsonObject[] = [
      ...TLP_MARKINGS.map((m) => m.definition),
      buildReleasingIdentity(t.hub.config.hub_name),
      ...partners.map((p) => p.identity),
    ];
    const templates = [...intel, ...derived, ...reserved];
    // What Kabul has sent already (earlier tests too): its own history may answer a resend.
    const sent = new Set(
      (await t.hub.state.submissions.list({ partnerId: t.kabul.id, state: 'all', limit: 10_000 })).map(
        (s) => `${s.object_id}|${s.version}`,
      ),
    );
    let compared = 0;
    let accepted = 0;

    const attack = fc.record({
      template: fc.constantFrom(...templates),
      creator: fc.constantFrom('self', 'self', 'self', 'self', 'self', 'ally', 'none'),
      version: fc.constantFrom('older', 'same', 'newer'),
      revoked: fc.boolean(),
      text: fc.string({ maxLength: 40 }),
      value: fc.stringMatching(/^[a-z]{3,12}$/),
    });
    await fc.assert(
      fc.asyncProperty(attack, async (a) => {
        const o: JsonObject = { ...a.template };
        if (o.type === 'marking-definition') {
          // Finding 4's attack: a statement under a TLP id (TLP content under another id is
          // refused by the STIX rules for everyone alike, which says nothing about the hub).
          delete o.extensions;
          o.definition_type = 'statement';
          o.definition = { statement: `kabul: ${a.text}` };
        }
        const sco = o.created === undefined;
        if (sco) {
          // An observable: the one the hub holds under its computed id, or one of the same kind.
          if (typeof o.value === 'string' && a.version === 'newer') o.value = `${a.value}.example`;
          o.id = computeScoId(o) ?? (o.id as string);
        } else {
          if (a.creator === 'self') o.created_by_ref = t.kabul.id;
          else if (a.creator === 'ally') o.created_by_ref = t.ally.id;
          else delete o.created_by_ref;
          const held = Date.parse(String(o.modified ?? o.created));
          const shift = { older: -1000, same: 0, newer: 1000 + compared }[a.version];
          const at = new Date(held + shift).toISOString();
          if (o.modified !== undefined || a.version !== 'same') o.modified = at;
          if (a.revoked) o.revoked = true;
          if (typeof o.description === 'string' || a.text) o.description = `kabul: ${a.text}`;
        }
        const id = String(o.id);
        const type = id.slice(0, id.indexOf('--'));
        const twin: JsonObject = { ...o, id: `${type}--${randomUUID()}` };
        if (sco && typeof o.value === 'string') {
          twin.value = `twin-${randomUUID().slice(0, 8)}.example`;
          twin.id = computeScoId(twin) ?? (twin.id as string);
        }
        const version = `${id}|${String(o.modified ?? o.created ?? '')}`;
        const first = !sent.has(version);
        const x = await submit(t.kabul, [o]);
        const y = await submit(t.kabul, [twin]);
        sent.add(version);
        // Its own earlier submission of this id and version may answer differently (a conflict
        // with what it sent itself); the first time, the answer cannot depend on the hub.
        if (first) {
          expect(normalised(y, [String(twin.id), id]), JSON.stringify(o)).toEqual(normalised(x));
          compared++;
          accepted += JSON.parse(x.answer.body).success_count;
        }
        expect([x.answer.status, y.answer.status]).toEqual([202, 202]);
        await t.runPipeline();
        expect(await observable()).toEqual(baseline);
      }),
      { numRuns: 40 },
    );
    // A good share of comparisons are of accepted objects, not of two refusals alike. Runs of 40
    // random cases accept about a third to a half; a fifth keeps the check from failing on an
    // unlucky draw (one run accepted 12 of 38) while a generator that only made refusals fails it.
    expect(compared).toBeGreaterThan(20);
    expect(accepted).toBeGreaterThan(compared / 5);
  });
});
