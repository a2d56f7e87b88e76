import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTestSchema, PG_SKIP_REASON, TEST_PG_URL } from '../src/store/postgres/pg-test-schema.js';
import { RELEASES_COLLECTION_ID } from '../src/taxii/taxii-collections.js';
import { as, initHub, REPO_ROOT, runTearline, type TestRole, tempDir } from './run-cli.js';
import { basic, TAXII } from './taxii-fixture.js';

if (!TEST_PG_URL) console.warn(PG_SKIP_REASON);

const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const ISISK = 'intrusion-set--d118aebe-ee43-58e9-9939-14d533fcb970';
const DAY = 86_400_000;

function schemaUrl(schema: string): string {
  return `${TEST_PG_URL}${TEST_PG_URL.includes('?') ? '&' : '?'}schema=${schema}`;
}

function writeJson(path: string, value: unknown): string {
  writeFileSync(path, JSON.stringify(value));
  return path;
}

function indicators(n: number, tag: string): object[] {
  return Array.from({ length: n }, (_, i) => ({
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-02-01T00:00:00.000Z',
    name: `ISIS-K staging server ${tag}-${i}`,
    indicator_types: ['malicious-activity'],
    pattern: `[ipv4-addr:value = '198.51.${i % 250}.${tag.length}']`,
    pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00Z',
    object_marking_refs: [GREEN],
  }));
}

const allyAgreement = {
  scope: { types: ['intrusion-set', 'incident', 'relationship', 'location', 'identity', 'indicator'] },
  tlp_ceiling: 'amber',
  approval: 'none',
  sanitisation: 'standard',
  valid_from: '2026-01-01T00:00:00Z',
  conditions: [],
};

function kabulAgreement(now: number) {
  return {
    scope: { types: ['intrusion-set', 'incident', 'relationship', 'location'] },
    tlp_ceiling: 'green',
    approval: 'two',
    sanitisation: 'strict',
    valid_from: '2026-01-01T00:00:00Z',
    conditions: [
      {
        kind: 'assurance',
        id: 'hr-1',
        title: 'Human-rights assurance',
        issuer: 'MFA',
        valid_from: new Date(now - DAY).toISOString(),
        valid_until: new Date(now + 30 * DAY).toISOString(),
      },
    ],
  };
}

