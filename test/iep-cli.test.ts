import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { IEP_EXTENSION_ID } from '../src/policy/marking-iep.js';
import { as, initHub, runTearline, tempDir } from './run-cli.js';

// Two IEP 2.0 markings in the OASIS extension's shape: one the hub may pass on over TLS only,
// one whose permitted actions rule out passing it on at all.
const TLS_ONLY = 'marking-definition--5f0c3a3e-1b52-4d7e-9d8e-2c0f4a3b9e21';
const NO_ACTION = 'marking-definition--5f0c3a3e-1b52-4d7e-9d8e-2c0f4a3b9e22';
const iep = (id: string, name: string, over: Record<string, unknown>) => ({
  type: 'marking-definition',
  spec_version: '2.1',
  id,
  created: '2026-01-01T00:00:00.000Z',
  name,
  extensions: {
    [IEP_EXTENSION_ID]: {
      extension_type: 'property-extension',
      encrypt_in_transit: 'may',
      permitted_actions: 'externally-visible-direct-actions',
      affected_party_notifications: 'may',
      tlp: 'green',
      provider_attribution: 'may',
      unmodified_resale: 'must-not',
      iep_id: '0224bfdf-ea3a-49c3-96f6-66d908bb1845',
      iep_version: 2.0,
      description: 'test policy',
      start_date: '2026-01-01T00:00:00Z',
      ...over,
    },
  },
});
const indicator = (n: number, marking: string) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--7b0c3a3e-1b52-4d7e-9d8e-2c0f4a3b9e3${n}`,
  created: '2026-06-01T00:00:00.000Z',
  modified: '2026-06-01T00:00:00.000Z',
  name: `beacon ${n}`,
  pattern: "[ipv4-addr:value = '198.51.100.7']",
  pattern_type: 'stix',
  valid_from: '2026-06-01T00:00:00Z',
  object_marking_refs: [marking],
});
const tlsOnly = indicator(1, TLS_ONLY);
const noAction = indicator(2, NO_ACTION);
const agreement = (tls: boolean) =>
  [
    'scope: { types: [indicator, marking-definition] }',
    'tlp_ceiling: amber',
    'approval: none',
    'sanitisation: standard',
    ...(tls ? ['tls: true'] : []),
    '',
  ].join('\n');

let data: string;
const run = (args: string[]) => runTearline([...args, '--data', data], as(data, 'admin'));
const explain = async (partner: string, id: string) => {
  const r = await run(['explain', partner, id, '--json']);
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
};

beforeAll(async () => {
  const dir = tempDir('tearline-iep-');
  data = join(dir, 'hub');
  expect((await initHub(data)).code).toBe(0);
  for (const [name, tls] of [
    ['plain', false],
    ['secure', true],
  ] as const) {
    expect((await run(['partner', 'add', '--name', name])).code).toBe(0);
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, agreement(tls));
    const set = await run(['agreement', 'set', '--reason', 'test', name, file]);
    expect(set.code, set.stderr).toBe(0);
  }
  const bundle = join(dir, 'bundle.json');
  writeFileSync(
    bundle,
    JSON.stringify({
      type: 'bundle',
      id: 'bundle--5f0c3a3e-1b52-4d7e-9d8e-2c0f4a3b9e99',
      objects: [
        iep(TLS_ONLY, 'Encrypted only', { encrypt_in_transit: 'must' }),
        iep(NO_ACTION, 'Eyes only', { permitted_actions: 'none' }),
        tlsOnly,
        noAction,
      ],
    }),
  );
  const imported = await runTearline(['import', bundle, '--data', data], as(data, 'analyst'));
  expect(imported.code, imported.stderr).toBe(0);
}, 120_000);

describe('IEP 2.0 markings through the CLI', () => {
  it('an IEP that must be encrypted in transit goes only to the partner served over TLS; explain names it', async () => {
    const plain = await explain('plain', tlsOnly.id);
    expect(plain.outcome).toBe('withhold');
    expect(plain.reasons[0]).toMatchObject({ code: 'iep' });
    expect(plain.reasons[0].message).toContain('IEP "Encrypted only"');
    expect(plain.reasons[0].message).toContain('tls: true');
    const secure = await explain('secure', tlsOnly.id);
    expect(secure.outcome).toBe('release');
    // The copy carries the IEP, so the partner is bound by it; its TLP is the copy's level.
    const preview = await run(['preview', 'secure', tlsOnly.id, '--json']);
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toContain(TLS_ONLY);
    expect(preview.stdout).toContain('marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb');
  });

  it('an IEP permitting no action is withheld from every partner, naming it', async () => {
    for (const p of ['plain', 'secure']) {
      const d = await explain(p, noAction.id);
      expect(d.outcome).toBe('withhold');
      expect(d.reasons[0].code).toBe('iep');
      expect(d.reasons[0].message).toContain('IEP "Eyes only"');
      expect(d.reasons[0].message).toContain('permitted_actions: none');
    }
  });
});
