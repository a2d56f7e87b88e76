import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHub } from '../src/app/hub.js';
import { buildServer } from '../src/app/server.js';
import { checkOpenedLine } from '../src/ledger/ledger-export.js';
import { tlp2MarkingId } from '../src/stix/markings-tlp.js';
import { LENIENT_THROTTLE } from './auth-fixture.js';
import { as, initHub, REPO_ROOT, runTearline, TEST_USERS, type TestRole, tempDir } from './run-cli.js';
import { basic, TAXII } from './taxii-fixture.js';

/** The ledger's entries opened whole (public and private parts), from `ledger export --with-private`. */
// biome-ignore lint/suspicious/noExplicitAny: entries are checked field by field below
function openedEntries(file: string): any[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const checked = checkOpenedLine(l);
      if (!checked.ok) throw new Error(checked.message);
      return checked.entry;
    });
}

/**
 * The "done when", on the real binary: a real, TLP-less bundle carrying its publisher's
 * copyright statement is imported with --marking tlp:green, released to a partner with a green
 * ceiling over TAXII with the statement intact, and every CLI surface gives the same answer.
 */

const EXTRACT = join(REPO_ROOT, 'test', 'fixtures', 'ics-attack', 'ics-attack-18.1-extract.json');
const bundle = JSON.parse(readFileSync(EXTRACT, 'utf8')) as { objects: Record<string, unknown>[] };
const MITRE_STATEMENT = 'marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168';
const TECHNIQUE = bundle.objects.find((o) => o.type === 'attack-pattern')?.id as string;
const GREEN = tlp2MarkingId('green');

let dir: string;
let data: string;
let ally: { name: string; token: string };
// Each command as a signed-in user (an API key): analysts import, release officers decide, the
// admin does the rest.
const tAs = (role: TestRole, ...args: string[]) => runTearline([...args, '--data', data], as(data, role));
const t = (...args: string[]) => tAs(args[0] === 'import' ? 'analyst' : 'admin', ...args);
const jsonOf = (r: { code: number | null; stdout: string; stderr: string }) => {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};
const json = async (...args: string[]) => jsonOf(await t(...args, '--json'));
const jsonAs = async (role: TestRole, ...args: string[]) => jsonOf(await tAs(role, ...args, '--json'));

