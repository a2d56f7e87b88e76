import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { expect, it } from 'vitest';
import { reviewStoresOf } from '../src/app/release-stores.js';
import { buildServer } from '../src/app/server.js';
import { decodeLeaf } from '../src/ledger/ledger-commitment.js';
import { promoteSubmission, rejectSubmission } from '../src/release/submission-promote.js';
import { computeScoId } from '../src/stix/sco-id.js';
import type { JsonObject } from '../src/stix/types.js';
import { releasingIdentityIdOf } from '../src/tearline/tearline-identity.js';
import { SUBMISSION_PROVENANCE_EXTENSION_ID } from '../src/tearline/tearline-provenance.js';
import { LENIENT_THROTTLE } from './auth-fixture.js';
import { describeOnHubEngines, type EngineHub } from './hub-engines.js';
import { basic, TAXII } from './taxii-fixture.js';

interface Setup extends EngineHub {
  app: FastifyInstance;
  partner: { id: string; name: string; token: string };
  submit(objects: unknown[]): Promise<void>;
  /** The number of the submission of `id` (its latest version). */
  numberOf(id: string): Promise<number>;
}

async function setUp(open: () => Promise<EngineHub>): Promise<Setup> {
  const opened = await open();
  const { hub, clock } = opened;
  const added = await hub.state.partners.add(
    { name: 'kabul-authorities' },
    { actor: 'test', now: clock.now(), randomBytes: (n) => randomBytes(n) },
  );
  if (!added.ok) throw new Error(added.message);
  const partner = { id: added.partner.id, name: 'kabul-authorities', token: added.token };
  const app = buildServer(hub, { throttle: LENIENT_THROTTLE });
  return {
    ...opened,
    app,
    partner,
    close: async () => {
      await app.close();
      await opened.close();
    },
    async submit(objects) {
      const res = await app.inject({
        method: 'POST',
        url: '/taxii2/hub/collections/submissions/objects/',
        headers: { authorization: basic(partner.name, partner.token), accept: TAXII, 'content-type': TAXII },
        payload: JSON.stringify({ objects }),
      });
      expect(JSON.parse(res.body).failure_count).toBe(0);
    },
    async numberOf(id) {
      const all = await hub.state.submissions.list({ state: 'all', limit: 1000 });
      const found = all.find((s) => s.object_id === id && s.latest);
      if (!found) throw new Error(`no submission of ${id}`);
      return found.number;
    },
  };
}

function sighting(by: string, extra: JsonObject = {}): JsonObject {
  return {
    type: 'sighting',
    spec_version: '2.1',
    id: `sighting--${randomUUID()}`,
    created: '2026-05-01T00:00:00.000Z',
    modified: '2026-05-01T00:00:00.000Z',
    created_by_ref: by,
    sighting_of_ref: `indicator--${randomUUID()}`,
    count: 2,
    ...extra,
  };
}

const ANALYST = { name: 'analyst-a' };

