import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  envelopeDigest,
  FIRST_PREVIOUS,
  parseSealedEnvelope,
  type SealedEnvelope,
} from './relay-envelope.js';
import { openEnvelope, type RelayPayload, sealEnvelope } from './relay-seal.js';
import { testHubKeys } from './relay-test-keys.js';

const ID = 'x-tearline-sealed-envelope--0b6f3c1e-5a2d-4f7e-9c3b-1d2e3f4a5b6c';
const payload: RelayPayload = {
  objects: [{ type: 'indicator', id: 'indicator--1', name: 'secret beacon domain evil.example' }],
  feed: { after_us: 0, through_us: 42 },
};

async function setup() {
  const hq = await testHubKeys('hq.example', 1);
  const kabul = await testHubKeys('kabul.example', 11);
  const other = await testHubKeys('ally.example', 21);
  const sealed = await sealEnvelope({
    id: ID,
    created: '2026-12-06T10:00:00.000Z',
    signer: hq.signer,
    recipient: kabul.sealing,
    sequence: 1,
    previousDigest: FIRST_PREVIOUS,
    payload,
  });
  if (!sealed.ok) throw new Error(sealed.message);
  return { hq, kabul, other, envelope: sealed.envelope };
}

describe('sealed envelopes', () => {
  it('open for the recipient with the sender key, and hold no plaintext', async () => {
    const { hq, kabul, envelope } = await setup();
    expect(parseSealedEnvelope(JSON.parse(JSON.stringify(envelope))).ok).toBe(true);
    expect(JSON.stringify(envelope)).not.toContain('evil.example');
    expect(JSON.stringify(envelope)).not.toContain('indicator--1');
    const opened = await openEnvelope(envelope, kabul.open(hq.verifier));
    expect(opened).toMatchObject({ ok: true, payload });
  });

  it('do not open for another hub, even one that claims the recipient name and key id', async () => {
    const { hq, kabul, other, envelope } = await setup();
    expect(await openEnvelope(envelope, other.open(hq.verifier))).toMatchObject({ code: 'wrong-recipient' });
    // The ally's key pair under Kabul's name and key id: the HPKE open itself fails.
    const impostor = {
      ...other.open(hq.verifier),
      recipientName: 'kabul.example',
      recipientKeyId: kabul.sealing.keyId,
    };
    expect(await openEnvelope(envelope, impostor)).toMatchObject({ code: 'cannot-open' });
  });

  it('refuse a signature by anyone but the named sender', async () => {
    const { kabul, other, envelope } = await setup();
    const wrong = { ...other.verifier, name: 'hq.example' };
    expect(await openEnvelope(envelope, kabul.open(wrong))).toMatchObject({ code: 'bad-signature' });
    expect(await openEnvelope(envelope, kabul.open(other.verifier))).toMatchObject({ code: 'wrong-sender' });
  });

  it('detect any change to any property (property)', async () => {
    const { hq, kabul, envelope } = await setup();
    const keys = Object.keys(envelope) as (keyof SealedEnvelope)[];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...keys), fc.nat(), async (key, at) => {
        const v = envelope[key];
        const changed =
          typeof v === 'number'
            ? v + 1
            : `${v.slice(0, at % v.length)}${v[at % v.length] === 'A' ? 'B' : 'A'}${v.slice((at % v.length) + 1)}`;
        const tampered = { ...envelope, [key]: changed } as SealedEnvelope;
        const parsed = parseSealedEnvelope(tampered);
        if (!parsed.ok) return; // refused at the door
        const opened = await openEnvelope(parsed.envelope, kabul.open(hq.verifier));
        expect(opened.ok).toBe(false);
        expect(envelopeDigest(tampered)).not.toBe(envelopeDigest(envelope));
      }),
      { numRuns: 60 },
    );
  });

  it('round-trip any payload (property)', async () => {
    const { hq, kabul } = await setup();
    const obj = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
    await fc.assert(
      fc.asyncProperty(fc.array(obj, { maxLength: 5 }), fc.nat({ max: 1e9 }), async (objects, through) => {
        const p = { objects, feed: { after_us: 0, through_us: through } };
        const sealed = await sealEnvelope({
          id: ID,
          created: '2026-12-06T10:00:00.000Z',
          signer: hq.signer,
          recipient: kabul.sealing,
          sequence: 7,
          previousDigest: 'a'.repeat(64),
          payload: p,
        });
        if (!sealed.ok) throw new Error(sealed.message);
        const opened = await openEnvelope(sealed.envelope, kabul.open(hq.verifier));
        expect(opened.ok && opened.payload).toEqual(JSON.parse(JSON.stringify(p)));
      }),
      { numRuns: 30 },
    );
  });

  it('refuse malformed envelopes, naming the property', async () => {
    const { envelope } = await setup();
    const cases: [unknown, RegExp][] = [
      [null, /must be a JSON object/],
      [[], /must be a JSON object/],
      [{ ...envelope, extra: 1 }, /unexpected property extra/],
      [{ ...envelope, sequence: 0 }, /sequence/],
      [{ ...envelope, sequence: 1.5 }, /sequence/],
      [{ ...envelope, sender: 'a b' }, /sender/],
      [{ ...envelope, recipient: envelope.sender }, /differ/],
      [{ ...envelope, id: 'indicator--0b6f3c1e-5a2d-4f7e-9c3b-1d2e3f4a5b6c' }, /id must be/],
      [{ ...envelope, created: 'yesterday' }, /created/],
      [{ ...envelope, modified: '2026-12-07T10:00:00.000Z' }, /modified must equal created/],
      [{ ...envelope, previous_digest: 'zz' }, /previous_digest/],
      [{ ...envelope, suite: 'rot13' }, /suite/],
      [{ ...envelope, ciphertext: '%%%%' }, /ciphertext/],
      [{ ...envelope, ciphertext: 'A'.repeat(8 * 1024 * 1024 + 4) }, /longer than/],
      [{ ...envelope, encapsulated_key: 'AAAA' }, /encapsulated_key must encode exactly 32 bytes/],
      [{ ...envelope, signature: 'AAAA' }, /signature/],
    ];
    for (const [value, message] of cases) {
      const r = parseSealedEnvelope(value, 'objects[0]');
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.code).toBe('bad-envelope');
        expect(r.message).toMatch(/^objects\[0\]: /);
        expect(r.message).toMatch(message);
      }
    }
    // Format 1 (no envelope_version, the whole envelope signed) and unknown formats, by name.
    const { envelope_version: _v, ciphertext_digest: _d, ...formatOne } = envelope;
    expect(parseSealedEnvelope(formatOne)).toMatchObject({
      code: 'bad-envelope',
      message: expect.stringMatching(/envelope format 1 .* is no longer read: .* format 2 only/),
    });
    expect(parseSealedEnvelope({ ...envelope, envelope_version: 3 })).toMatchObject({
      message: expect.stringMatching(/envelope_version 3 is not read here/),
    });
    // A ciphertext swapped for another of the same length: its signed digest no longer matches.
    const swapped = `${envelope.ciphertext[0] === 'A' ? 'B' : 'A'}${envelope.ciphertext.slice(1)}`;
    expect(parseSealedEnvelope({ ...envelope, ciphertext: swapped })).toMatchObject({
      message: expect.stringMatching(/ciphertext does not match ciphertext_digest/),
    });
    const { type: _t, ...noType } = envelope;
    expect(parseSealedEnvelope(noType)).toMatchObject({ message: expect.stringMatching(/missing type/) });
  });
});
