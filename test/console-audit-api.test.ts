import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_EXPORT_FORMAT } from '../src/api/api-audit.js';
import type { ConsoleScenario } from '../src/app/console-demo.js';
import type { SqliteHub as Hub } from '../src/app/hub.js';
import { loadLedgerSigner, verifierKeyOf } from '../src/app/ledger-key.js';
import { openNote, parseVerifierKey } from '../src/ledger/ledger-note.js';
import type { AuditRow } from '../src/store/console-shapes.js';
import { buildConsoleServer, openDemoHub, passwordOf } from './console-fixture.js';

// The audit trail over the console API: who may see what of each entry, filters and paging done
// in SQL, sentences from the opened entry, CSV as one table and JSON signed with the ledger key.
const ISISK = 'intrusion-set--d118aebe-ee43-58e9-9939-14d533fcb970';

let hub: Hub;
let scenario: ConsoleScenario;
let app: FastifyInstance;
let releaseId = '';
const sessions = new Map<string, string>();

async function get(url: string, as: string) {
  let cookie = sessions.get(as);
  if (!cookie) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { name: as, password: passwordOf(scenario, as) },
    });
    cookie = String(res.headers['set-cookie']).split(';')[0] as string;
    const csrf = res.json().csrf as string;
    sessions.set(as, cookie);
    sessions.set(`${as}:csrf`, csrf);
  }
  return app.inject({ method: 'GET', url, headers: { cookie } });
}

async function post(url: string, as: string, payload: object) {
  await get('/api/me', as);
  return app.inject({
    method: 'POST',
    url,
    payload,
    headers: { cookie: sessions.get(as) as string, 'x-csrf-token': sessions.get(`${as}:csrf`) as string },
  });
}

beforeAll(async () => {
  ({ hub, scenario } = await openDemoHub());
  app = buildConsoleServer(hub);
  await app.ready();
  // Two officers release ISIS-K to kabul-authorities: a release entry with two approvers.
  const queue = (await get('/api/queue?size=200', 'officer-1')).json().items as {
    id: string;
    object_id: string;
  }[];
  const item = queue.find((i) => i.object_id === ISISK);
  if (!item) throw new Error('the demo queues ISIS-K for kabul-authorities');
  expect((await post(`/api/queue/${item.id}/approve`, 'officer-1', { comment: 'checked' })).statusCode).toBe(
    200,
  );
  const second = (await post(`/api/queue/${item.id}/approve`, 'officer-2', {})).json();
  releaseId = second.releaseId;
  expect(releaseId).toBeTruthy();
});

afterAll(async () => {
  await app?.close();
  hub?.close();
});

