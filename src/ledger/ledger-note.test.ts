import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint } from './ledger-checkpoint.js';
import { hashLeaf } from './ledger-hash.js';
import {
  createSigner,
  formatVerifierKey,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
} from './ledger-note.js';

// The documented example of golang.org/x/mod/sumdb/note (its package comment and ExampleSign).
const GO_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const GO_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE = `${GO_TEXT}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

const seed = (n: number) => Buffer.alloc(32, n);
const mustSigner = (name: string, n: number) => {
  const s = createSigner(name, seed(n));
  if (!s.ok) throw new Error(s.message);
  return s.signer;
};
const mustVerifier = (vkey: string) => {
  const v = parseVerifierKey(vkey);
  if (!v.ok) throw new Error(v.message);
  return v.verifier;
};

describe('signed notes (C2SP signed-note, Ed25519)', () => {
  it("reproduces Go's documented example byte for byte", () => {
    const signer = parseSignerKey(GO_SKEY);
    expect(signer.ok).toBe(true);
    if (!signer.ok) return;
    expect(formatVerifierKey(signer.signer.name, signer.signer.publicKey)).toBe(GO_VKEY);
    const signed = signNote(GO_TEXT, [signer.signer]);
    expect(signed.ok && signed.note).toBe(GO_NOTE);
    const opened = openNote(GO_NOTE, [mustVerifier(GO_VKEY)]);
    expect(opened.ok && opened.text).toBe(GO_TEXT);
  });

  it('rejects a changed text, a wrong key, a forged signature and malformed keys', () => {
    const v = mustVerifier(GO_VKEY);
    expect(openNote(GO_NOTE.replace('cryptography', 'cryptographY'), [v])).toMatchObject({
      ok: false,
      code: 'bad-signature',
    });
    const other = mustSigner('PeterNeumann', 7);
    const otherV = mustVerifier(formatVerifierKey(other.name, other.publicKey));
    expect(openNote(GO_NOTE, [otherV])).toMatchObject({ ok: false, code: 'unknown-key' });
    const forged = signNote(GO_TEXT, [other]);
    expect(forged.ok && openNote(forged.note, [v])).toMatchObject({ ok: false, code: 'unknown-key' });
    expect(
      parseVerifierKey('PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'),
    ).toMatchObject({ code: 'bad-key' });
    expect(parseVerifierKey('no-plus-signs')).toMatchObject({ code: 'bad-key' });
    expect(openNote(GO_TEXT, [v])).toMatchObject({ code: 'bad-note' });
  });

  it('any single-bit change of a signed checkpoint fails to open', () => {
    const signer = mustSigner('hub.example', 1);
    const verifier = mustVerifier(formatVerifierKey(signer.name, signer.publicKey));
    const signed = signCheckpoint(
      { origin: 'hub.example', size: 42, root: hashLeaf(Buffer.from('x')) },
      signer,
    );
    if (!signed.ok) throw new Error(signed.message);
    expect(openCheckpoint(signed.note, verifier)).toMatchObject({
      ok: true,
      checkpoint: { size: 42, origin: 'hub.example' },
    });
    const bytes = Buffer.from(signed.note, 'utf8');
    fc.assert(
      fc.property(fc.nat({ max: bytes.length * 8 - 1 }), (bit) => {
        const copy = Buffer.from(bytes);
        copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7));
        return !openCheckpoint(copy.toString('utf8'), verifier).ok;
      }),
      { numRuns: 200 },
    );
  });

  it('refuses checkpoints whose origin is not the key name', () => {
    const signer = mustSigner('hub.example', 1);
    const verifier = mustVerifier(formatVerifierKey(signer.name, signer.publicKey));
    const signed = signNote(
      formatCheckpoint({ origin: 'other.example', size: 1, root: hashLeaf(Buffer.alloc(0)) }),
      [signer],
    );
    expect(signed.ok && openCheckpoint(signed.note, verifier)).toMatchObject({ code: 'origin-mismatch' });
  });

  it('parses checkpoint text and names what is wrong', () => {
    const root = hashLeaf(Buffer.from('r'));
    const text = formatCheckpoint({ origin: 'o', size: 10, root, extensions: ['ext'] });
    expect(parseCheckpoint(text)).toMatchObject({
      ok: true,
      checkpoint: { origin: 'o', size: 10, extensions: ['ext'] },
    });
    expect(parseCheckpoint('o\n010\nAAAA\n')).toMatchObject({ code: 'bad-checkpoint' });
    expect(parseCheckpoint(text.replace('10', '-1'))).toMatchObject({ code: 'bad-checkpoint' });
    expect(parseCheckpoint(text.slice(0, -1))).toMatchObject({ code: 'bad-checkpoint' });
  });
});
