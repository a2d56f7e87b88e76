import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openHub } from '../src/app/hub.js';
import { buildServer } from '../src/app/server.js';
import { checkOpenedLine } from '../src/ledger/ledger-export.js';
import { LENIENT_THROTTLE, provisionKeys } from './auth-fixture.js';
import { runTearline, tempDir } from './run-cli.js';

const ISISK = 'intrusion-set--d118aebe-ee43-58e9-9939-14d533fcb970';
const DAY = 86_400_000;

describe('tearline release, queue and recall on the real binary', () => {
  // Thirty-odd runs of the binary, several of them argon2 sign-ins: minutes on a loaded machine.
  it('runs the pipeline, takes two officers to release, refuses other roles, recalls', {
    timeout: 300_000,
  }, async () => {
    const data = tempDir();
    const dir = tempDir();
    // `demo` makes the hub (its users' passwords are printed); the admin acts with an API key.
    expect((await runTearline(['demo', '--data', data])).code).toBe(0);
    const keys = await provisionKeys({ data }, [{ name: 'admin', role: 'admin' }]);
    const env = { TEARLINE_API_KEY: keys.admin as string };
    const t = async (...args: string[]) => runTearline([...args, '--data', data], { env });
    for (const [name, role] of [
      ['olga', 'release-officer'],
      ['omar', 'release-officer'],
      ['ivan', 'analyst'],
    ] as const) {
      expect(
        (
          await runTearline(['user', 'add', name, '--role', role, '--password-stdin', '--data', data], {
            input: 'a long enough password\n',
            env,
          })
        ).code,
      ).toBe(0);
    }
    /** The binary as a user signed in with a password: a session for this OS user. */
    const login = (name: string) =>
      runTearline(['login', name, '--password-stdin', '--data', data], { input: 'a long enough password\n' });
    const signedIn = (...args: string[]) => runTearline([...args, '--data', data]);
    expect((await t('partner', 'add', '--name', 'ally')).code).toBe(0);
    expect((await t('partner', 'add', '--name', 'kabul', '--country', 'AF')).code).toBe(0);
    const now = Date.now();
    const ally = join(dir, 'ally.json');
    writeFileSync(
      ally,
      JSON.stringify({
        scope: { types: ['intrusion-set', 'incident', 'relationship', 'location', 'identity'] },
        tlp_ceiling: 'amber',
        approval: 'none',
        sanitisation: 'standard',
        valid_from: '2026-01-01T00:00:00Z',
        conditions: [],
      }),
    );
    const kabul = join(dir, 'kabul.json');
    writeFileSync(
      kabul,
      JSON.stringify({
        scope: {
          types: ['intrusion-set', 'incident', 'relationship', 'location'],
          neighbourhood: { of: [ISISK], hops: 2 },
        },
        tlp_ceiling: 'green',
        approval: 'two',
        embargo: 'PT24H',
        sanitisation: 'strict',
        valid_from: '2026-01-01T00:00:00Z',
        conditions: [
          {
            kind: 'assurance',
            id: 'hr-1',
            title: 'Human-rights assurance',
            issuer: 'MFA',
            valid_from: new Date(now - DAY).toISOString(),
            valid_until: new Date(now + 30 * DAY).toISOString(),
            review_due: new Date(now + 20 * DAY).toISOString(),
          },
        ],
      }),
    );
    expect((await t('agreement', 'set', '--reason', 'test', 'ally', ally)).code).toBe(0);
    expect((await t('agreement', 'set', '--reason', 'test', 'kabul', kabul)).code).toBe(0);

    const oversight = await runTearline(
      ['user', 'add', 'otto', '--role', 'oversight', '--password-stdin', '--data', data],
      { input: 'a long enough password\n', env },
    );
    expect(oversight.code).toBe(0);
    expect((await login('otto')).code).toBe(0);
    const refused = await signedIn('release', 'run');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('otto (oversight) may not run the release pipeline');
    // --as is gone: naming someone proves nothing.
    expect((await signedIn('release', 'run', '--as', 'admin')).code).toBe(2);

    const run = await t('release', 'run', '--json');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.partners.find((p: { partner: string }) => p.partner === 'ally').released).toBeGreaterThan(
      0,
    );
    expect(report.partners.find((p: { partner: string }) => p.partner === 'kabul').queued).toBeGreaterThan(0);
    expect(JSON.parse((await t('release', 'run', '--json')).stdout).totals).toMatchObject({
      released: 0,
      queued: 0,
      withheld: 0,
    });

    const queue = JSON.parse((await t('queue', 'list', '--partner', 'kabul', '--json')).stdout) as {
      id: string;
      object_id: string;
      reasons: unknown[];
      approvals: unknown[];
    }[];
    const item = queue.find((i) => i.object_id === ISISK);
    expect(item?.reasons.length).toBeGreaterThan(0);
    expect(item?.approvals).toEqual([]);
    const id = item?.id as string;
    expect((await login('ivan')).code).toBe(0);
    const byAnalyst = await signedIn('queue', 'approve', id);
    expect(byAnalyst.code).toBe(3);
    expect(
      JSON.parse((await t('queue', 'list', '--json')).stdout).find((i: { id: string }) => i.id === id)
        .approvals,
    ).toEqual([]);
    expect((await login('olga')).code).toBe(0);
    expect((await signedIn('queue', 'approve', id, '--comment', 'assurance checked')).code).toBe(0);
    const again = await signedIn('queue', 'approve', id);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('olga already approved this item');
    // One OS user cannot approve twice under two names: signing in as omar from the same
    // account is refused for this item, however good omar's password.
    expect((await login('omar')).code).toBe(0);
    const twin = await signedIn('queue', 'approve', id, '--json');
    expect(twin.code).toBe(1);
    expect(twin.stderr).toContain('one person cannot give both approvals');
    // The second officer approves from their own place: here the console API, signed in with
    // their password.
    const hub = openHub(data);
    const app = buildServer(hub, { throttle: LENIENT_THROTTLE, pageCache: { maxEntries: 0, maxBytes: 0 } });
    try {
      const signIn = await app.inject({
        method: 'POST',
        url: '/api/login',
        payload: { name: 'omar', password: 'a long enough password' },
      });
      expect(signIn.statusCode).toBe(200);
      const second = await app.inject({
        method: 'POST',
        url: `/api/queue/${id}/approve`,
        headers: {
          cookie: String(signIn.headers['set-cookie']).split(';')[0],
          'x-csrf-token': signIn.json().csrf,
        },
        payload: {},
      });
      expect(second.json()).toMatchObject({ state: 'released', approvals: 2 });
    } finally {
      await app.close();
      hub.close();
    }
    const approvals = JSON.parse((await t('queue', 'list', '--json')).stdout);
    expect(approvals.find((i: { id: string }) => i.id === id)).toBeUndefined();
    expect((await signedIn('queue', 'deny', 'queue--nope')).code).toBe(2);
    expect((await runTearline(['logout', '--data', data])).code).toBe(0);
    expect((await signedIn('queue', 'list')).code).toBe(3);

    expect((await login('olga')).code).toBe(0);
    const recall = await signedIn('recall', 'ally', ISISK, '--reason', 'source downgraded', '--json');
    expect(recall.code).toBe(0);
    expect(JSON.parse(recall.stdout)[0]).toMatchObject({ original_id: ISISK });
    expect((await t('ledger', 'verify')).code).toBe(0);

    // Checkpoints come in steps of a minute; the overseer signs the latest entries at once.
    expect((await t('ledger', 'checkpoint', '--now')).code).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + DAY).toISOString().slice(0, 10);
    const json = await t(
      'report',
      'disclosures',
      '--partner',
      'ally',
      '--from',
      today,
      '--to',
      tomorrow,
      '--format',
      'json',
    );
    expect(json.code).toBe(0);
    const disclosures = JSON.parse(json.stdout);
    expect(disclosures.rows.filter((r: { event: string }) => r.event === 'release').length).toBe(
      report.partners.find((p: { partner: string }) => p.partner === 'ally').released,
    );
    expect(
      disclosures.rows.some(
        (r: { event: string; original_id: string }) => r.event === 'recall' && r.original_id === ISISK,
      ),
    ).toBe(true);
    const receipt = disclosures.rows.find((r: { event: string }) => r.event === 'release').receipt;
    expect(Object.keys(JSON.parse(receipt))).toEqual(['index', 'entry', 'checkpoint', 'proof']);
    const csv = await t('report', 'disclosures', '--partner', 'kabul', '--from', today, '--to', tomorrow);
    expect(csv.stdout.split('\r\n')[0]).toBe(
      'event,time,object_name,object_type,original_id,original_version,release_id,derived_id,agreement_version,approved_by,visible_from,reason,ledger_index',
    );
    expect(csv.stdout).toContain('olga omar');
    expect(
      (await t('report', 'disclosures', '--partner', 'ally', '--from', 'later', '--to', tomorrow)).code,
    ).toBe(2);

    // Every kind of change went into the ledger, with who made it: in the private parts, which
    // an overseer's export opens; the public export names nobody.
    const leaves = join(dir, 'ledger.jsonl');
    expect((await t('ledger', 'export', '--out', leaves)).code).toBe(0);
    const leafText = readFileSync(leaves, 'utf8');
    for (const name of ['olga', 'omar', 'ivan', 'otto']) expect(leafText).not.toContain(`"${name}"`);
    const out = join(dir, 'ledger-private.jsonl');
    expect((await t('ledger', 'export', '--with-private', '--out', out)).code).toBe(0);
    const kinds = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => {
        const checked = checkOpenedLine(l);
        if (!checked.ok) throw new Error(checked.message);
        return checked.entry as { kind: string; actor: string; user?: string };
      });
    const count = (k: string) => kinds.filter((e) => e.kind === k).length;
    expect(count('ingest-batch')).toBeGreaterThan(0);
    // `demo` adds its own partners, agreements and users; these are the ones this test made.
    const mine = ['olga', 'omar', 'ivan', 'otto'];
    expect(kinds.filter((e) => e.kind === 'user-change' && mine.includes(e.user as string))).toHaveLength(4);
    expect(count('partner-change')).toBeGreaterThanOrEqual(2);
    expect(count('agreement-change')).toBeGreaterThanOrEqual(2);
    expect(count('approval')).toBe(2);
    // Each approval says how its officer proved who they were.
    expect(
      kinds
        .filter((e) => e.kind === 'approval')
        .map((e) => (e as { details?: { auth?: string } }).details?.auth),
    ).toEqual(['password', 'password']);
    expect(count('release')).toBeGreaterThan(0);
    expect(count('recall')).toBeGreaterThan(0);
    expect(
      kinds
        .filter((e) => e.kind === 'approval')
        .map((e) => e.actor)
        .sort(),
    ).toEqual(['olga', 'omar']);
  });
});
