import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { kabulAgreement } from '../src/app/console-demo.js';
import { seedKeyQuietly } from './auth-fixture.js';
import { REPO_ROOT, runTearline, tempDir } from './run-cli.js';

/** A data dir made by the real binary under a hub name of its own (its ledger key carries the name). */
export async function namedDataDir(name: string): Promise<string> {
  const dir = tempDir(`tearline-relay-${name}-`);
  // An admin and an analyst with keys (every command acts for a signed-in user).
  KEYS.set(dir, {
    admin: seedKeyQuietly(dir, 'admin', 'admin'),
    analyst: seedKeyQuietly(dir, 'test-analyst', 'analyst'),
    officer: seedKeyQuietly(dir, 'test-officer', 'release-officer'),
  });
  expect((await runTearline(['init', '--data', dir])).code).toBe(0);
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ ...JSON.parse(readFileSync(config, 'utf8')), hub_name: name }));
  rmSync(join(dir, 'keys', 'ledger.key'));
  expect((await runTearline(['init', '--data', dir])).code).toBe(0);
  return dir;
}

const KEYS = new Map<string, { admin: string; analyst: string; officer: string }>();

/** A copy of a data dir holds the same users: its commands use the original's keys. */
export function copiedDataDir(copy: string, original: string): string {
  const keys = KEYS.get(original);
  if (keys) KEYS.set(copy, keys);
  return copy;
}

/** The environment that runs `args` as the user these scenarios use for that command. */
export function envFor(args: string[]): { env: NodeJS.ProcessEnv } {
  return { env: { TEARLINE_API_KEY: keyFor(args) } };
}

/** Analysts import (relay pull), officers recall; the admin does the rest these scenarios run. */
function keyFor(args: string[]): string {
  const keys = KEYS.get(args[args.indexOf('--data') + 1] ?? '');
  if (!keys) return '';
  if (args[0] === 'recall') return keys.officer;
  return args[0] === 'import' || (args[0] === 'relay' && args[1] === 'pull') ? keys.analyst : keys.admin;
}

export async function ok(args: string[]): Promise<string> {
  const r = await runTearline(args, envFor(args));
  if (r.code !== 0) throw new Error(`tearline ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** `tearline relay serve` on the data dir, on the given port (0: any), until stop(). */
export async function startRelay(
  data: string,
  port = 0,
): Promise<{ child: ChildProcess; port: number; url: string; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      join(REPO_ROOT, 'bin', 'tearline.js'),
      'relay',
      'serve',
      '--port',
      String(port),
      '--data',
      data,
      '--log-level',
      'warn',
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  const bound = await new Promise<number>((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /relay serving at http:\/\/[^:]+:(\d+)\//.exec(stderr);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`relay serve exited ${code}: ${stderr}`)));
  });
  return {
    child,
    port: bound,
    url: `http://127.0.0.1:${bound}/`,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface Channel {
  hq: string;
  kabul: string;
  ally: string;
  doha: string;
  hqKey: string;
  kabulKey: string;
  tokens: { hq: string; kabul: string; ally: string };
  kabulSealing: string;
}

/**
 * The seed's Doha channel: the agency's hub with the ISIS-K demo, the Kabul authorities' hub, an ally's hub, and a relay in Doha that knows all three
 * and links the agency with Kabul only.
 */
export async function buildChannel(): Promise<Channel> {
  const [hq, kabul, ally, doha] = await Promise.all([
    namedDataDir('hq.example'),
    namedDataDir('kabul.example'),
    namedDataDir('ally.example'),
    namedDataDir('doha-relay.example'),
  ]);
  await ok(['demo', '--data', hq]);
  // The demo's Kabul agreement, without its 24-hour embargo and two officers' approval, so that
  // what the pipeline releases is in Kabul's feed at once (the channel, not the policy, is tested).
  const agreement = join(hq, 'kabul-now.yaml');
  writeFileSync(
    agreement,
    kabulAgreement(Date.now()).replace('embargo: PT24H\n', '').replace('approval: two', 'approval: none'),
  );
  await ok([
    'agreement',
    'set',
    'kabul-authorities',
    agreement,
    '--reason',
    'the Doha channel',
    '--data',
    hq,
  ]);
  await ok(['release', 'run', '--data', hq]);
  const hqKey = (await ok(['ledger', 'key', '--data', hq])).trim();
  const kabulKey = (await ok(['ledger', 'key', '--data', kabul])).trim();
  const allyKey = (await ok(['ledger', 'key', '--data', ally])).trim();
  const token = async (name: string, key: string) =>
    (
      JSON.parse(await ok(['relay', 'hub', 'add', name, '--key', key, '--data', doha, '--json'])) as {
        token: string;
      }
    ).token;
  const tokens = {
    hq: await token('hq.example', hqKey),
    kabul: await token('kabul.example', kabulKey),
    ally: await token('ally.example', allyKey),
  };
  await ok(['relay', 'link', 'hq.example', 'kabul.example', '--data', doha]);
  const kabulSealing = (await ok(['relay', 'keygen', '--data', kabul])).trim();
  await ok(['relay', 'keygen', '--data', ally]);
  return { hq, kabul, ally, doha, hqKey, kabulKey, tokens, kabulSealing };
}
