import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, dataDirPaths } from '../app/data-dir.js';
import { createHub } from '../app/hub.js';
import { ManualClock } from '../clock.js';
import { openStoredEntry } from '../ledger/ledger-commitment.js';
import { applyImportMarking, parseImportMarking } from '../stix/markings-import.js';
import { compareTlp, TLP_LEVELS, TLP_MARKINGS, tlp2MarkingId, tlpLevelOf } from '../stix/markings-tlp.js';
import type { JsonObject } from '../stix/types.js';
import { openSqlite } from '../store/sqlite/database.js';
import { importStream } from './import-stream.js';

const STATEMENT = 'marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168';
const OTHER = 'marking-definition--00000000-0000-4000-8000-00000000beef';

/** The most restrictive TLP level among an object's markings, or undefined. */
function levelOf(o: JsonObject): string | undefined {
  const refs = (o.object_marking_refs ?? []) as string[];
  let best: (typeof TLP_LEVELS)[number] | undefined;
  for (const r of refs) {
    const l = tlpLevelOf(r);
    if (l && (!best || compareTlp(l, best) > 0)) best = l;
  }
  return best;
}

describe('parseImportMarking', () => {
  it('reads TLP names, standard ids and held statements; refuses the rest naming the fix', () => {
    const held = new Set([STATEMENT]);
    expect(parseImportMarking('tlp:green', held)).toEqual({
      ok: true,
      marking: { id: tlp2MarkingId('green'), kind: 'tlp' },
    });
    expect(parseImportMarking('TLP:AMBER+STRICT', held)).toMatchObject({ ok: true });
    expect(parseImportMarking('tlp:white', held)).toMatchObject({ marking: { id: tlp2MarkingId('clear') } });
    const tlp1 = TLP_MARKINGS.find((m) => m.version === '1.0')?.id as string;
    expect(parseImportMarking(tlp1, held)).toEqual({ ok: true, marking: { id: tlp1, kind: 'tlp' } });
    expect(parseImportMarking(STATEMENT, held)).toEqual({
      ok: true,
      marking: { id: STATEMENT, kind: 'statement' },
    });
    expect(parseImportMarking('tlp:purple', held)).toMatchObject({ ok: false, code: 'marking-syntax' });
    expect(parseImportMarking('green', held)).toMatchObject({ ok: false, code: 'marking-syntax' });
    const unknown = parseImportMarking(OTHER, held);
    expect(unknown).toMatchObject({ ok: false, code: 'marking-unknown' });
    if (!unknown.ok) expect(unknown.message).toContain('import its definition first');
  });
});

describe('applyImportMarking', () => {
  const refArb = fc.constantFrom(...TLP_MARKINGS.map((m) => m.id), STATEMENT, OTHER);
  const objectArb = fc.record({
    type: fc.constantFrom('indicator', 'attack-pattern', 'marking-definition', 'ipv4-addr'),
    id: fc.constant('x--1'),
    object_marking_refs: fc.option(fc.uniqueArray(refArb, { maxLength: 3 }), { nil: undefined }),
  });
  const markingArb = fc.oneof(
    fc.constantFrom(...TLP_LEVELS).map((l) => ({ id: tlp2MarkingId(l), kind: 'tlp' as const })),
    fc.constant({ id: STATEMENT, kind: 'statement' as const }),
  );

  it('never lowers or replaces a TLP level an object states, and keeps every marking it had (property)', () => {
    fc.assert(
      fc.property(objectArb, markingArb, (raw, marking) => {
        const o = JSON.parse(JSON.stringify(raw)) as JsonObject;
        if (o.object_marking_refs === undefined) delete o.object_marking_refs;
        const before = [...((o.object_marking_refs ?? []) as string[])];
        const levelBefore = levelOf(o);
        const changed = applyImportMarking(o, marking);
        const after = (o.object_marking_refs ?? []) as string[];
        expect(after.slice(0, before.length)).toEqual(before);
        if (raw.type === 'marking-definition') expect(changed).toBe(false);
        if (levelBefore !== undefined) expect(levelOf(o)).toBe(levelBefore);
        if (changed) expect(after).toEqual([...before, marking.id]);
        if (marking.kind === 'tlp' && raw.type !== 'marking-definition' && levelBefore === undefined)
          expect(levelOf(o)).toBe(tlpLevelOf(marking.id));
      }),
      { numRuns: 500 },
    );
  });
});

describe('import with a marking', () => {
  it('stores the objects marked, counts them in the summary and in each batch ledger entry', async () => {
    const clock = new ManualClock('2026-11-28T10:00:00.000Z');
    const hub = createHub(dataDirPaths('/nonexistent'), DEFAULT_CONFIG, openSqlite(':memory:'), clock);
    const t = {
      spec_version: '2.1',
      created: '2024-01-01T00:00:00.000Z',
      modified: '2024-01-01T00:00:00.000Z',
    };
    const objects: JsonObject[] = [
      {
        type: 'marking-definition',
        id: STATEMENT,
        spec_version: '2.1',
        created: '2017-06-01T00:00:00.000Z',
        definition_type: 'statement',
        definition: { statement: 'Copyright' },
      },
      ...Array.from({ length: 25 }, (_, i) => ({
        type: 'attack-pattern',
        id: `attack-pattern--00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        ...t,
        name: `p${i}`,
        object_marking_refs: i % 5 === 0 ? [tlp2MarkingId('amber')] : [STATEMENT],
      })),
    ];
    // Small chunks, so the front cuts several batches (each with its own ledger entry).
    const text = JSON.stringify(objects);
    const chunks = Array.from({ length: Math.ceil(text.length / 300) }, (_, i) =>
      text.slice(i * 300, i * 300 + 300),
    );
    const summary = await importStream(Readable.from(chunks), hub.objects, {
      source: 'file:t.json',
      actor: 'alice',
      maxObjectBytes: 1 << 20,
      batchSize: 10,
      marking: { id: tlp2MarkingId('green'), kind: 'tlp' },
    });
    expect(summary.added).toBe(26);
    expect(summary.marking).toEqual({ id: tlp2MarkingId('green'), marked: 20 });
    const amber = JSON.parse(
      (await hub.objects.getLatest('attack-pattern--00000000-0000-4000-8000-000000000005'))?.json ?? '{}',
    );
    expect(amber.object_marking_refs).toEqual([tlp2MarkingId('amber')]);
    const green = JSON.parse(
      (await hub.objects.getLatest('attack-pattern--00000000-0000-4000-8000-000000000001'))?.json ?? '{}',
    );
    expect(green.object_marking_refs).toEqual([STATEMENT, tlp2MarkingId('green')]);
    const entries = hub.ledger
      .readEntries(0, hub.ledger.size())
      .map((row) => openStoredEntry(row.bytes, row.opening))
      .map((e) => (e.ok ? e.entry : undefined))
      .filter((e) => e?.kind === 'ingest-batch');
    expect(entries.length).toBeGreaterThan(1);
    const marked = entries.reduce((n, e) => n + Number(e?.details?.marked ?? 0), 0);
    expect(marked).toBe(20);
    for (const e of entries)
      expect(e).toMatchObject({ actor: 'alice', details: { marking: tlp2MarkingId('green') } });
    // Importing the same file again stores nothing and marks nothing.
    const again = await importStream(Readable.from([JSON.stringify(objects)]), hub.objects, {
      source: 'file:t.json',
      actor: 'alice',
      maxObjectBytes: 1 << 20,
      marking: { id: tlp2MarkingId('green'), kind: 'tlp' },
    });
    expect(again).toMatchObject({ duplicates: 26, marking: { marked: 0 } });
    hub.close();
  });
});
