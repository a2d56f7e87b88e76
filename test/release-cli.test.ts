import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTearline, tempDir } from './run-cli.js';

const ISISK = 'intrusion-set--d118aebe-ee43-58e9-9939-14d533fcb970';
const DAY = 86_400_000;

describe('tearline release, queue and recall on the real binary', () => {
  // Some thirty runs of the binary: on a loaded machine each takes seconds.
  it('runs the pipeline, takes two officers to release, refuses other roles, recalls', {
    timeout: 240_000,
  }, async () => {
    const data = tempDir();
    const dir = tempDir();
    const t = async (...args: string[]) => runTearline([...args, '--data', data]);
    expect((await t('init')).code).toBe(0);
    expect((await t('demo')).code).toBe(0);
    for (const [name, role] of [
      ['olga', 'release-officer'],
      ['omar', 'release-officer'],
      ['ivan', 'analyst'],
    ] as const) {
      expect(
        (
          await runTearline(['user', 'add', name, '--role', role, '--password-stdin', '--data', data], {
            input: 'a long enough password\n',
          })
        ).code,
      ).toBe(0);
    }
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
    expect((await t('agreement', 'set', 'ally', ally)).code).toBe(0);
    expect((await t('agreement', 'set', 'kabul', kabul)).code).toBe(0);

    const oversight = await runTearline(
      ['user', 'add', 'otto', '--role', 'oversight', '--password-stdin', '--data', data],
      { input: 'a long enough password\n' },
    );
    expect(oversight.code).toBe(0);
    const refused = await t('release', 'run', '--as', 'otto');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('may not run the release pipeline');

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
    const byAnalyst = await t('queue', 'approve', id, '--as', 'ivan');
    expect(byAnalyst.code).toBe(1);
    expect(
      JSON.parse((await t('queue', 'list', '--json')).stdout).find((i: { id: string }) => i.id === id)
        .approvals,
    ).toEqual([]);
    expect((await t('queue', 'approve', id, '--as', 'olga', '--comment', 'assurance checked')).code).toBe(0);
    const second = await t('queue', 'approve', id, '--as', 'omar', '--json');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ state: 'released', approvals: 2 });
    expect((await t('queue', 'deny', 'queue--nope', '--as', 'olga')).code).toBe(2);

    const recall = await t('recall', 'ally', ISISK, '--reason', 'source downgraded', '--json');
    expect(recall.code).toBe(0);
    expect(JSON.parse(recall.stdout)[0]).toMatchObject({ original_id: ISISK });
    expect((await t('ledger', 'verify')).code).toBe(0);

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
      'event,time,release_id,derived_id,original_id,original_version,agreement_version,approvals,visible_from,tearline_digest,reason,receipt',
    );
    expect(csv.stdout).toContain('olga omar');
    expect(
      (await t('report', 'disclosures', '--partner', 'ally', '--from', 'later', '--to', tomorrow)).code,
    ).toBe(2);

    // Every kind of change went into the ledger, with who made it.
    const out = join(dir, 'ledger.jsonl');
    expect((await t('ledger', 'export', '--out', out)).code).toBe(0);
    const kinds = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; actor: string; user?: string });
    const count = (k: string) => kinds.filter((e) => e.kind === k).length;
    expect(count('ingest-batch')).toBeGreaterThan(0);
    // `demo` adds its own partners, agreements and users; these are the ones this test made.
    const mine = ['olga', 'omar', 'ivan', 'otto'];
    expect(kinds.filter((e) => e.kind === 'user-change' && mine.includes(e.user as string))).toHaveLength(4);
    expect(count('partner-change')).toBeGreaterThanOrEqual(2);
    expect(count('agreement-change')).toBeGreaterThanOrEqual(2);
    expect(count('approval')).toBe(2);
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
