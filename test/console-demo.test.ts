import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTearline, tempDir } from './run-cli.js';

describe('tearline demo: the console scenario on the real binary', () => {
  it('makes a hub with both partners, a user per role and one pipeline run; a second load takes an admin', async () => {
    const data = join(tempDir(), 'hub');
    // One command on a fresh data dir: init, the bundle, partners, users with passwords.
    const first = await runTearline(['demo', '--data', data]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/allied-service\s+tl_[A-Za-z0-9_-]{43}/);
    expect(first.stdout).toMatch(/kabul-authorities\s+tl_[A-Za-z0-9_-]{43}/);
    for (const role of ['analyst', 'release-officer', 'oversight', 'admin']) {
      expect(first.stdout).toMatch(new RegExp(`\\s${role}\\s+demo-[A-Za-z0-9_-]{16}`));
    }
    expect(first.stdout).toMatch(/pipeline: [1-9]\d* released, [1-9]\d* queued for approval/);
    const adminPassword = /\sadmin\s+admin\s+(demo-[A-Za-z0-9_-]{16})/.exec(first.stdout)?.[1] as string;
    expect(adminPassword).toBeDefined();

    // The hub now has users: nothing more without signing in, demo included.
    const anonymous = await runTearline(['demo', '--data', data]);
    expect(anonymous.code).toBe(3);
    expect(anonymous.stderr).toContain('tearline login');
    const login = await runTearline(['login', 'admin', '--password-stdin', '--data', data], {
      input: `${adminPassword}\n`,
    });
    expect(login.code).toBe(0);
    expect(login.stdout).toContain('signed in as admin (admin)');

    const users = JSON.parse((await runTearline(['user', 'list', '--json', '--data', data])).stdout) as {
      name: string;
      role: string;
    }[];
    expect(users.map((u) => u.role).sort()).toEqual([
      'admin',
      'analyst',
      'oversight',
      'release-officer',
      'release-officer',
    ]);
    const conditions = JSON.parse(
      (await runTearline(['condition', 'list', 'kabul-authorities', '--json', '--data', data])).stdout,
    ) as { conditions: { id: string; status: string; changes_at?: string }[] };
    const hr = conditions.conditions.find((c) => c.id === 'hr-1');
    expect(hr?.status).toBe('met');
    const days = (Date.parse(hr?.changes_at ?? '') - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThanOrEqual(30);

    const again = await runTearline(['demo', '--data', data]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('(exists already');
    expect(again.stdout).not.toMatch(/tl_[A-Za-z0-9_-]{43}/);
    expect(again.stdout).toMatch(/pipeline: 0 released, 0 queued/);
  });
});
