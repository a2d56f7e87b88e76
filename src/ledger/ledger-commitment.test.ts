import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './ledger-canonical-json.js';
import {
  commitmentOf,
  decodeLeaf,
  openLeaf,
  PUBLIC_FIELDS,
  type PublicEntry,
  SALT_BYTES,
  sealEntry,
} from './ledger-commitment.js';
import { ENTRY_FIELDS, ENTRY_KINDS, encodeEntry, type LedgerEntry } from './ledger-entry.js';

const salt = (n: number) => Buffer.alloc(SALT_BYTES, n);

const release: LedgerEntry = {
  kind: 'release',
  time: '2026-01-03T12:00:00Z',
  actor: 'officer-7',
  release_id: 'release--5b7c1d7e-8a4f-4c39-9e0d-1f6a2b3c4d5e',
  partner: 'identity--2f7c2b0e-3c5a-4a61-9d0a-6b1f0f6b8a11',
  derived_id: 'indicator--0a0b2d5f-7c55-5f5e-8b3d-9b6c9a7c3f10',
  original_id: 'indicator--1b9c3c7e-2e8f-4a0e-8f1d-2f0d6f6b8a22',
  original_version: '2026-01-02T10:00:00.000Z',
  agreement_version: '3',
  reasons: ['policy:release-allied', 'condition:assurance-hr-1 met'],
  approvals: [{ approver: 'officer-9', time: '2026-01-03T11:00:00Z' }],
  tearline_digest: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
};

function sealed(entry: LedgerEntry, s = salt(1)) {
  const res = sealEntry(entry, s);
  if (!res.ok) throw new Error(res.message);
  return res;
}

// Any entry of any kind, every text field carrying a marker that must never reach the leaf
// unless the field is public.
const text = fc.string({ minLength: 1, maxLength: 10, unit: 'binary' }).filter((t) => !/\p{Cs}/u.test(t));
const time = fc.constantFrom('2026-01-03T12:00:00Z', '1999-12-31T23:59:59.123Z');
const entryArb = fc.constantFrom(...ENTRY_KINDS).chain((kind) => {
  // Each field's text is marked with the field's name, so no private value equals a public one.
  const marked = (name: string) => text.map((t) => `MARK-${name}-${t}`);
  const value = (name: string, type: string) =>
    type === 'string'
      ? marked(name)
      : type === 'time'
        ? time
        : type === 'strings'
          ? fc.array(marked(name), { maxLength: 3 })
          : type === 'count'
            ? fc.maxSafeNat()
            : fc.array(fc.record({ approver: marked(name), time }), { maxLength: 3 });
  return fc.record({
    kind: fc.constant(kind),
    time,
    actor: marked('actor'),
    ...Object.fromEntries(
      Object.entries(ENTRY_FIELDS[kind]).map(([name, type]) => [name, value(name, type)]),
    ),
  }) as fc.Arbitrary<LedgerEntry>;
});

