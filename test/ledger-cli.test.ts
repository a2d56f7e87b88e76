import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataDirPaths } from '../src/app/data-dir.js';
import { openCheckpoint } from '../src/ledger/ledger-checkpoint.js';
import type { LedgerEntry } from '../src/ledger/ledger-entry.js';
import { checkOpenedLine } from '../src/ledger/ledger-export.js';
import { parseVerifierKey } from '../src/ledger/ledger-note.js';
import { verifyConsistencyDocument, verifyReceipt } from '../src/ledger/ledger-receipt.js';
import { openSqlite } from '../src/store/sqlite/database.js';
import { encodeLegacyEntries, SqliteLedger } from '../src/store/sqlite/ledger-store.js';
import { seedKeyQuietly } from './auth-fixture.js';

const bin = fileURLToPath(new URL('../bin/tearline.js', import.meta.url));
// The ledger must start empty: each hub's admin key is written without the entries `user add` makes.
const KEYS = new Map<string, string>();
const hubWithAdmin = (dir: string): string => {
  KEYS.set(dir, seedKeyQuietly(dir));
  return dir;
};
const run = (...args: string[]) => {
  const data = args[args.indexOf('--data') + 1] ?? '';
  const res = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TEARLINE_API_KEY: KEYS.get(data) ?? '' },
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
};

const entry = (i: number): LedgerEntry =>
  i === 4
    ? {
        kind: 'release',
        time: '2026-01-03T12:00:00Z',
        actor: 'officer-1',
        release_id: 'rel-42',
        partner: 'partner-a',
        derived_id: 'indicator--d',
        original_id: 'indicator--o',
        original_version: '2026-01-01T00:00:00Z',
        agreement_version: '2',
        reasons: ['allowed by agreement 2'],
        approvals: [{ approver: 'officer-9', time: '2026-01-03T11:59:00Z' }],
        tearline_digest: 'sha256:ab',
      }
    : {
        kind: 'partner-change',
        time: '2026-01-03T12:00:00Z',
        actor: 'admin',
        partner: `partner-${i}`,
        change: 'created',
        digest: 'sha256:cd',
      };

function appendEntries(dir: string, from: number, to: number): void {
  const db = openSqlite(dataDirPaths(dir).database);
  try {
    const res = new SqliteLedger(db).appendEntries(
      Array.from({ length: to - from }, (_, i) => entry(from + i)),
    );
    if (!res.ok) throw new Error(res.message);
  } finally {
    db.close();
  }
}

