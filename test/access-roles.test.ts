import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACTION_NAMES,
  type Action,
  mayDo,
  mayDoScoped,
  ROLES,
  type Role,
} from '../src/access/access-roles.js';
import type { ConsoleScenario } from '../src/app/console-demo.js';
import type { SqliteHub as Hub } from '../src/app/hub.js';
import { buildServer } from '../src/app/server.js';
import { LENIENT_THROTTLE, provisionKeys } from './auth-fixture.js';
import { openDemoHub, passwordOf } from './console-fixture.js';
import { runTearline, tempDir } from './run-cli.js';
import { basic, TAXII } from './taxii-fixture.js';

// One table of role -> permitted actions (src/access/access-roles.ts), enforced alike by the CLI
// and the HTTP API: every action for every role, on the real binary and on the server. Allowed
// means "not refused for the role" (the request may still fail on its input, e.g. a partner that
// does not exist); refused means exit 3 on the CLI and 403 over HTTP (404 for a TAXII collection
// one may not see), before anything is read or changed.

const ISISK = 'intrusion-set--d118aebe-ee43-58e9-9939-14d533fcb970';
const USER_OF: Record<Role, string> = {
  analyst: 'analyst',
  'release-officer': 'officer-1',
  oversight: 'overseer',
  admin: 'admin',
};

describe('the role table', () => {
  it('says what the issue says: oversight reads everything and changes nothing; officers decide; admins manage', () => {
    expect(ACTION_NAMES.filter((a) => mayDo('oversight', a))).toEqual([
      'read',
      'ledger.audit',
      'condition.history',
      'self.manage',
    ]);
    for (const r of ROLES) expect(mayDo(r, 'read')).toBe(true);
    expect(ROLES.filter((r) => mayDo(r, 'queue.decide'))).toEqual(['release-officer']);
    expect(ROLES.filter((r) => mayDo(r, 'intel.import'))).toEqual(['analyst']);
    // Default markings at import: analysts, who import, and admins, who set sources up.
    expect(ROLES.filter((r) => mayDo(r, 'marking.manage'))).toEqual(['analyst', 'admin']);
    // Partner input becomes intel only by an analyst's review.
    expect(ROLES.filter((r) => mayDo(r, 'submission.review'))).toEqual(['analyst']);
    for (const a of ['partner.manage', 'agreement.set', 'user.manage'] as const)
      expect(ROLES.filter((r) => mayDo(r, a))).toEqual(['admin']);
    // A key scoped to oversight does no more than oversight, whoever holds it.
    for (const r of ROLES)
      for (const a of ACTION_NAMES)
        expect(mayDoScoped(r, 'oversight', a)).toBe(mayDo(r, a) && mayDo('oversight', a));
  });
});

/** A representative request per action; actions the API does not offer are CLI-only. */
const HTTP: Partial<
  Record<Action, { method: 'GET' | 'POST'; url: string; body?: unknown; taxii?: boolean }>
> = {
  read: { method: 'GET', url: '/api/partners' },
  'ledger.audit': { method: 'GET', url: '/api/auth-events' },
  'intel.import': { method: 'POST', url: '/taxii2/hub/collections/intel/objects/', taxii: true },
  'submission.review': { method: 'POST', url: '/api/submissions/999999/reject', body: { reason: 'x' } },
  'draft.write': {
    method: 'POST',
    url: '/api/drafts/00000000-0000-4000-8000-000000000000/reject',
    body: { reason: 'x' },
  },
  'release.run': { method: 'POST', url: '/api/release/run', body: {} },
  'queue.decide': { method: 'POST', url: '/api/queue/queue--nope/approve', body: {} },
  'release.recall': {
    method: 'POST',
    url: '/api/partners/nope/recall',
    body: { object_id: ISISK, reason: 'x' },
  },
  'partner.manage': { method: 'POST', url: '/api/partners/nope/token', body: { reason: 'x' } },
  'agreement.set': { method: 'POST', url: '/api/partners/nope/agreement', body: { text: 'x' } },
  'condition.attest': { method: 'POST', url: '/api/partners/nope/conditions/hr-1/attest', body: {} },
  'condition.suspend': {
    method: 'POST',
    url: '/api/partners/nope/suspension',
    body: { on: true, reason: 'x' },
  },
  'breach.manage': { method: 'POST', url: '/api/partners/nope/breaches', body: { reason: 'x' } },
  'condition.history': { method: 'GET', url: '/api/partners/nope/conditions/history' },
  'user.manage': { method: 'GET', url: '/api/users' },
  'self.manage': { method: 'GET', url: '/api/keys' },
};
const CLI_ONLY: Action[] = ['ledger.checkpoint', 'marking.manage', 'hub.demo'];

