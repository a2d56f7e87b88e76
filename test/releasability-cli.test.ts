import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tlp2MarkingId } from '../src/stix/markings-tlp.js';
import { openSqlite } from '../src/store/sqlite/database.js';
import { insertObjects, makeSdo } from './policy-object-rows.js';
import { as, initHub, runTearline, tempDir } from './run-cli.js';

const REL = 'marking-definition--7b0c3a3e-1b52-4d7e-9d8e-2c0f4a3b9e11';
const VAGUE = 'marking-definition--7b0c3a3e-1b52-4d7e-9d8e-2c0f4a3b9e12';
const marking = (id: string, statement: string) => ({
  type: 'marking-definition',
  spec_version: '2.1',
  id,
  created: '2026-01-01T00:00:00.000Z',
  definition_type: 'statement',
  definition: { statement },
});
const pattern = {
  pattern: "[ipv4-addr:value = '198.51.100.7']",
  pattern_type: 'stix',
  valid_from: '2026-06-01T00:00:00Z',
};
const relTo = makeSdo('indicator', { ...pattern, object_marking_refs: [tlp2MarkingId('clear'), REL] });
const vague = makeSdo('indicator', { ...pattern, object_marking_refs: [tlp2MarkingId('clear'), VAGUE] });
// Only its description is REL TO USA, GBR: Kabul gets the indicator without it.
const partly = makeSdo('indicator', {
  ...pattern,
  description: 'source: liaison channel 7',
  object_marking_refs: [tlp2MarkingId('clear')],
  granular_markings: [{ marking_ref: REL, selectors: ['description'] }],
});
const agreement = (nationality: string) =>
  [
    'scope: { types: [indicator, marking-definition] }',
    'tlp_ceiling: amber',
    'approval: none',
    'sanitisation: standard',
    `nationality: ${nationality}`,
    '',
  ].join('\n');

let data: string;
const run = (args: string[]) => runTearline([...args, '--data', data], as(data, 'admin'));
const explain = async (partner: string, id: string) => {
  const r = await run(['explain', partner, id, '--json', '--what-would-it-take']);
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
};

beforeAll(async () => {
  const dir = tempDir('tearline-rel-');
  data = join(dir, 'hub');
  expect((await initHub(data)).code).toBe(0);
  for (const [name, nat] of [
    ['kabul', 'AFG'],
    ['ally', 'GBR'],
  ] as const) {
    expect((await run(['partner', 'add', '--name', name])).code).toBe(0);
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, agreement(nat));
    const set = await run(['agreement', 'set', '--reason', 'test', name, file]);
    expect(set.code, set.stderr).toBe(0);
  }
  const db = openSqlite(join(data, 'tearline.db'));
  insertObjects(db, [
    marking(REL, 'REL TO USA, GBR'),
    marking(VAGUE, 'REL TO our friends in the region'),
    relTo,
    vague,
    partly,
  ]);
  db.close();
}, 120_000);

describe('releasability markings through the CLI', () => {
  it('an object marked REL TO USA, GBR never reaches Kabul, with a reason naming the marking', async () => {
    const k = await explain('kabul', relTo.id as string);
    expect(k.outcome).toBe('withhold');
    expect(k.reasons[0]).toMatchObject({
      code: 'releasability',
      message: 'the object is marked REL TO USA, GBR, which does not include AFG',
    });
    expect(k.what_would_it_take.code).toBe('agreement-change');
    const a = await explain('ally', relTo.id as string);
    expect(a.outcome).toBe('release');
    expect(a.tearline).not.toBeNull();
    const preview = await run(['preview', 'ally', relTo.id as string, '--json']);
    expect(preview.stdout).toContain(REL);
  });

  it('a granular REL TO removes only the part the partner may not have, shown with its rule', async () => {
    const k = await run(['preview', 'kabul', partly.id as string, '--json']);
    expect(k.code, k.stderr).toBe(0);
    const kabul = JSON.parse(k.stdout);
    expect(kabul.tearline.description).toBeUndefined();
    expect(kabul.removed).toContainEqual({ path: 'description', rule: 'granular-releasability' });
    const text = await run(['preview', 'kabul', partly.id as string]);
    expect(text.stdout).toMatch(/description\s+\(granular-releasability\)/);
    const a = JSON.parse((await run(['preview', 'ally', partly.id as string, '--json'])).stdout);
    expect(a.tearline.description).toBe('source: liaison channel 7');
    expect(a.removed).toEqual([]);
  });

  it('fails closed on a REL TO it cannot read, for every partner', async () => {
    for (const p of ['kabul', 'ally']) {
      const d = await explain(p, vague.id as string);
      expect(d.outcome).toBe('withhold');
      expect(d.reasons.map((r: { code: string }) => r.code)).toContain('marking-unknown');
    }
  });

  it('an agreement with a malformed nationality is refused, naming the field and line', async () => {
    const file = join(tempDir('tearline-rel-bad-'), 'bad.yaml');
    writeFileSync(file, agreement('Afghanistan'));
    const r = await runTearline(['agreement', 'check', file], as(data, 'admin'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:5: nationality must be an ISO 3166-1 alpha-3 code`);
  });
});
