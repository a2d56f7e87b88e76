import { randomUUID } from 'node:crypto';
import { envelopeDigest, mailboxIdOf } from '../relay/relay-envelope.js';
import type { SealingPublicKey } from '../relay/relay-keys.js';
import { sealEnvelope } from '../relay/relay-seal.js';
import { isJsonObject } from '../stix/types.js';
import { validateObject } from '../stix/validate.js';
import { FEEDBACK_OUTBOX_PREFIX, RelayOutboxStore } from '../store/hub/relay-outbox-store.js';
import type { Hub } from './hub.js';
import { loadLedgerSigner } from './ledger-key.js';
import { RelayClient, RelayClientError, RelayStepError } from './relay-client.js';
import { reasonOf } from './relay-push.js';

/** Sightings one feedback envelope may carry, and the largest feedback file read. */
export const MAX_FEEDBACK_OBJECTS = 1000;
export const MAX_FEEDBACK_BYTES = 8 * 1024 * 1024;

/**
 * Feedback goes back the way releases came, in the reverse mailbox, and is kept in the same
 * outbox table under this key (a sender hub, not one of our partners), so it is chained and
 * retried exactly as releases are.
 */
export const feedbackKey = (hubName: string): string => `${FEEDBACK_OUTBOX_PREFIX}${hubName}`;

export type FeedbackParse = { ok: true; objects: Record<string, unknown>[] } | { ok: false; message: string };

/**
 * The sightings to send, from a STIX bundle or a JSON array: only sightings (feedback on what was
 * received, nothing else of ours leaves this way), each valid STIX 2.1, each error located.
 */
export function parseFeedback(text: string, where: string): FeedbackParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `${where}: not valid JSON (${(err as Error).message})` };
  }
  const list = Array.isArray(value)
    ? value
    : isJsonObject(value) && value.type === 'bundle' && Array.isArray(value.objects)
      ? value.objects
      : undefined;
  if (!list) return { ok: false, message: `${where}: give a STIX bundle or a JSON array of sightings` };
  if (list.length === 0) return { ok: false, message: `${where}: there are no sightings to send` };
  if (list.length > MAX_FEEDBACK_OBJECTS)
    return { ok: false, message: `${where}: ${list.length} objects; at most ${MAX_FEEDBACK_OBJECTS} a time` };
  for (const [i, o] of list.entries()) {
    if (!isJsonObject(o) || o.type !== 'sighting')
      return {
        ok: false,
        message: `${where}: objects[${i}] is not a sighting (only sightings are sent back)`,
      };
    const checked = validateObject(o);
    if (!checked.valid)
      return {
        ok: false,
        message: `${where}: objects[${i}] (${String(o.id)}): ${checked.errors
          .slice(0, 5)
          .map((e) => e.message)
          .join('; ')}`,
      };
  }
  return { ok: true, objects: list as Record<string, unknown>[] };
}

export interface FeedbackResult {
  sequence: number;
  objects: number;
  posted: number;
  failures: string[];
}

/**
 * The recipient's side of feedback: seals the sightings to the sending hub's sealing key, signs
 * them with this hub's ledger key, keeps the envelope (with its 'relay-sent' entry) and posts it,
 * with any earlier feedback envelope the relay has not taken yet, into this hub's mailbox to it.
 */
export async function sendFeedback(
  hub: Hub,
  relayUrl: string,
  token: string,
  to: SealingPublicKey,
  objects: Record<string, unknown>[],
): Promise<FeedbackResult> {
  const signer = loadLedgerSigner(hub.paths, hub.config.hub_name);
  if (!signer.ok) throw new RelayStepError(signer.message);
  const outbox = new RelayOutboxStore(hub.sql);
  const key = feedbackKey(to.name);
  const next = await outbox.next(key);
  const now = hub.clock.now();
  const sealed = await sealEnvelope({
    id: `x-tearline-sealed-envelope--${randomUUID()}`,
    created: now.toISOString(),
    signer: signer.signer,
    recipient: to,
    sequence: next.sequence,
    previousDigest: next.previousDigest,
    payload: { objects, feed: { after_us: 0, through_us: 0 } },
  });
  if (!sealed.ok) throw new RelayStepError(sealed.message);
  await outbox.addSealed(
    { id: key, name: to.name },
    relayUrl,
    sealed.envelope,
    envelopeDigest(sealed.envelope),
    { afterUs: 0, throughUs: 0, objects: objects.length },
    now,
  );
  const result: FeedbackResult = {
    sequence: next.sequence,
    objects: objects.length,
    posted: 0,
    failures: [],
  };
  const client = new RelayClient(relayUrl, token);
  const waiting = (await outbox.unposted(key)).slice(0, 100);
  const first = waiting[0]?.sequence ?? next.sequence;
  let status: Awaited<ReturnType<RelayClient['post']>>;
  try {
    status = await client.post(
      mailboxIdOf(hub.config.hub_name, to.name),
      waiting.map((row) => JSON.parse(row.body) as unknown),
    );
  } catch (err) {
    // Kept as relay push keeps its refusals: the console lists it until a later post is taken.
    if (err instanceof RelayClientError)
      await outbox.addPushFailure(key, first, reasonOf(err.status), err.message, hub.clock.now());
    throw err;
  }
  for (const s of status.successes ?? []) {
    const row = waiting.find((w) => w.envelopeId === s.id);
    const index = /relay ledger index (\d+)/.exec(s.message ?? '')?.[1];
    if (row && index !== undefined) {
      await outbox.markPosted(key, row.sequence, Number(index), hub.clock.now());
      result.posted++;
    }
  }
  for (const f of status.failures ?? []) {
    result.failures.push(f.message);
    const row = waiting.find((w) => w.envelopeId === f.id);
    await outbox.addPushFailure(
      key,
      row?.sequence ?? first,
      'envelope-refused',
      String(f.message),
      hub.clock.now(),
    );
  }
  return result;
}
