// The liaison channel (issue 25) on three kinds of process over loopback, all the real binary:
// the agency's hub (sender), the relay in Doha, and the Kabul authorities' hub (recipient).
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataDirPaths } from '../src/app/data-dir.js';
import { openHub } from '../src/app/hub.js';
import { loadSealingKey } from '../src/app/relay-key-file.js';
import { parseVerifierKey } from '../src/ledger/ledger-note.js';
import { verifyReceipt } from '../src/ledger/ledger-receipt.js';
import { ciphertextDigest, mailboxIdOf, parseSealedEnvelope } from '../src/relay/relay-envelope.js';
import { openEnvelope } from '../src/relay/relay-seal.js';
import { TAXII_MEDIA_TYPE } from '../src/taxii/taxii-media.js';
import { buildChannel, type Channel, copiedDataDir, envFor, ok, startRelay } from './relay-fixture.js';
import { runTearline, tempDir } from './run-cli.js';

let c: Channel;
let relay: Awaited<ReturnType<typeof startRelay>>;
/** Kabul's data dir as it was before it pulled anything: each attack is played on a fresh copy. */
let kabulBefore: string;
const HQ_TO_KABUL = mailboxIdOf('hq.example', 'kabul.example');

const pull = (data: string, token = c.tokens.kabul) => {
  const args = [
    'relay',
    'pull',
    relay.url,
    '--token',
    token,
    '--sender-key',
    c.hqKey,
    '--data',
    data,
    '--json',
  ];
  return runTearline(args, envFor(args));
};

function freshKabul(): string {
  const dir = join(tempDir('tearline-relay-kabul-copy-'), 'data');
  cpSync(kabulBefore, dir, { recursive: true });
  copiedDataDir(dir, c.kabul);
  return dir;
}

/** Every object version in the agency's feed for Kabul, as Kabul should receive it. */
async function kabulFeed(): Promise<Record<string, unknown>[]> {
  const hub = openHub(c.hq);
  try {
    const partner = await hub.state.partners.get('kabul-authorities');
    const page = await hub.taxii.releases.page(
      partner?.id ?? '',
      { version: { all: true, first: false, last: false, timestamps: [] }, limit: 10_000 },
      new Date(),
    );
    return page.rows.map((r) => JSON.parse(r.json) as Record<string, unknown>);
  } finally {
    hub.close();
  }
}

function intelIds(data: string): string[] {
  const db = new Database(join(data, 'tearline.db'), { readonly: true });
  try {
    return (db.prepare('SELECT DISTINCT id FROM objects ORDER BY id').all() as { id: string }[]).map(
      (r) => r.id,
    );
  } finally {
    db.close();
  }
}

/** Runs SQL on the relay's database behind its back: what a hostile relay operator can do. */
function onRelayDb<T>(work: (db: Database.Database) => T): T {
  const db = new Database(join(c.doha, 'tearline.db'));
  try {
    return work(db);
  } finally {
    db.close();
  }
}

async function relayGet(path: string, token?: string, headers: Record<string, string> = {}) {
  return fetch(new URL(path, relay.url), {
    headers: { Accept: TAXII_MEDIA_TYPE, ...(token && { Authorization: `Bearer ${token}` }), ...headers },
  });
}

beforeAll(async () => {
  c = await buildChannel();
  kabulBefore = join(tempDir('tearline-relay-kabul-before-'), 'data');
  cpSync(c.kabul, kabulBefore, { recursive: true });
  copiedDataDir(kabulBefore, c.kabul);
  relay = await startRelay(c.doha);
  await ok([
    'relay',
    'route',
    'kabul-authorities',
    '--relay',
    relay.url,
    '--recipient',
    'kabul.example',
    '--recipient-key',
    c.kabulSealing,
    '--token',
    c.tokens.hq,
    '--data',
    c.hq,
  ]);
}, 300_000);

afterAll(async () => {
  await relay?.stop();
});

