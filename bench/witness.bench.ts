// What witnessing costs the hub: checkpoints per second with 0, 1 and 2 witnesses (real
// `tearline witness serve` child processes on loopback), in the same run, alternating rounds,
// medians reported. Two ways:
//  - cosigned: each step appends an entry, signs a checkpoint and waits until every witness has
//    cosigned it (what `tearline ledger checkpoint` does); the baseline is the same without
//    witnesses.
//  - background: as `serve` does, the hub appends and signs while the pusher cosigns in the
//    background; reports the signing rate, the hub process's CPU time per checkpoint (what the
//    pusher adds to the hub itself, apart from the witnesses running on the same cores) and how
//    many checkpoints got cosigned (the pusher sends the latest, skipping those signed meanwhile).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldNow } from 'node:timers/promises';
import { DEFAULT_CONFIG, dataDirPaths } from '../src/app/data-dir.js';
import { createHub, type SqliteHub } from '../src/app/hub.js';
import { witnessTargetsOf } from '../src/app/witness-config.js';
import { WitnessPusher } from '../src/app/witness-push.js';
import { systemClock } from '../src/clock.js';
import {
  createCosigner,
  formatCosignerSignerKey,
  formatCosignerVerifierKey,
} from '../src/ledger/ledger-cosignature.js';
import { createSigner, formatVerifierKey, type NoteSigner } from '../src/ledger/ledger-note.js';
import { openSqlite } from '../src/store/sqlite/database.js';
import { REPO_ROOT } from './bench-data.js';
import { report } from './report.js';

const BENCH = 'witness';
const ROUNDS = 7;
const STEPS = 150;
const MODES = [0, 1, 2] as const;
const dir = mkdtempSync(join(tmpdir(), 'tearline-bench-witness-'));
const children: ChildProcess[] = [];

function signerFor(mode: number): NoteSigner {
  const s = createSigner(`bench-${mode}.example`, Buffer.alloc(32, 40 + mode));
  if (!s.ok) throw new Error(s.message);
  return s.signer;
}
const SIGNERS = MODES.map(signerFor);

async function startWitness(name: string, seed: number): Promise<{ url: string; key: string }> {
  const data = join(dir, `w${seed}`);
  const made = createCosigner(name, Buffer.alloc(32, seed));
  if (!made.ok) throw new Error(made.message);
  const { mkdirSync, writeFileSync } = await import('node:fs');
  mkdirSync(data, { mode: 0o700 });
  writeFileSync(
    join(data, 'witness.key'),
    formatCosignerSignerKey(name, Buffer.alloc(32, seed), made.cosigner.publicKey),
    {
      mode: 0o600,
    },
  );
  const logs = SIGNERS.flatMap((s) => ['--log', `${s.name}=${formatVerifierKey(s.name, s.publicKey)}`]);
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'bin', 'tearline.js'), 'witness', 'serve', '--data', data, '--port', '0', ...logs],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  children.push(child);
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const m = / at (http:\/\/127\.0\.0\.1:\d+) /.exec(err);
      if (m) resolve(m[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`witness exited ${code}: ${err}`)));
  });
  return { url, key: formatCosignerVerifierKey(name, made.cosigner.publicKey) };
}

