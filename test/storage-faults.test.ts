import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, initHub, REPO_ROOT, runTearline, tempDir } from './run-cli.js';

/** A CLI run on the hub its --data names, signed in: analysts import, the admin does the rest. */
const tl = (args: string[]) =>
  runTearline(
    args,
    as(args[args.indexOf('--data') + 1] as string, args[0] === 'import' ? 'analyst' : 'admin'),
  );

import { basic, TAXII } from './taxii-fixture.js';

// A hub on a small tmpfs that fills up and then turns read-only. Needs root (CI runs as root on
// a fresh Debian); elsewhere it is skipped with a message.
const dir = tempDir('tearline-faults-');
const mnt = join(dir, 'disk');
let mounted = false;
try {
  mkdirSync(mnt);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=12m', 'tmpfs', mnt], { stdio: 'ignore' });
  mounted = true;
} catch {
  process.stderr.write('storage-faults: skipped: cannot mount a tmpfs here (needs root)\n');
}

const data = join(mnt, 'hub');
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
function bundle(from: number, n: number): string {
  const objects = Array.from({ length: n }, (_, i) => ({
    type: 'identity',
    spec_version: '2.1',
    id: `identity--${uuid(from + i)}`,
    created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
    name: `org ${from + i} ${'x'.repeat(200)}`,
  }));
  return JSON.stringify({ type: 'bundle', id: `bundle--${uuid(999_999)}`, objects });
}
const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at |internal error/);

interface Served {
  base: string;
  stderr: () => string;
  stop: () => Promise<void>;
}

