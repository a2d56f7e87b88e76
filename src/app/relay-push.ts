import { randomUUID } from 'node:crypto';
import { type EncodedBundle, encodeBundle } from '../relay/relay-bundle.js';
import { envelopeDigest, mailboxIdOf } from '../relay/relay-envelope.js';
import { copyDigest, UNRELEASED_CONTEXT } from '../relay/relay-hub-receipts.js';
import { parseSealingPublicKey } from '../relay/relay-keys.js';
import { sealEnvelope } from '../relay/relay-seal.js';
import type { Partner } from '../store/hub/partner-store.js';
import { RelayBundleStore } from '../store/hub/relay-bundle-store.js';
import { type PushFailureReason, RelayOutboxStore } from '../store/hub/relay-outbox-store.js';
import type { Hub } from './hub.js';
import { loadLedgerSigner } from './ledger-key.js';
import { RelayClient, RelayClientError, RelayStepError } from './relay-client.js';

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
 * The release each live copy in an envelope came from (matched by derived id and tearline
 * digest), named in the bundle beside the copies. A revoked version (a recall) has no release of
 * its own; the hub's identity and marking definitions travel with the copies that name them.
 */
async function releasesFor(
  outbox: RelayOutboxStore,
  partnerId: string,
  objects: readonly Record<string, unknown>[],
): Promise<{ derived_id: string; release_id: string }[]> {
  const live = objects.filter((o) => o.revoked !== true && typeof o.id === 'string');
  const releases = await outbox.releasesOf(partnerId, [...new Set(live.map((o) => o.id as string))]);
  const byCopy = new Map(releases.map((r) => [`${r.derivedId}\u0000${r.digest}`, r.releaseId]));
  const named: { derived_id: string; release_id: string }[] = [];
  for (const o of live) {
    const releaseId = byCopy.get(`${o.id as string}\u0000${copyDigest(o)}`);
    if (releaseId === undefined) {
      if (UNRELEASED_CONTEXT.has(String(o.type))) continue;
      throw new RelayStepError(`no release of ${String(o.id)} to this partner matches its copy`);
    }
    named.push({ derived_id: o.id as string, release_id: releaseId });
  }
  return named;
}

/** The kind of a whole post's failure, from the relay's HTTP status (none: it did not answer). */
export function reasonOf(status: number | undefined): PushFailureReason {
  if (status === undefined) return 'unreachable';
  if (status === 401 || status === 403) return 'unauthenticated';
  if (status === 413) return 'too-large';
  if (status === 429) return 'rate-limited';
  return 'relay-error';
}

/** Envelopes bundled (and ledgered) per checkpoint: one signature covers this many receipts. */
const BUNDLES_PER_CHECKPOINT = 50;

interface Bundled {
  sequence: number;
  encoded: EncodedBundle;
  ledgerIndex: number;
  afterUs: number;
  throughUs: number;
  objects: number;
  releaseIds: string[];
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
  const result: PushResult = { sealed: 0, posted: 0, delivered: 0, objects: 0, failures: [] };
  const limit = opts.envelopeObjects ?? DEFAULT_ENVELOPE_OBJECTS;