describe('tearline ledger (the real binary)', () => {
  const work = mkdtempSync(join(tmpdir(), 'tearline-ledger-cli-'));
  const hub = join(work, 'hub');
  let vkey = '';

  beforeAll(() => {
    hubWithAdmin(hub);
    expect(run('init', '--data', hub).code).toBe(0);
    vkey = run('ledger', 'key', '--data', hub).stdout.trim();
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('creates the key at init (mode 0600), prints it in note format, and never overwrites it', () => {
    const keyFile = join(hub, 'keys', 'ledger.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(vkey).toMatch(/^tearline\.local\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    expect(parseVerifierKey(vkey).ok).toBe(true);
    const before = readFileSync(keyFile, 'utf8');
    expect(run('init', '--data', hub).code).toBe(0);
    expect(readFileSync(keyFile, 'utf8')).toBe(before);
    expect(run('ledger', 'key', '--data', hub).stdout.trim()).toBe(vkey);
  });

  it('refuses to sign an empty ledger', () => {
    expect(run('ledger', 'checkpoint', '--data', hub)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no entries'),
    });
  });

  it('signs checkpoints, gives receipts by release and index, and consistency proofs between checkpoints', () => {
    appendEntries(hub, 0, 5);
    const cp = run('ledger', 'checkpoint', '--data', hub);
    expect(cp.code).toBe(0);
    const verifier = parseVerifierKey(vkey);
    if (!verifier.ok) throw new Error(verifier.message);
    expect(openCheckpoint(cp.stdout, verifier.verifier)).toMatchObject({
      ok: true,
      checkpoint: { size: 5, origin: 'tearline.local' },
    });

    const byRelease = run('ledger', 'receipt', '--release', 'rel-42', '--data', hub);
    expect(byRelease.code).toBe(0);
    expect(verifyReceipt(byRelease.stdout, vkey)).toMatchObject({
      ok: true,
      index: 4,
      entry: { release_id: 'rel-42' },
    });

    appendEntries(hub, 5, 12);
    // Entry 9 is not under any checkpoint yet: the receipt command signs one first.
    const byIndex = run('ledger', 'receipt', '--index', '9', '--data', hub);
    expect(byIndex.code).toBe(0);
    expect(verifyReceipt(byIndex.stdout, vkey)).toMatchObject({
      ok: true,
      index: 9,
      checkpoint: { size: 12 },
    });

    const cons = run('ledger', 'consistency', '--from', '5', '--to', '12', '--data', hub);
    expect(cons.code).toBe(0);
    expect(verifyConsistencyDocument(cons.stdout, vkey)).toMatchObject({
      ok: true,
      old: { size: 5 },
      new: { size: 12 },
    });
    expect(run('ledger', 'consistency', '--from', '5', '--to', '6', '--data', hub)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no checkpoint of size 6; sizes signed: 5, 12'),
    });
    expect(run('ledger', 'verify', '--data', hub)).toMatchObject({
      code: 0,
      stdout: 'ok: 12 entries and 2 checkpoints verified\n',
    });
    expect(run('ledger', 'verify', '--key', vkey, '--data', hub).code).toBe(0);
  });

  it('exports one entry per line, each line exactly the stored bytes, never over an existing file', () => {
    const out = join(work, 'export.jsonl');
    expect(run('ledger', 'export', '--out', out, '--data', hub).code).toBe(0);
    const db = openSqlite(dataDirPaths(hub).database);
    const rows = new SqliteLedger(db).readEntries(0, 100);
    db.close();
    const expected = Buffer.concat(rows.flatMap((r) => [r.bytes, Buffer.from('\n')]));
    expect(readFileSync(out).equals(expected)).toBe(true);
    expect(Buffer.from(run('ledger', 'export', '--data', hub).stdout).equals(expected)).toBe(true);
    expect(run('ledger', 'export', '--out', out, '--data', hub)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('already exists'),
    });
  });

  it('verifies an older ledger (version 1 entries) and one that goes on with version 2; exports openings for overseers', () => {
    const old = hubWithAdmin(join(work, 'older'));
    expect(run('init', '--data', old).code).toBe(0);
    const db = openSqlite(dataDirPaths(old).database);
    const ledger = new SqliteLedger(db);
    const legacy = encodeLegacyEntries(Array.from({ length: 6 }, (_, i) => entry(i)));
    if (!legacy.ok) throw new Error(legacy.message);
    expect(ledger.appendSealed(legacy.sealed).ok).toBe(true);
    db.close();
    expect(run('ledger', 'checkpoint', '--data', old).code).toBe(0);
    expect(run('ledger', 'verify', '--data', old)).toMatchObject({
      code: 0,
      stdout: 'ok: 6 entries and 1 checkpoints verified\n',
    });
    appendEntries(old, 6, 9);
    expect(run('ledger', 'checkpoint', '--data', old).code).toBe(0);
    expect(run('ledger', 'verify', '--data', old)).toMatchObject({
      code: 0,
      stdout: 'ok: 9 entries and 2 checkpoints verified\n',
    });
    // The older release's receipt still verifies, whole, for an overseer.
    const receipt = run('ledger', 'receipt', '--release', 'rel-42', '--data', old);
    expect(verifyReceipt(receipt.stdout, run('ledger', 'key', '--data', old).stdout.trim())).toMatchObject({
      ok: true,
      version: 1,
      entry: { actor: 'officer-1', original_id: 'indicator--o' },
    });
    const out = join(work, 'with-private.jsonl');
    expect(run('ledger', 'export', '--with-private', '--out', out, '--data', old).code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map(checkOpenedLine);
    expect(lines.map((l) => (l.ok ? l.version : l.message))).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 2]);
    expect(lines[7]).toMatchObject({
      ok: true,
      entry: { kind: 'partner-change', actor: 'admin', partner: 'partner-7' },
    });
    const leaves = run('ledger', 'export', '--data', old).stdout.trim().split('\n');
    expect(lines.map((l) => (l.ok ? l.leaf.toString() : ''))).toEqual(leaves);
    expect(leaves[7]).not.toContain('partner-7');
  });

  it('signs checkpoints in steps: entries dated in the current step wait, --now signs them', () => {
    const dir = hubWithAdmin(join(work, 'steps'));
    expect(run('init', '--data', dir).code).toBe(0);
    // Steps of a day: a one-minute step could end between the commands of a slow run, and the
    // entry would then rightly be under a checkpoint.
    const config = dataDirPaths(dir).config;
    writeFileSync(
      config,
      JSON.stringify({ ...JSON.parse(readFileSync(config, 'utf8')), ledger_checkpoint_seconds: 86_400 }),
    );
    const db = openSqlite(dataDirPaths(dir).database);
    const res = new SqliteLedger(db).appendEntries([{ ...entry(0), time: new Date().toISOString() }]);
    db.close();
    expect(res.ok).toBe(true);
    expect(run('ledger', 'checkpoint', '--data', dir)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no checkpoint is due yet'),
    });
    expect(run('ledger', 'receipt', '--index', '0', '--data', dir)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('not yet under a checkpoint'),
    });
    expect(run('ledger', 'checkpoint', '--now', '--data', dir).code).toBe(0);
    expect(run('ledger', 'receipt', '--index', '0', '--data', dir).code).toBe(0);
  });

  it('names what is wrong with bad arguments, with exit code 2', () => {
    expect(run('ledger', 'receipt', '--data', hub)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('exactly one of'),
    });
    expect(run('ledger', 'receipt', '--index', '-1', '--data', hub)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--index'),
    });
    expect(run('ledger', 'consistency', '--from', 'x', '--to', '3', '--data', hub)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--from'),
    });
    expect(run('ledger', 'verify', '--key', 'garbage', '--data', hub)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--key'),
    });
    expect(run('ledger', 'receipt', '--index', '99', '--data', hub)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no ledger entry 99'),
    });
    expect(run('ledger', 'receipt', '--release', 'nope', '--data', hub)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('"nope"'),
    });
    expect(run('ledger', 'key', '--data', join(work, 'missing'))).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('tearline init'),
    });
  });

  it('refuses a signing key that others can read', () => {
    const other = join(work, 'loose');
    expect(run('init', '--data', other).code).toBe(0);
    chmodSync(join(other, 'keys', 'ledger.key'), 0o644);
    expect(run('ledger', 'key', '--data', other)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('chmod 600'),
    });
  });

  it('refuses a key that belongs to another hub name', () => {
    const other = join(work, 'renamed');
    expect(run('init', '--data', other).code).toBe(0);
    const config = join(other, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({ ...JSON.parse(readFileSync(config, 'utf8')), hub_name: 'renamed.example' }),
    );
    expect(run('ledger', 'key', '--data', other)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('hub_name'),
    });
  });
});