/** `tearline serve` on the hub, once it says where it listens. */
async function serve(): Promise<Served> {
  const server: ChildProcess = spawn(
    process.execPath,
    [join(REPO_ROOT, 'bin', 'tearline.js'), 'serve', '--port', '0', '--data', data, '--log-level', 'warn'],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  const exited = new Promise((r) => server.on('exit', r));
  const base = await new Promise<string>((resolve, reject) => {
    server.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /serving TAXII 2\.1 at (http:\/\/[^ ]+)\/taxii2\//.exec(stderr);
      if (m) resolve(m[1] as string);
    });
    server.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  return {
    base,
    stderr: () => stderr,
    stop: async () => {
      server.kill('SIGTERM');
      await exited;
    },
  };
}

/** A partner's note of about 2 KB: a few hundred need more room than a full disk has. */
const note = (n: number) => ({
  type: 'note',
  spec_version: '2.1',
  id: `note--${uuid(500_000 + n)}`,
  created: '2024-01-01T00:00:00.000Z',
  modified: '2024-01-01T00:00:00.000Z',
  content: `seen ${n} ${'y'.repeat(2000)}`,
  object_refs: [`identity--${uuid(1)}`],
});

describe.skipIf(!mounted)('a hub whose disk fills up, then turns read-only', () => {
  const filler = join(mnt, 'filler');
  let partner: { name: string; token: string };

  beforeAll(async () => {
    expect((await initHub(data)).code).toBe(0);
    const small = join(dir, 'small.json');
    writeFileSync(small, bundle(1, 50));
    expect((await tl(['import', '--data', data, small])).code).toBe(0);
    partner = JSON.parse((await tl(['partner', 'add', '--name', 'alpha', '--data', data, '--json'])).stdout);
  });

  afterAll(() => {
    if (mounted) execFileSync('umount', ['-l', mnt]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('full: a write says the disk is full, names the database and the remedy; reads still work; serve answers 507, and starts on a full disk', async () => {
    const running = await serve();
    const headers = { authorization: basic(partner.name, partner.token), accept: TAXII };
    const post = (base: string, from: number) =>
      fetch(`${base}/taxii2/hub/collections/submissions/objects/`, {
        method: 'POST',
        headers: { ...headers, 'content-type': TAXII },
        body: JSON.stringify({ objects: Array.from({ length: 400 }, (_, i) => note(from + i)) }),
      });
    // Fill what is left of the disk.
    const fd = openSync(filler, 'w');
    const block = Buffer.alloc(64 * 1024, 1);
    try {
      for (;;) writeSync(fd, block);
    } catch {
      // ENOSPC: full.
    } finally {
      closeSync(fd);
    }
    const big = join(dir, 'big.json');
    writeFileSync(big, bundle(1000, 4000));
    const r = await tl(['import', '--data', data, big]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${join(data, 'tearline.db')}: the disk is full`);
    expect(r.stderr).toContain('Free space on that disk');
    noStack(r.stderr);
    const stats = await tl(['stats', '--data', data, '--json']);
    expect(stats.stderr).toBe('');
    expect(JSON.parse(stats.stdout).objects).toBe(50);
    const verify = await tl(['ledger', 'verify', '--data', data]);
    expect(verify.code).toBe(0);

    // The server that was running: writes are 507 with Retry-After and no path, reads are 200.
    const refused = await post(running.base, 0);
    expect(refused.status).toBe(507);
    expect(refused.headers.get('retry-after')).toBe('60');
    const refusedBody = await refused.text();
    expect(refusedBody).not.toContain(mnt);
    expect(JSON.parse(refusedBody).title).toBe('Insufficient storage');
    const read = await fetch(`${running.base}/taxii2/hub/collections/releases/objects/`, { headers });
    expect(read.status).toBe(200);
    await running.stop();
    noStack(running.stderr());

    // A server started on the full disk serves reads and refuses writes (it said why at start).
    const late = await serve();
    try {
      expect((await fetch(`${late.base}/taxii2/hub/collections/releases/objects/`, { headers })).status).toBe(
        200,
      );
      const r2 = await post(late.base, 1000);
      expect([503, 507]).toContain(r2.status);
      expect(r2.headers.get('retry-after')).toBe('60');
    } finally {
      await late.stop();
    }
    noStack(late.stderr());

    // Space again: the same import completes, and counts are exact.
    rmSync(filler);
    const again = await tl(['import', '--data', data, '--json', big]);
    expect(again.code).toBe(0);
    expect(JSON.parse((await tl(['stats', '--data', data, '--json'])).stdout).objects).toBe(4050);
    expect((await tl(['ledger', 'verify', '--data', data])).code).toBe(0);
  });

  it('read-only: reads work (stats, export, ledger verify, partner list), writes say read-only, serve answers reads and 503s writes', async () => {
    execFileSync('mount', ['-o', 'remount,ro', mnt]);
    try {
      const stats = await tl(['stats', '--data', data, '--json']);
      expect(stats.stderr).toBe('');
      expect(JSON.parse(stats.stdout).objects).toBe(4050);
      expect((await tl(['ledger', 'verify', '--data', data])).code).toBe(0);
      expect((await tl(['partner', 'list', '--data', data])).stdout).toContain('alpha');
      const exported = await tl(['export', '--data', data, '--type', 'identity']);
      expect(JSON.parse(exported.stdout).objects).toHaveLength(4050);

      const w = await tl(['partner', 'add', '--name', 'bravo', '--data', data]);
      expect(w.code).toBe(1);
      expect(w.stderr).toMatch(/read-only|could not be opened/);
      expect(w.stderr).toContain(join(data, 'tearline.db'));
      noStack(w.stderr);

      const ro = await serve();
      try {
        const headers = { authorization: basic(partner.name, partner.token), accept: TAXII };
        const get = await fetch(`${ro.base}/taxii2/hub/collections/releases/objects/`, { headers });
        expect(get.status).toBe(200);
        const post = await fetch(`${ro.base}/taxii2/hub/collections/submissions/objects/`, {
          method: 'POST',
          headers: { ...headers, 'content-type': TAXII },
          body: JSON.stringify({ objects: [] }),
        });
        // An empty envelope writes only its status: refused like any write.
        expect(post.status).toBe(503);
        expect(post.headers.get('retry-after')).toBe('60');
        expect(await post.text()).not.toContain(mnt);
        expect(ro.stderr()).toContain('serving read-only');
        expect(ro.stderr()).toContain('the storage is read-only');
      } finally {
        await ro.stop();
      }
      noStack(ro.stderr());
    } finally {
      execFileSync('mount', ['-o', 'remount,rw', mnt]);
    }
  });
});
