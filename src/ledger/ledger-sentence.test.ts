import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from './ledger-entry.js';
import { describeEntry, listInWords } from './ledger-sentence.js';

const T = '2026-06-01T10:00:00.000Z';
const names = {
  partner: (id: string) => (id === 'p-1' ? 'allied-service' : undefined),
  object: (id: string) => (id === 'intrusion-set--1' ? 'ISIS-K' : undefined),
};
const base = { time: T, actor: 'officer-1' };

describe('ledger entries as sentences', () => {
  it('names partners and objects where it can, and keeps the id where it cannot', () => {
    const release: LedgerEntry = {
      kind: 'release',
      ...base,
      release_id: 'release--1',
      partner: 'p-1',
      derived_id: 'intrusion-set--2',
      original_id: 'intrusion-set--1',
      original_version: '1',
      agreement_version: '3',
      reasons: [],
      approvals: [
        { approver: 'officer-1', time: T },
        { approver: 'officer-2', time: T },
      ],
      tearline_digest: 'd',
    };
    expect(describeEntry(release, names)).toBe(
      'Released ISIS-K (intrusion-set--1) to allied-service, approved by officer-1 and officer-2 (run by officer-1)',
    );
    expect(describeEntry({ ...release, partner: 'p-9', approvals: [] }, names)).toBe(
      'Released ISIS-K (intrusion-set--1) to p-9, with no approval needed (run by officer-1)',
    );
    expect(
      describeEntry({ kind: 'ingest-batch', ...base, source: 'ics.json', count: 1, digest: 'd' }, names),
    ).toBe('officer-1 imported 1 object from ics.json');
    expect(
      describeEntry(
        { kind: 'delivery', ...base, partner: 'p-1', period_start: T, period_end: T, count: 2, digest: 'd' },
        names,
      ),
    ).toBe(`allied-service fetched 2 object versions over TAXII between ${T} and ${T}`);
  });

  it('lists any number of names in words, each once, in order', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { maxLength: 6 }), (items) => {
        const text = listInWords(items);
        if (items.length === 0) {
          expect(text).toBe('');
          return;
        }
        expect(text.endsWith(items[items.length - 1] as string)).toBe(true);
        if (items.length > 1) expect(text).toContain(` and ${items[items.length - 1]}`);
        expect(text.split(/, | and /)).toEqual(items);
      }),
    );
  });
});
