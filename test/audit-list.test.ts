import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { LedgerEntry } from '../src/ledger/ledger-entry.js';
import { countAuditEntries, listAuditEntries } from '../src/store/hub/audit-entries.js';
import { describeOnHubEngines } from './hub-engines.js';

// The audit list's SQL filters on both engines, against the same filter applied to the entries
// in memory: the partner filter reads private parts, so a partner named only inside a string
// (a reason quoting another partner's id) must not match.
const PARTNERS = ['partner-a', 'partner-b', 'partner-"c"'];
const ACTORS = ['officer-1', 'officer-2', 'admin'];

const entryArb = fc
  .record({
    kind: fc.constantFrom('denial', 'recall', 'ingest-batch', 'partner-change'),
    partner: fc.constantFrom(...PARTNERS),
    actor: fc.constantFrom(...ACTORS),
    minute: fc.integer({ min: 0, max: 59 }),
    quoted: fc.constantFrom(...PARTNERS),
  })
  .map(({ kind, partner, actor, minute, quoted }): LedgerEntry => {
    const time = `2026-06-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
    const reason = `"partner":${JSON.stringify(quoted)} said so`;
    switch (kind) {
      case 'denial':
        return {
          kind,
          time,
          actor,
          release_id: 'item-1',
          partner,
          original_id: 'indicator--1',
          original_version: '1',
          reason,
        };
      case 'recall':
        return { kind, time, actor, release_id: 'release--1', partner, reason };
      case 'partner-change':
        return { kind, time, actor, partner, change: 'added', digest: 'd' };
      default:
        return { kind: 'ingest-batch', time, actor, source: reason, count: 3, digest: 'd' };
    }
  });

describeOnHubEngines('audit list filters', (open) => {
  it('match the same filter applied in memory, and page without overlap', async () => {
    const { hub, close } = await open();
    try {
      const entries = fc.sample(fc.array(entryArb, { minLength: 30, maxLength: 30 }), {
        numRuns: 1,
        seed: 7,
      })[0] as LedgerEntry[];
      // Ledger times never go backwards.
      entries.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
      await hub.sql.transaction(async (tx) => {
        const r = await tx.appendLedger(entries);
        if (!r.ok) throw new Error(r.message);
      });
      const noNames = async () => ({ partner: () => undefined, object: () => undefined });
      await fc.assert(
        fc.asyncProperty(
          fc.record(
            {
              partnerId: fc.constantFrom(...PARTNERS),
              actor: fc.constantFrom(...ACTORS),
              kind: fc.constantFrom('denial' as const, 'recall' as const, 'ingest-batch' as const),
              from: fc
                .integer({ min: 0, max: 59 })
                .map((m) => `2026-06-01T10:${String(m).padStart(2, '0')}:00.000Z`),
            },
            { requiredKeys: [] },
          ),
          async (filter) => {
            const expected = entries
              .map((e, index) => ({ e, index }))
              .filter(
                ({ e }) =>
                  (!filter.partnerId || ('partner' in e && e.partner === filter.partnerId)) &&
                  (!filter.actor || e.actor === filter.actor) &&
                  (!filter.kind || e.kind === filter.kind) &&
                  (!filter.from || e.time >= filter.from),
              )
              .map(({ index }) => index)
              .reverse();
            expect(await countAuditEntries(hub.sql, filter)).toBe(expected.length);
            const first = await listAuditEntries(hub.sql, filter, { limit: 4, offset: 0 }, true, noNames);
            const rest = await listAuditEntries(hub.sql, filter, { limit: 100, offset: 4 }, true, noNames);
            expect([...first, ...rest].map((r) => r.index)).toEqual(expected);
            expect(first.every((r) => r.readable && r.actor !== undefined)).toBe(true);
          },
        ),
        { numRuns: 40 },
      );
    } finally {
      await close();
    }
  });
});
