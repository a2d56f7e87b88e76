import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openHub } from '../src/app/hub.js';
import { buildServer } from '../src/app/server.js';
import { LENIENT_THROTTLE, provisionKeys } from './auth-fixture.js';
import { runTearline, tempDir } from './run-cli.js';
import { basic, TAXII } from './taxii-fixture.js';

/** The Kabul authorities' submissions, as `tearline serve` would take them in. */
async function submitAsKabul(data: string, token: string, objects: unknown[]): Promise<void> {
  const hub = openHub(data);
  const app = buildServer(hub, { throttle: LENIENT_THROTTLE });
  try {
    const res = await app.inject({
      method: 'POST',
      url: '/taxii2/hub/collections/submissions/objects/',
      headers: { authorization: basic('kabul-authorities', token), accept: TAXII, 'content-type': TAXII },
      payload: JSON.stringify({ objects }),
    });
    expect(JSON.parse(res.body).failure_count).toBe(0);
  } finally {
    await app.close();
    hub.close();
  }
}

describe('tearline submissions', () => {
  it('lists, shows, promotes and rejects, on the real binary', async () => {
    const data = tempDir();
    // `demo` makes the hub and its users; each acts here with its own API key.
    const demo = await runTearline(['demo', '--data', data]);
    expect(demo.code).toBe(0);
    const keys = await provisionKeys({ data }, [
      { name: 'analyst', role: 'analyst' },
      { name: 'officer-1', role: 'release-officer' },
      { name: 'admin', role: 'admin' },
    ]);
    const by = (user: string) => ({ env: { TEARLINE_API_KEY: keys[user] as string } });
    const t = (...args: string[]) => runTearline([...args, '--data', data], by('analyst'));
    const tAs = (user: string, ...args: string[]) => runTearline([...args, '--data', data], by(user));
    const token = /kabul-authorities\s+(tl_\S+)/.exec(demo.stdout)?.[1] ?? '';
    const kabulId = JSON.parse((await t('partner', 'show', 'kabul-authorities', '--json')).stdout)
      .id as string;
    const base = {
      spec_version: '2.1',
      created: '2026-11-01T00:00:00.000Z',
      modified: '2026-11-01T00:00:00.000Z',
      created_by_ref: kabulId,
    };
    const sighting = {
      ...base,
      type: 'sighting',
      id: `sighting--${randomUUID()}`,
      sighting_of_ref: 'indicator--3c75a5fa-059b-50f9-9812-7fb420211336',
      count: 2,
    };
    const note = {
      ...base,
      type: 'note',
      id: `note--${randomUUID()}`,
      content: 'junk',
      object_refs: [sighting.id],
    };
    await submitAsKabul(data, token, [sighting, note]);

    const listed = await t('submissions', 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout.trim().split('\n')).toHaveLength(2);
    expect(listed.stdout).toContain('kabul-authorities');
    const items = JSON.parse((await t('submissions', 'list', '--json')).stdout) as {
      number: number;
      object_id: string;
    }[];
    const number = (id: string) => String(items.find((i) => i.object_id === id)?.number);
    const shown = JSON.parse((await t('submissions', 'show', number(sighting.id), '--json')).stdout);
    expect(shown).toMatchObject({ partner: 'kabul-authorities', state: 'pending', sent: sighting });

    // Only analysts review (the one role table): an officer and the admin are refused, exit 3.
    for (const user of ['officer-1', 'admin']) {
      const refused = await tAs(user, 'submissions', 'promote', number(sighting.id));
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain("may not promote or reject partners' submissions");
    }
    // Naming someone proves nothing.
    expect((await t('submissions', 'promote', number(sighting.id), '--as', 'analyst')).code).toBe(2);
    // Not signed in at all: refused before anything is read.
    const anonymous = await runTearline(['submissions', 'list', '--data', data]);
    expect(anonymous.code).toBe(3);
    expect(anonymous.stderr).toContain('not signed in');
    const promoted = await t('submissions', 'promote', number(sighting.id));
    expect(promoted.stderr).toBe('');
    expect(promoted.stdout).toMatch(/^\d+: promoted as sighting--[0-9a-f-]{36}\n$/);
    const again = await t('submissions', 'promote', number(sighting.id));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('was promoted by analyst');

    expect((await t('submissions', 'reject', number(note.id), '--reason', ' ')).code).toBe(2);
    const rejected = await t('submissions', 'reject', number(note.id), '--reason', 'junk');
    expect(rejected.stdout).toBe(`${number(note.id)}: rejected\n`);
    expect((await t('submissions', 'list')).stdout).toBe('no pending submissions\n');
    const all = JSON.parse((await t('submissions', 'list', '--state', 'all', '--json')).stdout);
    expect(all.map((s: { state: string }) => s.state).sort()).toEqual(['promoted', 'rejected']);
    expect((await t('submissions', 'show', '12x')).code).toBe(2);
    expect((await t('submissions', 'list', '--state', 'maybe')).code).toBe(2);
    // The ledger records the analyst who signed in with the key as the reviewer.
    const promotedAs = JSON.parse((await t('submissions', 'show', number(sighting.id), '--json')).stdout);
    expect(promotedAs).toMatchObject({ state: 'promoted', reviewed_by: 'analyst' });
    expect((await tAs('admin', 'ledger', 'verify')).code).toBe(0);
  }, 180_000);
});
