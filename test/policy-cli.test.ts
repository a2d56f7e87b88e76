import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { tlp2MarkingId } from '../src/stix/markings-tlp.js';
import { openSqlite } from '../src/store/sqlite/database.js';
import { provisionKeys } from './auth-fixture.js';
import { insertObjects, makeRelationship, makeSdo } from './policy-object-rows.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const ISISK = 'intrusion-set--d118aebe-ee43-58e9-9939-14d533fcb970';
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const KEYS: Record<string, string> = {};
/** The binary as the hub's admin (or its analyst, for imports), with an API key. */
function run(args: string[], who: 'admin' | 'analyst' = 'admin') {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'tearline.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, TEARLINE_API_KEY: KEYS[who] ?? '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Dates are relative to the real clock: the CLI stamps changes with the system time.
const now = Date.now();
let dir: string;
let data: string;
let partnerId: string;
// Valid indicators: explain shows the tearline's verdict too, and a copy must be valid STIX.
const pattern = {
  pattern: "[ipv4-addr:value = '198.51.100.7']",
  pattern_type: 'stix',
  valid_from: '2026-06-01T00:00:00Z',
};
const indicator = makeSdo('indicator', { ...pattern, object_marking_refs: [tlp2MarkingId('green')] });
const redIndicator = makeSdo('indicator', { ...pattern, object_marking_refs: [tlp2MarkingId('red')] });

function agreementYaml(overrides: { approval?: string; hrUntil?: number } = {}): string {
  return [
    'scope:',
    '  types: [intrusion-set, indicator, relationship]',
    '  labels_denied: [internal]',
    `  neighbourhood: { of: [${ISISK}], hops: 2 }`,
    'tlp_ceiling: green',
    `approval: ${overrides.approval ?? 'two'}`,
    'sanitisation: strict',
    `valid_from: "${iso(now - 10 * DAY)}"`,
    `valid_until: "${iso(now + 365 * DAY)}"`,
    'conditions:',
    '  - kind: assurance',
    '    id: hr-1',
    '    title: Human-rights assurance',
    `    valid_from: "${iso(now - 10 * DAY)}"`,
    `    valid_until: "${iso(overrides.hrUntil ?? now + 10 * DAY)}"`,
    '  - { kind: reciprocity, min_items: 1, window: P30D }',
    '',
  ].join('\n');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tearline-policy-cli-'));
  data = join(dir, 'hub');
  expect(run(['init', '--data', data]).code).toBe(0);
  Object.assign(KEYS, await provisionKeys({ data }, [{ name: 'admin', role: 'admin' }]));
});