describe('the Doha channel through a relay', () => {
  it('carries the seed scenario from the agency to Kabul, with receipts from every party', async () => {
    // One object per envelope, so the mailbox holds a chain to attack below.
    const pushed = JSON.parse(
      await ok(['relay', 'push', '--data', c.hq, '--envelope-objects', '1', '--json']),
    );
    const feed = await kabulFeed();
    expect(feed.length).toBeGreaterThanOrEqual(2);
    expect(pushed[0]).toMatchObject({
      partner: 'kabul-authorities',
      sealed: feed.length,
      posted: feed.length,
      failures: [],
    });
    const pulled = await pull(c.kabul);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(JSON.parse(pulled.stdout)).toMatchObject({
      into: 'intel',
      fetched: feed.length,
      accepted: feed.length,
      // Each envelope came with the agency ledger's receipt for its bundle, checked on opening.
      receipts: feed.length,
      problems: [],
    });
    expect(intelIds(c.kabul)).toEqual([...new Set(feed.map((o) => o.id as string))].sort());
    // A second pull takes nothing twice and reports nothing.
    expect(
      JSON.parse(
        await ok([
          'relay',
          'pull',
          relay.url,
          '--token',
          c.tokens.kabul,
          '--sender-key',
          c.hqKey,
          '--data',
          c.kabul,
          '--json',
        ]),
      ),
    ).toMatchObject({ accepted: 0, problems: [] });

    // The agency learns of delivery; the relay proves it took and delivered each envelope.
    await ok(['relay', 'push', '--data', c.hq]);
    const status = JSON.parse(
      await ok(['relay', 'status', 'kabul-authorities', '--data', c.hq, '--json']),
    ) as {
      envelopeId: string;
      digest: string;
      deliveredAt: string | null;
    }[];
    expect(status.every((s) => s.deliveredAt !== null)).toBe(true);
    const relayKey = (await (await fetch(new URL('relay/key', relay.url))).text()).trim();
    const first = status[0] as (typeof status)[number];
    const receipts = (await (
      await relayGet(`relay/mailboxes/${HQ_TO_KABUL}/receipts/${first.envelopeId}`, c.tokens.hq)
    ).json()) as {
      accepted: unknown;
      delivered: unknown;
    };
    const accepted = verifyReceipt(JSON.stringify(receipts.accepted), relayKey);
    const delivered = verifyReceipt(JSON.stringify(receipts.delivered), relayKey);
    expect(accepted.ok && accepted.entry).toMatchObject({
      kind: 'relay-envelope',
      sequence: 1,
      digest: first.digest,
    });
    // The leaf commits to which hubs exchange, without showing it (ledger entries version 2).
    expect(JSON.stringify(receipts)).not.toContain('kabul.example');
    expect(delivered.ok && delivered.entry).toMatchObject({
      kind: 'relay-delivery',
      sequence: 1,
      digest: first.digest,
    });
    // The sender's proof of what it handed the relay, checked offline with the relay's key alone
    // (no data dir, no network); a tampered one is refused with the reason.
    const dir = tempDir('tearline-relay-receipt-');
    const receiptFile = join(dir, 'receipt.json');
    writeFileSync(receiptFile, await ok(['relay', 'receipt', 'kabul-authorities', '1', '--data', c.hq]));
    const envelopeFile = join(dir, 'envelope.json');
    writeFileSync(
      envelopeFile,
      onRelayDb(
        (db) =>
          (
            db.prepare('SELECT body FROM relay_envelopes WHERE envelope_id = ?').get(first.envelopeId) as {
              body: string;
            }
          ).body,
      ),
    );
    const verify = (file: string) =>
      runTearline(['relay', 'verify-receipt', file, '--relay-key', relayKey, '--envelope', envelopeFile]);
    const good = await verify(receiptFile);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/ok: doha-relay\.example took envelope 1 .*\nok: and delivered it/);
    const doc = JSON.parse(await ok(['relay', 'receipt', 'kabul-authorities', '1', '--data', c.hq]));
    const tampered = join(dir, 'tampered.json');
    writeFileSync(tampered, JSON.stringify({ ...doc, digest: 'f'.repeat(64) }));
    const bad = await verify(tampered);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /the relay receipt does not verify: accepted: the relay's entry names sequence 1 and digest/,
    );
    writeFileSync(tampered, JSON.stringify({ ...doc, sequence: 2 }));
    expect((await verify(tampered)).stderr).toMatch(/does not verify/);

    // Each party's ledger verifies offline and names the same envelope digest.
    for (const data of [c.hq, c.doha, c.kabul])
      expect(
        (await runTearline(['ledger', 'verify', '--data', data], envFor(['ledger', '--data', data]))).code,
      ).toBe(0);
    const kabulLedger = await ok(['ledger', 'export', '--data', c.kabul]);
    expect(kabulLedger).toContain(first.digest);
  });

  it("keeps no plaintext of any released object in the relay's database", async () => {
    const needles = new Set<string>();
    for (const o of await kabulFeed()) {
      for (const v of Object.values(o)) {
        // Hub names are the relay's to know (they route the mail); everything else is content.
        if (
          typeof v === 'string' &&
          v.length >= 8 &&
          !/^\d{4}-\d{2}-\d{2}T/.test(v) &&
          !v.endsWith('.example')
        )
          needles.add(v);
      }
    }
    expect(needles.size).toBeGreaterThan(2);
    onRelayDb((db) => {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
        name: string;
      }[];
      let rows = 0;
      for (const { name } of tables) {
        for (const row of db.prepare(`SELECT * FROM "${name}"`).all()) {
          rows++;
          const text = JSON.stringify(row, (_k, v) => (Buffer.isBuffer(v) ? v.toString('latin1') : v));
          for (const n of needles) expect(text.includes(n), `${name} holds ${n}`).toBe(false);
        }
      }
      expect(rows).toBeGreaterThan(0);
    });
  });

  it('does not let a wrong recipient read or open a mailbox', async () => {
    // The ally's own token: the mailbox does not exist for it.
    const r = await relayGet(`taxii2/relay/collections/${HQ_TO_KABUL}/objects/`, c.tokens.ally);
    expect(r.status).toBe(404);
    const own = await pull(c.ally, c.tokens.ally);
    expect(own.code).toBe(1);
    expect(own.stderr).toMatch(/relay refused .* \(404\)/);
    // Kabul's token stolen by the ally: the envelopes come, and none opens with the ally's key,
    // not even under Kabul's name and key id.
    const page = (await (
      await relayGet(`taxii2/relay/collections/${HQ_TO_KABUL}/objects/`, c.tokens.kabul)
    ).json()) as {
      objects: unknown[];
    };
    const allyKey = await loadSealingKey(dataDirPaths(c.ally), 'ally.example');
    const hqKey = parseVerifierKey(c.hqKey);
    if (!allyKey.ok || !hqKey.ok) throw new Error('keys');
    const kabulKeyId = (c.kabulSealing.split('+')[1] ?? '') as string;
    for (const value of page.objects) {
      const parsed = parseSealedEnvelope(value);
      if (!parsed.ok) throw new Error(parsed.message);
      const keys = {
        recipientName: 'ally.example',
        recipientKeyId: allyKey.key.keyId,
        pair: allyKey.key.pair,
        senderVerifier: hqKey.verifier,
      };
      expect(await openEnvelope(parsed.envelope, keys)).toMatchObject({ ok: false, code: 'wrong-recipient' });
      const forged = { ...keys, recipientName: 'kabul.example', recipientKeyId: kabulKeyId };
      expect(await openEnvelope(parsed.envelope, forged)).toMatchObject({ ok: false, code: 'cannot-open' });
    }
    expect(page.objects.length).toBeGreaterThan(0);
    expect(intelIds(c.ally)).toEqual([]);
  });

  it('catches a tampered, replayed, reordered or dropped envelope', async () => {
    const rows = onRelayDb((db) =>
      db.prepare('SELECT * FROM relay_envelopes WHERE mailbox_id = ? ORDER BY sequence').all(HQ_TO_KABUL),
    ) as ({ pos: number; sequence: number; body: string } & Record<string, unknown>)[];
    const [one, two] = rows as [(typeof rows)[0], (typeof rows)[0]];
    const attack = async (change: (db: Database.Database) => void) => {
      onRelayDb(change);
      try {
        const r = await pull(freshKabul());
        return { code: r.code, ...(JSON.parse(r.stdout) as { accepted: number; problems: string[] }) };
      } finally {
        // Put the mailbox back exactly as it was for the next attack (and the next test).
        onRelayDb((db) => {
          db.prepare('DELETE FROM relay_envelopes WHERE mailbox_id = ?').run(HQ_TO_KABUL);
          const columns = Object.keys(rows[0] ?? {});
          const put = db.prepare(
            `INSERT INTO relay_envelopes (${columns.join(', ')}) VALUES (${columns.map((k) => `@${k}`).join(', ')})`,
          );
          for (const row of rows) put.run(row);
        });
      }
    };
    const swapFirstChar = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    const tampered = await attack((db) => {
      const e = JSON.parse(one.body) as { ciphertext: string };
      e.ciphertext = swapFirstChar(e.ciphertext);
      db.prepare('UPDATE relay_envelopes SET body = ? WHERE pos = ?').run(JSON.stringify(e), one.pos);
    });
    expect(tampered).toMatchObject({ code: 1, accepted: 0 });
    expect(tampered.problems.join('\n')).toMatch(/ciphertext does not match ciphertext_digest/);
    // The ciphertext and its digest both changed: the signature no longer holds.
    const forged = await attack((db) => {
      const e = JSON.parse(one.body) as { ciphertext: string; ciphertext_digest: string };
      e.ciphertext = swapFirstChar(e.ciphertext);
      e.ciphertext_digest = ciphertextDigest(e.ciphertext);
      db.prepare('UPDATE relay_envelopes SET body = ? WHERE pos = ?').run(JSON.stringify(e), one.pos);
    });
    expect(forged).toMatchObject({ code: 1, accepted: 0 });
    expect(forged.problems.join('\n')).toMatch(/signature does not verify/);

    const dropped = await attack((db) =>
      db.prepare('DELETE FROM relay_envelopes WHERE pos = ?').run(one.pos),
    );
    expect(dropped).toMatchObject({ code: 1, accepted: 0 });
    expect(dropped.problems.join('\n')).toMatch(/envelope 1 from hq\.example is missing/);

    const reordered = await attack((db) => {
      db.prepare('UPDATE relay_envelopes SET pos = -1 WHERE pos = ?').run(one.pos);
      db.prepare('UPDATE relay_envelopes SET pos = ? WHERE pos = ?').run(one.pos, two.pos);
      db.prepare('UPDATE relay_envelopes SET pos = ? WHERE pos = -1').run(two.pos);
    });
    expect(reordered).toMatchObject({ code: 1, accepted: rows.length });
    expect(reordered.problems.join('\n')).toMatch(/came after a later one/);

    const replayed = await attack((db) =>
      db.prepare('UPDATE relay_envelopes SET body = ? WHERE pos = ?').run(one.body, two.pos),
    );
    expect(replayed).toMatchObject({ code: 1, accepted: 1 });
    expect(replayed.problems.join('\n')).toMatch(/repeats sequence 1/);
  });

  it('loses nothing when the relay restarts mid-transfer, and carries a recall as a revoked version', async () => {
    const hub = openHub(c.hq);
    const partner = await hub.state.partners.get('kabul-authorities');
    const released = (await hub.sql.get<{ original_id: string; derived_id: string }>(
      'SELECT original_id, derived_id FROM release_records WHERE partner_id = ? ORDER BY released_at LIMIT 1',
      [partner?.id],
    )) as { original_id: string; derived_id: string };
    hub.close();
    await relay.stop();
    await ok([
      'recall',
      'kabul-authorities',
      released.original_id,
      '--reason',
      'source at risk',
      '--data',
      c.hq,
    ]);
    const down = await runTearline(
      ['relay', 'push', '--data', c.hq],
      envFor(['relay', 'push', '--data', c.hq]),
    );
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/unreachable/);
    // The agency keeps the refused post (reason, time) until a push has the relay take it.
    const refused = () => {
      const hq = new Database(join(c.hq, 'tearline.db'), { readonly: true });
      try {
        return hq
          .prepare('SELECT reason, message, resolved_at FROM relay_push_failures ORDER BY id')
          .all() as { reason: string; message: string; resolved_at: string | null }[];
      } finally {
        hq.close();
      }
    };
    expect(refused()).toEqual([
      { reason: 'unreachable', message: expect.stringMatching(/unreachable/), resolved_at: null },
    ]);
    relay = await startRelay(c.doha, relay.port);
    const up = JSON.parse(await ok(['relay', 'push', '--data', c.hq, '--json']));
    expect(up[0]).toMatchObject({ sealed: 0, failures: [] });
    expect(up[0].posted).toBeGreaterThanOrEqual(1);
    expect(refused()).toEqual([
      { reason: 'unreachable', message: expect.any(String), resolved_at: expect.any(String) },
    ]);
    const pulled = await pull(c.kabul);
    expect(pulled.code, pulled.stdout).toBe(0);
    const db = new Database(join(c.kabul, 'tearline.db'), { readonly: true });
    const revoked = db
      .prepare('SELECT json FROM objects WHERE id = ? AND json LIKE \'%"revoked":true%\'')
      .all(released.derived_id);
    db.close();
    expect(revoked.length).toBe(1);
  });

  it('answers bad input on every relay endpoint with a clear error and stores nothing', async () => {
    const before = onRelayDb((db) => db.prepare('SELECT count(*) AS n FROM relay_envelopes').get());
    const inbox = `taxii2/relay/collections/${HQ_TO_KABUL}/objects/`;
    const post = (body: string | Buffer, token = c.tokens.hq, type = TAXII_MEDIA_TYPE) =>
      fetch(new URL(inbox, relay.url), {
        method: 'POST',
        headers: { Accept: TAXII_MEDIA_TYPE, 'Content-Type': type, Authorization: `Bearer ${token}` },
        body,
      });
    const expectError = async (r: Response, status: number, description: RegExp) => {
      expect(r.status).toBe(status);
      const text = await r.text();
      expect(text).not.toMatch(/at .*\.js:\d+/); // no stack trace
      expect(text).toMatch(description);
      expect(r.headers.get('cache-control')).toBe('no-store');
    };
    for (const path of ['taxii2/', 'taxii2/relay/', 'taxii2/relay/collections/', inbox, 'relay/checkpoint']) {
      await expectError(await relayGet(path), 401, /Bearer/);
      await expectError(await relayGet(path, 'trl_not-a-token'), 401, /Bearer/);
    }
    await expectError(await relayGet('taxii2/', c.tokens.hq, { Accept: 'text/html' }), 406, /Accept/);
    await expectError(await relayGet(`${inbox}?limit=0`, c.tokens.kabul), 400, /limit must be/);
    await expectError(
      await relayGet(`${inbox}?added_after=2020`, c.tokens.kabul),
      400,
      /unknown parameter added_after/,
    );
    await expectError(await relayGet(`${inbox}?next=-1`, c.tokens.kabul), 400, /next must be/);
    await expectError(await relayGet(inbox, c.tokens.hq), 403, /only the recipient/);
    await expectError(
      await relayGet('taxii2/relay/collections/no-such-box/', c.tokens.hq),
      404,
      /no such resource/,
    );
    await expectError(
      await relayGet(`relay/mailboxes/${HQ_TO_KABUL}/receipts/nope`, c.tokens.hq),
      404,
      /no such resource/,
    );
    await expectError(
      await relayGet(`relay/mailboxes/${HQ_TO_KABUL}/status`, c.tokens.ally),
      404,
      /no such resource/,
    );
    await expectError(await post('{"objects": [', c.tokens.hq), 400, /not valid JSON/);
    await expectError(await post('[]'), 400, /TAXII envelope/);
    await expectError(await post('{"objects": []}'), 400, /at least one/);
    await expectError(await post('{"objects": [{}]}', c.tokens.hq, 'text/plain'), 415, /Content-Type/);
    await expectError(await post('{"objects": [{}]}', c.tokens.kabul), 403, /only the sender/);
    // Invalid UTF-8 is refused, not replaced unseen.
    await expectError(
      await post(
        Buffer.concat([Buffer.from('{"objects": ["'), Buffer.from([0xff, 0xfe]), Buffer.from('"]}')]),
      ),
      400,
      /not UTF-8 at line 1, column 15/,
    );
    // Nesting is checked before parsing, and a duplicate member name is refused (I-JSON), both by position.
    await expectError(
      await post(`{"objects": [${'['.repeat(100_000)}${']'.repeat(100_000)}]}`),
      400,
      /nesting deeper than/,
    );
    await expectError(await post('{"objects": [{}], "objects": [{}]}'), 400, /duplicate.*line 1/s);
    await expectError(await post(JSON.stringify({ objects: new Array(101).fill({}) })), 413, /at most 100/);
    // Over 10 MiB: a 413, or the connection closed before the body is read; never stored.
    const huge = await post(JSON.stringify({ objects: ['x'.repeat(11 * 1024 * 1024)] })).catch(
      (err: Error) => err,
    );
    if (huge instanceof Response) await expectError(huge, 413, /over/);
    else expect(String((huge as { cause?: unknown }).cause)).toMatch(/EPIPE|ECONNRESET|closed|terminated/);
    // Envelopes that parse as JSON but are not right: each refused by name, in a TAXII status.
    const held = onRelayDb(
      (db) =>
        db
          .prepare('SELECT body FROM relay_envelopes WHERE mailbox_id = ? ORDER BY sequence LIMIT 1')
          .get(HQ_TO_KABUL) as { body: string },
    );
    const envelope = JSON.parse(held.body) as Record<string, unknown>;
    const status = await (
      await post(
        JSON.stringify({
          objects: [
            { type: 'indicator' },
            { ...envelope, sequence: 9999 },
            { ...envelope, recipient: 'ally.example' },
            { ...envelope, ciphertext: `B${String(envelope.ciphertext).slice(1)}` },
            envelope,
          ],
        }),
      )
    ).json();
    expect(status).toMatchObject({ status: 'complete', success_count: 1, failure_count: 4 });
    const messages = (status as { failures: { message: string }[] }).failures
      .map((f) => f.message)
      .join('\n');
    expect(messages).toMatch(/objects\[0\]: unexpected propert|objects\[0\]: missing/);
    expect(messages).toMatch(/objects\[1\]: .*signature does not verify|objects\[1\]: sequence/);
    expect(messages).toMatch(/objects\[2\]: sender and recipient must be hq\.example and kabul\.example/);
    expect(messages).toMatch(/objects\[3\]: ciphertext does not match ciphertext_digest/);
    // The held envelope again is a duplicate (a retry), not a second copy.
    expect(onRelayDb((db) => db.prepare('SELECT count(*) AS n FROM relay_envelopes').get())).toEqual(before);
  });

  it("carries Kabul's sightings back to the agency as Kabul's submissions, awaiting review", async () => {
    const hqSealing = (await ok(['relay', 'keygen', '--data', c.hq])).trim();
    const received = intelIds(c.kabul).find((id) => id.startsWith('indicator--'));
    expect(received).toBeDefined();
    const t = new Date().toISOString();
    const sightingId = `sighting--${crypto.randomUUID()}`;
    const file = join(tempDir('tearline-relay-feedback-'), 'sightings.json');
    const sighting = {
      type: 'sighting',
      spec_version: '2.1',
      id: sightingId,
      created: t,
      modified: t,
      sighting_of_ref: received,
      count: 3,
      description: 'seen at the Torkham crossing checkpoint',
    };
    const feedback = (path: string, data = c.kabul) => {
      const args = [
        'relay',
        'feedback',
        'hq.example',
        path,
        '--relay',
        relay.url,
        '--token',
        c.tokens.kabul,
        '--recipient-key',
        hqSealing,
        '--data',
        data,
        '--json',
      ];
      return runTearline(args, envFor(args));
    };
    // Only sightings go back, each checked, with the fault named; nothing is sealed for a bad file.
    writeFileSync(file, JSON.stringify([sighting, { type: 'indicator', id: 'indicator--x' }]));
    const refused = await feedback(file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/objects\[1\] is not a sighting/);
    writeFileSync(file, '{"type": "bundle", "objects": [');
    expect((await feedback(file)).stderr).toMatch(/not valid JSON/);
    writeFileSync(
      file,
      JSON.stringify({ type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects: [sighting] }),
    );
    const sent = await feedback(file);
    expect(sent.code, sent.stderr).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({ sequence: 1, objects: 1, posted: 1, failures: [] });

    const args = [
      'relay',
      'pull',
      relay.url,
      '--token',
      c.tokens.hq,
      '--sender-key',
      c.kabulKey,
      '--data',
      c.hq,
      '--json',
    ];
    const pulled = await runTearline(args, envFor(args));
    expect(pulled.code, pulled.stderr + pulled.stdout).toBe(0);
    expect(JSON.parse(pulled.stdout)).toMatchObject({
      into: 'submissions',
      fetched: 1,
      accepted: 1,
      objects: { added: 1 },
      problems: [],
    });
    const db = new Database(join(c.hq, 'tearline.db'), { readonly: true });
    try {
      // Never straight into intel: a pending submission of Kabul's, its reference mapped back to
      // the agency's original, created by Kabul's identity as the envelope's signature proves.
      expect(db.prepare('SELECT count(*) AS n FROM objects WHERE id = ?').get(sightingId)).toEqual({ n: 0 });
      const row = db
        .prepare(
          'SELECT partner_id, review_state, json, mapped_json FROM taxii_submissions WHERE object_id = ?',
        )
        .get(sightingId) as { partner_id: string; review_state: string; json: string; mapped_json: string };
      const kabul = db.prepare("SELECT id FROM partners WHERE name = 'kabul-authorities'").get() as {
        id: string;
      };
      expect(row).toMatchObject({ partner_id: kabul.id, review_state: 'pending' });
      const mapped = JSON.parse(row.mapped_json) as { sighting_of_ref: string; created_by_ref: string };
      expect(mapped.created_by_ref).toBe(kabul.id);
      const original = db
        .prepare('SELECT original_id FROM release_records WHERE partner_id = ? AND derived_id = ?')
        .get(kabul.id, received) as { original_id: string } | undefined;
      expect(mapped.sighting_of_ref).toBe(original?.original_id ?? received);
    } finally {
      db.close();
    }
    // Provenance names the relay and the envelope; the relay holds none of the sighting.
    expect(await ok(['ledger', 'export', '--with-private', '--data', c.hq])).toContain(
      'relay:kabul.example:1:',
    );
    onRelayDb((db) => {
      for (const table of ['relay_envelopes', 'ledger_entries']) {
        const text = JSON.stringify(db.prepare(`SELECT * FROM ${table}`).all(), (_k, v) =>
          Buffer.isBuffer(v) ? v.toString('latin1') : v,
        );
        expect(text).not.toContain(sightingId);
        expect(text).not.toContain('Torkham');
      }
    });
    // A second pull takes nothing twice.
    const again = await runTearline(args, envFor(args));
    expect(JSON.parse(again.stdout)).toMatchObject({ fetched: 0, accepted: 0 });
    // A disabled partner's feedback is not taken, as its TAXII pushes are not.
    const hqDb = new Database(join(c.hq, 'tearline.db'));
    hqDb.prepare("UPDATE partners SET enabled = 0 WHERE name = 'kabul-authorities'").run();
    hqDb.close();
    const disabled = await runTearline(args, envFor(args));
    expect(disabled.code).toBe(1);
    expect(disabled.stderr).toMatch(/partner kabul-authorities is disabled: its feedback is not taken/);
    expect(disabled.stderr).not.toMatch(/internal error|at .*\.js:\d+/);

    // Feedback the relay refuses is kept as a refused push is (same table and reasons), and a
    // later feedback that the relay takes carries the held envelope too and resolves it.
    const badArgs = [
      'relay',
      'feedback',
      'hq.example',
      file,
      '--relay',
      relay.url,
      '--token',
      'trl_not-kabuls-token',
      '--recipient-key',
      hqSealing,
      '--data',
      c.kabul,
      '--json',
    ];
    const bad = await runTearline(badArgs, envFor(badArgs));
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/\(401\)/);
    expect(bad.stderr).not.toMatch(/at .*\.js:\d+/);
    const failures = () => {
      const k = new Database(join(c.kabul, 'tearline.db'), { readonly: true });
      try {
        return k
          .prepare('SELECT partner_id, sequence, reason, resolved_at FROM relay_push_failures ORDER BY id')
          .all();
      } finally {
        k.close();
      }
    };
    expect(failures()).toEqual([
      { partner_id: 'feedback:hq.example', sequence: 2, reason: 'unauthenticated', resolved_at: null },
    ]);
    const resent = await feedback(file);
    expect(resent.code, resent.stderr).toBe(0);
    expect(JSON.parse(resent.stdout)).toMatchObject({ sequence: 3, posted: 2, failures: [] });
    expect(failures()).toEqual([
      {
        partner_id: 'feedback:hq.example',
        sequence: 2,
        reason: 'unauthenticated',
        resolved_at: expect.any(String),
      },
    ]);
  });
});
