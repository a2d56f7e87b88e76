import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { as, initHub, REPO_ROOT, runTearline, tempDir } from './run-cli.js';

const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const RED = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';
const SOURCE = 'identity--f431f809-377b-45e0-aa1c-6a4751cae5ff';
const CAMPAIGN = 'campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';
const INDICATOR = 'indicator--1e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';
const RELATIONSHIP = 'relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad';
const SECRET_ACTOR = 'threat-actor--6d179234-61fc-40c4-ae86-3d53308d8e65';
const t = { spec_version: '2.1', created: '2024-01-03T10:00:00.000Z', modified: '2024-01-04T10:00:00.000Z' };

const objects = [
  { type: 'identity', id: SOURCE, ...t, name: 'Handler desk 7', identity_class: 'individual' },
  { type: 'campaign', id: CAMPAIGN, ...t, name: 'Kerman', object_marking_refs: [GREEN] },
  {
    type: 'indicator',
    id: INDICATOR,
    ...t,
    created_by_ref: SOURCE,
    name: 'Kerman follow-up',
    description: 'Source NIGHTJAR says beaconing',
    pattern: "[ipv4-addr:value = '198.51.100.7']",
    pattern_type: 'stix',
    valid_from: '2024-01-03T10:00:00.000Z',
    confidence: 80,
    labels: ['internal:desk7', 'c2'],
    object_marking_refs: [GREEN],
    granular_markings: [{ marking_ref: RED, selectors: ['description'] }],
  },
  {
    type: 'relationship',
    id: RELATIONSHIP,
    ...t,
    relationship_type: 'indicates',
    source_ref: INDICATOR,
    target_ref: CAMPAIGN,
    object_marking_refs: [GREEN],
  },
  { type: 'threat-actor', id: SECRET_ACTOR, ...t, name: 'Informant network', object_marking_refs: [RED] },
];

let dir = '';
let data = '';
beforeAll(async () => {
  dir = tempDir();
  data = join(dir, 'hub');
  expect((await initHub(data)).code).toBe(0);
  writeFileSync(
    join(dir, 'intel.json'),
    JSON.stringify({ type: 'bundle', id: 'bundle--44af6c39-c09b-49c5-9de2-394224b04982', objects }),
  );
  expect(
    (await runTearline(['import', '--data', data, join(dir, 'intel.json')], as(data, 'analyst'))).code,
  ).toBe(0);
});

async function previewJson(args: string[]) {
  const res = await runTearline(['preview', '--data', data, ...args, '--json'], as(data, 'analyst'));
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout);
}

