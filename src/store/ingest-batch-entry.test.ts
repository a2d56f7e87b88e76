import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../stix/canonical-json.js';
import { ingestBatchEntry } from './ingest-batch-entry.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('ingestBatchEntry', () => {
  it('digests the canonical list of [id, version, SHA-256 of the exact JSON] (property)', () => {
    const version = fc.record({
      id: fc.string(),
      version: fc.string(),
      json: fc.string({ unit: 'grapheme' }),
    });
    fc.assert(
      fc.property(fc.array(version, { maxLength: 20 }), (stored) => {
        const entry = ingestBatchEntry('file:x.json', 'alice', new Date(Date.UTC(2026, 0, 2)), stored);
        const list = stored.map((s) => [s.id, s.version, sha256(s.json)]);
        expect(entry).toEqual({
          kind: 'ingest-batch',
          time: '2026-01-02T00:00:00.000Z',
          actor: 'alice',
          source: 'file:x.json',
          count: stored.length,
          digest: sha256(canonicalJson(list)),
        });
      }),
      { numRuns: 200 },
    );
  });

  it('changes its digest when one byte of one stored text changes', () => {
    const a = [{ id: 'x--1', version: 'v', json: '{"a":1}' }];
    const b = [{ id: 'x--1', version: 'v', json: '{"a":2}' }];
    const t = new Date(0);
    expect(ingestBatchEntry('s', 'u', t, a).digest).not.toBe(ingestBatchEntry('s', 'u', t, b).digest);
  });
});