function hubFor(mode: number, witnesses: { url: string; key: string }[]) {
  const db = openSqlite(join(dir, `hub-${mode}.db`));
  const hub: SqliteHub = createHub(
    dataDirPaths(dir),
    { ...DEFAULT_CONFIG, hub_name: SIGNERS[mode]?.name as string, witnesses: witnesses.slice(0, mode) },
    db,
    systemClock,
  );
  const pusher = new WitnessPusher({
    ledger: hub.ledgerService,
    cosignatures: hub.cosignatures,
    witnesses: witnessTargetsOf(hub.config),
    now: () => new Date(),
  });
  let n = 0;
  const step = () => {
    const res = hub.ledger.appendEntries([
      {
        kind: 'partner-change',
        time: new Date().toISOString(),
        actor: 'bench',
        partner: `p-${n++}`,
        change: 'created',
        digest: 'sha256:0',
      },
    ]);
    if (!res.ok) throw new Error(res.message);
    const cp = hub.checkpoints.checkpoint(new Date(), SIGNERS[mode] as NoteSigner);
    if (!cp.ok) throw new Error(cp.message);
  };
  return { hub, pusher, step };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** One row for 1 and for 2 witnesses, each against the run without a witness (samples[0]). */
function reportByWitnesses(
  samples: Record<number, number[]>,
  unit: string,
  metric: (witnesses: string, mode: number) => string,
): void {
  const base = median(samples[0] as number[]);
  for (const mode of [1, 2]) {
    const value = median(samples[mode] as number[]);
    const witnesses = `${mode} witness${mode > 1 ? 'es' : ''}`;
    report({
      bench: BENCH,
      metric: metric(witnesses, mode),
      value,
      unit,
      baseline: base,
      ratio: value / base,
    });
  }
}

try {
  const witnesses = [await startWitness('bench.example/w1', 61), await startWitness('bench.example/w2', 62)];
  const hubs = MODES.map((m) => hubFor(m, witnesses));
  // Warm up: first requests open connections, JIT, the witnesses' databases.
  for (const h of hubs) {
    h.step();
    await h.pusher.pushAll();
  }
  const cosigned: Record<number, number[]> = { 0: [], 1: [], 2: [] };
  const background: Record<number, number[]> = { 0: [], 1: [], 2: [] };
  const covered: Record<number, number[]> = { 0: [], 1: [], 2: [] };
  const cpu: Record<number, number[]> = { 0: [], 1: [], 2: [] };
  for (let round = 0; round < ROUNDS; round++) {
    // Each mode goes first in turn: no mode always runs on a freshly collected heap.
    for (const mode of MODES.map((_, i) => MODES[(i + round) % MODES.length] as number)) {
      const h = hubs[mode] as (typeof hubs)[number];
      let t = process.hrtime.bigint();
      for (let i = 0; i < STEPS; i++) {
        h.step();
        const results = await h.pusher.pushAll();
        if (!results.every((r) => r.ok)) throw new Error(JSON.stringify(results));
      }
      cosigned[mode]?.push(STEPS / (Number(process.hrtime.bigint() - t) / 1e9));

      // Background: sign as fast as the event loop allows while the pusher works.
      const before = (await h.hub.cosignatures.heldSize(witnesses[0]?.key ?? '')) ?? 0;
      const first = h.hub.ledger.size();
      t = process.hrtime.bigint();
      const cpu0 = process.cpuUsage();
      for (let i = 0; i < STEPS; i++) {
        h.step();
        h.pusher.wake();
        await yieldNow();
      }
      background[mode]?.push(STEPS / (Number(process.hrtime.bigint() - t) / 1e9));
      const used = process.cpuUsage(cpu0);
      cpu[mode]?.push((used.user + used.system) / 1000 / STEPS);
      if (mode > 0) {
        const rows = await h.hub.sql.get<{ n: number }>(
          'SELECT count(DISTINCT size) AS n FROM ledger_cosignatures WHERE size > ? AND size > ?',
          [first, before],
        );
        covered[mode]?.push(rows?.n ?? 0);
        await h.pusher.pushAll(); // settle before the next round
      }
    }
  }
  reportByWitnesses(
    cosigned,
    'checkpoints/s',
    (w) => `checkpoints/s, each cosigned by ${w} before the next (loopback, baseline: none)`,
  );
  reportByWitnesses(
    background,
    'checkpoints/s',
    (w, mode) =>
      `checkpoints/s signed while ${w} cosign in the background (baseline: none); ${median(covered[mode] as number[])} of ${STEPS} got cosigned`,
  );
  reportByWitnesses(
    cpu,
    'ms',
    (w) => `hub CPU per checkpoint signed while ${w} cosign in the background (baseline: none)`,
  );
  for (const h of hubs) {
    await h.pusher.stop();
    h.hub.close();
  }
} finally {
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(
    children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))),
  );
  rmSync(dir, { recursive: true, force: true });
}
