// Red team, HTTP hygiene (issue 15 findings 6 and 8): slow clients are cut off on every server
// path, and no API, ledger or TAXII answer may be cached or content-sniffed.

import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/app/server.js';
import { LENIENT_THROTTLE, provisionKeys } from './auth-fixture.js';
import { passwordOf } from './console-fixture.js';
import { openRedTeam, type RedTeam } from './redteam-fixture.js';
import { REPO_ROOT, runTearline, tempDir } from './run-cli.js';
import { basic, TAXII } from './taxii-fixture.js';

let t: RedTeam;
let serve: ChildProcess | undefined;
let servePort = 0;
let serveToken = '';
let serveData = '';
let plain: FastifyInstance;
let plainPort = 0;

async function startServe(data: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'bin', 'tearline.js'), 'serve', '--port', '0', '--data', data, '--log-level', 'warn'],
    { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /serving TAXII 2\.1 at http:\/\/[^:]+:(\d+)\/taxii2\//.exec(stderr);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  return { child, port };
}

beforeAll(async () => {
  t = await openRedTeam();
  plain = buildServer(t.hub, { pageCache: { maxEntries: 0, maxBytes: 0 }, throttle: LENIENT_THROTTLE });
  await plain.listen({ host: '127.0.0.1', port: 0 });
  const address = plain.server.address();
  plainPort = typeof address === 'object' && address ? address.port : 0;
  // And the real thing: `tearline serve` on a data dir with the demo loaded, default settings.
  serveData = tempDir('tearline-redteam-');
  const demo = await runTearline(['demo', '--data', serveData]);
  expect(demo.code).toBe(0);
  serveToken = /kabul-authorities\s+(tl_\S+)/.exec(demo.stdout)?.[1] ?? '';
  expect(serveToken).not.toBe('');
  const started = await startServe(serveData);
  serve = started.child;
  servePort = started.port;
});

afterAll(async () => {
  if (serve && serve.exitCode === null) {
    const exited = new Promise((r) => serve?.once('exit', r));
    serve.kill('SIGTERM');
    await exited;
  }
  await plain?.close();
  await t?.close();
});

interface Cut {
  name: string;
  ms: number;
  answer: string;
}

/**
 * A client that sends `start` and then one more byte of `drip` every `everyMs`, until the server
 * closes the connection: how long that took, and what it said first.
 */
function trickle(name: string, port: number, start: string, drip: string, everyMs: number): Promise<Cut> {
  return new Promise((resolve, reject) => {
    const began = Date.now();
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let i = 0;
    const timer = setInterval(() => {
      if (!socket.destroyed) socket.write(drip[i++ % drip.length] as string);
    }, everyMs);
    const giveUp = setTimeout(() => socket.destroy(new Error(`${name}: still open after 45 s`)), 45_000);
    socket.on('connect', () => socket.write(start));
    socket.on('data', (d) => {
      answer += d.toString();
    });
    socket.on('error', (err) => {
      if (err.message.includes('still open')) reject(err);
    });
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ name, ms: Date.now() - began, answer });
    });
  });
}