  // In rounds: read up to BUNDLES_PER_CHECKPOINT pages of the feed, record each page's bundle in
  // the ledger ('relay-bundle': its digest), sign one checkpoint over them, then seal each with
  // its receipt. A push that stops between the two leaves those entries pending (relay_bundles);
  // the next push reuses each whose page is unchanged and records the others as abandoned.
  const bundleStore = new RelayBundleStore(hub.sql);
  for (let more = true; more; ) {
    const next = await outbox.next(partner.id);
    const now = hub.clock.now();
    const bundles: Bundled[] = [];
    let afterUs = next.afterUs;
    while (bundles.length < BUNDLES_PER_CHECKPOINT) {
      const page = await hub.taxii.releases.page(partner.id, { afterUs, version: ALL_VERSIONS, limit }, now);
      const last = page.rows.at(-1);
      if (!last) {
        more = false;
        break;
      }
      const objects = page.rows.map((r) => JSON.parse(r.json) as Record<string, unknown>);
      const releases = await releasesFor(outbox, partner.id, objects);
      bundles.push({
        sequence: next.sequence + bundles.length,
        encoded: encodeBundle({
          objects,
          feed: { after_us: afterUs, through_us: last.positionUs },
          releases,
        }),
        ledgerIndex: -1,
        afterUs,
        throughUs: last.positionUs,
        objects: objects.length,
        releaseIds: releases.map((r) => r.release_id),
      });
      afterUs = last.positionUs;
      if (!page.more) {
        more = false;
        break;
      }
    }
    if (bundles.length === 0) break;
    // A push stopped after ledgering its bundles and before sealing them left them pending: an
    // unchanged page (same sequence, same bytes) reuses its entry; any other is recorded as
    // abandoned, with why, so every 'relay-bundle' entry is accounted for.
    const pending = await bundleStore.pending(partner.id);
    for (const b of bundles) {
      const same = pending.find((p) => p.sequence === b.sequence && p.digest === b.encoded.digest);
      if (same) b.ledgerIndex = same.ledgerIndex;
    }
    for (const p of pending)
      if (!bundles.some((b) => b.ledgerIndex === p.ledgerIndex))
        await bundleStore.markAbandoned(
          partner.id,
          p.ledgerIndex,
          `a push stopped before sealing it; the feed page for envelope ${p.sequence} is no longer these ${p.objects} objects (bundle ${p.digest.slice(0, 12)})`,
          now,
        );
    const fresh = bundles.filter((b) => b.ledgerIndex < 0);
    if (fresh.length > 0) {
      const appended = await hub.sql.transaction(async (tx) => {
        const a = await tx.appendLedger(
          fresh.map((b) => ({
            kind: 'relay-bundle' as const,
            time: now.toISOString(),
            actor: 'relay-push',
            partner: partner.name,
            sequence: b.sequence,
            count: b.objects,
            digest: b.encoded.digest,
          })),
        );
        if (!a.ok) return a;
        for (const [i, b] of fresh.entries()) b.ledgerIndex = a.first + i;
        await new RelayBundleStore(tx).addPending(
          partner.id,
          fresh.map((b) => ({
            ledgerIndex: b.ledgerIndex,
            sequence: b.sequence,
            digest: b.encoded.digest,
            objects: b.objects,
          })),
          now,
        );
        return a;
      });
      if (!appended.ok) throw new RelayStepError(`the ledger: ${appended.message}`);
    }
    // Receipts prove against a signed checkpoint: one over this round's bundles.
    const signed = await hub.ledgerService.checkpointIfDue(now, signer.signer, { intervalMs: 0 });
    if (!signed.ok) throw new RelayStepError(`the ledger checkpoint: ${signed.message}`);
    let previousDigest = next.previousDigest;
    // The round's envelopes are kept together, in one transaction: one commit per round.
    const round: Parameters<RelayOutboxStore['addSealedAll']>[2][number][] = [];
    for (const b of bundles) {
      const receipt = await hub.ledgerService.receipt(b.ledgerIndex);
      if (!receipt.ok)
        throw new RelayStepError(`the ledger's receipt for bundle ${b.sequence}: ${receipt.message}`);
      const sealed = await sealEnvelope({
        id: `x-tearline-sealed-envelope--${randomUUID()}`,
        created: now.toISOString(),
        signer: signer.signer,
        recipient: recipient.publicKey,
        sequence: b.sequence,
        previousDigest,
        payload: b.encoded,
        receipt: JSON.parse(receipt.json) as Record<string, unknown>,
      });
      if (!sealed.ok) throw new RelayStepError(sealed.message);
      const digest = envelopeDigest(sealed.envelope);
      round.push({
        envelope: sealed.envelope,
        digest,
        feed: { afterUs: b.afterUs, throughUs: b.throughUs, objects: b.objects },
        releaseIds: b.releaseIds,
        bundleLedgerIndex: b.ledgerIndex,
      });
      previousDigest = digest;
    }
    await outbox.addSealedAll(partner, route.relayUrl, round, now);
    result.sealed += round.length;
    result.objects += bundles.reduce((n, b) => n + b.objects, 0);
  }

  const client = new RelayClient(route.relayUrl, token);
  const mailbox = mailboxIdOf(hub.config.hub_name, route.recipient);
  const waiting = await outbox.unposted(partner.id);
  for (let i = 0; i < waiting.length; i += 20) {
    const batch = waiting.slice(i, i + 20);
    const first = batch[0]?.sequence ?? 0;
    let status: Awaited<ReturnType<RelayClient['post']>>;
    try {
      status = await client.post(
        mailbox,
        batch.map((row) => JSON.parse(row.body) as unknown),
      );
    } catch (err) {
      // Kept before it is reported: the console shows it, and the next push posts these again.
      if (err instanceof RelayClientError)
        await outbox.addPushFailure(partner.id, first, reasonOf(err.status), err.message, hub.clock.now());
      throw err;
    }
    const taken: { sequence: number; relayIndex: number }[] = [];
    for (const s of status.successes ?? []) {
      const row = batch.find((b) => b.envelopeId === s.id);
      const index = /relay ledger index (\d+)/.exec(s.message ?? '')?.[1];
      if (row && index !== undefined) taken.push({ sequence: row.sequence, relayIndex: Number(index) });
    }
    await outbox.markPostedAll(partner.id, taken, hub.clock.now());
    result.posted += taken.length;
    for (const f of status.failures ?? []) {
      result.failures.push(f.message);
      const row = batch.find((b) => b.envelopeId === f.id);
      await outbox.addPushFailure(
        partner.id,
        row?.sequence ?? first,
        'envelope-refused',
        String(f.message),
        hub.clock.now(),
      );
    }
    // The relay takes a mailbox in sequence: after a refusal the rest would be refused too.
    if ((status.failures ?? []).length > 0) break;
  }

  const delivered = await client.status(mailbox);
  await outbox.markDeliveredAll(
    partner.id,
    delivered.envelopes.flatMap((e) =>
      e.delivered_at === null ? [] : [{ envelopeId: e.envelope_id, deliveredAt: e.delivered_at }],
    ),
  );
  // Counted, not listed: the outbox holds every envelope's body, a push should not read them all.
  result.delivered = await outbox.deliveredCount(partner.id);
  return result;
}
