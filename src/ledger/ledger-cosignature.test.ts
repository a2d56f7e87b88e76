import { createHash, createPublicKey, verify } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCheckpoint, signCheckpoint } from './ledger-checkpoint.js';
import {
  cosignerKeyId,
  createCosigner,
  formatCosignerSignerKey,
  formatCosignerVerifierKey,
  openCosignatures,
  parseCosignerSignerKey,
  parseCosignerVerifierKey,
  splitSignedNote,
} from './ledger-cosignature.js';
import { hashLeaf } from './ledger-hash.js';
import { createSigner, formatVerifierKey, openNote, parseVerifierKey } from './ledger-note.js';

const cosignerOf = (name: string, n: number) => {
  const made = createCosigner(name, Buffer.alloc(32, n));
  if (!made.ok) throw new Error(made.message);
  return made.cosigner;
};
const verifierOf = (name: string, n: number) => {
  const c = cosignerOf(name, n);
  const parsed = parseCosignerVerifierKey(formatCosignerVerifierKey(c.name, c.publicKey));
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.verifier;
};
const hub = (() => {
  const made = createSigner('hub.example', Buffer.alloc(32, 7));
  if (!made.ok) throw new Error(made.message);
  return made.signer;
})();
const hubNote = (size: number) => {
  const signed = signCheckpoint(
    { origin: 'hub.example', size, root: hashLeaf(Buffer.from(`r${size}`)) },
    hub,
  );
  if (!signed.ok) throw new Error(signed.message);
  return signed.note;
};
const textOf = (note: string) => note.slice(0, note.lastIndexOf('\n\n') + 1);

