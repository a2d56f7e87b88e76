// Issue 23, submitter anonymity: a partner's sighting, promoted by an analyst and re-shared to the
// ally over real TAXII on loopback, names the hub and never the partner unless the partner's
// agreement says `submitter_consent: named`; under 'none' it is not re-shared at all.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ISIS_K, kabulAgreement } from '../src/app/console-demo.js';
import { readHubSecret } from '../src/app/data-dir.js';
import { releaseStoresOf, reviewStoresOf } from '../src/app/release-stores.js';
import { openStoredEntry } from '../src/ledger/ledger-commitment.js';
import { describeEntry } from '../src/ledger/ledger-sentence.js';
import { runReleasePipeline } from '../src/release/release-pipeline.js';
import { promoteSubmission } from '../src/release/submission-promote.js';
import { tlp2MarkingId } from '../src/stix/markings-tlp.js';
import type { JsonObject } from '../src/stix/types.js';
import { releasingIdentityIdOf } from '../src/tearline/tearline-identity.js';
import type { SubmitterConsent } from '../src/tearline/tearline-submitter.js';
import { openRedTeam, type RedTeam } from './redteam-fixture.js';
import { basic } from './taxii-fixture.js';

const SUBMISSIONS = '/taxii2/hub/collections/submissions/objects/';
const RELEASES = '/taxii2/hub/collections/releases/objects/';
const KABUL = 'kabul-authorities';

let t: RedTeam;
/** Kabul's own derived id for ISIS-K: what it would cite in a sighting. */
let isisKForKabul: string;

beforeAll(async () => {
  t = await openRedTeam();
  const row = await t.hub.state.sql.get<{ object_id: string }>(
    'SELECT object_id FROM releases WHERE partner_id = ? AND original_id = ? LIMIT 1',
    [t.kabul.id, ISIS_K],
  );
  if (!row) throw new Error('ISIS-K was not released to Kabul in the seed scenario');
  isisKForKabul = row.object_id;
}, 300_000);
afterAll(async () => {
  await t?.close();
});

async function setConsent(consent: SubmitterConsent): Promise<void> {
  const text = `${kabulAgreement(t.clock.now().getTime())}submitter_consent: ${consent}\n`;
  const set = await t.hub.state.agreements.set(t.kabul.id, text, {
    actor: 'admin',
    now: t.clock.now(),
    reason: `test: submitter consent ${consent}`,
  });
  expect(set.ok).toBe(true);
}

/** Kabul posts a sighting of ISIS-K where it saw it, over TAXII; the analyst promotes it. */
async function submitAndPromote(description: string): Promise<{ sent: JsonObject; promotedId: string }> {
  const at = t.clock.now().toISOString();
  const sent: JsonObject = {
    type: 'sighting',
    spec_version: '2.1',
    id: `sighting--${randomUUID()}`,
    created: at,
    modified: at,
    created_by_ref: t.kabul.id,
    sighting_of_ref: isisKForKabul,
    where_sighted_refs: [t.kabul.id],
    count: 4,
    description,
    object_marking_refs: [tlp2MarkingId('green')],
  };
  const answer = await t.call(t.kabul, SUBMISSIONS, { objects: [sent] });
  expect(answer.status).toBe(202);
  expect(JSON.parse(answer.body).success_count).toBe(1);
  const pending = await t.hub.state.submissions.list({ partnerId: t.kabul.id, limit: 1000 });
  const number = pending.find((s) => s.object_id === sent.id)?.number;
  if (number === undefined) throw new Error('the submission is not listed');
  const promoted = await promoteSubmission(reviewStoresOf(t.hub), number, { name: 'analyst' }, t.clock.now());
  if (!promoted.ok) throw new Error(promoted.message);
  await t.runPipeline();
  return { sent, promotedId: promoted.promotedId };
}

/** Every page of the ally's feed, every version, as the ally's TAXII client reads it. */
async function allyFeed(): Promise<{ text: string; objects: JsonObject[] }> {
  const objects: JsonObject[] = [];
  let text = '';
  let next: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const query = `?match[version]=all${next ? `&next=${encodeURIComponent(next)}` : ''}`;
    const answer = await t.call(t.ally, `${RELEASES}${query}`);
    expect(answer.status).toBe(200);
    text += answer.body;
    const envelope = JSON.parse(answer.body) as { objects?: JsonObject[]; more?: boolean; next?: string };
    objects.push(...(envelope.objects ?? []));
    if (!envelope.more) return { text, objects };
    next = envelope.next;
  }
  throw new Error('the feed never ended');
}

/** Every receipt the ally can fetch for its releases, after the next signed checkpoint. */
async function allyReceipts(): Promise<string> {
  t.clock.advance(2 * 3_600_000);
  await t.runPipeline();
  await t.hub.checkpointIfDue();
  const ids = await t.hub.state.sql.all<{ release_id: string }>(
    'SELECT release_id FROM release_records WHERE partner_id = ?',
    [t.ally.id],
  );
  expect(ids.length).toBeGreaterThan(0);
  let text = '';
  for (const { release_id } of ids) {
    const res = await fetch(`${t.base}/ledger/receipts/${release_id}`, {
      headers: { authorization: basic(t.ally.name, t.ally.token) },
    });
    expect(res.status).toBe(200);
    text += await res.text();
  }
  return text;
}

