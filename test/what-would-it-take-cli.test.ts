import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tlp2MarkingId } from '../src/stix/markings-tlp.js';
import { openSqlite } from '../src/store/sqlite/database.js';
import { insertObjects, makeRelationship, makeSdo } from './policy-object-rows.js';
import { as, initHub, runTearline, tempDir } from './run-cli.js';

const ISISK = 'intrusion-set--d118aebe-ee43-58e9-9939-14d533fcb970';
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const now = Date.now();
const pattern = {
  pattern: "[ipv4-addr:value = '198.51.100.7']",
  pattern_type: 'stix',
  valid_from: '2026-06-01T00:00:00Z',
};
const green = makeSdo('indicator', { ...pattern, object_marking_refs: [tlp2MarkingId('green')] });
const red = makeSdo('indicator', { ...pattern, object_marking_refs: [tlp2MarkingId('red')] });
const outside = makeSdo('indicator', { ...pattern, object_marking_refs: [tlp2MarkingId('green')] });

// hr-1 lapsed yesterday; approval by two officers.
const agreement = [
  'scope:',
  '  types: [intrusion-set, indicator, relationship]',
  `  neighbourhood: { of: [${ISISK}], hops: 2 }`,
  'tlp_ceiling: green',
  'approval: two',
  'sanitisation: strict',
  `valid_from: "${iso(now - 30 * DAY)}"`,
  `valid_until: "${iso(now + 365 * DAY)}"`,
  'conditions:',
  '  - kind: assurance',
  '    id: hr-1',
  '    title: Human-rights assurance',
  `    valid_from: "${iso(now - 30 * DAY)}"`,
  `    valid_until: "${iso(now - DAY)}"`,
  '',
].join('\n');

let data: string;
const run = (args: string[], role: Parameters<typeof as>[1] = 'admin') =>
  runTearline([...args, '--data', data], as(data, role));
const json = async (args: string[], role: Parameters<typeof as>[1] = 'admin') => {
  const r = await run([...args, '--json'], role);
  if (r.code !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout);
};

beforeAll(async () => {
  const dir = tempDir('tearline-wwit-');
  data = join(dir, 'hub');
  expect((await initHub(data)).code).toBe(0);
  expect((await run(['partner', 'add', '--name', 'kabul', '--country', 'AF'])).code).toBe(0);
  const file = join(dir, 'a.yaml');
  writeFileSync(file, agreement);
  expect((await run(['agreement', 'set', '--reason', 'test', 'kabul', file])).code).toBe(0);
  const db = openSqlite(join(data, 'tearline.db'));
  const isisk = { ...makeSdo('intrusion-set', { object_marking_refs: [tlp2MarkingId('green')] }), id: ISISK };
  insertObjects(db, [
    isisk,
    green,
    red,
    outside,
    makeRelationship(green.id as string, ISISK, 'indicates'),
    makeRelationship(red.id as string, ISISK, 'indicates'),
  ]);
  db.close();
}, 120_000);

describe('tearline explain --what-would-it-take and condition impact', () => {
  it('names the lapsed assurance for an in-scope object, and a change of agreement for TLP:RED', async () => {
    const j = await json(['explain', 'kabul', green.id as string, '--what-would-it-take'], 'oversight');
    expect(j.outcome).toBe('withhold');
    expect(j.what_would_it_take.code).toBe('facts');
    expect(j.what_would_it_take.answers).toHaveLength(1);
    expect(j.what_would_it_take.answers[0].requirements.map((r: { code: string }) => r.code)).toEqual([
      'attest-assurance',
    ]);
    expect(j.what_would_it_take.answers[0]).toMatchObject({
      outcome: 'needs-approval',
      approvals_required: 2,
    });
    const r = await json(['explain', 'kabul', red.id as string, '--what-would-it-take']);
    expect(r.what_would_it_take.code).toBe('agreement-change');
    expect(r.what_would_it_take.blockers.map((b: { code: string }) => b.code)).toContain('tlp-red');
    const o = await json(['explain', 'kabul', outside.id as string, '--what-would-it-take']);
    expect(o.what_would_it_take.blockers.map((b: { code: string }) => b.code)).toEqual([
      'outside-neighbourhood',
    ]);
    // Without the flag the answer is not computed.
    expect((await json(['explain', 'kabul', green.id as string])).what_would_it_take).toBeUndefined();
    const text = await run(['explain', 'kabul', green.id as string, '--what-would-it-take']);
    expect(text.stdout).toContain('what would it take (all of):');
    expect(text.stdout).toContain('- attest hr-1');
    expect(text.stdout).toContain('then it is queued for approval by two officers');
  });

  it('condition impact counts what restoring hr-1 would release, and attesting it does exactly that', async () => {
    const before = await json(['condition', 'impact', 'kabul'], 'oversight');
    const hr = before.conditions.find((c: { key: string }) => c.key === 'hr-1');
    // The intrusion set and the green indicator; not RED, not the one outside, not the two
    // relationships (unmarked: a change of agreement or of the object, not of a condition).
    expect(hr.alone).toEqual({ release: 0, 'needs-approval': 2 });
    expect(hr.gated).toBe(2);
    expect(before.agreement_change).toBe(4);
    expect(before.withheld).toBe(6);
    const text = await run(['condition', 'impact', 'kabul'], 'analyst');
    expect(text.stdout).toContain(
      'hr-1: restoring hr-1 releases 2 item(s) (2 to the approval queue); it gates 2 withheld item(s)',
    );
    const attest = await run([
      'condition',
      'attest',
      'kabul',
      'assurance',
      '--id',
      'hr-1',
      '--valid-from',
      iso(now - DAY),
      '--valid-until',
      iso(now + 90 * DAY),
    ]);
    expect(attest.code, attest.stderr).toBe(0);
    const decided = await json(['decide', '--partner', 'kabul']);
    expect(decided.partners[0].counts['needs-approval']).toBe(hr.alone['needs-approval']);
    const after = await json(['condition', 'impact', 'kabul']);
    expect(after.conditions).toEqual([]);
    expect(after.withheld).toBe(4);
    const queued = await json(['explain', 'kabul', green.id as string, '--what-would-it-take']);
    expect(queued.what_would_it_take).toEqual({ code: 'approval', approvals_required: 2 });
  });

  it('an unknown partner is a clear error', async () => {
    const r = await run(['condition', 'impact', 'nobody']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nobody');
  });
});
