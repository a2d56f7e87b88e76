import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, dataDirPaths } from '../src/app/data-dir.js';
import { createHub, type SqliteHub } from '../src/app/hub.js';
import { witnessTargetsOf } from '../src/app/witness-config.js';
import { WitnessPusher } from '../src/app/witness-push.js';
import { ManualClock } from '../src/clock.js';
import { openCheckpoint } from '../src/ledger/ledger-checkpoint.js';
import { openCosignatures, parseCosignerVerifierKey } from '../src/ledger/ledger-cosignature.js';
import { equalHashes } from '../src/ledger/ledger-hash.js';
import { parseVerifierKey } from '../src/ledger/ledger-note.js';
import { openSqlite } from '../src/store/sqlite/database.js';
import { TestLog } from '../src/witness/witness-test-log.js';
import { as, initHubQuietly, runTearline, tempDir } from './run-cli.js';
import { startWitnessProcess, type WitnessProcess } from './witness-process.js';

// The real binary: `tearline witness` as a child process, pushed to by a hub in this process.
const work = tempDir('tearline-witness-cli-');
const LOG = TestLog.create('tearline.local', 1, 'h', 200);
const HUB_KEY = LOG.key;
const started: WitnessProcess[] = [];
const hubs: SqliteHub[] = [];
afterAll(async () => {
  for (const w of started) await w.kill();
  for (const h of hubs) h.close();
  rmSync(work, { recursive: true, force: true });
});

async function newWitness(name: string) {
  const dir = join(work, name.replace(/\W/g, '_'));
  const made = await runTearline(['witness', 'init', '--name', name, '--data', dir]);
  expect(made.code, made.stderr).toBe(0);
  return { dir, key: made.stdout.trim() };
}
async function serve(dir: string, port = 0) {
  const w = await startWitnessProcess(dir, [`tearline.local=${HUB_KEY}`], port);
  started.push(w);
  return w;
}

/** A hub whose ledger is LOG's entries, signing with LOG's key, pushing to the given witnesses. */
function hubFor(witnesses: { url: string; key: string }[]) {
  const hub = createHub(
    dataDirPaths('/nonexistent'),
    { ...DEFAULT_CONFIG, witnesses },
    openSqlite(':memory:'),
    new ManualClock('2026-11-28T10:00:00Z'),
  );
  hubs.push(hub);
  const grow = (n: number) => {
    const first = hub.ledger.size();
    // Entries whose bytes are LOG's: a partner-change per index, as TestLog names them.
    const res = hub.ledger.appendEntries(
      Array.from({ length: n }, (_, i) => ({
        kind: 'partner-change' as const,
        time: '2026-11-28T10:00:00Z',
        actor: 'admin',
        partner: `p-${first + i}`,
        change: 'created',
        digest: 'sha256:0',
      })),
    );
    if (!res.ok) throw new Error(res.message);
    const cp = hub.checkpoints.checkpoint(hub.clock.now(), LOG.signer);
    if (!cp.ok) throw new Error(cp.message);
  };
  const pusher = new WitnessPusher({
    ledger: hub.ledgerService,
    cosignatures: hub.cosignatures,
    witnesses: witnessTargetsOf(hub.config),
    now: () => hub.clock.now(),
    timeoutMs: 3000,
  });
  return { hub, grow, pusher };
}

const originHash = createHash('sha256').update('tearline.local').digest('hex');
const hubVerifier = (() => {
  const v = parseVerifierKey(HUB_KEY);
  if (!v.ok) throw new Error(v.message);
  return v.verifier;
})();