async function startServe(args: string[]): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'bin', 'tearline.js'), 'serve', '--port', '0', ...args],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  const base = await new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /serving TAXII 2\.1 at (http:\/\/[^ ]+)\/taxii2\//.exec(stderr);
      if (m) resolve(m[1] as string);
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  return { child, base };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function pullAll(base: string, auth: string): Promise<{ id: string; type: string }[]> {
  const out: { id: string; type: string }[] = [];
  let next: string | undefined;
  for (let page = 0; page < 100; page++) {
    const url = new URL(`/taxii2/hub/collections/${RELEASES_COLLECTION_ID}/objects/`, base);
    url.searchParams.set('limit', '40');
    if (next) url.searchParams.set('next', next);
    const res = await fetch(url, { headers: { Accept: TAXII, Authorization: auth } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      objects?: { id: string; type: string }[];
      more?: boolean;
      next?: string;
    };
    out.push(...(body.objects ?? []));
    if (!body.more) break;
    next = body.next;
  }
  return out;
}

describe.skipIf(!TEST_PG_URL)('a hub on PostgreSQL', () => {
  it('runs the ISIS-K flow from the CLI and serves it over TAXII, as the embedded hub does', {
    timeout: 300_000,
  }, async () => {
    const target = await openTestSchema('hub');
    const db = schemaUrl(target.schema);
    const data = tempDir();
    const dir = tempDir();
    const t = (...args: string[]) => runTearline([...args, '--data', data, '--db', db], as(data, 'admin'));
    const tAs = (role: TestRole, ...args: string[]) =>
      runTearline([...args, '--data', data, '--db', db], as(data, role));
    let serve: ChildProcess | undefined;
    let serve2: ChildProcess | undefined;
    try {
      // init --db creates the first admin in the PostgreSQL database; keys for a user per role.
      expect((await initHub(data, db)).code).toBe(0);
      const ally = JSON.parse((await t('partner', 'add', '--name', 'ally', '--json')).stdout) as {
        token: string;
      };
      expect((await t('partner', 'add', '--name', 'kabul', '--country', 'AF')).code).toBe(0);
      expect(
        (
          await t(
            'agreement',
            'set',
            '--reason',
            'test',
            'ally',
            writeJson(join(dir, 'a.json'), allyAgreement),
          )
        ).code,
      ).toBe(0);
      const kabul = writeJson(join(dir, 'k.json'), kabulAgreement(Date.now()));
      expect((await t('agreement', 'set', '--reason', 'test', 'kabul', kabul)).code).toBe(0);
      expect((await tAs('analyst', 'import', join(REPO_ROOT, 'demo', 'isis-k-demo.json'))).code).toBe(0);

      const run = JSON.parse((await t('release', 'run', '--json')).stdout);
      expect(run.partners.find((p: { partner: string }) => p.partner === 'ally').released).toBeGreaterThan(0);
      expect(run.partners.find((p: { partner: string }) => p.partner === 'kabul').queued).toBeGreaterThan(0);
      // Idempotent on PostgreSQL too.
      expect(JSON.parse((await t('release', 'run', '--json')).stdout).totals).toMatchObject({
        released: 0,
        queued: 0,
        withheld: 0,
      });
      const queue = JSON.parse((await t('queue', 'list', '--partner', 'kabul', '--json')).stdout) as {
        id: string;
        object_id: string;
      }[];
      const item = queue.find((i) => i.object_id === ISISK)?.id as string;
      expect((await tAs('officer', 'queue', 'approve', item, '--comment', 'assurance checked')).code).toBe(0);
      // The same OS account cannot give the second approval, even with another officer's key.
      expect((await tAs('officer2', 'queue', 'approve', item)).code).toBe(1);

      // Two hub processes on one database; the partner talks to the second.
      const first = await startServe(['--data', data, '--db', db]);
      serve = first.child;
      const other = await startServe(['--data', data, '--db', db]);
      serve2 = other.child;
      const base = other.base;
      // The second officer approves over the API of one serve process, with their key.
      const second = await fetch(new URL(`/api/queue/${item}/approve`, first.base), {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${as(data, 'officer2').env.TEARLINE_API_KEY}`,
          'content-type': 'application/json',
        },
        body: '{}',
      });
      expect(await second.json()).toMatchObject({ state: 'released', approvals: 2 });
      const auth = basic('ally', ally.token);
      const pulled = await pullAll(base, auth);
      expect(pulled.length).toBe(
        run.partners.find((p: { partner: string }) => p.partner === 'ally').released + 1,
      );
      expect(new Set(pulled.map((o) => o.id)).size).toBe(pulled.length);
      // Derived ids only: no original id of the hub reaches the partner.
      const originals = new Set(
        (
          JSON.parse(readFileSync(join(REPO_ROOT, 'demo', 'isis-k-demo.json'), 'utf8')) as {
            objects: { id: string }[];
          }
        ).objects.map((o) => o.id),
      );
      expect(pulled.filter((o) => originals.has(o.id))).toEqual([]);
      const wrong = await fetch(new URL('/taxii2/hub/collections/', base), {
        headers: { Accept: TAXII, Authorization: basic('ally', 'tl_wrong') },
      });
      expect(wrong.status).toBe(401);

      // Console sessions live in the database: signed in on one process, recognised by the other.
      const login = await fetch(new URL('/api/login', first.base), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'test-officer', password: 'a long enough password' }),
      });
      expect(login.status).toBe(200);
      const cookie = String(login.headers.get('set-cookie')).split(';')[0] as string;
      const queued = await fetch(new URL('/api/queue', base), { headers: { cookie } });
      expect(queued.status).toBe(200);
      const open = ((await queued.json()) as { items: { partner: string; object_id: string }[] }).items;
      expect(open.length).toBeGreaterThan(0);
      expect(open.every((i) => i.partner === 'kabul' && i.object_id !== ISISK)).toBe(true);
      expect((await fetch(new URL('/api/queue', base))).status).toBe(401);

      const recall = await tAs('officer', 'recall', 'ally', ISISK, '--reason', 'source downgraded', '--json');
      expect(recall.code).toBe(0);
      const verify = await t('ledger', 'verify');
      expect(verify.stderr).toBe('');
      expect(verify.stdout).toMatch(/^ok: \d+ entries/);
    } finally {
      if (serve) await stop(serve);
      if (serve2) await stop(serve2);
      await target.drop();
    }
  });

  it('keeps one ledger and releases nothing twice when three processes import and release at once', {
    timeout: 300_000,
  }, async () => {
    const target = await openTestSchema('hub3');
    const db = schemaUrl(target.schema);
    const data = tempDir();
    const dir = tempDir();
    const t = (...args: string[]) => runTearline([...args, '--data', data, '--db', db], as(data, 'admin'));
    const tAs = (role: TestRole, ...args: string[]) =>
      runTearline([...args, '--data', data, '--db', db], as(data, role));
    try {
      expect((await initHub(data, db)).code).toBe(0);
      for (const name of ['ally', 'partner-b']) {
        expect((await t('partner', 'add', '--name', name)).code).toBe(0);
        expect(
          (
            await t(
              'agreement',
              'set',
              '--reason',
              'test',
              name,
              writeJson(join(dir, `${name}.json`), allyAgreement),
            )
          ).code,
        ).toBe(0);
      }
      const WORKERS = 3;
      const ROUNDS = 3;
      const files = Array.from({ length: WORKERS * ROUNDS }, (_, i) =>
        writeJson(join(dir, `batch-${i}.json`), {
          type: 'bundle',
          id: `bundle--${randomUUID()}`,
          objects: indicators(40, `w${i % WORKERS}r${Math.floor(i / WORKERS)}`),
        }),
      );
      // Each process: import a batch, run the pipeline, again; all three at the same time.
      const worker = async (w: number) => {
        const outcomes: number[] = [];
        for (let r = 0; r < ROUNDS; r++) {
          const imported = await tAs('analyst', 'import', files[r * WORKERS + w] as string);
          const released = await t('release', 'run', '--json');
          outcomes.push(imported.code, released.code);
          if (released.code !== 0) throw new Error(released.stderr);
        }
        return outcomes;
      };
      const codes = await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
      expect(codes.flat().every((c) => c === 0)).toBe(true);
      // Whatever a race left waiting goes on the next pass; after it nothing is left to do.
      await t('release', 'run');
      expect(JSON.parse((await t('release', 'run', '--json')).stdout).totals).toMatchObject({
        released: 0,
        queued: 0,
        waiting: 0,
      });

      const q = async <T>(sql: string) => (await target.pool.query(sql)).rows as T[];
      const objects = WORKERS * ROUNDS * 40;
      expect(await q('SELECT count(*)::int AS n FROM objects')).toEqual([{ n: objects }]);
      // Every indicator released exactly once to each partner, plus the hub's identity.
      expect(
        await q(
          'SELECT partner_id, count(*)::int AS n, count(DISTINCT original_id)::int AS d FROM release_records GROUP BY partner_id',
        ),
      ).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ n: objects, d: objects }),
          expect.objectContaining({ n: objects, d: objects }),
        ]),
      );
      expect(await q('SELECT count(*)::int AS n FROM releases')).toEqual([{ n: 2 * (objects + 1) }]);
      expect(await q('SELECT count(DISTINCT feed_us)::int AS n FROM releases')).toEqual([
        { n: 2 * (objects + 1) },
      ]);
      // One ledger: one release entry per record, entries 0..size-1 with no gap.
      const [ledger] = await q<{ n: number; size: number; releases: number }>(
        "SELECT count(*)::int AS n, max(idx)::int + 1 AS size, count(*) FILTER (WHERE kind = 'release')::int AS releases FROM ledger_entries",
      );
      expect(ledger?.releases).toBe(2 * objects);
      expect(ledger?.n).toBe(ledger?.size);
      const verify = await t('ledger', 'verify');
      expect(verify.stderr).toBe('');
      expect(verify.stdout).toMatch(new RegExp(`^ok: ${ledger?.size} entries`));
    } finally {
      await target.drop();
    }
  });
});