beforeAll(async () => {
  dir = tempDir();
  data = join(dir, 'hub');
  expect((await initHub(data)).code).toBe(0);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a real bundle flows end to end', () => {
  it('imports with --marking, recording who gave which marking to how many objects', async () => {
    const bad = await t('import', EXTRACT, '--marking', 'tlp:purple');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--marking: marking 'tlp:purple' is not one of tlp:clear");
    const unknown = await t(
      'import',
      EXTRACT,
      '--marking',
      'marking-definition--00000000-0000-4000-8000-00000000dead',
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('import its definition first');
    const summary = await json('import', EXTRACT, '--marking', 'tlp:green');
    const objects = bundle.objects.length;
    // Every object but the marking definition carries MITRE's statement and no TLP marking.
    expect(summary).toMatchObject({ added: objects, marking: { id: GREEN, marked: objects - 1 } });
    const out = join(dir, 'ledger.jsonl');
    expect((await t('ledger', 'export', '--out', out, '--with-private')).code).toBe(0);
    const ingests = openedEntries(out).filter((e) => e.kind === 'ingest-batch' && e.details);
    expect(ingests.map((e) => [e.actor, e.details.marking])).toEqual(
      ingests.map(() => [TEST_USERS.analyst, GREEN]),
    );
    expect(ingests.reduce((n, e) => n + e.details.marked, 0)).toBe(objects - 1);
  }, 120_000);

  it('releases to a green partner with the copyright statement intact, over TAXII', async () => {
    ally = await json('partner', 'add', '--name', 'ally');
    const agreement = join(dir, 'ally.json');
    writeFileSync(
      agreement,
      JSON.stringify({
        scope: {
          types: [
            'attack-pattern',
            'malware',
            'intrusion-set',
            'course-of-action',
            'relationship',
            'identity',
          ],
        },
        tlp_ceiling: 'green',
        approval: 'none',
        sanitisation: 'standard',
        conditions: [],
      }),
    );
    expect((await t('agreement', 'set', '--reason', 'test', 'ally', agreement)).code).toBe(0);
    const decided = await json('decide', '--partner', 'ally');
    const run = await json('release', 'run', '--partner', 'ally');
    const p = run.partners[0];
    // release run counts by outcome and reason exactly as decide does.
    expect(p.decisions.counts).toEqual(decided.partners[0].counts);
    expect(p.decisions.reasons).toEqual(decided.partners[0].reasons);
    expect(p.released).toBe(p.decisions.counts.release);
    expect(p.decisions.counts.release).toBeGreaterThan(15);
    // Again with nothing changed: only what changed is decided (nothing here but waiting items).
    const again = await t('release', 'run', '--partner', 'ally');
    expect(again.stdout).toMatch(/^incremental pass: \d+ decision\(s\)/);
    expect(again.stdout).toMatch(/\nally: .*this run 0 released, 0 queued for approval, 0 withheld/);
    // --full decides everything again (and changes nothing).
    const text = await t('release', 'run', '--full', '--partner', 'ally');
    expect(text.stdout).toMatch(/^ally: release \d+, needs-approval 0, withhold \d+; this run 0 released/);
    expect(text.stdout).toMatch(/\n {4}in-scope +\d+/);

    // explain, preview and the report say what decide said.
    const explained = await json('explain', 'ally', TECHNIQUE);
    expect(explained).toMatchObject({ outcome: 'release', stage: 'policy' });
    const preview = await json('preview', 'ally', TECHNIQUE);
    expect({ outcome: preview.outcome, reasons: preview.reasons }).toEqual({
      outcome: explained.outcome,
      reasons: explained.reasons,
    });
    const custom = bundle.objects.find((o) => String(o.type).startsWith('x-mitre-'))?.id as string;
    const customExplained = await json('explain', 'ally', custom);
    expect(customExplained.reasons.map((r: { code: string }) => r.code)).toEqual(['out-of-scope-type']);
    // As of the period's end, or now when that is later: tomorrow's report decides as now.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const report = JSON.parse(
      (
        await t(
          'report',
          'disclosures',
          '--partner',
          'ally',
          '--from',
          '2020-01-01',
          '--to',
          tomorrow,
          '--format',
          'json',
        )
      ).stdout,
    );
    const withheld: Record<string, number> = {};
    for (const [code, n] of Object.entries(decided.partners[0].reasons as Record<string, number>))
      if (code !== 'in-scope') withheld[code] = n;
    expect(report.withheld_by_reason).toEqual(withheld);

    // Over TAXII: the technique with TLP:GREEN and MITRE's statement, and the statement itself.
    const server: ChildProcess = spawn(
      process.execPath,
      [join(REPO_ROOT, 'bin', 'tearline.js'), 'serve', '--port', '0', '--data', data],
      { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    try {
      let stderr = '';
      const base = await new Promise<string>((resolve, reject) => {
        server.stderr?.on('data', (d: Buffer) => {
          stderr += d.toString();
          const m = /serving TAXII 2\.1 at (http:\/\/[^ ]+)\/taxii2\//.exec(stderr);
          if (m) resolve(m[1] as string);
        });
        server.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
      });
      const res = await fetch(`${base}/taxii2/hub/collections/releases/objects/?limit=1000`, {
        headers: { accept: TAXII, authorization: basic(ally.name, ally.token) },
      });
      expect(res.status).toBe(200);
      const feed = ((await res.json()) as { objects: Record<string, unknown>[] }).objects;
      const techniques = feed.filter((o) => o.type === 'attack-pattern');
      expect(techniques.length).toBeGreaterThan(5);
      for (const o of techniques) expect(o.object_marking_refs).toEqual([GREEN, MITRE_STATEMENT]);
      const statement = feed.find((o) => o.id === MITRE_STATEMENT);
      expect(statement).toMatchObject({
        type: 'marking-definition',
        definition_type: 'statement',
        definition: { statement: expect.stringContaining('Copyright 2015-2025, The MITRE Corporation') },
      });
      expect(JSON.stringify(feed)).not.toContain(TECHNIQUE);
    } finally {
      server.kill('SIGTERM');
    }
  }, 240_000);
  it('clears the same release needing two officers with one bulk action each, only as shown', async () => {
    await json('partner', 'add', '--name', 'vetted');
    const agreement = join(dir, 'vetted.json');
    writeFileSync(
      agreement,
      JSON.stringify({
        scope: { types: ['attack-pattern', 'relationship', 'identity'] },
        tlp_ceiling: 'green',
        approval: 'two',
        sanitisation: 'standard',
        conditions: [],
      }),
    );
    expect((await t('agreement', 'set', '--reason', 'test', 'vetted', agreement)).code).toBe(0);
    const run = await json('release', 'run', '--partner', 'vetted');
    const queued = run.partners[0].decisions.counts['needs-approval'] as number;
    expect(queued).toBeGreaterThan(10);
    expect(run.partners[0].released).toBe(0);

    // A filter selects what `queue list` lists with the same filter, and nothing is decided yet.
    const listed = await jsonAs(
      'officer',
      'queue',
      'list',
      '--partner',
      'vetted',
      '--filter',
      'type=attack-pattern',
    );
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((i: { type: string }) => i.type === 'attack-pattern')).toBe(true);
    const filtered = await jsonAs(
      'officer',
      'queue',
      'approve',
      '--partner',
      'vetted',
      '--filter',
      'type=attack-pattern',
    );
    expect(filtered.count).toBe(listed.length);
    expect(filtered.count).toBeLessThan(queued);
    const badFilter = await tAs(
      'officer',
      'queue',
      'approve',
      '--partner',
      'vetted',
      '--filter',
      'colour=red',
    );
    expect(badFilter.code).toBe(2);
    expect(badFilter.stderr).toContain('"colour=red" is not KEY=VALUE');

    const select = ['queue', 'approve', '--partner', 'vetted', '--all'];
    // Without --confirm: the combined diff and its digest, nothing decided.
    const shown = await jsonAs('officer', ...select);
    expect(shown.count).toBe(queued);
    expect(shown.items.length).toBe(queued);
    expect(shown.digest).toMatch(/^[0-9a-f]{16}$/);
    const text = await tAs('officer', ...select);
    expect(text.stdout).toContain(`--confirm ${shown.digest}`);
    const stale = await tAs('officer', ...select, '--confirm', '0000000000000000');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/changed since it was shown/);
    // Only release officers decide, in bulk as one at a time (exit 3: not allowed).
    const analyst = await tAs('analyst', ...select, '--confirm', shown.digest);
    expect(analyst.code).toBe(3);
    expect(analyst.stderr).toContain('may not approve or deny releases');
    expect((await tAs('admin', ...select, '--confirm', shown.digest)).code).toBe(3);

    const first = await jsonAs('officer', ...select, '--confirm', shown.digest);
    expect(first).toMatchObject({ ok: true, decided: queued, pending: queued, released: 0 });
    // The same officer again decides nothing: every item is already decided by them.
    const twice = await jsonAs('officer', ...select);
    const repeat = await jsonAs('officer', ...select, '--confirm', twice.digest);
    expect(repeat).toMatchObject({ ok: true, decided: 0 });
    expect(new Set(repeat.refused.map((r: { code: string }) => r.code))).toEqual(
      new Set(['already-decided']),
    );
    const again = await jsonAs('officer2', ...select);
    expect(again.digest).toBe(shown.digest);
    // A second officer on the same OS account is not a second person: every item refuses.
    const twin = await jsonAs('officer2', ...select, '--confirm', again.digest);
    expect(twin).toMatchObject({ ok: true, decided: 0 });
    expect(new Set(twin.refused.map((r: { code: string }) => r.code))).toEqual(new Set(['same-os-account']));
    // The second officer decides from their own place: the console API, with their own API key.
    const hub = openHub(data);
    const app = buildServer(hub, { throttle: LENIENT_THROTTLE, pageCache: { maxEntries: 0, maxBytes: 0 } });
    let second: { ok: boolean; decided: number; released: number; approved: number; refused: unknown[] };
    try {
      const headers = { authorization: `Bearer ${as(data, 'officer2').env.TEARLINE_API_KEY}` };
      const preview = await app.inject({
        method: 'POST',
        url: '/api/queue/bulk/preview',
        headers,
        payload: { partner: 'vetted' },
      });
      expect(preview.statusCode, preview.body).toBe(200);
      expect(preview.json().digest).toBe(shown.digest);
      const decided = await app.inject({
        method: 'POST',
        url: '/api/queue/bulk/approve',
        headers,
        payload: { partner: 'vetted', digest: preview.json().digest },
      });
      expect(decided.statusCode, decided.body).toBe(200);
      second = decided.json();
    } finally {
      await app.close();
      hub.close();
    }
    expect(second).toMatchObject({ ok: true, decided: queued, refused: [] });
    expect(second.released + second.approved).toBe(queued);
    expect(await json('queue', 'list', '--partner', 'vetted')).toEqual([]);
    // One ledger entry per item and officer, and the ledger still verifies.
    const out = join(dir, 'ledger-2.jsonl');
    expect((await t('ledger', 'export', '--out', out, '--with-private')).code).toBe(0);
    const approvals = openedEntries(out).filter((e) => e.kind === 'approval');
    expect(approvals.length).toBe(2 * queued);
    expect((await t('ledger', 'verify')).code).toBe(0);
  }, 240_000);
});
