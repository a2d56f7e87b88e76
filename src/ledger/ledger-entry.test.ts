import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './ledger-canonical-json.js';
import {
  checkEntry,
  decodeEntry,
  ENTRY_FIELDS,
  ENTRY_KINDS,
  encodeEntry,
  type LedgerEntry,
  releaseIdOf,
} from './ledger-entry.js';

const release: LedgerEntry = {
  kind: 'release',
  time: '2026-01-03T12:00:00Z',
  actor: 'officer-7',
  release_id: 'rel-1',
  partner: 'identity--2f7c2b0e-3c5a-4a61-9d0a-6b1f0f6b8a11',
  derived_id: 'indicator--0a0b2d5f-7c55-5f5e-8b3d-9b6c9a7c3f10',
  original_id: 'indicator--1b9c3c7e-2e8f-4a0e-8f1d-2f0d6f6b8a22',
  original_version: '2026-01-02T10:00:00.000Z',
  agreement_version: '3',
  reasons: ['policy:release-allied', 'condition:assurance-hr-1 met'],
  approvals: [{ approver: 'officer-9', time: '2026-01-03T11:00:00Z' }],
  tearline_digest: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
};

describe('ledger entries', () => {
  it('encodes canonically (sorted keys, no whitespace) and decodes back', () => {
    const enc = encodeEntry(release);
    if (!enc.ok) throw new Error(enc.message);
    const text = enc.bytes.toString('utf8');
    expect(text.startsWith('{"actor":"officer-7","agreement_version":"3","approvals":[{"approver"')).toBe(
      true,
    );
    expect(text).not.toContain('\n');
    expect(decodeEntry(enc.bytes)).toMatchObject({ ok: true, entry: release });
    expect(releaseIdOf(release)).toBe('rel-1');
  });

  it('rejects non-canonical bytes of a valid entry', () => {
    expect(decodeEntry(Buffer.from(JSON.stringify(release, null, 1)))).toMatchObject({ code: 'bad-entry' });
    const canonical = (encodeEntry(release) as { bytes: Buffer }).bytes.toString();
    const duplicated = canonical.replace(
      '{"actor":"officer-7",',
      '{"actor":"officer-6","actor":"officer-7",',
    );
    expect(decodeEntry(Buffer.from(duplicated))).toMatchObject({
      code: 'bad-entry',
      message: expect.stringContaining('canonical'),
    });
    const invalidUtf8 = Buffer.concat([
      Buffer.from(canonical.slice(0, -2)),
      Buffer.from([0xff]),
      Buffer.from('"}'),
    ]);
    expect(decodeEntry(invalidUtf8)).toMatchObject({ code: 'bad-entry' });
  });

  it('names the field that is wrong', () => {
    expect(checkEntry({ ...release, kind: 'leak' })).toMatchObject({
      code: 'bad-entry',
      message: expect.stringContaining('kind'),
    });
    expect(checkEntry({ ...release, time: '3 Jan 2026' })).toMatchObject({
      message: expect.stringContaining('time'),
    });
    expect(checkEntry({ ...release, actor: '' })).toMatchObject({
      message: expect.stringContaining('actor'),
    });
    expect(checkEntry({ ...release, reasons: [1] })).toMatchObject({
      message: expect.stringContaining('reasons'),
    });
    expect(checkEntry({ ...release, extra: 1 })).toMatchObject({ message: expect.stringContaining('extra') });
    expect(
      checkEntry({
        kind: 'ingest-batch',
        time: release.time,
        actor: 'a',
        source: 's',
        count: -1,
        digest: 'd',
      }),
    ).toMatchObject({
      message: expect.stringContaining('count'),
    });
    expect(
      encodeEntry({ ...release, reasons: ['x'.repeat(4000), ...Array(20).fill('y'.repeat(4000))] }),
    ).toMatchObject({
      code: 'bad-entry',
      message: expect.stringContaining('limit'),
    });
  });

  it('writes exactly what the canonicalize package writes, for every kind and any text', () => {
    const text = fc.string({ minLength: 1, maxLength: 12, unit: 'binary' }).filter((t) => !/\p{Cs}/u.test(t));
    const time = fc.constantFrom('2026-01-03T12:00:00Z', '1999-12-31T23:59:59.123456789Z');
    const value = (type: string) =>
      type === 'string'
        ? text
        : type === 'time'
          ? time
          : type === 'strings'
            ? fc.array(text, { maxLength: 3 })
            : type === 'count'
              ? fc.maxSafeNat()
              : fc.array(fc.record({ approver: text, time }), { maxLength: 3 });
    const entryArb = fc.constantFrom(...ENTRY_KINDS).chain((kind) =>
      fc.record({
        kind: fc.constant(kind),
        time,
        actor: text,
        ...Object.fromEntries(Object.entries(ENTRY_FIELDS[kind]).map(([name, type]) => [name, value(type)])),
      }),
    );
    fc.assert(
      fc.property(entryArb, fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }), (e, detail) => {
        const entry = (detail === undefined ? e : { ...e, details: { d: detail } }) as LedgerEntry;
        const enc = encodeEntry(entry);
        return enc.ok && enc.bytes.toString('utf8') === canonicalJson(entry);
      }),
      { numRuns: 300 },
    );
  });

  it('accepts exactly the times that name a real instant (checked against Date)', () => {
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    fc.assert(
      fc.property(
        fc.tuple(
          fc.integer({ min: 1, max: 9999 }),
          fc.integer({ min: 0, max: 13 }),
          fc.integer({ min: 0, max: 32 }),
          fc.integer({ min: 0, max: 25 }),
          fc.integer({ min: 0, max: 61 }),
          fc.integer({ min: 0, max: 61 }),
        ),
        ([y, mo, d, h, mi, s]) => {
          const time = `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}Z`;
          const at = new Date(0);
          at.setUTCFullYear(y, mo - 1, d);
          at.setUTCHours(h, mi, s, 0);
          const real =
            mo >= 1 &&
            mo <= 12 &&
            at.getUTCFullYear() === y &&
            at.getUTCMonth() === mo - 1 &&
            at.getUTCDate() === d &&
            at.getUTCHours() === h &&
            at.getUTCMinutes() === mi &&
            at.getUTCSeconds() === s;
          return checkEntry({ ...release, time }).ok === real;
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects lone surrogates, which have no canonical form', () => {
    expect(encodeEntry({ ...release, actor: 'a\ud800b' })).toMatchObject({ code: 'bad-entry' });
  });

  it('round-trips arbitrary details and text through canonical bytes', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.jsonValue({ maxDepth: 3 }),
        (actor, detail) => {
          const entry = { ...release, actor, details: { detail: detail as never } };
          const enc = encodeEntry(entry);
          if (!enc.ok) return false;
          const dec = decodeEntry(enc.bytes);
          return (
            dec.ok &&
            encodeEntry(dec.entry).ok &&
            Buffer.compare((encodeEntry(dec.entry) as { bytes: Buffer }).bytes, enc.bytes) === 0
          );
        },
      ),
      { numRuns: 150 },
    );
  });
});
