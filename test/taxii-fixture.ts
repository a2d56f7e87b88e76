import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initDataDir } from '../src/app/data-dir.js';
import { type SqliteHub as Hub, openHub } from '../src/app/hub.js';
import { ensureLedgerKey } from '../src/app/ledger-key.js';
import { buildServer, type ServerOptions } from '../src/app/server.js';
import { ManualClock } from '../src/clock.js';
import type { JsonObject } from '../src/stix/types.js';
import { SqliteReleaseFeed } from '../src/store/sqlite/release-feed.js';
import { LENIENT_THROTTLE } from './auth-fixture.js';

export const T0 = '2026-06-01T00:00:00.000Z';

/** A real hub (data dir, ledger key, database) in a temp dir, on a clock the test moves. */
export function memoryHub(clock = new ManualClock(T0)): Hub & { clock: ManualClock } {
  const dir = mkdtempSync(join(tmpdir(), 'tearline-taxii-'));
  const { paths } = initDataDir(dir);
  ensureLedgerKey(paths);
  const hub = openHub(dir, clock);
  return {
    ...hub,
    clock,
    close: () => {
      hub.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestPartner {
  id: string;
  name: string;
  token: string;
}

export async function addPartner(hub: Hub, name: string): Promise<TestPartner> {
  const r = await hub.state.partners.add(
    { name },
    { actor: 'test', now: hub.clock.now(), randomBytes: (n) => randomBytes(n) },
  );
  if (!r.ok) throw new Error(r.message);
  return { id: r.partner.id, name, token: r.token };
}

export function indicator(id: string, modified: string, extra: JsonObject = {}): JsonObject {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id,
    created: '2026-01-01T00:00:00.000Z',
    modified,
    name: `indicator ${id.slice(-4)}`,
    pattern: "[ipv4-addr:value = '198.51.100.7']",
    pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00Z',
    ...extra,
  };
}

export function newId(type = 'indicator'): string {
  return `${type}--${randomUUID()}`;
}

/** Releases a fresh indicator to the partner, visible at `visibleFrom` (default: now). */
export function release(
  hub: Hub,
  partnerId: string,
  opts: { id?: string; modified?: string; visibleFrom?: string; originalId?: string } = {},
): JsonObject {
  const obj = indicator(opts.id ?? newId(), opts.modified ?? '2026-02-01T00:00:00.000Z');
  const r = new SqliteReleaseFeed(hub.db).addRelease(
    {
      partnerId,
      tearline: obj,
      originalId: opts.originalId ?? newId(),
      originalVersion: obj.modified as string,
      visibleFrom: new Date(opts.visibleFrom ?? hub.clock.now().toISOString()),
    },
    hub.clock.now(),
  );
  if (!r.ok) throw new Error(r.message);
  return obj;
}

export function basic(user: string, secret: string): string {
  return `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
}

export const TAXII = 'application/taxii+json;version=2.1';

export function testServer(hub: Hub, options: ServerOptions = {}) {
  return buildServer(hub, { throttle: LENIENT_THROTTLE, ...options });
}
