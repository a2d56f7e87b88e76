import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCheckpoint } from '../src/ledger/ledger-checkpoint.js';
import { createCosigner, formatCosignerVerifierKey } from '../src/ledger/ledger-cosignature.js';
import type { LedgerEntry } from '../src/ledger/ledger-entry.js';
import { createSigner, formatVerifierKey, type NoteSigner } from '../src/ledger/ledger-note.js';
import {
  formatConsistency,
  formatReceipt,
  verifyConsistencyDocument,
  verifyReceipt,
} from '../src/ledger/ledger-receipt.js';
import { verifyWitnessedReceipt } from '../src/ledger/ledger-receipt-witnessed.js';
import { sqliteLedgerService } from '../src/store/ledger-service.js';
import { openSqlite } from '../src/store/sqlite/database.js';
import { SqliteLedgerCheckpoints } from '../src/store/sqlite/ledger-checkpoints.js';
import { SqliteLedger } from '../src/store/sqlite/ledger-store.js';

const GOPATH = '/usr/share/gocode';
const goSource = fileURLToPath(new URL('./go-verifier', import.meta.url));
const hasGo =
  spawnSync('go', ['version']).status === 0 && existsSync(join(GOPATH, 'src/golang.org/x/mod/sumdb/tlog'));
const CHECKPOINT_SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33];

const mustSigner = (name: string, seed: number): NoteSigner => {
  const made = createSigner(name, Buffer.alloc(32, seed));
  if (!made.ok) throw new Error(made.message);
  return made.signer;
};
const entry = (i: number): LedgerEntry =>
  i % 3 === 1
    ? {
        kind: 'recall',
        time: '2026-01-04T09:00:00Z',
        actor: 'officer-2',
        release_id: `rel-${i}`,
        partner: 'partner-b',
        reason: 'assurance lapsed',
      }
    : {
        kind: 'ingest-batch',
        time: '2026-01-03T12:00:00.123Z',
        actor: 'importer',
        source: `feed ${i} \u00e9\u{1f600}`,
        count: i,
        digest: `sha256:${i.toString(16).padStart(64, '0')}`,
      };
const flipChar = (s: string, at: number) => s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1);

if (!hasGo) {
  it.skip('Go verifier tests skipped: `go` or golang.org/x/mod is missing (apt-get install golang-go golang-golang-x-mod-dev; CI installs them)', () => {});
}