describe('every action x every role over HTTP', () => {
  let hub: Hub;
  let scenario: ConsoleScenario;
  let app: FastifyInstance;
  const keys: Record<string, string> = {};
  beforeAll(async () => {
    ({ hub, scenario } = await openDemoHub());
    app = buildServer(hub, { throttle: LENIENT_THROTTLE, pageCache: { maxEntries: 0, maxBytes: 0 } });
    Object.assign(
      keys,
      await provisionKeys(
        { data: hub.paths.dir },
        ROLES.map((r) => ({ name: USER_OF[r], role: r })),
      ),
    );
  });
  afterAll(async () => {
    await app?.close();
    hub?.close();
  });

  it('covers every action the API offers, and names the rest as CLI-only', () => {
    expect([...Object.keys(HTTP), ...CLI_ONLY].sort()).toEqual([...ACTION_NAMES].sort());
  });

  for (const action of Object.keys(HTTP) as Action[]) {
    for (const role of ROLES) {
      it(`${action} by ${role}: ${mayDo(role, action) ? 'allowed' : 'refused'}`, async () => {
        const spec = HTTP[action] as NonNullable<(typeof HTTP)[Action]>;
        const name = USER_OF[role];
        const res = spec.taxii
          ? await app.inject({
              method: spec.method,
              url: spec.url,
              headers: {
                accept: TAXII,
                'content-type': TAXII,
                authorization: basic(name, passwordOf(scenario, name)),
              },
              payload: JSON.stringify({ objects: [] }),
            })
          : await app.inject({
              method: spec.method,
              url: spec.url,
              headers: { authorization: `Bearer ${keys[name]}` },
              ...(spec.body !== undefined && { payload: spec.body as object }),
            });
        const refused = spec.taxii ? res.statusCode === 404 : res.statusCode === 403;
        expect(res.statusCode).not.toBe(401);
        expect(refused, `${action} by ${role}: HTTP ${res.statusCode} ${res.body.slice(0, 200)}`).toBe(
          !mayDo(role, action),
        );
      });
    }
  }

  // Bulk decisions take the same action as one at a time: release officers only.
  for (const verdict of ['approve', 'deny'] as const) {
    for (const role of ROLES) {
      it(`bulk ${verdict} by ${role}: ${mayDo(role, 'queue.decide') ? 'allowed' : 'refused'}`, async () => {
        const name = USER_OF[role];
        const res = await app.inject({
          method: 'POST',
          url: `/api/queue/bulk/${verdict}`,
          headers: { authorization: `Bearer ${keys[name]}` },
          payload: { partner: 'nope', digest: '0000000000000000', comment: 'x' },
        });
        expect(res.statusCode).not.toBe(401);
        expect(res.statusCode === 403, `HTTP ${res.statusCode} ${res.body.slice(0, 200)}`).toBe(
          !mayDo(role, 'queue.decide'),
        );
      });
    }
  }
});

describe('every action x every role on the real binary', () => {
  let data: string;
  let file: string;
  const keys: Record<string, string> = {};
  beforeAll(async () => {
    data = join(tempDir('tearline-roles-'), 'hub');
    expect((await runTearline(['demo', '--data', data])).code).toBe(0);
    Object.assign(
      keys,
      await provisionKeys(
        { data },
        ROLES.map((r) => ({ name: USER_OF[r], role: r })),
      ),
    );
    file = join(tempDir(), 'one.json');
    writeFileSync(
      file,
      JSON.stringify({
        type: 'identity',
        spec_version: '2.1',
        id: 'identity--6b7f5a2e-6b35-4f0a-9f0e-3c2a1b0d9e8f',
        created: '2026-01-01T00:00:00.000Z',
        modified: '2026-01-01T00:00:00.000Z',
        name: 'role test',
        identity_class: 'organization',
      }),
    );
  }, 300_000);

  const CLI: Record<Action, () => string[]> = {
    read: () => ['partner', 'list'],
    'ledger.audit': () => ['ledger', 'verify'],
    'ledger.checkpoint': () => ['ledger', 'checkpoint'],
    'intel.import': () => ['import', file],
    'marking.manage': () => ['marking', 'clear', '--user', 'nobody-has-this-default'],
    'submission.review': () => ['submissions', 'reject', '999999', '--reason', 'x'],
    'draft.write': () => ['drafts', 'reject', '00000000-0000-4000-8000-000000000000', '--reason', 'x'],
    'release.run': () => ['release', 'run', '--partner', 'nope'],
    'queue.decide': () => ['queue', 'approve', 'queue--nope'],
    'release.recall': () => ['recall', 'nope', ISISK, '--reason', 'x'],
    'partner.manage': () => ['partner', 'rotate-token', 'nope', '--reason', 'x'],
    'agreement.set': () => ['agreement', 'set', '--reason', 'test', 'nope', file],
    'condition.attest': () => ['condition', 'revoke', 'nope', 'hr-1', '--reason', 'x'],
    'condition.suspend': () => ['condition', 'suspend', 'nope', '--reason', 'x'],
    'breach.manage': () => ['breach', 'open', 'nope', '--reason', 'x'],
    'condition.history': () => ['condition', 'timeline', 'nope'],
    'user.manage': () => ['user', 'locks'],
    'self.manage': () => ['user', 'key', 'list'],
    'hub.demo': () => ['demo'],
  };

  it('refuses (exit 3) exactly what the table refuses, for each role', { timeout: 900_000 }, async () => {
    const jobs = ACTION_NAMES.flatMap((action) => ROLES.map((role) => ({ action, role })));
    const seen: string[] = [];
    // Four at a time: sixty runs of the binary on a shared two-core machine.
    for (let i = 0; i < jobs.length; i += 4) {
      await Promise.all(
        jobs.slice(i, i + 4).map(async ({ action, role }) => {
          const r = await runTearline([...CLI[action](), '--data', data], {
            env: { TEARLINE_API_KEY: keys[USER_OF[role]] as string },
          });
          const refused = r.code === 3;
          if (refused) expect(r.stderr).toContain(`(${role}) may not`);
          seen.push(
            `${action} ${role} ${refused === !mayDo(role, action) ? 'ok' : `WRONG (exit ${r.code}: ${r.stderr.trim()})`}`,
          );
        }),
      );
    }
    expect(seen.filter((s) => !s.endsWith(' ok'))).toEqual([]);
    expect(seen).toHaveLength(ACTION_NAMES.length * ROLES.length);
  });
});