describe('version 2 entries: public part, commitment, opening', () => {
  it('keeps only the declared public fields in the leaf and opens back to the same entry, for every kind', () => {
    fc.assert(
      fc.property(
        entryArb,
        fc.uint8Array({ minLength: SALT_BYTES, maxLength: SALT_BYTES }),
        fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
        (e, s, detail) => {
          const entry = (detail === undefined ? e : { ...e, details: { d: detail } }) as LedgerEntry;
          const res = sealEntry(entry, s);
          if (!res.ok) return false;
          const decoded = decodeLeaf(res.leaf);
          if (!decoded.ok || decoded.leaf.version !== 2) return false;
          const pub = decoded.leaf.entry as Record<string, unknown>;
          const expectedKeys = ['commitment', 'kind', 'time', 'v', ...PUBLIC_FIELDS[entry.kind]].sort();
          if (Object.keys(pub).sort().join() !== expectedKeys.join()) return false;
          // No private value (every MARK string of a private field) is in the leaf's bytes.
          const publicNames = new Set<string>(PUBLIC_FIELDS[entry.kind] as readonly string[]);
          const privateText = JSON.stringify(
            Object.entries(entry).filter(([k]) => !publicNames.has(k) && k !== 'kind' && k !== 'time'),
          );
          const leafText = res.leaf.toString('utf8');
          for (const mark of privateText.match(/MARK-[a-z_]+-/g) ?? []) {
            if (leafText.includes(mark)) return false;
          }
          const opened = openLeaf(decoded.leaf.entry, res.opening);
          return opened.ok && canonicalJson(opened.entry) === canonicalJson(entry);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a release receipt shows the partner its own copy, never the original, the officers or the reasons', () => {
    const { leaf } = sealed(release);
    const text = leaf.toString('utf8');
    expect(JSON.parse(text)).toEqual({
      agreement_version: '3',
      commitment: expect.stringMatching(/^[0-9a-f]{64}$/),
      derived_id: release.derived_id,
      kind: 'release',
      release_id: release.release_id,
      tearline_digest: release.tearline_digest,
      time: release.time,
      v: 2,
    });
    for (const hidden of ['officer-7', 'officer-9', 'identity--', '1b9c3c7e', 'policy:', '2026-01-02T10'])
      expect(text).not.toContain(hidden);
  });

  it('commits with SHA-256 over a domain tag, the salt and the private bytes; fresh salts hide equal entries', () => {
    const a = sealed(release, salt(1));
    const b = sealed(release, salt(2));
    expect(Buffer.from(a.opening.private).equals(Buffer.from(b.opening.private))).toBe(true);
    expect(a.leaf.equals(b.leaf)).toBe(false);
    const input = Buffer.concat([Buffer.from('tearline ledger commitment v2\n'), salt(1), a.opening.private]);
    // The tag's first byte is neither 0x00 (RFC 6962 leaf) nor 0x01 (node): never a tree hash input.
    expect(input[0]).not.toBe(0x00);
    expect(input[0]).not.toBe(0x01);
    expect(commitmentOf(salt(1), a.opening.private)).toBe(createHash('sha256').update(input).digest('hex'));
  });

  it('refuses an opening that does not match: another salt, another private part, another entry', () => {
    const a = sealed(release, salt(1));
    const pub = (decodeLeaf(a.leaf) as { leaf: { entry: PublicEntry } }).leaf.entry;
    expect(openLeaf(pub, { ...a.opening, salt: salt(2) })).toMatchObject({
      ok: false,
      message: expect.stringContaining('do not match the commitment'),
    });
    const edited = Buffer.from(Buffer.from(a.opening.private).toString().replace('officer-9', 'officer-8'));
    expect(openLeaf(pub, { ...a.opening, private: edited })).toMatchObject({ ok: false });
    const other = sealed({ ...release, actor: 'officer-8' }, salt(1));
    expect(openLeaf(pub, other.opening)).toMatchObject({ ok: false });
    expect(openLeaf(pub, { ...a.opening, salt: Buffer.alloc(8) })).toMatchObject({
      ok: false,
      message: expect.stringContaining('32'),
    });
  });

  it('refuses a salt of the wrong size, and entries whose private part is too large', () => {
    expect(sealEntry(release, Buffer.alloc(16))).toMatchObject({ ok: false, code: 'bad-entry' });
    expect(sealEntry({ ...release, reasons: Array(20).fill('y'.repeat(4000)) }, salt(1))).toMatchObject({
      ok: false,
      message: expect.stringContaining('private part'),
    });
  });

  it('reads version 1 leaves as whole entries, and refuses version 2 leaves that carry private fields', () => {
    const v1 = encodeEntry(release);
    if (!v1.ok) throw new Error(v1.message);
    expect(decodeLeaf(v1.bytes)).toMatchObject({ ok: true, leaf: { version: 1, entry: release } });
    const pub = JSON.parse(sealed(release).leaf.toString()) as Record<string, unknown>;
    const withActor = JSON.stringify(Object.fromEntries(Object.entries({ ...pub, actor: 'x' }).sort()));
    expect(decodeLeaf(Buffer.from(withActor))).toMatchObject({
      ok: false,
      message: expect.stringContaining('actor'),
    });
    expect(decodeLeaf(Buffer.from(JSON.stringify({ ...pub, v: 3 })))).toMatchObject({
      ok: false,
      message: expect.stringContaining('version'),
    });
    expect(decodeLeaf(Buffer.from(JSON.stringify(pub, null, 1)))).toMatchObject({
      ok: false,
      message: expect.stringContaining('canonical'),
    });
    expect(decodeLeaf(Buffer.from(JSON.stringify({ ...pub, commitment: 'AB' })))).toMatchObject({
      ok: false,
      message: expect.stringContaining('commitment'),
    });
  });
});
