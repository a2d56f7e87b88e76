import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { provisionKeys } from './auth-fixture.js';

// The demo scenario end to end through the real binary: `tearline demo` imports the ISIS-K
// bundle, the two fixture agreements are set (dates moved relative to today, since the CLI
// stamps changes with the real clock), and decisions follow conditions and feedback.
const root = fileURLToPath(new URL('..', import.meta.url));
const DAY = 86_400_000;
const now = Date.now();
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const demo = JSON.parse(readFileSync(join(root, 'demo', 'isis-k-demo.json'), 'utf8')) as {
  objects: { id: string; type: string; labels?: string[]; object_marking_refs?: string[] }[];
};
const ISISK = 'intrusion-set--d118aebe-ee43-58e9-9939-14d533fcb970';
const AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';

const KEYS: Record<string, string> = {};
/** The binary as the hub's admin (or its analyst, for imports), with an API key. */
function run(args: string[], who: 'admin' | 'analyst' = 'admin') {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'tearline.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, TEARLINE_API_KEY: KEYS[who] ?? '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;
let data: string;
let distrustedId: string;

function fixtureWithDates(name: string, shift: (doc: Record<string, unknown>) => void): string {
  const doc = parse(readFileSync(join(root, 'src', 'policy', 'fixtures', name), 'utf8')) as Record<
    string,
    unknown
  >;
  shift(doc);
  const path = join(dir, name);
  writeFileSync(path, stringify(doc));
  return path;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tearline-policy-demo-'));
  data = join(dir, 'hub');
  // `demo` makes the data dir and its users; the test then acts through their API keys.
  expect(run(['demo', '--data', data]).code).toBe(0);
  Object.assign(
    KEYS,
    await provisionKeys({ data }, [
      { name: 'admin', role: 'admin' },
      { name: 'analyst', role: 'analyst' },
    ]),
  );
  distrustedId = JSON.parse(
    run(['partner', 'add', '--name', 'distrusted', '--country', 'AF', '--json', '--data', data]).stdout,
  ).id;
  expect(run(['partner', 'add', '--name', 'ally', '--data', data]).code).toBe(0);
  const distrusted = fixtureWithDates('agreement-distrusted.yaml', (doc) => {
    doc.valid_from = iso(now - 10 * DAY);
    doc.valid_until = iso(now + 365 * DAY);
    const [hr] = doc.conditions as Record<string, unknown>[];
    Object.assign(hr as object, {
      valid_from: iso(now - 10 * DAY),
      valid_until: iso(now + 20 * DAY),
      review_due: iso(now + 15 * DAY),
    });
  });
  const ally = fixtureWithDates('agreement-ally.yaml', (doc) => {
    doc.valid_from = iso(now - 10 * DAY);
  });
  expect(run(['agreement', 'set', '--reason', 'test', 'distrusted', distrusted, '--data', data]).code).toBe(
    0,
  );
  expect(run(['agreement', 'set', '--reason', 'test', 'ally', ally, '--data', data]).code).toBe(0);
});

describe('demo scenario: distrusted partner and ally', () => {
  it('withholds everything from the distrusted partner until it reports back, then asks for two approvals', () => {
    const before = JSON.parse(run(['decide', '--partner', 'distrusted', '--json', '--data', data]).stdout);
    expect(before.objects).toBe(demo.objects.length);
    expect(before.partners[0].counts.withhold).toBe(demo.objects.length);
    expect(before.partners[0].reasons['condition-unmet']).toBe(demo.objects.length);

    const sighting = {
      type: 'sighting',
      spec_version: '2.1',
      id: 'sighting--6f1d3c1e-8a0b-4f4e-9d7c-2b5a1e0c9d11',
      created: new Date(now - DAY).toISOString(),
      modified: new Date(now - DAY).toISOString(),
      created_by_ref: distrustedId,
      sighting_of_ref: ISISK,
      count: 1,
    };
    const feedback = join(dir, 'feedback.json');
    writeFileSync(
      feedback,
      JSON.stringify({
        type: 'bundle',
        id: 'bundle--0d6e7c1a-4b3f-4a8e-9f0e-1c2d3e4f5a6b',
        objects: [sighting],
      }),
    );
    const imported = run(['import', feedback, '--data', data], 'analyst');
    expect(imported.code, imported.stderr).toBe(0);

    const after = JSON.parse(run(['decide', '--partner', 'distrusted', '--json', '--data', data]).stdout);
    const counts = after.partners[0].counts;
    expect(counts.release).toBe(0);
    expect(counts['needs-approval']).toBeGreaterThan(0);
    expect(after.partners[0].changed).toBeGreaterThan(0);
    // The partner's own sighting carries no TLP marking: withheld for that, not released back.
    const own = JSON.parse(run(['explain', 'distrusted', sighting.id, '--json', '--data', data]).stdout);
    expect(own.reasons.map((r: { code: string }) => r.code)).toContain('marking-missing');
    const amberIndicator = demo.objects.find(
      (o) => o.type === 'indicator' && o.object_marking_refs?.includes(AMBER),
    ) as { id: string };
    const explained = JSON.parse(
      run(['explain', 'distrusted', amberIndicator.id, '--json', '--data', data]).stdout,
    );
    expect(explained.outcome).toBe('withhold');
    expect(explained.reasons.map((r: { code: string }) => r.code)).toEqual(['tlp-above-ceiling']);
    const greenIndicator = demo.objects.find(
      (o) => o.type === 'indicator' && o.object_marking_refs?.includes(GREEN),
    ) as { id: string };
    const ok = JSON.parse(run(['explain', 'distrusted', greenIndicator.id, '--json', '--data', data]).stdout);
    expect(ok, JSON.stringify(ok.reasons)).toMatchObject({
      outcome: 'needs-approval',
      approvals_required: 2,
    });
    const internal = demo.objects.find((o) => o.labels?.includes('internal')) as { id: string };
    const noted = JSON.parse(run(['explain', 'distrusted', internal.id, '--json', '--data', data]).stdout);
    expect(noted.reasons.map((r: { code: string }) => r.code)).toContain('label-denied');
  });

  it('releases to the ally without approval, up to amber', () => {
    const ally = JSON.parse(run(['decide', '--partner', 'ally', '--json', '--data', data]).stdout);
    expect(ally.partners[0].counts['needs-approval']).toBe(0);
    const amber = demo.objects.filter((o) => o.object_marking_refs?.includes(AMBER)).length;
    expect(ally.partners[0].counts.release).toBeGreaterThanOrEqual(amber);
    const text = run(['explain', 'ally', ISISK, '--data', data]).stdout;
    expect(text).toMatch(/^RELEASE: intrusion-set--d118aebe/);
  });
});
