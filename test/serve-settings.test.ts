import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, initHub, REPO_ROOT, runTearline, tempDir } from './run-cli.js';

/**
 * A running hub re-reads its settings when a file changes (and on SIGHUP), shows them in the
 * console, and decides again by them: the console's object page and the pipeline's records move.
 */

const EXTRACT = join(REPO_ROOT, 'test', 'fixtures', 'ics-attack', 'ics-attack-18.1-extract.json');
const extract = JSON.parse(readFileSync(EXTRACT, 'utf8')) as { objects: { id: string; type: string }[] };
const TECHNIQUE = extract.objects.find((o) => o.type === 'attack-pattern')?.id as string;

let dir: string;
let data: string;
let server: ChildProcess;
let base: string;
let stderr = '';
let cookie = '';

async function until<T>(
  what: string,
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  ms = 30_000,
): Promise<T> {
  const end = Date.now() + ms;
  let last: T = await read();
  while (!ok(last)) {
    if (Date.now() > end) throw new Error(`${what}: still ${JSON.stringify(last).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 250));
    last = await read();
  }
  return last;
}

const api = async (path: string) => (await fetch(`${base}${path}`, { headers: { cookie } })).json();
const settings = () =>
  api('/api/settings') as Promise<{
    untagged_tlp: string | null;
    error: { message: string } | null;
    operator_policies: string[];
  }>;
const decisionOf = async () => {
  const page = (await api(`/api/intel/${TECHNIQUE}`)) as {
    decisions: {
      partner: string;
      decision: string;
      state: string;
      reasons: { code: string; message: string }[];
    }[];
  };
  return page.decisions.find((d) => d.partner === 'ally') as (typeof page.decisions)[number];
};

beforeAll(async () => {
  dir = tempDir();
  data = join(dir, 'hub');
  const t = (...args: string[]) => runTearline([...args, '--data', data], as(data, 'admin'));
  expect((await initHub(data)).code).toBe(0);
  expect((await runTearline(['import', EXTRACT, '--data', data], as(data, 'analyst'))).code).toBe(0);
  expect((await t('partner', 'add', '--name', 'ally')).code).toBe(0);
  const agreement = join(dir, 'ally.json');
  writeFileSync(
    agreement,
    JSON.stringify({
      scope: {
        types: ['attack-pattern', 'malware', 'intrusion-set', 'course-of-action', 'relationship', 'identity'],
      },
      tlp_ceiling: 'green',
      approval: 'none',
      sanitisation: 'standard',
      conditions: [],
    }),
  );
  expect((await t('agreement', 'set', '--reason', 'test', 'ally', agreement)).code).toBe(0);
  const user = await runTearline(
    ['user', 'add', 'otto', '--role', 'oversight', '--password-stdin', '--data', data],
    as(data, 'admin', { input: 'a long enough password\n' }),
  );
  expect(user.code).toBe(0);
  server = spawn(
    process.execPath,
    [join(REPO_ROOT, 'bin', 'tearline.js'), 'serve', '--port', '0', '--data', data],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  base = await new Promise<string>((resolve, reject) => {
    server.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /serving TAXII 2\.1 at (http:\/\/[^ ]+)\/taxii2\//.exec(stderr);
      if (m) resolve(m[1] as string);
    });
    server.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  const login = await fetch(`${base}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'otto', password: 'a long enough password' }),
  });
  expect(login.status).toBe(200);
  cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
}, 240_000);

afterAll(() => {
  if (server && server.exitCode === null) server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

describe('serve re-reads its settings', () => {
  it('withholds untagged objects saying where the default is set, then decides again when it is set', async () => {
    expect((await settings()).untagged_tlp).toBeNull();
    const before = await decisionOf();
    expect(before.decision).toBe('withhold');
    const missing = before.reasons.find((r) => r.code === 'marking-missing');
    expect(missing?.message).toContain(join(data, 'config.json'));
    expect(missing?.message).toContain('--marking');

    const config = JSON.parse(readFileSync(join(data, 'config.json'), 'utf8'));
    writeFileSync(join(data, 'config.json'), JSON.stringify({ ...config, untagged_tlp: 'green' }, null, 2));
    await until('settings', settings, (s) => s.untagged_tlp === 'green');
    // The console decides by the new settings at once; the pipeline's pass records it.
    expect((await decisionOf()).decision).toBe('release');
    await until('recorded release', decisionOf, (d) => d.state === 'released');
  }, 120_000);

  it('keeps the settings in force when a changed file does not load, and says why', async () => {
    mkdirSync(join(data, 'policies'), { recursive: true });
    const bad = join(data, 'policies', 'bad.cedar');
    writeFileSync(
      bad,
      '@reason("x")\nforbid (principal, action, resource)\nwhen { resource.colour == "red" };\n',
    );
    const broken = await until('error', settings, (s) => s.error !== null);
    expect(broken.error?.message).toMatch(/bad\.cedar:3: .*colour/);
    expect(broken.untagged_tlp).toBe('green');
    expect((await decisionOf()).decision).toBe('release');
    writeFileSync(
      bad,
      '@code("no-techniques")\n@reason("techniques go through the liaison desk")\nforbid (principal, action, resource)\nwhen { resource.stix_type == "attack-pattern" };\n',
    );
    const fixed = await until('fixed', settings, (s) => s.error === null && s.operator_policies.length > 0);
    expect(fixed.operator_policies.join()).toContain('bad.cedar');
    const after = await until('withheld by the new policy', decisionOf, (d) => d.decision === 'withhold');
    expect(after.reasons.map((r) => r.code)).toEqual(['no-techniques']);
    unlinkSync(bad);
    await until('policy removed', decisionOf, (d) => d.decision === 'release');
  }, 120_000);

  it('re-reads on SIGHUP', async () => {
    server.kill('SIGHUP');
    await until(
      'SIGHUP noted',
      async () => stderr,
      (s) => s.includes('SIGHUP: re-reading settings'),
    );
    expect(server.exitCode).toBeNull();
    expect((await settings()).untagged_tlp).toBe('green');
  }, 60_000);
});
