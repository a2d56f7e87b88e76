import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { initDataDir } from './data-dir.js';
import { openHub } from './hub.js';
import { PASS_PROCESS_NICE } from './hub-pass-process.js';
import { loadHubPolicy } from './hub-policy-load.js';
import { startHubWorker } from './hub-worker.js';
import { ensureLedgerKey } from './ledger-key.js';

describe('hub worker', () => {
  it('runs the pipeline when data changed, not when nothing did, and signs a checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tearline-worker-'));
    const { paths } = initDataDir(dir);
    ensureLedgerKey(paths);
    // Not a test of checkpoint steps: sign after every batch of work.
    const config = JSON.parse(readFileSync(paths.config, 'utf8')) as Record<string, unknown>;
    writeFileSync(paths.config, JSON.stringify({ ...config, ledger_checkpoint_seconds: 0 }));
    const clock = new ManualClock('2026-11-28T10:00:00Z');
    const hub = openHub(dir, clock);
    const worker = startHubWorker(hub, {
      intervalMs: 60_000,
      onError: (e) => {
        throw e;
      },
    });
    const partner = await hub.state.partners.add(
      { name: 'ally' },
      { actor: 'admin', now: clock.now(), randomBytes: (n) => new Uint8Array(n).fill(5) },
    );
    if (!partner.ok) throw new Error(partner.message);
    await hub.state.agreements.set(
      partner.partner.id,
      JSON.stringify({
        scope: { types: ['identity'] },
        tlp_ceiling: 'clear',
        approval: 'none',
        sanitisation: 'standard',
        valid_from: '2026-01-01T00:00:00Z',
        conditions: [],
      }),
      { actor: 'admin', now: clock.now(), reason: 'test' },
    );
    const identity = {
      type: 'identity',
      spec_version: '2.1',
      id: 'identity--3f8e2d1c-0b9a-4877-9665-544332211000',
      created: '2026-01-01T00:00:00.000Z',
      modified: '2026-01-01T00:00:00.000Z',
      name: 'Public body',
      identity_class: 'organization',
      object_marking_refs: ['marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487'],
    };
    await hub.objects.putObjects([{ object: identity, json: JSON.stringify(identity), source: 't' }], {
      actor: 'ivan',
      source: 't',
    });
    // A call while a pass runs joins that pass rather than starting a second one.
    const first = worker.runOnce();
    expect(worker.runOnce()).toBe(first);
    await first;
    const outcome = await hub.state.releases.outcome(partner.partner.id, identity.id);
    expect(outcome?.outcome).toBe('released');
    expect(outcome?.reasons.map((r) => r.code)).not.toContain('already-released');
    expect((await hub.state.releases.records(partner.partner.id)).map((r) => r.original_id)).toEqual([
      identity.id,
    ]);
    const size = hub.ledger.size();
    expect(hub.checkpoints.latest()?.size).toBe(size);
    await worker.runOnce();
    expect(hub.ledger.size()).toBe(size);
    await worker.stop();
    hub.close();
  });

  it('runs passes in a process of its own, at a lower priority: the event loop turns and reads are answered while one runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tearline-worker-thread-'));
    const { paths } = initDataDir(dir);
    ensureLedgerKey(paths);
    const clock = new ManualClock('2026-11-28T10:00:00Z');
    const hub = openHub(dir, clock);
    const ctx = { actor: 'admin', now: clock.now(), randomBytes: (n: number) => new Uint8Array(n).fill(5) };
    const partner = await hub.state.partners.add({ name: 'ally' }, ctx);
    if (!partner.ok) throw new Error(partner.message);
    await hub.state.agreements.set(
      partner.partner.id,
      JSON.stringify({
        scope: { types: ['identity'] },
        tlp_ceiling: 'clear',
        approval: 'none',
        sanitisation: 'standard',
        valid_from: '2026-01-01T00:00:00Z',
        conditions: [],
      }),
      { ...ctx, reason: 'test' },
    );
    const ids: string[] = [];
    for (let b = 0; b < 4; b++) {
      const batch = Array.from({ length: 500 }, (_, i) => {
        const n = b * 500 + i;
        const id = `identity--3f8e2d1c-0b9a-4877-9665-${String(n).padStart(12, '0')}`;
        ids.push(id);
        const o = {
          type: 'identity',
          spec_version: '2.1',
          id,
          created: '2026-01-01T00:00:00.000Z',
          modified: '2026-01-01T00:00:00.000Z',
          name: `Public body ${n}`,
          identity_class: 'organization',
          object_marking_refs: ['marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487'],
        };
        return { object: o, json: JSON.stringify(o), source: 't' };
      });
      await hub.objects.putObjects(batch, { actor: 'ivan', source: 't' });
    }
    const loaded = loadHubPolicy(dir);
    if (!loaded.ok) throw new Error(loaded.errors.join('; '));
    const worker = startHubWorker(hub, {
      intervalMs: 60_000,
      policy: { current: () => ({ policy: loaded.policy, digest: loaded.digest }) },
      passProcess: { data: dir },
      onError: (e) => {
        throw e;
      },
    });
    const priorityBefore = getPriority();
    let settled = false;
    const pass = worker.runOnce().then(() => {
      settled = true;
    });
    // On this thread a pass is one chain of synchronous SQLite and Cedar calls: the loop would
    // not turn until it ended. In its own process, this one keeps turning and reading.
    let turns = 0;
    let childNice: number | undefined;
    while (!settled) {
      const pid = worker.passProcessPid();
      // Read while the pass runs: right after the fork the process has not lowered itself yet.
      if (pid !== undefined) {
        try {
          childNice = Math.max(childNice ?? 0, getPriority(pid));
        } catch {
          // Gone between the two calls: looked at again on the next turn.
        }
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
      await hub.state.releases.outcome(partner.partner.id, ids[0] as string);
      turns++;
    }
    await pass;
    expect(turns).toBeGreaterThan(20);
    // The pass process lowered its own priority, not serve's.
    expect(getPriority()).toBe(priorityBefore);
    expect(childNice).toBe(PASS_PROCESS_NICE);
    expect(worker.passProcessPid()).not.toBe(process.pid);
    // What the pass process wrote through its own connection, read through this one.
    const outcomes = await hub.state.releases.outcomesOfPartner(partner.partner.id);
    expect(ids.every((id) => outcomes.get(id)?.outcome === 'released')).toBe(true);
    // Nothing changed: the next pass decides nothing, and stop() ends the pass process.
    const size = hub.ledger.size();
    await worker.runOnce();
    expect(hub.ledger.size()).toBe(size);
    await worker.stop();
    hub.close();
  }, 120_000);

  it('runs a pass asked for (the console) in the pass process, ends the process after a large pass and starts another after a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tearline-worker-now-'));
    const { paths } = initDataDir(dir);
    ensureLedgerKey(paths);
    const clock = new ManualClock('2026-11-28T10:00:00Z');
    const hub = openHub(dir, clock);
    const ctx = { actor: 'admin', now: clock.now(), randomBytes: (n: number) => new Uint8Array(n).fill(5) };
    const partner = await hub.state.partners.add({ name: 'ally' }, ctx);
    if (!partner.ok) throw new Error(partner.message);
    await hub.state.agreements.set(
      partner.partner.id,
      JSON.stringify({
        scope: { types: ['identity'] },
        tlp_ceiling: 'clear',
        approval: 'none',
        sanitisation: 'standard',
        valid_from: '2026-01-01T00:00:00Z',
        conditions: [],
      }),
      { ...ctx, reason: 'test' },
    );
    const identities = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => {
        const o = {
          type: 'identity',
          spec_version: '2.1',
          id: `identity--3f8e2d1c-0b9a-4877-9665-${String(from + i).padStart(12, '0')}`,
          created: '2026-01-01T00:00:00.000Z',
          modified: '2026-01-01T00:00:00.000Z',
          name: `Public body ${from + i}`,
          identity_class: 'organization',
          object_marking_refs: ['marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487'],
        };
        return { object: o, json: JSON.stringify(o), source: 't' };
      });
    await hub.objects.putObjects(identities(0, 1500), { actor: 'ivan', source: 't' });
    const loaded = loadHubPolicy(dir);
    if (!loaded.ok) throw new Error(loaded.errors.join('; '));
    const worker = startHubWorker(hub, {
      intervalMs: 60_000,
      policy: { current: () => ({ policy: loaded.policy, digest: loaded.digest }) },
      passProcess: { data: dir },
      passLimits: { maxHeapMb: 256, recycleAfterDecided: 1000, maxPasses: 3 },
      onError: (e) => {
        throw e;
      },
    });
    let settled = false;
    const asked = worker.runNow().finally(() => {
      settled = true;
    });
    let turns = 0;
    while (!settled) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      turns++;
    }
    // The loop kept turning: the pass ran in the pass process, not here.
    expect(turns).toBeGreaterThan(20);
    expect(await asked).toMatchObject({ ran: true, totals: { released: 1500 } });
    expect(worker.passProcessesStarted()).toBe(1);
    // That pass decided more than recycleAfterDecided: its process was ended and a new one runs this.
    await hub.objects.putObjects(identities(1500, 1), { actor: 'ivan', source: 't' });
    expect(await worker.runNow()).toMatchObject({ ran: true, totals: { released: 1, unchanged: 0 } });
    expect(worker.passProcessesStarted()).toBe(2);
    // Asked with nothing changed, it still runs (the worker's own tick would skip), in the same process.
    expect(await worker.runNow()).toMatchObject({ ran: true, totals: { released: 0 } });
    expect(worker.passProcessesStarted()).toBe(2);
    // maxPasses (3) in one process: the next pass starts a third.
    await worker.runNow();
    await worker.runNow();
    expect(worker.passProcessesStarted()).toBe(3);
    // A pass process that dies (killed, out of memory) costs nothing but a new process.
    const pid = worker.passProcessPid();
    expect(pid).toBeDefined();
    process.kill(pid as number, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await hub.objects.putObjects(identities(1501, 1), { actor: 'ivan', source: 't' });
    expect(await worker.runNow()).toMatchObject({ ran: true, totals: { released: 1 } });
    expect(worker.passProcessesStarted()).toBe(4);
    // Killed and asked at once, before its death is seen (its exit, or a write that fails with
    // EPIPE): the pass is tried again in a new process. Several times, since which of the two
    // happens first is a race.
    for (let round = 0; round < 4; round++) {
      process.kill(worker.passProcessPid() as number, 'SIGKILL');
      await hub.objects.putObjects(identities(1502 + round, 1), { actor: 'ivan', source: 't' });
      expect(await worker.runNow()).toMatchObject({ ran: true, totals: { released: 1 } });
    }
    expect(worker.passProcessesStarted()).toBeGreaterThanOrEqual(8);
    await worker.stop();
    expect(worker.passProcessPid()).toBeUndefined();
    expect(await worker.runNow()).toEqual({ ran: false });
    hub.close();
  }, 120_000);
});
