import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONFIG, dataDirPaths } from '../app/data-dir.js';
import { createHub, type Hub } from '../app/hub.js';
import { releaseStoresOf } from '../app/release-stores.js';
import { ManualClock } from '../clock.js';
import { importStream } from '../ingest/import-stream.js';
import type { Agreement } from '../policy/agreement-types.js';
import type { Partner } from '../store/hub/partner-store.js';
import { openSqlite } from '../store/sqlite/database.js';
import type { PipelineStores } from './release-pipeline.js';

/*
 * A real hub for the release step tests: SQLite in memory, the repository's ISIS-K demo bundle
 * (demo/isis-k-demo.json, written for this project), and partners with the agreements a test
 * names. Composes app and ingest on purpose, as the end-to-end tests do.
 */

const DEMO = fileURLToPath(new URL('../../demo/isis-k-demo.json', import.meta.url));
export const STEP_T0 = '2026-11-28T10:00:00.000Z';

/** An agreement over the demo's types, amber ceiling, the `ally` profile, with the approval asked. */
export function demoAgreement(approval: Agreement['approval']): Record<string, unknown> {
  return {
    scope: {
      types: [
        'intrusion-set',
        'incident',
        'indicator',
        'relationship',
        'location',
        'report',
        'identity',
        'note',
      ],
    },
    tlp_ceiling: 'amber',
    approval,
    sanitisation: 'ally',
    valid_from: '2026-01-01T00:00:00Z',
    conditions: [],
  };
}

export interface StepHub {
  hub: Hub;
  stores: PipelineStores;
  now: Date;
  /** Adds a partner, with the agreement when one is given. */
  partner(name: string, agreement?: Record<string, unknown>): Promise<Partner>;
}

export async function openStepHub(): Promise<StepHub> {
  const clock = new ManualClock(STEP_T0);
  const hub = createHub(dataDirPaths('/nonexistent'), DEFAULT_CONFIG, openSqlite(':memory:'), clock);
  await importStream(createReadStream(DEMO), hub.objects, {
    source: 'demo',
    actor: 'ivan',
    maxObjectBytes: 1 << 24,
  });
  const ctx = { actor: 'admin', now: clock.now(), randomBytes: (n: number) => new Uint8Array(n).fill(7 + n) };
  let seed = 0;
  return {
    hub,
    stores: releaseStoresOf(hub),
    now: clock.now(),
    async partner(name, agreement) {
      seed++;
      const added = await hub.state.partners.add(
        { name },
        { ...ctx, randomBytes: (n: number) => new Uint8Array(n).fill(seed) },
      );
      if (!added.ok) throw new Error(`partner ${name}: ${added.message}`);
      if (agreement)
        await hub.state.agreements.set(added.partner.id, JSON.stringify(agreement), {
          ...ctx,
          reason: 'test',
        });
      return added.partner;
    },
  };
}