describe('tearline witness (the real binary)', () => {
  it('makes a key once (mode 0600), prints its verifier key, and refuses to serve without logs', async () => {
    const { dir, key } = await newWitness('w.example/init');
    expect(key).toMatch(/^w\.example\/init\+[0-9a-f]{8}\+B[A-Za-z0-9+/]{43}$/);
    expect(parseCosignerVerifierKey(key).ok).toBe(true);
    expect(statSync(join(dir, 'witness.key')).mode & 0o777).toBe(0o600);
    expect((await runTearline(['witness', 'key', '--data', dir])).stdout.trim()).toBe(key);
    const again = await runTearline(['witness', 'init', '--name', 'w.example/other', '--data', dir]);
    expect(again).toMatchObject({ code: 1, stderr: /already exists; a witness key is never replaced/ });
    expect(await runTearline(['witness', 'serve', '--data', dir])).toMatchObject({
      code: 2,
      stderr: /--log/,
    });
    expect(
      await runTearline(['witness', 'serve', '--data', dir, '--log', `tearline.local=${key}`]),
    ).toMatchObject({
      code: 2,
      stderr: /verifier key/,
    });
    expect(await runTearline(['witness', 'key', '--data', join(work, 'none')])).toMatchObject({
      code: 1,
      stderr: /witness init/,
    });
  });

  it('keeps its state when killed in the middle of pushes, and the hub goes on from it', async () => {
    const { dir, key } = await newWitness('w.example/crash');
    let w = await serve(dir);
    const { hub, grow, pusher } = hubFor([{ url: w.url, key }]);
    for (let cycle = 0; cycle < 3; cycle++) {
      let stop = false;
      const pushing = (async () => {
        while (!stop) {
          grow(1 + (hub.ledger.size() % 3));
          await pusher.pushAll();
        }
      })();
      // Kill it once pushes are flowing, at a different point in each cycle.
      const before = (await hub.cosignatures.heldSize(key)) ?? 0;
      await expect
        .poll(async () => (await hub.cosignatures.heldSize(key)) ?? 0, { timeout: 10_000 })
        .toBeGreaterThan(before);
      await new Promise((r) => setTimeout(r, 20 + cycle * 40));
      await w.kill();
      stop = true;
      await pushing;
      const acknowledged = (await hub.cosignatures.heldSize(key)) ?? 0;
      expect(acknowledged).toBeGreaterThan(0);
      w = await serve(dir, w.port);
      // What the witness holds is at least every checkpoint it acknowledged, and is the hub's tree.
      const note = await (await fetch(`${w.url}/${originHash}/checkpoint`)).text();
      const opened = openCheckpoint(note, hubVerifier);
      if (!opened.ok) throw new Error(opened.message);
      expect(opened.checkpoint.size).toBeGreaterThanOrEqual(acknowledged);
      const root = hub.ledger.root(opened.checkpoint.size);
      expect(root.ok && equalHashes(root.root, opened.checkpoint.root)).toBe(true);
      const wv = parseCosignerVerifierKey(key);
      if (!wv.ok) throw new Error(wv.message);
      const cos = openCosignatures(note, [wv.verifier]);
      expect(cos.ok && cos.cosignatures).toHaveLength(1);
      const db = new Database(join(dir, 'witness.db'), { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
      grow(2);
      const [after] = await pusher.pushAll();
      expect(after).toMatchObject({ ok: true, size: hub.ledger.size() });
    }
  });

  it('lets exactly one push through when two witness processes share one state directory', async () => {
    const { dir } = await newWitness('w.example/shared');
    const a = await serve(dir);
    const b = await serve(dir);
    const post = (url: string, body: string) =>
      fetch(`${url}/add-checkpoint`, { method: 'POST', body }).then(async (r) => ({
        status: r.status,
        text: await r.text(),
      }));
    expect((await post(a.url, LOG.body(0, 5))).status).toBe(200);
    let held = 5;
    for (let round = 0; round < 5; round++) {
      const sizes = Array.from({ length: 8 }, (_, i) => held + 1 + i);
      const results = await Promise.all(sizes.map((n, i) => post(i % 2 ? a.url : b.url, LOG.body(held, n))));
      const won = sizes.filter((_, i) => results[i]?.status === 200);
      expect(won, JSON.stringify(results.map((r) => r.status))).toHaveLength(1);
      expect(
        results.filter((r) => r.status !== 200).every((r) => r.status === 409 && r.text === `${won[0]}\n`),
      ).toBe(true);
      held = won[0] as number;
    }
    // A fork signed with the log's key: refused (422) and kept, which `witness evidence` prints.
    const fork = TestLog.create('tearline.local', 1, 'f', 200);
    expect((await post(a.url, fork.body(held, held + 3))).status).toBe(422);
    const evidence = await runTearline(['witness', 'evidence', '--data', dir]);
    expect(evidence.code).toBe(0);
    const kept = evidence.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({
      origin: 'tearline.local',
      status: 422,
      request: fork.body(held, held + 3),
    });
  });
});

describe('a hub data dir with a witness over HTTPS (the real binaries)', () => {
  it('pushes from `ledger checkpoint` to a witness serving TLS, and the receipt carries its cosignature', async () => {
    const cert = join(work, 'cert.pem');
    const tlsKey = join(work, 'key.pem');
    const made = spawnSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      tlsKey,
      '-out',
      cert,
    ]);
    expect(made.status).toBe(0);
    const data = join(work, 'tls-hub');
    // An admin and an analyst with API keys, and a ledger that starts empty.
    await initHubQuietly(data);
    const admin = as(data, 'admin').env;
    const analyst = as(data, 'analyst');
    const hubKey = (await runTearline(['ledger', 'key', '--data', data])).stdout.trim();
    const { dir, key } = await newWitness('w.example/tls');
    const w = await startWitnessProcess(dir, [`tearline.local=${hubKey}`], 0, [
      '--tls-cert',
      cert,
      '--tls-key',
      tlsKey,
    ]);
    started.push(w);
    expect(w.url).toMatch(/^https:/);
    const configPath = join(data, 'config.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8'));
    writeFileSync(configPath, JSON.stringify({ ...config, witnesses: [{ url: w.url, key }] }));
    const bundle = join(work, 'tls-bundle.json');
    writeFileSync(
      bundle,
      JSON.stringify({
        type: 'identity',
        spec_version: '2.1',
        id: 'identity--0b8b5b9e-8f57-4f5e-9a43-2d1c6f1f0c11',
        created: '2024-01-01T00:00:00.000Z',
        modified: '2024-01-01T00:00:00.000Z',
        name: 'x',
      }),
    );
    expect((await runTearline(['import', '--data', data, bundle], analyst)).code).toBe(0);
    const env = { ...admin, NODE_EXTRA_CA_CERTS: cert };
    const signed = await runTearline(['ledger', 'checkpoint', '--now', '--data', data], { env });
    expect(signed.stderr).toContain('witness w.example/tls: cosigned checkpoint 1');
    const receipt = await runTearline(['ledger', 'receipt', '--index', '0', '--data', data], { env: admin });
    const file = join(work, 'tls-receipt.json');
    writeFileSync(file, receipt.stdout);
    const ok = await runTearline(['ledger', 'verify-receipt', file, '--key', hubKey, '--witness', key]);
    expect(ok.code, ok.stderr).toBe(0);
    // Without trusting the witness's certificate: the checkpoint is signed, the push fails and says why.
    writeFileSync(
      bundle,
      JSON.stringify({ ...JSON.parse(readFileSync(bundle, 'utf8')), modified: '2024-02-01T00:00:00.000Z' }),
    );
    expect((await runTearline(['import', '--data', data, bundle], analyst)).code).toBe(0);
    const untrusted = await runTearline(['ledger', 'checkpoint', '--now', '--data', data], { env: admin });
    expect(untrusted.code).toBe(0);
    expect(untrusted.stderr).toMatch(/witness w\.example\/tls: no cosignature \(https:.*(SELF_SIGNED|CERT)/);
    expect(await runTearline(['ledger', 'cosign', '--data', data], { env: admin })).toMatchObject({
      code: 1,
      stderr: /1 of 1 witnesses did not cosign/,
    });
    expect((await runTearline(['ledger', 'cosign', '--data', data], { env })).code).toBe(0);
    // Cosigning is signing: admins only, as ledger checkpoint (exit 3 for an analyst).
    expect((await runTearline(['ledger', 'cosign', '--data', data], analyst)).code).toBe(3);
  });
});

