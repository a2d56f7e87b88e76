import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signCheckpoint } from '../src/ledger/ledger-checkpoint.js';
import { createCosigner, formatCosignerVerifierKey } from '../src/ledger/ledger-cosignature.js';
import { encodeEntry, type LedgerEntry } from '../src/ledger/ledger-entry.js';
import { MemoryTree } from '../src/ledger/ledger-memory-tree.js';
import { createSigner, formatVerifierKey } from '../src/ledger/ledger-note.js';
import { formatReceipt, verifyReceipt } from '../src/ledger/ledger-receipt.js';
import { verifyWitnessedReceipt } from '../src/ledger/ledger-receipt-witnessed.js';
import { verifyReceiptInBrowser } from '../web/src/receipt-verify.js';

// The console's in-browser verifier (WebCrypto) must agree with the hub's own verifier on every
// receipt, good or tampered. Node offers the same WebCrypto API the browser does; the console
// end-to-end test runs the same code in Chromium.

const hub = (() => {
  const s = createSigner('hub.example', Buffer.alloc(32, 1));
  if (!s.ok) throw new Error(s.message);
  return s.signer;
})();
const otherHub = (() => {
  const s = createSigner('hub.example', Buffer.alloc(32, 2));
  if (!s.ok) throw new Error(s.message);
  return s.signer;
})();
const HUB_KEY = formatVerifierKey(hub.name, hub.publicKey);
const OTHER_KEY = formatVerifierKey(otherHub.name, otherHub.publicKey);
const witnesses = [1, 2, 3].map((i) => {
  const c = createCosigner(`w.example/${i}`, Buffer.alloc(32, 10 + i));
  if (!c.ok) throw new Error(c.message);
  return { c: c.cosigner, key: formatCosignerVerifierKey(c.cosigner.name, c.cosigner.publicKey) };
});

const entryBytes = (i: number, tag: string): Buffer => {
  const e: LedgerEntry = {
    kind: 'partner-change',
    time: '2026-11-28T10:00:00Z',
    actor: 'admin',
    partner: `p-${tag}-${i} \u00e9`,
    change: 'created',
    digest: `sha256:${i}`,
  };
  const enc = encodeEntry(e);
  if (!enc.ok) throw new Error(enc.message);
  return enc.bytes;
};

const TAMPER = [
  'none',
  'entry',
  'proof',
  'index',
  'drop-cosignature',
  'cosignature-time',
  'hub-key',
  'root',
] as const;

function build(size: number, index: number, signers: number, tamper: (typeof TAMPER)[number]) {
  const entries = Array.from({ length: size }, (_, i) => entryBytes(i, 'x'));
  const tree = MemoryTree.fromEntries(entries);
  const signed = signCheckpoint({ origin: 'hub.example', size, root: tree.root() }, hub);
  if (!signed.ok) throw new Error(signed.message);
  const text = signed.note.slice(0, signed.note.lastIndexOf('\n\n') + 1);
  let lines = witnesses.slice(0, signers).map((w, i) => w.c.cosign(text, 1_790_000_000 + i));
  const proof = tree.proveInclusion(index);
  if (!proof.ok) throw new Error(proof.message);
  let doc = JSON.parse(
    formatReceipt({ index, entry: entries[index] as Buffer, checkpoint: signed.note, proof: proof.proof }),
  );
  let key = HUB_KEY;
  if (tamper === 'entry') doc.entry = entryBytes(index, 'y').toString('base64');
  if (tamper === 'proof' && doc.proof.length > 0) doc.proof[0] = Buffer.alloc(32, 7).toString('base64');
  if (tamper === 'index') doc = { ...doc, index: (index + 1) % size };
  if (tamper === 'drop-cosignature') lines = lines.slice(1);
  if (tamper === 'cosignature-time' && lines[0]) {
    const raw = Buffer.from(lines[0].slice(lines[0].lastIndexOf(' ') + 1), 'base64');
    raw.writeBigUInt64BE(1n, 4);
    lines[0] = `${lines[0].slice(0, lines[0].lastIndexOf(' ') + 1)}${raw.toString('base64')}`;
  }
  if (tamper === 'hub-key') key = OTHER_KEY;
  if (tamper === 'root') {
    const other = signCheckpoint({ origin: 'hub.example', size, root: Buffer.alloc(32, 9) }, hub);
    if (!other.ok) throw new Error(other.message);
    doc.checkpoint = other.note;
  }
  doc.checkpoint = `${doc.checkpoint}${lines.map((l) => `${l}\n`).join('')}`;
  return {
    json: JSON.stringify(doc),
    key,
    witnessKeys: witnesses.slice(0, Math.max(signers, 1)).map((w) => w.key),
  };
}

describe('the console verifies receipts in the browser as the hub does', () => {
  it('agrees with the server-side verifier on random receipts, good and tampered', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 40 })
          .chain((size) =>
            fc.tuple(
              fc.constant(size),
              fc.integer({ min: 0, max: size - 1 }),
              fc.integer({ min: 0, max: 3 }),
              fc.constantFrom(...TAMPER),
            ),
          ),
        async ([size, index, signers, tamper]) => {
          const { json, key, witnessKeys } = build(size, index, signers, tamper);
          const server =
            signers > 0
              ? verifyWitnessedReceipt(json, key, { witnesses: witnessKeys, quorum: witnessKeys.length })
              : verifyReceipt(json, key);
          const browser = await verifyReceiptInBrowser(json, key, signers > 0 ? witnessKeys : []);
          expect(browser.ok, `${tamper} size ${size} index ${index} signers ${signers}`).toBe(server.ok);
          if (server.ok) {
            expect(browser.cosigned).toBe(signers);
            expect(browser.entry).toEqual(server.entry);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('says what it cannot read, and names the check that failed', async () => {
    expect((await verifyReceiptInBrowser('{', HUB_KEY, [])).error).toMatch(/not JSON/);
    expect((await verifyReceiptInBrowser('{"index":0}', HUB_KEY, [])).error).toMatch(/"index", "entry"/);
    const { json } = build(5, 2, 2, 'none');
    const wrongType = await verifyReceiptInBrowser(json, witnesses[0]?.key ?? '', []);
    expect(wrongType.checks.find((c) => c.id === 'hub-signature')?.label).toMatch(/type is not 0x01/);
    const missing = await verifyReceiptInBrowser(
      json,
      HUB_KEY,
      witnesses.map((w) => w.key),
    );
    expect(missing.ok).toBe(false);
    expect(missing.checks.filter((c) => c.state === 'missing').map((c) => c.label)).toEqual([
      'No cosignature from witness w.example/3',
    ]);
  });
});
