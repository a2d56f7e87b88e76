import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openHub } from '../src/app/hub.js';
import { SqliteReleaseFeed } from '../src/store/sqlite/release-feed.js';
import { REPO_ROOT, runTearline, tempDir } from './run-cli.js';
import { addPartner, basic, indicator, TAXII, type TestPartner } from './taxii-fixture.js';

/**
 * A GET whose client gives up 5 ms after sending it, while the server is still verifying the
 * credentials (argon2 on the thread pool: a first login is never served from the cache). Its
 * socket is gone, so a server that waits only for connections would close the database before
 * the handler goes on to read it.
 */
function abandon(port: string, who: TestPartner): Promise<void> {
  return new Promise((resolve) => {
    const req = request({
      port,
      path: '/taxii2/hub/collections/releases/objects/',
      headers: { authorization: basic(who.name, who.token), accept: TAXII },
    });
    req.on('error', () => resolve());
    req.end(() =>
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 5),
    );
  });
}

// SIGTERM while partners page and post over keep-alive connections, and while handlers of
// requests whose clients left are still at work: every request the server took is answered in
// full (or refused with 503 while it closes), none meets a closed database, and the server
// exits 0 on its own.
describe('serve shuts down cleanly under load', () => {
  it('stops accepting, drains what is in flight, stops the worker, then closes the hub', async () => {
    const dir = tempDir();
    const data = join(dir, 'hub');
    try {
      expect((await runTearline(['init', '--data', data])).code).toBe(0);
      const hub = openHub(data);
      let alpha: TestPartner;
      const late: TestPartner[] = [];
      try {
        alpha = await addPartner(hub, 'alpha');
        for (let i = 0; i < 6; i++) late.push(await addPartner(hub, `late-${i}`));
        const feed = new SqliteReleaseFeed(hub.db);
        hub.db.transaction(() => {
          for (const p of [alpha, ...late])
            for (let i = 0; i < 60; i++) {
              const r = feed.addRelease(
                {
                  partnerId: p.id,
                  tearline: indicator(`indicator--${randomUUID()}`, '2026-02-01T00:00:00.000Z'),
                  originalId: `indicator--${randomUUID()}`,
                  originalVersion: 'v',
                  visibleFrom: new Date(0),
                },
                new Date(),
              );
              if (!r.ok) throw new Error(r.message);
            }
        })();
      } finally {
        hub.close();
      }

      const server = spawn(
        process.execPath,
        [
          join(REPO_ROOT, 'bin', 'tearline.js'),
          'serve',
          '--port',
          '0',
          '--data',
          data,
          '--log-level',
          'warn',
        ],
        { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      server.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
      });
      const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
      const base = await new Promise<string>((resolve, reject) => {
        server.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          const m = /serving TAXII 2\.1 at (http:\/\/[^ ]+)\/taxii2\//.exec(stderr);
          if (m) resolve(m[1] as string);
        });
        server.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
      });

      const statuses = new Map<number, number>();
      const failures: string[] = [];
      let stop = false;
      const auth = { authorization: basic(alpha.name, alpha.token), accept: TAXII };
      const once = async (k: number): Promise<void> => {
        const post = k % 3 === 0;
        const res = await fetch(
          `${base}/taxii2/hub/collections/${post ? 'submissions' : 'releases'}/objects/${post ? '' : `?limit=${10 + (k % 7)}`}`,
          post
            ? {
                method: 'POST',
                headers: { ...auth, 'content-type': TAXII },
                body: JSON.stringify({
                  objects: [
                    indicator(`indicator--${randomUUID()}`, '2026-03-01T00:00:00.000Z', {
                      created_by_ref: alpha.id,
                    }),
                  ],
                }),
              }
            : { headers: auth },
        );
        const body = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (![200, 202, 503].includes(res.status)) failures.push(`${res.status} ${body}`);
        if (res.status === 202 && JSON.parse(body).failure_count !== 0)
          failures.push(`202 with failures ${body}`);
      };
      let refused = 0;
      const client = async (c: number) => {
        for (let k = c; !stop; k++) {
          try {
            await once(k);
          } catch {
            // The listener is gone (refused or reset): the server is closing, as asked.
            if (++refused > 200) return;
            await new Promise((r) => setTimeout(r, 5));
          }
        }
      };
      const clients = Array.from({ length: 8 }, (_, c) => client(c));
      const answered = () => [...statuses.values()].reduce((a, b) => a + b, 0);
      // Under load: the signal comes once the server is busy, however slow the machine.
      for (let waited = 0; answered() < 30 && waited < 30_000; waited += 50)
        await new Promise((r) => setTimeout(r, 50));
      const before = answered();
      const { port } = new URL(base);
      await Promise.all(late.map((p) => abandon(port, p)));
      server.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 30_000))]);
      stop = true;
      await Promise.all(clients);

      expect(before).toBeGreaterThanOrEqual(30);
      expect(failures).toEqual([]);
      expect(code).toBe(0);
      expect(stdout).not.toMatch(/database connection is not open|TAXII request failed/);
      expect(stderr).not.toMatch(/database connection is not open|\n\s+at /);
      expect(stderr).toMatch(/SIGTERM: shutting down/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