describe('tearline ledger verify-receipt (offline, the real binary)', () => {
  it('checks inclusion, the hub signature and a quorum of witnesses, and says what failed', async () => {
    const wa = await newWitness('w.example/a');
    const wb = await newWitness('w.example/b');
    const wc = await newWitness('w.example/c');
    const a = await serve(wa.dir);
    const b = await serve(wb.dir);
    const { hub, grow, pusher } = hubFor([
      { url: a.url, key: wa.key },
      { url: b.url, key: wb.key },
    ]);
    grow(9);
    expect((await pusher.pushAll()).every((r) => r.ok)).toBe(true);
    const receipt = await hub.ledgerService.receipt(4);
    if (!receipt.ok) throw new Error(receipt.message);
    const file = join(work, 'receipt.json');
    writeFileSync(file, receipt.json);
    const keyFile = join(work, 'hub.vkey');
    writeFileSync(keyFile, `${HUB_KEY}\n`);
    const verify = (...args: string[]) => runTearline(['ledger', 'verify-receipt', ...args]);

    const ok = await verify(
      file,
      '--key',
      HUB_KEY,
      '--witness',
      wa.key,
      '--witness',
      wb.key,
      '--quorum',
      '2',
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/entry 4 .* in tree 9 of tearline\.local/);
    expect(ok.stdout).toMatch(
      /cosigned by 2 trusted witness\(es\), quorum 2: w\.example\/a at .*, w\.example\/b at/,
    );
    // Keys from files, all witnesses by default, JSON.
    const json = await verify(file, '--key', keyFile, '--witness', wa.key, '--witness', wb.key, '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, index: 4, quorum: 2, checkpoint: { size: 9 } });
    // Quorum 2 of a, c: only a cosigned.
    const short = await verify(file, '--key', HUB_KEY, '--witness', wa.key, '--witness', wc.key);
    expect(short).toMatchObject({
      code: 1,
      stderr: /carries 1 valid cosignature.*quorum is 2 \(no cosignature from w\.example\/c\)/,
    });
    expect(
      (await verify(file, '--key', HUB_KEY, '--witness', wa.key, '--witness', wc.key, '--quorum', '1')).code,
    ).toBe(0);
    // Without witnesses: inclusion only, and it says so.
    expect(await verify(file, '--key', HUB_KEY)).toMatchObject({
      code: 0,
      stderr: /not that anyone else saw/,
    });
    // Misuse: exit 2, saying which option is wrong.
    expect(await verify(file, '--key', HUB_KEY, '--quorum', '1')).toMatchObject({
      code: 2,
      stderr: /--witness/,
    });
    expect(await verify(file, '--key', HUB_KEY, '--witness', wa.key, '--quorum', '2')).toMatchObject({
      code: 2,
      stderr: /needs at least 2 distinct/,
    });
    expect(
      await verify(file, '--key', HUB_KEY, '--witness', wa.key, '--witness', wa.key, '--quorum', '2'),
    ).toMatchObject({
      code: 2,
    });
    expect(await verify(file, '--key', HUB_KEY, '--witness', HUB_KEY)).toMatchObject({
      code: 2,
      stderr: /type 0x01/,
    });
    expect(await verify(file, '--key', wa.key)).toMatchObject({ code: 2, stderr: /--key/ });
    expect(await verify(join(work, 'missing.json'), '--key', HUB_KEY)).toMatchObject({
      code: 2,
      stderr: /no such file/,
    });
    // A changed receipt: exit 1 with the reason.
    const doc = JSON.parse(receipt.json);
    const tampered = join(work, 'tampered.json');
    writeFileSync(tampered, JSON.stringify({ ...doc, index: 5 }));
    expect(await verify(tampered, '--key', HUB_KEY, '--witness', wa.key)).toMatchObject({
      code: 1,
      stderr: /does not verify: receipt: .*(5)/,
    });
    const noCosig = join(work, 'stripped.json');
    const stripped = doc.checkpoint
      .split('\n')
      .filter((l: string) => !l.includes('w.example/b'))
      .join('\n');
    writeFileSync(noCosig, JSON.stringify({ ...doc, checkpoint: stripped }));
    expect(await verify(noCosig, '--key', HUB_KEY, '--witness', wa.key, '--witness', wb.key)).toMatchObject({
      code: 1,
      stderr: /no cosignature from w\.example\/b/,
    });
    // `ledger verify FILE` points to verify-receipt.
    expect(await runTearline(['ledger', 'verify', file])).toMatchObject({
      code: 2,
      stderr: /ledger verify-receipt/,
    });
    // From standard input.
    expect(
      (await runTearline(['ledger', 'verify-receipt', '-', '--key', HUB_KEY], { input: receipt.json })).code,
    ).toBe(0);
  });
});