describe('Ed25519 cosignatures (C2SP tlog-cosignature, cosignature/v1)', () => {
  it('computes the key id over name, newline, 0x04 and the key, and formats vkeys as signed-note says', () => {
    const c = cosignerOf('witness.example/w1', 1);
    const expected = createHash('sha256')
      .update(Buffer.concat([Buffer.from('witness.example/w1\n'), Buffer.from([0x04]), c.publicKey]))
      .digest()
      .readUInt32BE(0);
    expect(cosignerKeyId(c.name, c.publicKey)).toBe(expected);
    expect(c.keyId).toBe(expected);
    const vkey = formatCosignerVerifierKey(c.name, c.publicKey);
    expect(vkey).toBe(
      `witness.example/w1+${expected.toString(16).padStart(8, '0')}+${Buffer.concat([Buffer.from([4]), c.publicKey]).toString('base64')}`,
    );
    const skey = formatCosignerSignerKey(c.name, Buffer.alloc(32, 1), c.publicKey);
    const back = parseCosignerSignerKey(skey);
    expect(back.ok && formatCosignerVerifierKey(back.cosigner.name, back.cosigner.publicKey)).toBe(vkey);
  });

  it('signs exactly "cosignature/v1", the time line and the checkpoint text, after the key id and timestamp', () => {
    const c = cosignerOf('witness.example/w1', 2);
    const note = hubNote(20852163);
    const text = textOf(note);
    const line = c.cosign(text, 1679315147);
    const m = /^\u2014 witness\.example\/w1 ([A-Za-z0-9+/=]+)$/u.exec(line);
    expect(m).not.toBeNull();
    const raw = Buffer.from((m as RegExpExecArray)[1] as string, 'base64');
    expect(raw.length).toBe(4 + 8 + 64);
    expect(raw.readUInt32BE(0)).toBe(c.keyId);
    expect(raw.readBigUInt64BE(4)).toBe(1679315147n);
    // Built here by hand from the spec's text, not with the module's own helper.
    const message = Buffer.from(`cosignature/v1\ntime 1679315147\n${text}`);
    const key = createPublicKey({
      key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), c.publicKey]),
      format: 'der',
      type: 'spki',
    });
    expect(verify(null, message, key, raw.subarray(12))).toBe(true);
  });

  it("reads the spec's example cosignature line: key id, then the timestamp of its example message", () => {
    // From c2sp.org/tlog-cosignature: the example note's witness line and example "time 1679315147".
    const note =
      'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n' +
      '\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n' +
      '\u2014 witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n';
    const split = splitSignedNote(note);
    expect(split.ok).toBe(true);
    if (!split.ok) return;
    const w = split.lines[1];
    expect(w?.name).toBe('witness.example.com/w1');
    expect(w?.signature.length).toBe(8 + 64);
    expect(w?.signature.readBigUInt64BE(0)).toBe(1679315147n);
  });

  it('round-trips: any cosignature verifies with its key over its text and timestamp, and nothing else does', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9./-]{1,40}$/),
        fc.integer({ min: 1, max: 255 }),
        fc.integer({ min: 1, max: 2 ** 40 }),
        fc.nat({ max: 1_000_000 }),
        fc.array(fc.stringMatching(/^[ -~]{1,30}$/), { maxLength: 2 }),
        (name, seed, timestamp, size, extensions) => {
          const c = cosignerOf(name, seed);
          const v = parseCosignerVerifierKey(formatCosignerVerifierKey(c.name, c.publicKey));
          if (!v.ok) throw new Error(v.message);
          const text = formatCheckpoint({
            origin: 'hub.example',
            size,
            root: hashLeaf(Buffer.from([seed])),
            extensions,
          });
          const line = c.cosign(text, timestamp);
          const sig = Buffer.from(line.slice(line.lastIndexOf(' ') + 1), 'base64').subarray(4);
          expect(v.verifier.verify(text, sig)).toEqual({ ok: true, timestamp });
          // Another text, another timestamp, another key: no.
          expect(v.verifier.verify(text.replace(String(size), String(size + 1)), sig).ok).toBe(false);
          const bumped = Buffer.from(sig);
          bumped.writeBigUInt64BE(BigInt(timestamp + 1), 0);
          expect(v.verifier.verify(text, bumped).ok).toBe(false);
          expect(verifierOf(name, (seed % 255) + 1).verify(text, sig).ok).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('opens the cosignatures of a note: ignores unknown lines and the log key, counts a witness once, fails a forged one', () => {
    const note = hubNote(5);
    const text = textOf(note);
    const a = cosignerOf('w.example/a', 1);
    const b = cosignerOf('w.example/b', 2);
    const stranger = cosignerOf('w.example/c', 3);
    const cosigned = `${note}${a.cosign(text, 100)}\n${b.cosign(text, 200)}\n${stranger.cosign(text, 300)}\n${a.cosign(text, 101)}\n`;
    const opened = openCosignatures(cosigned, [verifierOf('w.example/a', 1), verifierOf('w.example/b', 2)]);
    expect(opened.ok && opened.cosignatures.map((c) => [c.name, c.timestamp])).toEqual([
      ['w.example/a', 100],
      ['w.example/b', 200],
    ]);
    // The hub's own signature still opens under its key: cosignature lines are unknown to it.
    expect(openNote(cosigned, [parseVerifierKeyOrThrow(formatVerifierKey(hub.name, hub.publicKey))]).ok).toBe(
      true,
    );
    // A witness's line over another checkpoint's text claims a known key and fails: the note fails.
    const other = textOf(hubNote(6));
    const forged = `${note}${a.cosign(other, 100)}\n`;
    expect(openCosignatures(forged, [verifierOf('w.example/a', 1)])).toMatchObject({
      ok: false,
      code: 'bad-signature',
    });
    // No trusted witness: nothing, not an error (the quorum decides).
    const none = openCosignatures(cosigned, []);
    expect(none.ok && none.cosignatures).toEqual([]);
  });

  it('refuses a log key as a witness key and a witness key as a log key, saying which is which', () => {
    const hubKey = formatVerifierKey(hub.name, hub.publicKey);
    const asWitness = parseCosignerVerifierKey(hubKey);
    expect(asWitness).toMatchObject({ ok: false, code: 'bad-key' });
    expect(!asWitness.ok && asWitness.message).toMatch(/log \(checkpoint\) key, type 0x01.*0x04/);
    const w = cosignerOf('w.example/a', 1);
    expect(parseVerifierKey(formatCosignerVerifierKey(w.name, w.publicKey)).ok).toBe(false);
    for (const bad of [
      '',
      'w+1234+abc',
      `w.example/a+00000000+${'A'.repeat(44)}`,
      'PRIVATE+KEY+x+00000000+AA==',
    ]) {
      expect(parseCosignerVerifierKey(bad).ok, bad).toBe(false);
      expect(parseCosignerSignerKey(bad).ok, bad).toBe(false);
    }
    expect(createCosigner('has space', Buffer.alloc(32)).ok).toBe(false);
    expect(() => w.cosign('x\n', 0)).toThrow(RangeError);
  });

  it('refuses malformed signature blocks', () => {
    const note = hubNote(3);
    for (const bad of [
      note.slice(0, -1),
      note.replace('\n\n', '\n'),
      `${note}\u2014 x\n`,
      `${note}\u2014 x AAAA\n`,
      `${note}- x AAAAAAAAAAAAAAAA\n`,
      `${note}\u2014 x AAAAAAAAAAAAAAAA\u0007\n`,
    ]) {
      expect(splitSignedNote(bad).ok, JSON.stringify(bad.slice(-30))).toBe(false);
    }
  });
});

function parseVerifierKeyOrThrow(key: string) {
  const v = parseVerifierKey(key);
  if (!v.ok) throw new Error(v.message);
  return v.verifier;
}
