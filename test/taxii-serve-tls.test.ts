import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { get } from 'node:https';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { as, initHub, REPO_ROOT, runTearline, tempDir } from './run-cli.js';
import { basic, TAXII } from './taxii-fixture.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function httpsGet(url: string, ca: Buffer, authorization: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { ca, headers: { authorization, accept: TAXII } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

describe('tearline serve with TLS', () => {
  it('serves TAXII over HTTPS with the given certificate and key', async () => {
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    const made = spawnSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ]);
    expect(made.status).toBe(0);
    const data = join(dir, 'hub');
    expect((await initHub(data)).code).toBe(0);
    const partner = JSON.parse(
      (await runTearline(['partner', 'add', '--name', 'alpha', '--data', data, '--json'], as(data, 'admin')))
        .stdout,
    );
    const server = spawn(
      process.execPath,
      [
        join(REPO_ROOT, 'bin', 'tearline.js'),
        'serve',
        '--port',
        '0',
        '--data',
        data,
        '--tls-cert',
        cert,
        '--tls-key',
        key,
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let err = '';
        server.stderr?.on('data', (d: Buffer) => {
          err += d.toString();
          const m = /serving TAXII 2\.1 at (https:\/\/[^ ]+) /.exec(err);
          if (m) resolve(m[1] as string);
        });
        server.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
      });
      const res = await httpsGet(url, readFileSync(cert), basic('alpha', partner.token));
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body).api_roots).toEqual([`${url.replace(/\/taxii2\/$/, '')}/taxii2/hub/`]);
    } finally {
      server.kill('SIGTERM');
    }
  });
});
