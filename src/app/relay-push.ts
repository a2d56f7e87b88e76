import { randomUUID } from 'node:crypto';
import { envelopeDigest, mailboxIdOf } from '../relay/relay-envelope.js';
import { copyDigest, UNRELEASED_CONTEXT } from '../relay/relay-hub-receipts.js';
import { parseSealingPublicKey } from '../relay/relay-keys.js';
import { sealEnvelope } from '../relay/relay-seal.js';
import type { Partner } from '../store/hub/partner-store.js';
import { RelayOutboxStore } from '../store/hub/relay-outbox-store.js';
import type { Hub } from './hub.js';
import { loadLedgerSigner } from './ledger-key.js';
import { RelayClient, RelayStepError } from './relay-client.js';

export interface PushResult {
  sealed: number;
  posted: number;
  delivered: number;
  objects: number;
  failures: string[];
}

/** Objects per envelope: one envelope is one batch of a partner's feed. */
export const DEFAULT_ENVELOPE_OBJECTS = 100;

const ALL_VERSIONS = { all: true, first: false, last: false, timestamps: [] };

/**
 * The ledger's receipt for the release of each copy in an envelope (matched by derived id and
 * tearline digest): the recipient checks them against the objects on opening. A revoked version
 * (a recall) has no release of its own and carries none.
 */
async function hubReceipts(
  hub: Hub,
  outbox: RelayOutboxStore,
  partnerId: string,
  objects: readonly Record<string, unknown>[],
): Promise<{ receipts: Record<string, unknown>[]; releaseIds: string[] }> {
  const live = objects.filter((o) => o.revoked !== true && typeof o.id === 'string');
  const releases = await outbox.releasesOf(partnerId, [...new Set(live.map((o) => o.id as string))]);
  const byCopy = new Map(releases.map((r) => [`${r.derivedId}\u0000${r.digest}`, r.releaseId]));
  const receipts: Record<string, unknown>[] = [];
  const releaseIds: string[] = [];
  for (const o of live) {
    const releaseId = byCopy.get(`${o.id as string}\u0000${copyDigest(o)}`);
    // The hub's own identity and marking definitions travel with the copies that name them; no
    // release covers them (the recipient takes them without a receipt, and only them).
    if (releaseId === undefined) {
      if (UNRELEASED_CONTEXT.has(String(o.type))) continue;
      throw new RelayStepError(`no release of ${String(o.id)} to this partner matches its copy`);
    }
    const r = await hub.ledgerService.receiptForPartner(releaseId, partnerId);
    if (!r.ok) throw new RelayStepError(`the ledger's receipt for ${releaseId}: ${r.message}`);
    receipts.push(JSON.parse(r.json) as Record<string, unknown>);
    releaseIds.push(releaseId);
  }
  return { receipts, releaseIds };
}

/**
 * The sender's side for one partner reached through a relay. It reads what the pipeline already
 * published to the partner's feed (tearline copies, recalls as revoked versions) after the last
 * envelope, seals each batch to the partner's key and keeps it (ledgered) before posting; then
 * posts every envelope not yet taken, in sequence, and records which the relay has delivered.
 * The pipeline itself is untouched: a partner 'via' a relay still has its direct TAXII feed.
 */
export async function pushToRelay(
  hub: Hub,
  partner: Partner,
  token: string,
  opts: { envelopeObjects?: number } = {},
): Promise<PushResult> {
  const outbox = new RelayOutboxStore(hub.sql);
  const route = await outbox.route(partner.id);
  if (!route)
    throw new RelayStepError(`partner ${partner.name} is not reached through a relay (tearline relay route)`);
  const recipient = parseSealingPublicKey(route.recipientKey);
  if (!recipient.ok) throw new RelayStepError(`partner ${partner.name}'s sealing key: ${recipient.message}`);
  const signer = loadLedgerSigner(hub.paths, hub.config.hub_name);
  if (!signer.ok) throw new RelayStepError(signer.message);
  // Receipts prove against a signed checkpoint: sign one now if the last does not cover the releases.
  await hub.ledgerService.checkpointIfDue(hub.clock.now(), signer.signer, { intervalMs: 0 });
  const result: PushResult = { sealed: 0, posted: 0, delivered: 0, objects: 0, failures: [] };
  const limit = opts.envelopeObjects ?? DEFAULT_ENVELOPE_OBJECTS;

  for (;;) {
    const next = await outbox.next(partner.id);
    const now = hub.clock.now();
    const page = await hub.taxii.releases.page(
      partner.id,
      { afterUs: next.afterUs, version: ALL_VERSIONS, limit },
      now,
    );
    const last = page.rows.at(-1);
    if (!last) break;
    const objects = page.rows.map((r) => JSON.parse(r.json) as Record<string, unknown>);
    const { receipts, releaseIds } = await hubReceipts(hub, outbox, partner.id, objects);
    const sealed = await sealEnvelope({
      id: `x-tearline-sealed-envelope--${randomUUID()}`,
      created: now.toISOString(),
      signer: signer.signer,
      recipient: recipient.publicKey,
      sequence: next.sequence,
      previousDigest: next.previousDigest,
      payload: { objects, feed: { after_us: next.afterUs, through_us: last.positionUs }, receipts },
    });
    if (!sealed.ok) throw new RelayStepError(sealed.message);
    await outbox.addSealed(
      partner,
      route.relayUrl,
      sealed.envelope,
      envelopeDigest(sealed.envelope),
      { afterUs: next.afterUs, throughUs: last.positionUs, objects: objects.length },
      now,
      releaseIds,
    );
    result.sealed++;
    result.objects += objects.length;
    if (!page.more) break;
  }

  const client = new RelayClient(route.relayUrl, token);
  const mailbox = mailboxIdOf(hub.config.hub_name, route.recipient);
  const waiting = await outbox.unposted(partner.id);
  for (let i = 0; i < waiting.length; i += 20) {
    const batch = waiting.slice(i, i + 20);
    const status = await client.post(
      mailbox,
      batch.map((row) => JSON.parse(row.body) as unknown),
    );
    for (const s of status.successes ?? []) {
      const row = batch.find((b) => b.envelopeId === s.id);
      const index = /relay ledger index (\d+)/.exec(s.message ?? '')?.[1];
      if (row && index !== undefined) {
        await outbox.markPosted(partner.id, row.sequence, Number(index), hub.clock.now());
        result.posted++;
      }
    }
    for (const f of status.failures ?? []) result.failures.push(f.message);
    // The relay takes a mailbox in sequence: after a refusal the rest would be refused too.
    if ((status.failures ?? []).length > 0) break;
  }

  const delivered = await client.status(mailbox);
  for (const e of delivered.envelopes) {
    if (e.delivered_at !== null) await outbox.markDelivered(partner.id, e.envelope_id, e.delivered_at);
  }
  result.delivered = (await outbox.list(partner.id)).filter((r) => r.deliveredAt !== null).length;
  return result;
}
