import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { totpCode } from '../src/access/access-totp.js';
import { provisionKeys } from './auth-fixture.js';
import { runTearline, tempDir } from './run-cli.js';

// CLI sessions through the real binary: a password from standard input, a session file only this
// OS user can read, a second factor, sessions that end on disable and on a new password, and
// guessing in parallel against `tearline login`.

const PW = 'a long enough password';

async function hubWithOfficer(signIn?: Record<string, number>) {
  const data = join(tempDir('tearline-login-'), 'hub');
  const state = tempDir('tearline-xdg-');
  expect((await runTearline(['init', '--data', data, '--password-stdin'], { input: `${PW}\n` })).code).toBe(
    0,
  );
  if (signIn) {
    const config = join(data, 'config.json');
    writeFileSync(config, JSON.stringify({ ...JSON.parse(readFileSync(config, 'utf8')), sign_in: signIn }));
  }
  const { admin } = await provisionKeys({ data }, [{ name: 'admin', role: 'admin' }]);
  const asAdmin = { TEARLINE_API_KEY: admin as string };
  const add = await runTearline(
    ['user', 'add', 'olga', '--role', 'release-officer', '--password-stdin', '--data', data],
    {
      input: `${PW}\n`,
      env: asAdmin,
    },
  );
  expect(add.code).toBe(0);
  const env = { XDG_STATE_HOME: state };
  const cli = (args: string[], input?: string) =>
    runTearline([...args, '--data', data], { env, ...(input !== undefined && { input }) });
  return { data, state, asAdmin, cli };
}

describe('tearline login', () => {
  it('keeps a private session file, ends it on logout, disable and a new password', {
    timeout: 300_000,
  }, async () => {
    const { data, state, asAdmin, cli } = await hubWithOfficer();
    expect((await cli(['whoami'])).code).toBe(3);
    const login = await cli(['login', 'olga', '--password-stdin'], `${PW}\n`);
    expect(login.code).toBe(0);
    const dir = join(state, 'tearline', 'sessions');
    const [file] = readdirSync(dir);
    const path = join(dir, file as string);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readFileSync(path, 'utf8')).not.toContain(PW);
    expect((await cli(['whoami'])).stdout).toBe('olga (release-officer) by password\n');
    // A session file others can read is refused, not used.
    chmodSync(path, 0o644);
    const loose = await cli(['whoami']);
    expect(loose.code).toBe(3);
    expect(loose.stderr).toContain('mode 0600');
    chmodSync(path, 0o600);
    expect((await cli(['logout'])).stdout).toBe('signed out olga\n');
    expect((await cli(['whoami'])).code).toBe(3);

    expect((await cli(['login', 'olga', '--password-stdin'], `${PW}\n`)).code).toBe(0);
    expect((await runTearline(['user', 'disable', 'olga', '--data', data], { env: asAdmin })).code).toBe(0);
    expect((await cli(['queue', 'list'])).code).toBe(3);
    expect((await runTearline(['user', 'enable', 'olga', '--data', data], { env: asAdmin })).code).toBe(0);
    // Disabling ended the session: enabling again does not bring it back.
    expect((await cli(['queue', 'list'])).code).toBe(3);

    expect((await cli(['login', 'olga', '--password-stdin'], `${PW}\n`)).code).toBe(0);
    const changed = await cli(['user', 'passwd', '--password-stdin'], `${PW}\na newer longer password\n`);
    expect(changed.code).toBe(0);
    expect((await cli(['queue', 'list'])).code).toBe(3);
    expect((await cli(['login', 'olga', '--password-stdin'], `${PW}\n`)).code).toBe(3);
    expect((await cli(['login', 'olga', '--password-stdin'], 'a newer longer password\n')).code).toBe(0);
  });

  it('requires the TOTP code once enrolled, and takes each code once', { timeout: 300_000 }, async () => {
    const { cli } = await hubWithOfficer();
    expect((await cli(['login', 'olga', '--password-stdin'], `${PW}\n`)).code).toBe(0);
    const secret = /secret: ([A-Z2-7]+)/.exec(
      (await runTearline(['user', 'totp', 'new'])).stdout,
    )?.[1] as string;
    expect((await cli(['user', 'totp', 'enable', '--secret', secret, '--code', '000000'])).code).toBe(2);
    const enabled = await cli([
      'user',
      'totp',
      'enable',
      '--secret',
      secret,
      '--code',
      totpCode(secret, Date.now()),
    ]);
    expect(enabled.code).toBe(0);
    expect((await cli(['whoami'])).code).toBe(3);
    expect((await cli(['login', 'olga', '--password-stdin'], `${PW}\n`)).code).toBe(3);
    // The enrolment used this step's code: wait for the next step's.
    const next = (Math.floor(Date.now() / 30_000) + 1) * 30_000;
    await new Promise((r) => setTimeout(r, next - Date.now() + 200));
    const code = totpCode(secret, Date.now());
    const ok = await cli(['login', 'olga', '--password-stdin'], `${PW}\n${code}\n`);
    expect(ok.code).toBe(0);
    expect((await cli(['whoami'])).stdout).toBe('olga (release-officer) by password+totp\n');
    expect((await cli(['login', 'olga', '--password-stdin', '--totp', code], `${PW}\n`)).code).toBe(3);
  });

  it('red team: parallel wrong passwords take the back-off, lock the account; an admin unlock is audited', {
    timeout: 300_000,
  }, async () => {
    const signIn = { base_ms: 50, cap_ms: 400, account_lock_after: 5 };
    const { data, asAdmin, cli } = await hubWithOfficer(signIn);
    const promised = 50 + 100 + 200 + 400;
    const t0 = performance.now();
    // Twenty-four processes at once (each a node process: a hundred would swamp two cores).
    const guesses = await Promise.all(
      Array.from({ length: 24 }, () =>
        cli(['login', 'olga', '--password-stdin'], 'a wrong password guess\n'),
      ),
    );
    expect(performance.now() - t0).toBeGreaterThanOrEqual(promised);
    expect(guesses.every((g) => g.code === 3)).toBe(true);
    expect(guesses.filter((g) => g.stderr.includes('locked'))).toHaveLength(24 - 5);
    const right = await cli(['login', 'olga', '--password-stdin'], `${PW}\n`);
    expect(right.code).toBe(3);
    expect(right.stderr).toContain('locked');
    const locks = JSON.parse(
      (await runTearline(['user', 'locks', '--json', '--data', data], { env: asAdmin })).stdout,
    );
    // Locked from this OS account only: the CLI is never counted across sources (break-glass).
    expect(locks).toEqual([
      expect.objectContaining({
        kind: 'account',
        account: 'olga',
        key: expect.stringMatching(/^at:os:.+\|olga$/),
      }),
    ]);
    expect((await runTearline(['user', 'unlock', 'olga', '--data', data], { env: asAdmin })).stdout).toMatch(
      /^unlocked olga \(at:os:.+\|olga\)\n$/,
    );
    const audit = JSON.parse(
      (await runTearline(['user', 'audit', '--account', 'olga', '--json', '--data', data], { env: asAdmin }))
        .stdout,
    ) as { event: string; actor: string | null; surface: string }[];
    expect(audit[0]).toMatchObject({ event: 'unlocked', actor: 'admin' });
    expect(audit.filter((e) => e.event === 'login-failed')).toHaveLength(5);
    expect(audit.some((e) => e.event === 'locked')).toBe(true);
    expect((await cli(['login', 'olga', '--password-stdin'], `${PW}\n`)).code).toBe(0);
  });
});