/** The ally's copy of one promoted object, found by the original id in the hub's release record. */
async function allyCopyOf(promotedId: string, objects: JsonObject[]): Promise<JsonObject | undefined> {
  const row = await t.hub.state.sql.get<{ object_id: string }>(
    'SELECT object_id FROM releases WHERE partner_id = ? AND original_id = ? LIMIT 1',
    [t.ally.id, promotedId],
  );
  return row && objects.find((o) => o.id === row.object_id);
}

function expectNoTraceOfKabul(text: string, sent: readonly JsonObject[]): void {
  const lower = text.toLowerCase();
  expect(lower).not.toContain(t.kabul.id);
  expect(lower).not.toContain(KABUL);
  for (const s of sent) expect(lower).not.toContain(String(s.id));
}

describe('a partner’s sighting re-shared to the ally (real TAXII on loopback)', () => {
  const sent: JsonObject[] = [];

  it('consent none: the promoted sighting reaches the ally not at all, and the ledger records the consent', async () => {
    await setConsent('none');
    const { sent: s, promotedId } = await submitAndPromote('Seen at a checkpoint on the Jalalabad road');
    sent.push(s);
    const feed = await allyFeed();
    expect(await allyCopyOf(promotedId, feed.objects)).toBeUndefined();
    const withheld = await t.hub.state.sql.get<{ n: number }>(
      'SELECT count(*) AS n FROM releases WHERE original_id = ? AND partner_id = ?',
      [promotedId, t.ally.id],
    );
    expect(Number(withheld?.n)).toBe(0);
    expectNoTraceOfKabul(feed.text, sent);
    // The promotion's ledger entry says which consent it was made under.
    const rows = await t.hub.ledgerService.readEntries(0, await t.hub.ledgerService.size());
    const review = rows
      .map((r) => openStoredEntry(r.bytes, r.opening))
      .map((o) => (o.ok ? describeEntry(o.entry) : ''))
      .filter((line) => line.includes(`submission ${s.id}`));
    expect(review).toEqual([expect.stringContaining('(submitter consent: none)')]);
  });

  it('consent hub-only: the ally’s copy names the hub where it was sighted, never Kabul, in feed or receipts', async () => {
    await setConsent('hub-only');
    const { sent: s, promotedId } = await submitAndPromote('Seen at a checkpoint on the Kunar road');
    sent.push(s);
    // Text naming the submitter is not re-shared under hub-only: an analyst must edit it first.
    const named = await submitAndPromote('Reported by the Kabul-Authorities liaison officer');
    sent.push(named.sent);
    const feed = await allyFeed();
    const copy = await allyCopyOf(promotedId, feed.objects);
    const hub = releasingIdentityIdOf(t.hub.config.hub_name);
    expect(copy).toMatchObject({ type: 'sighting', created_by_ref: hub, where_sighted_refs: [hub] });
    expect(feed.objects.some((o) => o.id === hub && o.name === t.hub.config.hub_name)).toBe(true);
    expect(await allyCopyOf(named.promotedId, feed.objects)).toBeUndefined();
    expectNoTraceOfKabul(feed.text, sent);
    expectNoTraceOfKabul(await allyReceipts(), sent);
  });

  it('consent named: the copy may name Kabul in its text; still created by the hub', async () => {
    await setConsent('named');
    const { sent: s, promotedId } = await submitAndPromote(
      'Reported by the kabul-authorities liaison officer',
    );
    const feed = await allyFeed();
    const copy = await allyCopyOf(promotedId, feed.objects);
    const hub = releasingIdentityIdOf(t.hub.config.hub_name);
    expect(copy).toMatchObject({
      type: 'sighting',
      created_by_ref: hub,
      description: 'Reported by the kabul-authorities liaison officer',
    });
    expect(JSON.stringify(copy)).not.toContain(String(s.id));
  });

  it('a consent given later reaches the ally in the next incremental pass (consent is part of every partner’s pass key)', async () => {
    await setConsent('none');
    const { promotedId } = await submitAndPromote('Seen near the Torkham crossing');
    const incremental = async () => {
      await runReleasePipeline(releaseStoresOf(t.hub), {
        now: t.clock.now(),
        actor: 'hub',
        hubSecret: readHubSecret(t.hub.paths.hubSecret),
        settingsDigest: 'settings-1',
      });
      t.hub.feed.publishDue(t.clock.now());
    };
    await incremental();
    await incremental();
    expect(await allyCopyOf(promotedId, (await allyFeed()).objects)).toBeUndefined();
    t.clock.advance(60_000);
    await setConsent('hub-only');
    await incremental();
    const copy = await allyCopyOf(promotedId, (await allyFeed()).objects);
    expect(copy).toMatchObject({ type: 'sighting', where_sighted_refs: [copy?.created_by_ref] });
  });
});
