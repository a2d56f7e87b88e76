// A hub at the scale of real data, for the release-pass and console benches: MITRE ATT&CK for
// ICS (given TLP:GREEN at import) and CAPEC (TLP:AMBER), 4,509 objects, and 20 partners with
// mixed agreements (types, ceilings, approvals none/one/two, neighbourhoods, conditions, one
// disabled), two release officers and an analyst. Built once into a data dir; `copyHub` gives a
// fresh copy of its database for each measured round.
import { randomUUID } from 'node:crypto';
import { copyFileSync, createReadStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { initDataDir } from '../src/app/data-dir.js';
import { openHub, type SqliteHub } from '../src/app/hub.js';
import { ensureLedgerKey } from '../src/app/ledger-key.js';
import type { Clock } from '../src/clock.js';
import { importStream } from '../src/ingest/import-stream.js';
import { tlp2MarkingId } from '../src/stix/markings-tlp.js';
import { FIXTURE_STIX, freshIds, readStixFixture } from './bench-data.js';

export const SCALE_NOW = '2026-06-01T00:00:00.000Z';
const ISISK_LIKE = 'intrusion-set'; // neighbourhoods are anchored on the bundles' groups

const TYPE_SETS = [
  ['attack-pattern', 'relationship', 'intrusion-set', 'malware', 'campaign'],
  ['attack-pattern', 'course-of-action', 'relationship'],
  ['intrusion-set', 'malware', 'relationship', 'x-mitre-tactic', 'x-mitre-asset'],
  ['attack-pattern', 'course-of-action', 'relationship', 'intrusion-set', 'malware', 'campaign', 'identity'],
];
const CEILINGS = ['clear', 'green', 'amber', 'amber+strict'];
const PROFILES = ['standard', 'strict', 'ally', 'standard'];

export interface ScaleHub {
  dir: string;
  partners: { name: string; approval: string }[];
}

/**
 * How many copies of the two bundles the hub holds: 1 by default (4,509 objects); 8 gives about
 * 36,000 latest objects, the size of the hub the issue measured (20 partners, about 1M release
 * rows): TEARLINE_BENCH_SCALE_COPIES=8.
 */
export const SCALE_COPIES = Math.max(1, Number(process.env.TEARLINE_BENCH_SCALE_COPIES ?? 1) || 1);

/** Builds the scale hub's data dir; returns where it is and what its partners are. */
export async function buildScaleHub(clock: Clock, copies = SCALE_COPIES): Promise<ScaleHub> {
  const dir = join(mkdtempSync(join(tmpdir(), 'tearline-scale-')), 'hub');
  const { paths } = initDataDir(dir);
  ensureLedgerKey(paths);
  const hub = openHub(dir, clock);
  try {
    for (const [file, level] of [
      ['ics-attack-18.1.json', 'green'],
      ['capec-2.1.json', 'amber'],
    ] as const) {
      for (let k = 0; k < copies; k++) {
        // The fixtures are stored gzipped (test/fixtures/stix/README.md); copies after the first
        // carry fresh ids, their references rewritten alike.
        const input =
          k === 0
            ? createReadStream(join(FIXTURE_STIX, `${file}.gz`)).pipe(createGunzip())
            : Readable.from([
                `{"type":"bundle","id":"bundle--${randomUUID()}","objects":[${(readStixFixture(`${file}.gz`).objects ?? []).map((o) => freshIds(JSON.stringify(o), k)).join(',')}]}`,
              ]);
        await importStream(input, hub.objects, {
          source: `file:${file}`,
          actor: 'ivan',
          maxObjectBytes: hub.config.max_object_bytes,
          marking: { id: tlp2MarkingId(level), kind: 'tlp' },
        });
      }
    }
    const anchors = (
      await hub.state.sql.all<{ id: string }>(
        `SELECT id FROM objects WHERE is_latest AND type = '${ISISK_LIKE}' ORDER BY id`,
      )
    ).map((r) => r.id);
    const ctx = { actor: 'admin', now: clock.now(), randomBytes: (n: number) => new Uint8Array(n).fill(1) };
    const partners: ScaleHub['partners'] = [];
    for (let i = 0; i < 20; i++) {
      const name = `partner-${String(i).padStart(2, '0')}`;
      const added = await hub.state.partners.add(
        { name },
        { ...ctx, randomBytes: (n: number) => new Uint8Array(n).fill(i + 1) },
      );
      if (!added.ok) throw new Error(added.message);
      const approval = (['none', 'one', 'two'] as const)[i % 3] as string;
      const agreement = {
        scope: {
          types: TYPE_SETS[i % TYPE_SETS.length],
          types_denied: i % 7 === 0 ? ['campaign'] : [],
          labels_denied: ['internal'],
          ...(i % 5 === 0 && { neighbourhood: { of: [anchors[i % anchors.length]], hops: 2 } }),
        },
        tlp_ceiling: CEILINGS[i % CEILINGS.length],
        approval,
        sanitisation: PROFILES[i % PROFILES.length],
        valid_from: '2026-01-01T00:00:00Z',
        valid_until: '2027-01-01T00:00:00Z',
        conditions:
          i % 4 === 0
            ? [
                {
                  kind: 'assurance',
                  id: 'hr-1',
                  title: 'Human rights',
                  valid_from: '2026-01-01T00:00:00Z',
                  // Partner 0 and 8's assurance has lapsed: everything is withheld from them.
                  valid_until: i % 8 === 0 ? '2026-05-01T00:00:00Z' : '2026-12-01T00:00:00Z',
                },
              ]
            : [],
      };
      const set = await hub.state.agreements.set(added.partner.id, JSON.stringify(agreement), {
        ...ctx,
        reason: 'bench',
      });
      if (!set.ok) throw new Error(JSON.stringify(set));
      if (i === 13) await hub.state.partners.setEnabled(name, false, 'talks suspended', ctx);
      partners.push({ name, approval });
    }
    for (const [name, role] of [
      ['olga', 'release-officer'],
      ['omar', 'release-officer'],
      ['otto', 'oversight'],
    ] as const) {
      const u = await hub.state.users.add(name, role, 'a long enough password', ctx);
      if (!u.ok) throw new Error(u.message);
    }
    hub.checkpointIfDue();
    hub.db.pragma('wal_checkpoint(TRUNCATE)');
    return { dir, partners };
  } finally {
    hub.close();
  }
}

/** A fresh copy of the scale hub's data dir (database, config and keys) for one round. */
export function copyHub(scale: ScaleHub, clock: Clock): SqliteHub {
  const dir = join(mkdtempSync(join(tmpdir(), 'tearline-scale-round-')), 'hub');
  const { paths } = initDataDir(dir);
  const source = openHub(scale.dir, clock);
  try {
    // The same secrets, so copies derive the same partner ids; VACUUM INTO gives a clean file.
    source.db.exec(`VACUUM INTO '${paths.database.replaceAll("'", "''")}'`);
  } finally {
    source.close();
  }
  // The same secret (partner ids) and ledger key (checkpoints) as the original.
  for (const f of ['hub-secret', 'ledger.key']) copyFileSync(join(scale.dir, 'keys', f), join(paths.keys, f));
  return openHub(dir, clock);
}