function slowProbes(port: number, token: string): Promise<Cut>[] {
  const body = (path: string, type: string, auth: string) =>
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${auth}Accept: ${TAXII}\r\nContent-Type: ${type}\r\nContent-Length: 1000\r\n\r\n{`;
  return [
    trickle('slow headers', port, 'GET /taxii2/ HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X-Pad: a\r\n', 2_000),
    trickle(
      'slow TAXII body',
      port,
      body('/taxii2/hub/collections/submissions/objects/', TAXII, `Authorization: Bearer ${token}\r\n`),
      ' ',
      5_000,
    ),
    trickle('slow console body', port, body('/api/login', 'application/json', ''), ' ', 5_000),
    trickle('idle connection', port, '', '', 60_000),
  ];
}

describe('red team: slow clients (finding 6)', () => {
  it('closes slow headers and slow bodies within 30 s on every server path, and keeps nothing of them', async () => {
    const cuts = await Promise.all([
      ...slowProbes(servePort, serveToken).map(async (p) => ({ server: 'tearline serve', ...(await p) })),
      ...slowProbes(plainPort, t.kabul.token).map(async (p) => ({ server: 'no page cache', ...(await p) })),
    ]);
    for (const c of cuts) {
      const what = `${c.server}: ${c.name} closed after ${c.ms} ms`;
      expect(c.ms, what).toBeLessThanOrEqual(30_000);
      expect(c.answer.startsWith('HTTP/1.1 408'), `${what}, answering ${c.answer.slice(0, 40)}`).toBe(true);
      // The deadlines, not anything else, ended them: headers 10 s, whole request 25 s.
      expect(c.ms, what).toBeGreaterThanOrEqual(c.name.includes('body') ? 24_000 : 9_000);
    }
    const { analyst } = await provisionKeys({ data: serveData }, [{ name: 'analyst', role: 'analyst' }]);
    const listed = await runTearline(
      ['submissions', 'list', '--state', 'all', '--json', '--data', serveData],
      {
        env: { TEARLINE_API_KEY: analyst as string },
      },
    );
    expect(JSON.parse(listed.stdout)).toEqual([]);
  });
});

describe('red team: cacheable or sniffable answers (finding 8)', () => {
  it('sends Cache-Control: no-store and X-Content-Type-Options: nosniff on every API, ledger and TAXII answer', async () => {
    const login = await fetch(`${t.base}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'analyst', password: passwordOf(t.scenario, 'analyst') }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const kabul = basic(t.kabul.name, t.kabul.token);
    const overseer = basic('overseer', passwordOf(t.scenario, 'overseer'));
    const taxii = { accept: TAXII, authorization: kabul };
    const releases = '/taxii2/hub/collections/releases/objects/';
    const probes: [string, string, RequestInit][] = [
      ['login', '/api/login', {}],
      ['me (the CSRF token)', '/api/me', { headers: { cookie } }],
      ['intel (TLP:RED content)', '/api/intel?q=courier', { headers: { cookie } }],
      ['submissions', '/api/submissions?state=all', { headers: { cookie } }],
      ['queue', '/api/queue', { headers: { cookie } }],
      ['API docs', '/api/docs', {}],
      ['API 401', '/api/intel', {}],
      ['API 404', '/api/nothing', { headers: { cookie } }],
      ['ledger key', '/ledger/key', {}],
      ['ledger checkpoint', '/ledger/checkpoint', { headers: { authorization: overseer } }],
      ['ledger 401', '/ledger/checkpoint', {}],
      ['TAXII discovery', '/taxii2/', { headers: taxii }],
      ['TAXII page', releases, { headers: taxii }],
      ['TAXII page again (fast path)', releases, { headers: taxii }],
      ['TAXII manifest', '/taxii2/hub/collections/releases/manifest/', { headers: taxii }],
      ['TAXII 401', releases, { headers: { accept: TAXII } }],
      ['TAXII 406', releases, { headers: { accept: 'text/html', authorization: kabul } }],
      ['TAXII 404', '/taxii2/hub/collections/nothing/objects/', { headers: taxii }],
      [
        'TAXII 413',
        '/taxii2/hub/collections/submissions/objects/',
        {
          method: 'POST',
          headers: { ...taxii, 'content-type': TAXII },
          body: `{"objects":["${'x'.repeat(11 * 1024 * 1024)}"]}`,
        },
      ],
      ['not found', '/nothing-here', {}],
    ];
    for (const [name, path, init] of probes) {
      const res = await fetch(`${t.base}${path}`, init);
      await res.arrayBuffer();
      expect(res.headers.get('cache-control'), `${name} (${res.status})`).toBe('no-store');
      expect(res.headers.get('x-content-type-options'), `${name} (${res.status})`).toBe('nosniff');
    }
    // The console's live event stream, written around Fastify, says so itself.
    const abort = new AbortController();
    const events = await fetch(`${t.base}/api/events`, { headers: { cookie }, signal: abort.signal });
    expect(events.headers.get('cache-control')).toBe('no-store');
    expect(events.headers.get('x-content-type-options')).toBe('nosniff');
    abort.abort();
  });
});
