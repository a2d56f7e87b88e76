import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { initDataDir } from './data-dir.js';
import { openHub } from './hub.js';
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
});