describeOnHubEngines('reviewing partner submissions', (open) => {
  it('promotes into a new hub object with provenance, imported by the analyst, in one ledgered step', async () => {
    const t = await setUp(open);
    try {
      const s = sighting(t.partner.id);
      await t.submit([s]);
      const number = await t.numberOf(s.id as string);
      const entriesBefore = (await t.hub.state.sql.all('SELECT idx FROM ledger_entries')).length;
      const r = await promoteSubmission(reviewStoresOf(t.hub), number, ANALYST, t.clock.now());
      if (!r.ok) throw new Error(r.message);
      expect(r.promotedId).not.toBe(s.id);
      const row = await t.hub.state.sql.get<{ json: string; imported_by: string; source: string }>(
        'SELECT json, imported_by, source FROM objects WHERE id = ?',
        [r.promotedId],
      );
      expect(row?.imported_by).toBe('analyst-a');
      expect(row?.source).toBe(`promotion:partner:kabul-authorities#${number}`);
      const o = JSON.parse(row?.json ?? '{}') as JsonObject;
      expect(o.created_by_ref).toBe(releasingIdentityIdOf(t.hub.config.hub_name));
      expect(o.sighting_of_ref).toBe(s.sighting_of_ref);
      expect((o.extensions as JsonObject)[SUBMISSION_PROVENANCE_EXTENSION_ID]).toMatchObject({
        submitted_by_ref: t.partner.id,
        submitted_id: s.id,
      });
      expect(await t.hub.state.sql.all('SELECT id FROM objects WHERE id = ?', [s.id])).toEqual([]);
      const detail = await t.hub.state.submissions.get(number);
      expect(detail).toMatchObject({
        state: 'promoted',
        reviewed_by: 'analyst-a',
        promoted_id: r.promotedId,
      });
      const entries = await t.hub.state.sql.all<{ bytes: Buffer | Uint8Array }>(
        'SELECT bytes FROM ledger_entries WHERE idx >= ? ORDER BY idx',
        [entriesBefore],
      );
      const kinds = entries.map((e) => {
        const d = decodeLeaf(e.bytes);
        return d.ok ? d.leaf.entry.kind : 'bad';
      });
      expect(kinds.sort()).toEqual(['ingest-batch', 'submission-review']);
      // The review is committed to, not disclosed: no analyst, partner or submitted id in a leaf.
      for (const e of entries) {
        const text = Buffer.from(e.bytes).toString('utf8');
        expect(text).not.toContain('analyst-a');
        expect(text).not.toContain(s.id);
        expect(text).not.toContain(t.partner.id);
      }
      const again = await promoteSubmission(reviewStoresOf(t.hub), number, ANALYST, t.clock.now());
      expect(again).toMatchObject({ ok: false, code: 'not-pending' });
      const late = await rejectSubmission(
        reviewStoresOf(t.hub),
        number,
        ANALYST,
        'changed my mind',
        t.clock.now(),
      );
      expect(late).toMatchObject({ ok: false, code: 'not-pending' });
    } finally {
      await t.close();
    }
  });

  it('rejects with a reason, and keeps the object out of intel', async () => {
    const t = await setUp(open);
    try {
      const s = sighting(t.partner.id);
      await t.submit([s]);
      const number = await t.numberOf(s.id as string);
      expect(
        await rejectSubmission(reviewStoresOf(t.hub), number, ANALYST, '  ', t.clock.now()),
      ).toMatchObject({
        ok: false,
        code: 'reason-required',
      });
      expect(
        await rejectSubmission(reviewStoresOf(t.hub), number, ANALYST, 'not credible', t.clock.now()),
      ).toEqual({ ok: true });
      expect(await t.hub.state.submissions.get(number)).toMatchObject({
        state: 'rejected',
        review_note: 'not credible',
      });
      expect(await t.hub.state.sql.all('SELECT id FROM objects')).toEqual([]);
      expect(await promoteSubmission(reviewStoresOf(t.hub), 42, ANALYST, t.clock.now())).toMatchObject({
        ok: false,
        code: 'not-found',
      });
    } finally {
      await t.close();
    }
  });

  it('links an observable the hub holds with the same content, refuses one it holds otherwise', async () => {
    const t = await setUp(open);
    try {
      const held = { type: 'domain-name', spec_version: '2.1', value: 'staging.example' };
      const heldId = computeScoId(held) as string;
      await t.hub.objects.putObjects([
        {
          object: { ...held, id: heldId },
          json: JSON.stringify({ ...held, id: heldId }),
          source: 'test',
        },
      ]);
      // The partner computes the id itself: its submission lands in its own space all the same.
      await t.submit([{ ...held, id: heldId }]);
      const same = await promoteSubmission(
        reviewStoresOf(t.hub),
        await t.numberOf(heldId),
        ANALYST,
        t.clock.now(),
      );
      expect(same).toEqual({ ok: true, promotedId: heldId, existing: true, submitterConsent: 'none' });
      const other = { type: 'ipv4-addr', spec_version: '2.1', value: '203.0.113.9' };
      const otherId = computeScoId(other) as string;
      await t.hub.objects.putObjects([
        {
          object: { ...other, id: otherId },
          json: JSON.stringify({ ...other, id: otherId }),
          source: 'test',
        },
      ]);
      await t.submit([{ ...other, id: otherId, defanged: true }]);
      const clash = await promoteSubmission(
        reviewStoresOf(t.hub),
        await t.numberOf(otherId),
        ANALYST,
        t.clock.now(),
      );
      expect(clash).toMatchObject({ ok: false, code: 'already-held' });
      expect(await t.hub.state.sql.all('SELECT id FROM objects WHERE id = ?', [otherId])).toHaveLength(1);
    } finally {
      await t.close();
    }
  });

  it('refuses a marking definition under a TLP id and an identity named as a partner', async () => {
    const t = await setUp(open);
    try {
      const marking = {
        type: 'marking-definition',
        spec_version: '2.1',
        id: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
        created: '2026-01-01T00:00:00.000Z',
        created_by_ref: t.partner.id,
        definition_type: 'statement',
        definition: { statement: 'share freely' },
      };
      const identity = {
        type: 'identity',
        spec_version: '2.1',
        id: t.partner.id,
        created: '2026-01-01T00:00:00.000Z',
        modified: '2026-09-01T00:00:00.000Z',
        created_by_ref: t.partner.id,
        name: 'KABUL-AUTHORITIES',
      };
      await t.submit([marking, identity]);
      for (const id of [marking.id, identity.id]) {
        const r = await promoteSubmission(
          reviewStoresOf(t.hub),
          await t.numberOf(id),
          ANALYST,
          t.clock.now(),
        );
        expect(r).toMatchObject({ ok: false, code: 'not-promotable' });
      }
      expect(await t.hub.state.sql.all('SELECT id FROM objects')).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('maps references to what was promoted before from the same partner', async () => {
    const t = await setUp(open);
    try {
      const observed = {
        type: 'observed-data',
        spec_version: '2.1',
        id: `observed-data--${randomUUID()}`,
        created: '2026-05-01T00:00:00.000Z',
        modified: '2026-05-01T00:00:00.000Z',
        created_by_ref: t.partner.id,
        first_observed: '2026-04-30T00:00:00Z',
        last_observed: '2026-04-30T01:00:00Z',
        number_observed: 1,
        object_refs: [computeScoId({ type: 'ipv4-addr', value: '198.51.100.4' }) as string],
      };
      const s = sighting(t.partner.id, { observed_data_refs: [observed.id] });
      await t.submit([observed, s]);
      const first = await promoteSubmission(
        reviewStoresOf(t.hub),
        await t.numberOf(observed.id),
        ANALYST,
        t.clock.now(),
      );
      if (!first.ok) throw new Error(first.message);
      const second = await promoteSubmission(
        reviewStoresOf(t.hub),
        await t.numberOf(s.id as string),
        ANALYST,
        t.clock.now(),
      );
      if (!second.ok) throw new Error(second.message);
      const row = await t.hub.state.sql.get<{ json: string }>('SELECT json FROM objects WHERE id = ?', [
        second.promotedId,
      ]);
      expect(JSON.parse(row?.json ?? '{}').observed_data_refs).toEqual([first.promotedId]);
    } finally {
      await t.close();
    }
  });
});