describe('audit trail: the list', () => {
  it('opens entries for oversight: the release reads as a sentence naming the object, partner and both approvers', async () => {
    const res = await get('/api/ledger/entries?kind=release&per_page=200', 'overseer');
    expect(res.statusCode).toBe(200);
    const body = res.json() as { open: boolean; total: number; entries: AuditRow[] };
    expect(body.open).toBe(true);
    const total = await hub.sql.get<{ n: number }>(
      "SELECT count(*) AS n FROM ledger_entries WHERE kind = 'release'",
    );
    expect(body.total).toBe(total?.n);
    expect(body.entries.every((e) => e.kind === 'release')).toBe(true);
    const ours = body.entries.find((e) => e.entry.release_id === releaseId);
    expect(ours?.sentence).toBe(
      `Released ISIS-K (${ISISK}) to kabul-authorities, approved by officer-1 and officer-2 (run by officer-2)`,
    );
    expect(ours?.actor).toBe('officer-2');
    // Newest first.
    const indexes = body.entries.map((e) => e.index);
    expect(indexes).toEqual([...indexes].sort((a, b) => b - a));
  });

  it('shows others only what a receipt shows: no actor, partner or approver, and refuses their filters', async () => {
    for (const who of ['analyst', 'officer-1', 'admin']) {
      const res = await get('/api/ledger/entries?per_page=200', who);
      expect(res.statusCode).toBe(200);
      const body = res.json() as { open: boolean; entries: AuditRow[] };
      expect(body.open).toBe(false);
      const text = res.body;
      for (const name of ['officer-1', 'officer-2', 'kabul-authorities', 'allied-service', ISISK])
        expect(text).not.toContain(name);
      expect(body.entries.every((e) => e.actor === undefined)).toBe(true);
      const ours = body.entries.find((e) => e.entry.release_id === releaseId);
      expect(ours?.sentence).toMatch(/^Release release--.*: copy .* under agreement version/);
      expect(Object.keys(ours?.entry ?? {}).sort()).toEqual([
        'agreement_version',
        'derived_id',
        'kind',
        'release_id',
        'tearline_digest',
        'time',
      ]);
      for (const q of ['partner=kabul-authorities', 'actor=officer-1']) {
        const refused = await get(`/api/ledger/entries?${q}`, who);
        expect(refused.statusCode).toBe(403);
        expect(refused.json().message).toMatch(/for oversight users only/);
      }
      expect((await get('/api/ledger/entries.csv', who)).statusCode).toBe(403);
      expect((await get('/api/ledger/entries.json', who)).statusCode).toBe(403);
    }
  });

  it('filters by partner, actor, kind and time, and pages without overlap', async () => {
    const byPartner = (
      await get('/api/ledger/entries?partner=kabul-authorities&per_page=200', 'overseer')
    ).json();
    const kabul = scenario.partners.find((p) => p.name === 'kabul-authorities');
    expect(kabul).toBeTruthy();
    expect(byPartner.total).toBeGreaterThan(0);
    for (const e of byPartner.entries as AuditRow[]) {
      expect(e.entry.partner).toBeDefined();
      expect(e.sentence).toContain('kabul-authorities');
    }
    // Every entry naming that partner, and nothing else, counted straight from the opened ledger.
    const all = (await get('/api/ledger/entries?per_page=200', 'overseer')).json().entries as AuditRow[];
    const kabulId = (byPartner.entries as AuditRow[])[0]?.entry.partner;
    expect(byPartner.total).toBe(all.filter((e) => e.entry.partner === kabulId).length);

    const byActor = (await get('/api/ledger/entries?actor=officer-1', 'overseer')).json();
    expect(byActor.entries.map((e: AuditRow) => e.kind)).toEqual(['approval']);
    expect(byActor.entries[0].sentence).toBe(
      `officer-1 approved releasing ISIS-K (${ISISK}) to kabul-authorities`,
    );

    const last = all[0] as AuditRow;
    const later = (await get(`/api/ledger/entries?from=${encodeURIComponent(last.time)}`, 'overseer')).json();
    expect(later.entries.every((e: AuditRow) => e.time >= last.time)).toBe(true);
    const earlier = (
      await get(`/api/ledger/entries?to=${encodeURIComponent(last.time)}&per_page=200`, 'overseer')
    ).json();
    expect(earlier.entries.every((e: AuditRow) => e.time < last.time)).toBe(true);
    expect(later.total + earlier.total).toBe(all.length);

    const p1 = (await get('/api/ledger/entries?per_page=3&page=1', 'overseer')).json();
    const p2 = (await get('/api/ledger/entries?per_page=3&page=2', 'overseer')).json();
    expect(p1.pages).toBe(Math.ceil(all.length / 3));
    expect([...p1.entries, ...p2.entries].map((e: AuditRow) => e.index)).toEqual(
      all.slice(0, 6).map((e) => e.index),
    );
  });

  it('names what is wrong in a bad filter', async () => {
    const cases: [string, RegExp][] = [
      ['kind=nonsense', /kind must be one of release/],
      ['from=yesterday-ish', /from must be a date/],
      ['per_page=0', /per_page must be a whole number from 1 to 200/],
      ['page=-1', /page must be/],
      ['partner=nobody', /no partner is named "nobody"/],
    ];
    for (const [q, message] of cases) {
      const res = await get(`/api/ledger/entries?${q}`, 'overseer');
      expect([400, 404]).toContain(res.statusCode);
      expect(res.json().message).toMatch(message);
    }
  });
});

describe('audit trail: exports for oversight', () => {
  it('CSV is one table, oldest first, a row per entry', async () => {
    const res = await get('/api/ledger/entries.csv?kind=approval', 'overseer');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('index,time,kind,actor,partner,release_id,object_id,sentence');
    const n = await hub.sql.get<{ n: number }>(
      "SELECT count(*) AS n FROM ledger_entries WHERE kind = 'approval'",
    );
    expect(lines.length - 1).toBe(n?.n);
    expect(lines.some((l) => l.includes('officer-1') && l.includes('kabul-authorities'))).toBe(true);
    expect(lines.slice(1).every((l) => !l.trim().startsWith(','))).toBe(true);
  });

  it('signed JSON opens with the hub key, holds every entry opened, and fails when altered', async () => {
    const res = await get('/api/ledger/entries.json', 'overseer');
    expect(res.statusCode).toBe(200);
    const body = res.json() as { format: string; verifier_key: string; signed_note: string };
    expect(body.format).toBe(AUDIT_EXPORT_FORMAT);
    const signer = loadLedgerSigner(hub.paths, hub.config.hub_name);
    if (!signer.ok) throw new Error(signer.message);
    // Verified with the key the hub is known by, not the one the export says.
    const verifier = parseVerifierKey(verifierKeyOf(signer.signer));
    if (!verifier.ok) throw new Error(verifier.message);
    const opened = openNote(body.signed_note, [verifier.verifier]);
    if (!opened.ok) throw new Error(opened.message);
    const [first, json] = opened.text.split('\n');
    expect(first).toBe(AUDIT_EXPORT_FORMAT);
    const payload = JSON.parse(json as string) as {
      exported_by: string;
      entries: AuditRow[];
      ledger_size: number;
    };
    expect(payload.exported_by).toBe('overseer');
    expect(payload.entries.length).toBe(payload.ledger_size);
    expect(payload.entries.find((e) => e.entry.release_id === releaseId)?.entry.approvals).toHaveLength(2);
    const altered = body.signed_note.replace('officer-1', 'officer-9');
    expect(altered).not.toBe(body.signed_note);
    expect(openNote(altered, [verifier.verifier]).ok).toBe(false);
  });
});