describe.skipIf(!hasGo)('independent verification with golang.org/x/mod/sumdb (note, tlog)', () => {
  const work = mkdtempSync(join(tmpdir(), 'tearline-go-'));
  const bin = join(work, 'go-verifier');
  const signer = mustSigner('hub.example', 3);
  const vkey = formatVerifierKey(signer.name, signer.publicKey);
  const db = openSqlite(':memory:');
  const ledger = new SqliteLedger(db);
  const checkpoints = new SqliteLedgerCheckpoints(ledger);
  const service = sqliteLedgerService(ledger, checkpoints);
  let fileNo = 0;

  const runGo = (...args: string[]) => {
    const res = spawnSync(bin, args, { encoding: 'utf8' });
    return { code: res.status, out: `${res.stdout}${res.stderr}` };
  };
  const file = (content: string | Buffer) => {
    const path = join(work, `f${fileNo++}`);
    writeFileSync(path, content);
    return path;
  };

  beforeAll(() => {
    execFileSync('go', ['build', '-o', bin, '.'], {
      cwd: goSource,
      env: {
        ...process.env,
        GOPATH,
        GO111MODULE: 'off',
        GOFLAGS: '',
        GOCACHE: join(tmpdir(), 'tearline-go-cache'),
      },
      stdio: 'pipe',
    });
    let at = new Date('2026-01-03T12:00:00Z').getTime();
    for (let i = 0; i < 33; i++) {
      const res = ledger.appendEntries([entry(i)]);
      expect(res.ok).toBe(true);
      if (CHECKPOINT_SIZES.includes(i + 1)) {
        at += 1000;
        expect(checkpoints.checkpoint(new Date(at), signer).ok).toBe(true);
      }
    }
  });
  afterAll(() => {
    db.close();
    rmSync(work, { recursive: true, force: true });
  });

  const receiptAt = (index: number, size: number) => {
    const cp = checkpoints.at(size);
    const proof = ledger.proveInclusion(index, size);
    const row = ledger.readEntry(index);
    if (!cp || !proof.ok || !row) throw new Error(`no receipt for ${index} in ${size}`);
    return JSON.parse(formatReceipt({ index, entry: row.bytes, checkpoint: cp.note, proof: proof.proof }));
  };

  it('accepts every receipt our code builds, for sizes 1, 2, 2^k and 2^k + 1', async () => {
    for (const size of CHECKPOINT_SIZES) {
      for (const index of new Set([0, size >> 1, size - 1])) {
        const json = JSON.stringify(receiptAt(index, size));
        expect(verifyReceipt(json, vkey).ok).toBe(true);
        expect(runGo('receipt', vkey, file(json))).toMatchObject({ code: 0 });
      }
    }
    const stored = await service.receipt(ledger.findRelease('rel-1') ?? 1);
    expect(stored.ok && runGo('receipt', vkey, file(stored.json))).toMatchObject({ code: 0 });
  });

  it('accepts the consistency proof between every pair of checkpoints', async () => {
    for (const [i, from] of CHECKPOINT_SIZES.entries()) {
      for (const to of CHECKPOINT_SIZES.slice(i)) {
        const res = await service.consistency(from, to);
        if (!res.ok) throw new Error(res.message);
        expect(verifyConsistencyDocument(res.json, vkey).ok).toBe(true);
        const go = runGo('consistency', vkey, file(res.json));
        expect(go, `${from} -> ${to}`).toMatchObject({ code: 0 });
      }
    }
  });

  it('rebuilds the signed root from an export with tlog.TreeHash', () => {
    const lines = ledger.readEntries(0, 33).map((r) => Buffer.concat([r.bytes, Buffer.from('\n')]));
    const latest = checkpoints.latest();
    if (!latest) throw new Error('no checkpoint');
    expect(runGo('export', vkey, file(Buffer.concat(lines)), file(latest.note))).toMatchObject({ code: 0 });
    const changed = [...lines];
    changed[5] = Buffer.from(
      (changed[5] as Buffer)
        .toString()
        .replace(/"commitment":"(.)/, (_m, c) => `"commitment":"${c === 'a' ? 'b' : 'a'}`),
    );
    expect(runGo('export', vkey, file(Buffer.concat(changed)), file(latest.note))).toMatchObject({ code: 1 });
    const swapped = [lines[1], lines[0], ...lines.slice(2)] as Buffer[];
    expect(runGo('export', vkey, file(Buffer.concat(swapped)), file(latest.note))).toMatchObject({ code: 1 });
    expect(runGo('export', vkey, file(Buffer.concat(lines.slice(0, 32))), file(latest.note))).toMatchObject({
      code: 1,
    });
  });

  it('rejects tampered receipts, forged or wrong-key checkpoints and truncated proofs, as our verifier does', () => {
    const good = receiptAt(6, 17);
    const forger = mustSigner('hub.example', 9);
    const forged = signCheckpoint({ origin: 'hub.example', size: 17, root: Buffer.alloc(32, 1) }, forger);
    if (!forged.ok) throw new Error(forged.message);
    const otherKey = formatVerifierKey(forger.name, forger.publicKey);
    const cpLines = (good.checkpoint as string).split('\n');
    const tampered: [string, unknown, string][] = [
      [
        'entry changed',
        {
          ...good,
          entry: Buffer.from(
            Buffer.from(good.entry, 'base64')
              .toString()
              .replace(/"commitment":"(.)/, (_m, c) => `"commitment":"${c === 'a' ? 'b' : 'a'}`),
          ).toString('base64'),
        },
        vkey,
      ],
      ['proof truncated', { ...good, proof: good.proof.slice(0, -1) }, vkey],
      ['proof hash changed', { ...good, proof: [flipChar(good.proof[0], 3), ...good.proof.slice(1)] }, vkey],
      ['index changed', { ...good, index: 7 }, vkey],
      ['forged checkpoint', { ...good, checkpoint: forged.note }, vkey],
      ['wrong verifier key', good, otherKey],
      [
        'checkpoint size edited',
        { ...good, checkpoint: [cpLines[0], '16', ...cpLines.slice(2)].join('\n') },
        vkey,
      ],
      [
        'checkpoint root edited',
        {
          ...good,
          checkpoint: [cpLines[0], cpLines[1], flipChar(cpLines[2] as string, 5), ...cpLines.slice(3)].join(
            '\n',
          ),
        },
        vkey,
      ],
    ];
    // Where each verifier says the problem is: the entry and tree, or the checkpoint's signature.
    const where = (what: string) =>
      what.startsWith('checkpoint') || what.startsWith('forged') || what.startsWith('wrong')
        ? { go: /checkpoint signature/, ts: /signature|no signature/ }
        : { go: /entry (6|7) in tree 17/, ts: /(leaf|index) (6|7)|proof of (6|7) in 17/ };
    for (const [what, doc, key] of tampered) {
      const json = JSON.stringify(doc);
      const ours = verifyReceipt(json, key);
      expect(ours.ok, what).toBe(false);
      if (!ours.ok) expect(ours.message, what).toMatch(where(what).ts);
      const go = runGo('receipt', key, file(json));
      expect(go.code, `${what}: ${go.out}`).toBe(1);
      expect(go.out, what).toMatch(where(what).go);
    }
  });

  it('checks inclusion of a receipt whose checkpoint carries witness cosignatures, and the quorum itself', () => {
    const witness = (name: string, seed: number) => {
      const made = createCosigner(name, Buffer.alloc(32, seed));
      if (!made.ok) throw new Error(made.message);
      return { c: made.cosigner, key: formatCosignerVerifierKey(name, made.cosigner.publicKey) };
    };
    const [a, b, c] = [witness('w.example/a', 21), witness('w.example/b', 22), witness('w.example/c', 23)];
    const good = receiptAt(6, 17);
    const text = (good.checkpoint as string).slice(0, (good.checkpoint as string).lastIndexOf('\n\n') + 1);
    const lineA = a.c.cosign(text, 1_790_000_000);
    const lineB = b.c.cosign(text, 1_790_000_001);
    const cosigned = { ...good, checkpoint: `${good.checkpoint}${lineA}\n${lineB}\n` };
    const json = JSON.stringify(cosigned);
    // sumdb/note ignores signature lines from keys it was not given: inclusion verifies as before.
    expect(runGo('receipt', vkey, file(json))).toMatchObject({ code: 0 });
    // Our cosignature format, checked by the Go implementation of cosignature/v1 (cosignature.go).
    expect(runGo('cosigned', vkey, '2', file(json), a.key, b.key)).toMatchObject({ code: 0 });
    const short = runGo('cosigned', vkey, '2', file(json), a.key, c.key);
    expect(short.code).toBe(1);
    expect(short.out).toMatch(/1 witness cosignature\(s\), quorum 2/);
    // A cosignature whose timestamp or signature was changed fails in Go as in our verifier.
    const raw = Buffer.from(lineA.slice(lineA.lastIndexOf(' ') + 1), 'base64');
    raw.writeBigUInt64BE(1_790_000_999n, 4);
    const edited = `${lineA.slice(0, lineA.lastIndexOf(' ') + 1)}${raw.toString('base64')}`;
    const bad = JSON.stringify({ ...good, checkpoint: `${good.checkpoint}${edited}\n${lineB}\n` });
    const go = runGo('cosigned', vkey, '1', file(bad), a.key, b.key);
    expect(go.code).toBe(1);
    expect(go.out).toMatch(/invalid signature for key w\.example\/a/);
    expect(verifyWitnessedReceipt(bad, vkey, { witnesses: [a.key, b.key], quorum: 1 })).toMatchObject({
      ok: false,
      code: 'bad-signature',
    });
    expect(verifyWitnessedReceipt(json, vkey, { witnesses: [a.key, b.key], quorum: 2 }).ok).toBe(true);
  });

  it('rejects tampered consistency proofs', async () => {
    const res = await service.consistency(5, 17);
    if (!res.ok) throw new Error(res.message);
    const good = JSON.parse(res.json);
    const cases: [string, string][] = [
      ['truncated', JSON.stringify({ ...good, proof: good.proof.slice(0, -1) })],
      [
        'hash changed',
        JSON.stringify({
          ...good,
          proof: [good.proof[0], flipChar(good.proof[1], 10), ...good.proof.slice(2)],
        }),
      ],
      ['swapped', JSON.stringify({ ...good, old: good.new, new: good.old })],
      [
        'other old checkpoint',
        formatConsistency({ old: (checkpoints.at(4) as { note: string }).note, new: good.new, proof: [] }),
      ],
    ];
    for (const [what, json] of cases) {
      expect(verifyConsistencyDocument(json, vkey).ok, what).toBe(false);
      const go = runGo('consistency', vkey, file(json));
      expect(go.code, `${what}: ${go.out}`).toBe(1);
    }
  });
  it("accepts a partner's receipt for a version 2 release: public part and commitment only", async () => {
    const appended = ledger.appendEntries([
      {
        kind: 'release',
        time: '2026-01-05T10:00:00.000Z',
        actor: 'officer-secret-name',
        release_id: 'release--go-check',
        partner: 'identity--0b4a8c51-0000-4000-8000-000000000001',
        derived_id: 'indicator--6a1e2b7c-1f2d-5e3a-9b8c-7d6e5f4a3b2c',
        original_id: 'indicator--11111111-2222-4333-8444-555555555555',
        original_version: '2026-01-01T00:00:00.000Z',
        agreement_version: '2',
        reasons: ['policy: allied release'],
        approvals: [{ approver: 'officer-other-name', time: '2026-01-05T09:00:00.000Z' }],
        tearline_digest: 'sha256:00ff',
      },
    ]);
    expect(appended.ok).toBe(true);
    const res = await service.receiptForPartner(
      'release--go-check',
      'identity--0b4a8c51-0000-4000-8000-000000000001',
    );
    expect(res.ok).toBe(false); // not under a checkpoint yet
    expect(checkpoints.checkpoint(new Date('2026-01-05T10:01:00Z'), signer).ok).toBe(true);
    const receipt = await service.receiptForPartner(
      'release--go-check',
      'identity--0b4a8c51-0000-4000-8000-000000000001',
    );
    if (!receipt.ok) throw new Error(receipt.message);
    for (const hidden of ['officer-', '11111111', '0b4a8c51', 'policy'])
      expect(receipt.json).not.toContain(hidden);
    const entryText = Buffer.from(JSON.parse(receipt.json).entry, 'base64').toString();
    for (const hidden of ['officer-', '11111111', '0b4a8c51', 'policy'])
      expect(entryText).not.toContain(hidden);
    expect(verifyReceipt(receipt.json, vkey)).toMatchObject({ ok: true, version: 2 });
    expect(runGo('receipt', vkey, file(receipt.json))).toMatchObject({ code: 0 });
  });
});
