import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { loadGazetteer } from '../src/app/osint-data-load.js';
import { draftStoresOf } from '../src/app/release-stores.js';
import { openStoredEntry } from '../src/ledger/ledger-commitment.js';
import { confirmDraft, editDraft, ingestArticle, rejectDraft } from '../src/release/osint-drafts.js';
import type { JsonObject } from '../src/stix/types.js';
import { validateObject } from '../src/stix/validate.js';
import { describeOnHubEngines, type EngineHub } from './hub-engines.js';

const SEED = readFileSync(new URL('fixtures/articles/seed-000.txt', import.meta.url));
const ANALYST = { name: 'analyst-a' };
const META = {
  sourceUrl: 'https://news.example.net/isis-k-taliban',
  published: '2024-04-10',
  title: 'Cooperation with the Taliban against ISIS-K',
};

async function objectCount(t: EngineHub): Promise<number> {
  return Number(
    (await t.hub.state.sql.get<{ n: number | string }>('SELECT count(*) AS n FROM objects'))?.n ?? 0,
  );
}

describeOnHubEngines('drafts from open-source articles', (open) => {
  it('the seed article becomes a draft with the case entities and their evidence, apart from intel', async () => {
    const t = await open();
    try {
      const before = await objectCount(t);
      const r = await ingestArticle(
        draftStoresOf(t.hub),
        loadGazetteer,
        { body: SEED, meta: META },
        ANALYST,
        t.clock.now(),
      );
      if (!r.ok) throw new Error(r.message);
      expect(await objectCount(t)).toBe(before);
      const d = await t.hub.state.drafts.get(r.id);
      if (!d) throw new Error('no draft');
      expect(d.state).toBe('open');
      const named = (kind: string, name: string) => d.items.find((i) => i.kind === kind && i.name === name);
      for (const [kind, name] of [
        ['group', 'ISIS-K'],
        ['group', 'Taliban'],
        ['location', 'United States'],
        ['location', 'Afghanistan'],
        ['location', 'Kabul'],
        ['location', 'Doha'],
        ['location', 'Moscow'],
        ['location', 'Crocus City Hall'],
        ['location', 'Iran'],
        ['location', 'Europe'],
        ['event', '2021 withdrawal'],
        ['incident', 'Crocus City Hall attack'],
      ] as const) {
        const item = named(kind, name);
        expect(item, `${kind} ${name}`).toBeDefined();
        const e = item?.evidence[0];
        expect(e).toBeDefined();
        if (!e) continue;
        // The evidence points at the text and the sentence holding it.
        expect(e.sentenceStart).toBeLessThanOrEqual(e.start);
        expect(e.sentenceEnd).toBeGreaterThanOrEqual(e.end);
        expect(e.rule).not.toBe('');
        expect(e.confidence).toBeGreaterThan(0);
      }
      const crocus = named('incident', 'Crocus City Hall attack');
      expect(crocus?.data).toMatchObject({ killed: { value: 130 }, place: 'location:crocus-city-hall' });
      const kabul = named('location', 'Kabul');
      const e = kabul?.evidence[0];
      expect(e && d.text.slice(e.start, e.end)).toBe('Kabul');
      expect((await t.hub.state.drafts.list({ limit: 10 })).map((x) => x.id)).toEqual([r.id]);
    } finally {
      await t.close();
    }
  });

  it('links names to intrusion sets the store holds, and confirms into intel in one ledgered ingest by the analyst', async () => {
    const t = await open();
    try {
      const known = {
        type: 'intrusion-set',
        spec_version: '2.1',
        id: 'intrusion-set--6a2c1e0e-5a43-4b8e-9d6f-0a1b2c3d4e5f',
        created: '2026-01-01T00:00:00.000Z',
        modified: '2026-01-01T00:00:00.000Z',
        name: 'Wilayat Khorasan',
        aliases: ['ISKP'],
      };
      await t.hub.objects.putObjects([{ object: known, json: JSON.stringify(known), source: 'test' }], {
        actor: 'someone',
        source: 'test',
      });
      const stores = draftStoresOf(t.hub);
      const r = await ingestArticle(
        stores,
        loadGazetteer,
        { body: SEED, meta: META, marking: 'green' },
        ANALYST,
        t.clock.now(),
      );
      if (!r.ok) throw new Error(r.message);
      const d = await t.hub.state.drafts.get(r.id);
      const isisk = d?.items.find((i) => i.kind === 'group' && i.mergeWith === known.id);
      expect(isisk?.name).toBe('Wilayat Khorasan');
      // Reject every identity and one location; rename the event.
      const edited = await editDraft(
        stores,
        r.id,
        {
          edits: [
            { kind: 'identity', decision: 'rejected' },
            { key: 'location:doha', decision: 'rejected' },
            { key: 'event:2021-withdrawal', name: 'US withdrawal from Afghanistan (2021)' },
          ],
          marking: 'amber',
        },
        ANALYST,
        t.clock.now(),
      );
      if (!edited.ok) throw new Error(edited.message);
      const unknown = await editDraft(
        stores,
        r.id,
        { edits: [{ key: 'location:atlantis', decision: 'accepted' }] },
        ANALYST,
        t.clock.now(),
      );
      expect(unknown).toMatchObject({ ok: false, code: 'bad-input' });
      // A merge names a stored object of a type the item's kind can be, and changes nothing else when refused.
      const wrongType = await editDraft(
        stores,
        r.id,
        { edits: [{ key: 'location:kabul', mergeWith: known.id }] },
        ANALYST,
        t.clock.now(),
      );
      expect(wrongType).toMatchObject({
        ok: false,
        code: 'bad-input',
        message: `edit 1: a location item merges only with location objects; ${known.id} is of type intrusion-set`,
      });
      const missing = 'location--0b6f3a1e-5c2d-4e8f-9a7b-1c2d3e4f5a6b';
      const absent = await editDraft(
        stores,
        r.id,
        { edits: [{ key: 'location:kabul', mergeWith: missing }] },
        ANALYST,
        t.clock.now(),
      );
      expect(absent).toMatchObject({ ok: false, code: 'bad-input' });
      expect(absent.ok ? '' : absent.message).toContain(`the store holds no ${missing}`);
      expect(
        (await t.hub.state.drafts.get(r.id))?.items.find((i) => i.key === 'location:kabul')?.mergeWith,
      ).toBeUndefined();
      const entriesBefore = (await t.hub.state.sql.all('SELECT idx FROM ledger_entries')).length;
      const c = await confirmDraft(stores, r.id, ANALYST, t.clock.now());
      if (!c.ok) throw new Error(c.message);
      const rows = await t.hub.state.sql.all<{ json: string; imported_by: string; source: string }>(
        'SELECT json, imported_by, source FROM objects WHERE source = ?',
        [`osint:draft:${r.id}`],
      );
      expect(rows.length).toBe(c.objects);
      const objects = rows.map((x) => JSON.parse(x.json) as JsonObject);
      for (const o of objects) {
        expect(validateObject(o).valid).toBe(true);
        expect(o.object_marking_refs).toEqual(['marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421']);
      }
      expect(rows.every((x) => x.imported_by === 'analyst-a')).toBe(true);
      const report = objects.find((o) => o.type === 'report');
      expect(report?.id).toBe(c.reportId);
      expect(report?.name).toBe(META.title);
      expect(report?.external_references).toEqual([
        { source_name: 'open-source article', url: META.sourceUrl },
      ]);
      // The stored intrusion set is referred to, not made again; rejected items are left out.
      expect(report?.object_refs).toContain(known.id);
      expect(objects.filter((o) => o.type === 'intrusion-set').map((o) => o.name)).toEqual(['Taliban']);
      expect(objects.some((o) => o.type === 'identity')).toBe(false);
      expect(objects.some((o) => o.name === 'Doha')).toBe(false);
      expect(objects.find((o) => o.type === 'note')?.abstract).toBe('US withdrawal from Afghanistan (2021)');
      const incident = objects.find((o) => o.type === 'incident');
      expect(incident?.description).toContain('130 killed');
      const entries = await t.hub.state.sql.all<{ bytes: Uint8Array; salt: Uint8Array; private: Uint8Array }>(
        'SELECT bytes, salt, private FROM ledger_entries WHERE idx >= ? ORDER BY idx',
        [entriesBefore],
      );
      // Opened as an overseer would: the leaf alone names no one.
      expect(
        entries.map((e) => {
          const x = openStoredEntry(e.bytes, { salt: e.salt, private: e.private });
          return x.ok ? [x.entry.kind, x.entry.actor, x.entry.details ?? null] : 'bad';
        }),
      ).toEqual([
        ['ingest-batch', 'analyst-a', null],
        ['draft-review', 'analyst-a', { report_id: c.reportId }],
      ]);
      expect(await t.hub.state.drafts.get(r.id)).toMatchObject({
        state: 'confirmed',
        reviewed_by: 'analyst-a',
        report_id: c.reportId,
      });
      expect(await confirmDraft(stores, r.id, ANALYST, t.clock.now())).toMatchObject({
        ok: false,
        code: 'not-open',
      });
      expect(await editDraft(stores, r.id, { edits: [] }, ANALYST, t.clock.now())).toMatchObject({
        ok: false,
        code: 'not-open',
      });
      expect(await rejectDraft(stores, r.id, ANALYST, 'late', t.clock.now())).toMatchObject({
        ok: false,
        code: 'not-open',
      });
    } finally {
      await t.close();
    }
  });

  it('rejects with a reason and keeps everything out of intel; a draft with nothing accepted cannot be confirmed', async () => {
    const t = await open();
    try {
      const stores = draftStoresOf(t.hub);
      const before = await objectCount(t);
      const r = await ingestArticle(
        stores,
        loadGazetteer,
        { body: 'Nothing happened in the garden today.', meta: {} },
        ANALYST,
        t.clock.now(),
      );
      if (!r.ok) throw new Error(r.message);
      expect(r.items).toBe(0);
      expect(await confirmDraft(stores, r.id, ANALYST, t.clock.now())).toMatchObject({
        ok: false,
        code: 'invalid',
      });
      expect(await rejectDraft(stores, r.id, ANALYST, '   ', t.clock.now())).toMatchObject({
        ok: false,
        code: 'reason-required',
      });
      const entriesBefore = (await t.hub.state.sql.all('SELECT idx FROM ledger_entries')).length;
      expect(await rejectDraft(stores, r.id, ANALYST, 'no intelligence value', t.clock.now())).toEqual({
        ok: true,
      });
      // Ledgered like a rejected submission: who and why in the private part, nothing public
      // besides the kind, the time and the commitment.
      const entries = await t.hub.state.sql.all<{ bytes: Uint8Array; salt: Uint8Array; private: Uint8Array }>(
        'SELECT bytes, salt, private FROM ledger_entries WHERE idx >= ? ORDER BY idx',
        [entriesBefore],
      );
      expect(entries).toHaveLength(1);
      const [entry] = entries;
      if (!entry) throw new Error('no entry');
      const opened = openStoredEntry(entry.bytes, { salt: entry.salt, private: entry.private });
      expect(opened).toMatchObject({
        ok: true,
        entry: {
          kind: 'draft-review',
          actor: 'analyst-a',
          draft_id: r.id,
          decision: 'rejected',
          digest: createHash('sha256').update('Nothing happened in the garden today.').digest('hex'),
          details: { reason: 'no intelligence value' },
        },
      });
      const leaf = JSON.parse(Buffer.from(entry.bytes).toString('utf8')) as Record<string, unknown>;
      expect(Object.keys(leaf).sort()).toEqual(['commitment', 'kind', 'time', 'v']);
      expect(JSON.stringify(leaf)).not.toContain('analyst-a');
      expect(await t.hub.state.drafts.get(r.id)).toMatchObject({
        state: 'rejected',
        review_note: 'no intelligence value',
      });
      expect(await objectCount(t)).toBe(before);
    } finally {
      await t.close();
    }
  });

  it('refuses bad input with a clear message and stores nothing', async () => {
    const t = await open();
    try {
      const stores = draftStoresOf(t.hub);
      const cases: [Parameters<typeof ingestArticle>[2], RegExp][] = [
        [{ body: '', meta: {} }, /no text/],
        [{ body: '   \n\t ', meta: {} }, /no text/],
        [{ body: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]), meta: {} }, /not text/],
        [{ body: new Uint8Array([0xff, 0xfe, 0x41, 0x42]), meta: {} }, /not UTF-8/],
        [{ body: 'x'.repeat(3 * 1024 * 1024), meta: {} }, /bytes; at most/],
        [{ body: 'ISIS-K in Kabul', meta: { sourceUrl: 'javascript:alert(1)' } }, /http\(s\) URL/],
        [{ body: 'ISIS-K in Kabul', meta: { published: 'yesterday' } }, /must be a date/],
        [{ body: 'ISIS-K in Kabul', meta: {}, marking: 'secret' }, /must be clear, green/],
      ];
      for (const [input, message] of cases) {
        const r = await ingestArticle(stores, loadGazetteer, input, ANALYST, t.clock.now());
        expect(r).toMatchObject({ ok: false, code: 'bad-input' });
        if (!r.ok) expect(r.message).toMatch(message);
      }
      expect(await t.hub.state.drafts.list({ state: 'all', limit: 10 })).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