describe('tearline preview', () => {
  it('prints original, tearline, withheld and removed as JSON', async () => {
    const out = await previewJson(['partner-x', INDICATOR, '--ceiling', 'amber']);
    expect(Object.keys(out)).toEqual(['original', 'tearline', 'withheld', 'removed', 'what_if']);
    expect(out.original.id).toBe(INDICATOR);
    expect(out.withheld).toBeNull();
    expect(out.tearline.id).toMatch(/^indicator--/);
    const text = JSON.stringify(out.tearline);
    for (const hidden of [INDICATOR, SOURCE, 'NIGHTJAR', 'internal:desk7', '"confidence"'])
      expect(text).not.toContain(hidden);
    expect(out.removed).toEqual(
      expect.arrayContaining([
        { path: 'description', rule: 'granular-marking' },
        { path: 'confidence', rule: 'confidence' },
        { path: 'labels.[0]', rule: 'internal-label' },
      ]),
    );
  });

  it('gives the same partner the same ids and another partner others; references follow', async () => {
    const a = await previewJson(['partner-x', RELATIONSHIP, '--ceiling', 'green']);
    const indicator = await previewJson(['partner-x', INDICATOR, '--ceiling', 'green']);
    const b = await previewJson(['partner-y', RELATIONSHIP, '--ceiling', 'green']);
    expect(a.tearline.source_ref).toBe(indicator.tearline.id);
    expect(b.tearline.id).not.toBe(a.tearline.id);
    expect(b.tearline.source_ref).not.toBe(a.tearline.source_ref);
  });

  it('shows why an object is withheld', async () => {
    const out = await previewJson(['partner-x', SECRET_ACTOR, '--ceiling', 'amber', '--profile', 'ally']);
    expect(out.tearline).toBeNull();
    expect(out.withheld.code).toBe('marking-above-ceiling');
  });

  it('withholds on a forbidden term, naming the rule and not the term', async () => {
    const rules = join(dir, 'terms.json');
    writeFileSync(rules, JSON.stringify([{ name: 'source-codenames', term: 'nightjar' }]));
    const out = await previewJson(['partner-x', INDICATOR, '--ceiling', 'red', '--forbidden-terms', rules]);
    expect(out.withheld.code).toBe('forbidden-term');
    expect(out.withheld.message).toContain('source-codenames');
    expect(out.withheld.message.toLowerCase()).not.toContain('nightjar');
  });

  it("takes ceiling and profile from a registered partner's agreement, the command line winning", async () => {
    const added = await runTearline(
      ['partner', 'add', '--data', data, '--name', 'distrusted', '--json'],
      as(data, 'admin'),
    );
    expect(added.code).toBe(0);
    const partnerId = JSON.parse(added.stdout).id as string;
    const agreement = join(REPO_ROOT, 'src', 'policy', 'fixtures', 'agreement-distrusted.json');
    expect(
      (
        await runTearline(
          ['agreement', 'set', '--reason', 'test', '--data', data, 'distrusted', agreement],
          as(data, 'admin'),
        )
      ).code,
    ).toBe(0);
    // Without overrides it is the hub's decision, the one explain gives (no assurance attested yet).
    for (const id of [SECRET_ACTOR, INDICATOR]) {
      const decided = await previewJson(['distrusted', id]);
      const explained = JSON.parse(
        (await runTearline(['explain', '--data', data, 'distrusted', id, '--json'], as(data, 'analyst')))
          .stdout,
      );
      expect(decided.what_if).toBeUndefined();
      expect({ outcome: decided.outcome, reasons: decided.reasons }).toEqual({
        outcome: explained.outcome,
        reasons: explained.reasons,
      });
      expect(decided.tearline).toBeNull();
    }
    // A what-if takes the agreement's profile (strict) and the command line's ceiling.
    const actor = await previewJson(['distrusted', SECRET_ACTOR, '--ceiling', 'green']);
    expect(actor.withheld.code).toBe('marking-above-ceiling');
    const byName = await previewJson(['distrusted', INDICATOR, '--ceiling', 'green']);
    const byId = await previewJson([partnerId, INDICATOR, '--ceiling', 'green']);
    expect(byId.tearline.id).toBe(byName.tearline.id);
    expect(byName.tearline.valid_from).toBe('2024-01-03T00:00:00Z');
    const text = await runTearline(
      ['preview', '--data', data, 'distrusted', INDICATOR, '--ceiling', 'red'],
      as(data, 'analyst'),
    );
    expect(text.stdout).toContain('ceiling TLP:RED (command line); profile strict (agreement v1)');
    expect(text.stdout).toContain("what-if: the tearline alone, not the hub's decision");
  });

  it('applies the hub-wide list in the data dir and names a bad rule by file and field', async () => {
    const hubList = join(data, 'forbidden-terms.json');
    writeFileSync(hubList, JSON.stringify([{ name: 'campaign-codename', term: 'KERMAN' }]));
    const out = await previewJson(['partner-x', CAMPAIGN, '--ceiling', 'amber']);
    expect(out.withheld).toEqual({
      code: 'forbidden-term',
      message: "forbidden-term rule 'campaign-codename' (hub) matched the copy",
    });
    writeFileSync(
      hubList,
      JSON.stringify([
        { name: 'broken', regex: '(' },
        { name: 'n', term: 5 },
      ]),
    );
    const bad = await runTearline(
      ['preview', '--data', data, 'partner-x', CAMPAIGN, '--ceiling', 'amber'],
      as(data, 'analyst'),
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('forbidden-terms.json: invalid rules');
    expect(bad.stderr).toContain('rules[0].regex');
    expect(bad.stderr).toContain('rules[1].term');
    writeFileSync(hubList, '[]');
  });

  it('shows both side by side with each removal and its rule', async () => {
    const res = await runTearline(
      ['preview', '--data', data, 'partner-x', INDICATOR, '--ceiling', 'amber'],
      as(data, 'analyst'),
    );
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(
      /^partner partner-x \(not registered\); ceiling TLP:AMBER \(command line\); profile strict \(default\)\nwhat-if: .*\n\noriginal +\| tearline/,
    );
    expect(res.stdout).toMatch(/description +\(granular-marking\)/);
  });

  it.each([
    [['partner-x', INDICATOR], 2, '--ceiling'],
    [['partner-x', INDICATOR, '--ceiling', 'white'], 2, "'white'"],
    [['partner-x', INDICATOR, '--ceiling', 'green', '--profile', 'lenient'], 2, "'lenient'"],
    [['partner-x', 'not-an-id', '--ceiling', 'green'], 2, 'OBJECT-ID'],
    [['partner x', INDICATOR, '--ceiling', 'green'], 2, 'PARTNER'],
    [['partner-x', INDICATOR, '--ceiling', 'green', '--marking', 'x=green'], 2, '--marking'],
    [['partner-x', 'malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b', '--ceiling', 'green'], 1, 'no object'],
  ])('rejects %j with exit %i and a message naming %s', async (args, code, names) => {
    const res = await runTearline(['preview', '--data', data, ...args], as(data, 'analyst'));
    expect(res.code).toBe(code);
    expect(res.stderr).toContain(names);
    expect(res.stderr).not.toContain('internal error');
  });

  it('names the field of a bad custom profile', async () => {
    const file = join(dir, 'profile.json');
    writeFileSync(file, JSON.stringify({ name: 'p', keep_confidance: true }));
    const res = await runTearline(
      ['preview', '--data', data, 'partner-x', INDICATOR, '--ceiling', 'green', '--profile-file', file],
      as(data, 'analyst'),
    );
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('keep_confidance');
    writeFileSync(file, '{"name": ');
    const broken = await runTearline(
      ['preview', '--data', data, 'partner-x', INDICATOR, '--ceiling', 'green', '--profile-file', file],
      as(data, 'analyst'),
    );
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('not valid JSON');
  });
});
