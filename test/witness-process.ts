import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { REPO_ROOT } from './run-cli.js';

const BIN = join(REPO_ROOT, 'bin', 'tearline.js');

/** A `tearline witness serve` child process on a loopback port, and how to stop or kill it. */
export interface WitnessProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  /** SIGKILL (no shutdown at all) and wait. */
  kill(): Promise<void>;
}

export async function startWitnessProcess(
  dataDir: string,
  logs: string[],
  port = 0,
  extra: string[] = [],
): Promise<WitnessProcess> {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'witness',
      'serve',
      '--data',
      dataDir,
      '--port',
      String(port),
      ...logs.flatMap((l) => ['--log', l]),
      ...extra,
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = / at (https?:\/\/127\.0\.0\.1:\d+) /.exec(stderr);
      if (m) resolve(m[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`witness exited with ${code}: ${stderr}`)));
  });
  const ended = once(child, 'exit');
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await ended;
  };
  return {
    url,
    port: Number(new URL(url).port),
    child,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
  };
}