describe('tearline partner / agreement / condition / breach / explain / decide', () => {
  it('adds a partner and prints its token once as JSON', () => {
    const r = run(['partner', 'add', '--name', 'distrusted', '--country', 'AF', '--json', '--data', data]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { id: string; name: string; token: string };
    expect(out).toMatchObject({ name: 'distrusted', id: expect.stringMatching(/^identity--/) });
    expect(out.token).toMatch(/^tl_[A-Za-z0-9_-]{43}$/);
    partnerId = out.id;
    expect(run(['partner', 'show', 'distrusted', '--json', '--data', data]).stdout).not.toContain(out.token);
    expect(run(['partner', 'add', '--name', 'distrusted', '--data', data]).code).toBe(1);
    expect(run(['partner', 'add', '--data', data]).code).toBe(2);
  });

  it('validates agreement files with file, line and field, and keeps every version', () => {
    const good = join(dir, 'a1.yaml');
    writeFileSync(good, agreementYaml());
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, agreementYaml().replace('tlp_ceiling: green', 'tlp_ceiling: purple'));
    expect(run(['agreement', 'check', dir]).stderr).toContain('not a file');
    const check = run(['agreement', 'check', bad]);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain(
      `${bad}:5: tlp_ceiling must be one of clear, green, amber, amber+strict, red`,
    );
    expect(run(['agreement', 'set', '--reason', 'test', 'distrusted', bad, '--data', data]).code).toBe(1);
    const first = run(['agreement', 'set', '--reason', 'test', 'distrusted', good, '--data', data]);
    expect(first.stdout).toContain('version 1');
    expect(first.stderr).toContain(`warning: scope.neighbourhood.of[0] ${ISISK} is not in the store yet`);
    expect(
      run(['agreement', 'set', '--reason', 'test', 'distrusted', good, '--data', data]).stdout,
    ).toContain('unchanged');
    const v2 = join(dir, 'a2.yaml');
    writeFileSync(v2, agreementYaml({ approval: 'none' }));
    // Every change says why: a version without a reason is refused, naming --reason.
    const unexplained = run(['agreement', 'set', partnerId, v2, '--data', data]);
    expect(unexplained.code).toBe(2);
    expect(unexplained.stderr).toContain('--reason');
    expect(
      run([
        'agreement',
        'set',
        '--reason',
        'approvals waived for the exercise',
        partnerId,
        v2,
        '--data',
        data,
      ]).stdout,
    ).toContain('version 2');
    expect(run(['agreement', 'show', 'distrusted', '--data', data]).stdout).toMatch(
      /^# distrusted agreement version 2, set \S+ by \S+: approvals waived for the exercise\n/,
    );
    const diff = JSON.parse(
      run(['agreement', 'diff', 'distrusted', '1', '2', '--json', '--data', data]).stdout,
    );
    expect(diff.changes).toEqual([{ op: 'changed', path: 'approval', from: 'two', to: 'none' }]);
    expect(run(['agreement', 'show', 'distrusted', '--version', '1', '--data', data]).stdout).toContain(
      'approval: two',
    );
    expect(run(['agreement', 'show', 'distrusted', '--version', '7', '--data', data]).code).toBe(1);
    expect(run(['agreement', 'show', 'distrusted', '--policies', '--data', data]).stdout).toContain(
      '@code("tlp-red")',
    );
  });

  it('shows the submitter consent an agreement gives (none unless it says), and refuses a value it does not know', () => {
    expect(run(['agreement', 'show', 'distrusted', '--data', data]).stdout).toContain(
      "# submitter consent: none (what the hub promotes from this partner's submissions goes to no other partner)",
    );
    const bad = join(dir, 'consent-bad.yaml');
    writeFileSync(bad, `${agreementYaml({ approval: 'none' })}submitter_consent: anonymous\n`);
    const refused = run(['agreement', 'set', '--reason', 'test', 'distrusted', bad, '--data', data]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('submitter_consent must be one of none, hub-only, named');
    const v3 = join(dir, 'consent.yaml');
    writeFileSync(v3, `${agreementYaml({ approval: 'none' })}submitter_consent: hub-only\n`);
    expect(
      run(['agreement', 'set', '--reason', 'partner consents to hub-only', 'distrusted', v3, '--data', data])
        .stdout,
    ).toContain('version 3');
    expect(run(['agreement', 'show', 'distrusted', '--data', data]).stdout).toContain(
      '# submitter consent: hub-only (promoted submissions go to other partners naming the hub, never this partner)',
    );
    const shown = JSON.parse(run(['agreement', 'show', 'distrusted', '--json', '--data', data]).stdout);
    expect(shown.submitter_consent).toBe('hub-only');
    const diff = JSON.parse(
      run(['agreement', 'diff', 'distrusted', '2', '3', '--json', '--data', data]).stdout,
    );
    expect(diff.changes).toEqual([{ op: 'added', path: 'submitter_consent', value: 'hub-only' }]);
  });

  it('explains withhold, then release once conditions are met, and across the assurance expiry', () => {
    const db = openSqlite(join(data, 'tearline.db'));
    const isisk = {
      ...makeSdo('intrusion-set', { object_marking_refs: [tlp2MarkingId('green')] }),
      id: ISISK,
    };
    insertObjects(db, [
      isisk,
      indicator,
      redIndicator,
      makeRelationship(indicator.id as string, ISISK, 'indicates'),
    ]);
    insertObjects(db, [makeRelationship(redIndicator.id as string, ISISK, 'indicates')]);
    db.close();
    const explain = (at: number) =>
      JSON.parse(
        run(['explain', 'distrusted', indicator.id as string, '--at', iso(at), '--json', '--data', data])
          .stdout,
      );
    const first = explain(now + 3_600_000);
    expect(first.outcome).toBe('withhold');
    expect(first.reasons).toEqual([
      expect.objectContaining({ code: 'condition-unmet', condition: 'reciprocity' }),
    ]);

    const db2 = openSqlite(join(data, 'tearline.db'));
    insertObjects(db2, [makeSdo('sighting', { created_by_ref: partnerId, sighting_of_ref: ISISK })], {
      addedUs: (now - DAY) * 1000,
    });
    db2.close();
    const hrUntil = Date.parse(iso(now + 10 * DAY));
    expect(explain(hrUntil - 1000).outcome).toBe('release');
    const lapsed = explain(hrUntil + 1000);
    expect(lapsed.outcome).toBe('withhold');
    expect(lapsed.reasons[0]).toMatchObject({ code: 'condition-unmet', condition: 'hr-1' });
    expect(lapsed.reasons[0].message).toContain('expired');

    const red = run(['explain', 'distrusted', redIndicator.id as string, '--data', data]);
    expect(red.stdout).toMatch(
      /^WITHHOLD: .*\n.*\n {2}- \[tlp-red\] TLP:RED is never released automatically/,
    );
  });

  it('condition revoke, suspension and breach each withhold with their reason; decide summarises', () => {
    const codes = () =>
      JSON.parse(
        run(['explain', 'distrusted', indicator.id as string, '--json', '--data', data]).stdout,
      ).reasons.map((r: { condition?: string; code: string }) => r.condition ?? r.code);
    expect(codes()).toEqual(['in-scope']);
    expect(
      run(['breach', 'open', 'distrusted', '--reason', 'onward sharing', '--data', data]).stdout,
    ).toContain('B1');
    expect(codes()).toEqual(['breach']);
    expect(run(['breach', 'close', 'distrusted', 'B9', '--reason', 'x', '--data', data]).code).toBe(1);
    expect(run(['breach', 'close', 'distrusted', 'B1', '--reason', 'resolved', '--data', data]).code).toBe(0);
    expect(
      run(['condition', 'suspend', 'distrusted', '--reason', 'press reports', '--data', data]).code,
    ).toBe(0);
    expect(codes()).toEqual(['suspension']);
    run(['condition', 'resume', 'distrusted', '--reason', 'cleared', '--data', data]);
    expect(
      run(['condition', 'revoke', 'distrusted', 'hr-1', '--reason', 'withdrawn', '--data', data]).code,
    ).toBe(0);
    expect(codes()).toEqual(['hr-1']);
    const list = JSON.parse(run(['condition', 'list', 'distrusted', '--json', '--data', data]).stdout);
    expect(list.conditions.map((c: { id: string; status: string }) => `${c.id}:${c.status}`)).toEqual([
      'hr-1:unmet',
      'reciprocity:met',
      'suspension:met',
      'breach:met',
    ]);
    const summary = JSON.parse(run(['decide', '--json', '--data', data]).stdout);
    expect(summary.objects).toBe(6);
    expect(summary.partners[0].counts).toEqual({ release: 0, 'needs-approval': 0, withhold: 6 });
    expect(summary.partners[0].reasons['condition-unmet']).toBe(6);
    expect(summary.cache.hits + summary.cache.misses).toBeGreaterThanOrEqual(6);
    expect(summary.partners[0]).toMatchObject({ changed: 6 });
    const again = JSON.parse(run(['decide', '--json', '--data', data]).stdout);
    expect(again.partners[0]).toMatchObject({ changed: 0, counts: summary.partners[0].counts });
  });

  it('validates operator policies on load and shows Cedar diagnostics with file and line', () => {
    mkdirSync(join(data, 'policies'), { recursive: true });
    writeFileSync(
      join(data, 'policies', 'bad.cedar'),
      '@reason("x")\nforbid (principal, action, resource)\nwhen { resource.colour == "red" };\n',
    );
    const r = run(['decide', '--data', data]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.cedar:3: .*colour/);
    writeFileSync(
      join(data, 'policies', 'bad.cedar'),
      '@code("no-indicators")\n@reason("indicators go through the liaison desk")\nforbid (principal, action, resource)\nwhen { resource.stix_type == "indicator" };\n',
    );
    const d = JSON.parse(run(['decide', '--json', '--data', data]).stdout);
    expect(d.partners[0].reasons['no-indicators']).toBe(2);
  });

  it('refuses bad options with exit 2 and names the option', () => {
    const r = run(['explain', 'distrusted', indicator.id as string, '--at', 'yesterday', '--data', data]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--at "yesterday" must be a date (midnight UTC) or an RFC 3339 timestamp');
    expect(run(['condition', 'attest', 'distrusted', 'reciprocity', '--data', data]).code).toBe(2);
    expect(run(['explain', 'nobody', indicator.id as string, '--data', data]).stderr).toContain(
      'no partner named',
    );
    expect(run(['partner', 'list', '--data', join(dir, 'nowhere')]).code).toBe(1);
    expect(readFileSync(join(data, 'config.json'), 'utf8')).toContain('hub_name');
  });

  it('disabling a partner withholds everything with that reason', () => {
    expect(
      run(['partner', 'disable', 'distrusted', '--reason', 'talks suspended', '--data', data]).code,
    ).toBe(0);
    const j = JSON.parse(run(['explain', 'distrusted', ISISK, '--json', '--data', data]).stdout);
    expect(j.outcome).toBe('withhold');
    expect(j.reasons.map((r: { code: string }) => r.code)).toContain('partner-disabled');
  });
});
