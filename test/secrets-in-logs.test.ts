import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ConsoleScenario } from '../src/app/console-demo.js';
import { buildServer } from '../src/app/server.js';
import { LENIENT_THROTTLE } from './auth-fixture.js';
import { openDemoHub, passwordOf } from './console-fixture.js';
import { runTearline } from './run-cli.js';
import { basic, TAXII } from './taxii-fixture.js';

// A full scenario with every kind of secret in play (passwords, partner tokens, API keys,
// session ids), then every log and record it left is searched for each of them: the server's
// request log at info level, the CLI's output of commands that print no secret on purpose, the
// audit log, every history table and the ledger.

function sink(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  return {
    stream: new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(Buffer.from(chunk));
        done();
      },
    }),
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
}

describe('secrets never reach a log', () => {
  it('leaves no password, token, key or session id in logs, audit rows, histories or the ledger', {
    timeout: 300_000,
  }, async () => {
    const { hub, scenario } = await openDemoHub();
    const log = sink();
    const app = buildServer(hub, {
      throttle: LENIENT_THROTTLE,
      log: { stream: log.stream, level: 'info' },
      pageCache: { maxEntries: 100, maxBytes: 1 << 24 },
    });
    const secrets: string[] = [];
    const keep = (s: string | undefined) => {
      if (s) secrets.push(s);
      return s as string;
    };
    try {
      for (const u of (scenario as ConsoleScenario).users) keep(u.password);
      for (const p of scenario.partners) keep(p.token);
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const json = (res: Response) => res.json() as Promise<Record<string, unknown>>;
      const signIn = async (name: string, password: string) => {
        const res = await fetch(`${base}/api/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name, password }),
        });
        const cookie = String(res.headers.get('set-cookie')).split(';')[0] as string;
        keep(cookie.split('=')[1]);
        return { cookie, csrf: ((await json(res)).csrf as string) ?? '' };
      };
      const admin = await signIn('admin', passwordOf(scenario, 'admin'));
      await signIn('admin', 'a wrong password guess!');
      const post = async (path: string, body: unknown, who = admin) =>
        json(
          await fetch(`${base}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie: who.cookie, 'x-csrf-token': who.csrf },
            body: JSON.stringify(body),
          }),
        );
      keep((await post('/api/partners', { name: 'leaky' })).token as string);
      keep((await post('/api/users', { name: 'newbie', role: 'analyst' })).password as string);
      keep((await post('/api/users/newbie/password', {})).password as string);
      const key = keep((await post('/api/keys', { label: 'script' })).secret as string);
      const partners = (await json(
        await fetch(`${base}/api/partners`, { headers: { authorization: `Bearer ${key}` } }),
      )) as unknown;
      expect(Array.isArray(partners)).toBe(true);
      const ally = scenario.partners.find((p) => p.name === 'allied-service')?.token as string;
      for (const auth of [
        `Bearer ${ally}`,
        basic('allied-service', ally),
        basic('allied-service', 'tl_wrong'),
        basic('analyst', passwordOf(scenario, 'analyst')),
      ])
        await fetch(`${base}/taxii2/hub/collections/`, { headers: { accept: TAXII, authorization: auth } });
      await fetch(`${base}/ledger/checkpoint`, {
        headers: { authorization: basic('overseer', passwordOf(scenario, 'overseer')) },
      });
      const rotated = (
        await json(
          await fetch(`${base}/api/partners/leaky/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie: admin.cookie, 'x-csrf-token': admin.csrf },
            body: '{"reason":"scheduled rotation"}',
          }),
        )
      ).token as string;
      keep(rotated);

      // The CLI: a sign-in, and commands that print nothing secret.
      const cliOut: string[] = [];
      const login = await runTearline(['login', 'officer-1', '--password-stdin', '--data', hub.paths.dir], {
        input: `${passwordOf(scenario, 'officer-1')}\n`,
      });
      expect(login.code).toBe(0);
      for (const args of [['whoami'], ['queue', 'list'], ['partner', 'list'], ['user', 'list']]) {
        const r = await runTearline([...args, '--data', hub.paths.dir]);
        cliOut.push(r.stdout, r.stderr);
      }
      const r = await runTearline(['user', 'key', 'list', '--data', hub.paths.dir], {
        env: { TEARLINE_API_KEY: key },
      });
      cliOut.push(login.stdout, login.stderr, r.stdout, r.stderr);

      const tables = [
        'auth_events',
        'user_events',
        'partner_events',
        'condition_events',
        'console_sessions',
        'user_api_keys',
        'users',
        'partners',
      ];
      const stored = tables.map((t) => JSON.stringify(hub.db.prepare(`SELECT * FROM ${t}`).all()));
      const ledger = (hub.db.prepare('SELECT bytes FROM ledger_entries').all() as { bytes: Buffer }[]).map(
        (e) => e.bytes.toString('utf8'),
      );
      const everything = {
        'server log': log.text(),
        'CLI output': cliOut.join('\n'),
        tables: stored.join('\n'),
        ledger: ledger.join('\n'),
      };
      expect(log.text()).toContain('"statusCode":401');
      expect(secrets.length).toBeGreaterThanOrEqual(12);
      for (const [where, text] of Object.entries(everything)) {
        for (const s of secrets)
          expect(text.includes(s), `a secret (${s.slice(0, 6)}…) is in the ${where}`).toBe(false);
        // The secret halves of keys and tokens, too (a log may cut a prefix off).
        for (const s of secrets.filter((x) => x.length > 40)) expect(text.includes(s.slice(-30))).toBe(false);
      }
    } finally {
      await app.close();
      hub.close();
    }
  });
});
