import { randomUUID } from 'node:crypto';
import { type ImportTarget, importStream } from '../ingest/import-stream.js';
import type { NoteVerifier } from '../ledger/ledger-note.js';
import {
  envelopeDigest,
  mailboxIdOf,
  parseSealedEnvelope,
  type SealedEnvelope,
} from '../relay/relay-envelope.js';
import { checkBundleReceipt } from '../relay/relay-hub-receipts.js';
import { MAX_PAYLOAD_OBJECTS, openEnvelope } from '../relay/relay-seal.js';
import { describeProblem, planSequence } from '../relay/relay-sequence.js';
import { RelayInboxStore } from '../store/hub/relay-inbox-store.js';
import { RelayOutboxStore } from '../store/hub/relay-outbox-store.js';
import {
  DEFAULT_SUBMISSION_LIMITS,
  type Submitter,
  submitPartnerObject,
} from '../taxii/taxii-submissions.js';
import type { Hub } from './hub.js';
import { RelayClient, RelayStepError } from './relay-client.js';
import { loadSealingKey } from './relay-key-file.js';

export interface PullResult {
  fetched: number;
  accepted: number;
  /** 'intel' from a hub that releases to us; 'submissions' from one of our partners (its feedback). */
  into: 'intel' | 'submissions';
  /** The sender hub's bundle receipts checked (one per envelope taken into intel). */
  receipts: number;
  objects: { added: number; new_versions: number; duplicates: number; conflicts: number; rejected: number };
  problems: string[];
}

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

/**
 * A partner's feedback (sightings) as its submissions: the same checks and space as a TAXII push
 * from it (submitPartnerObject), provenance naming the relay. The envelope's signature proves the
 * partner's hub wrote it, so an object that names no creator is given the partner's identity.
 */
async function submitFeedback(
  hub: Hub,
  who: Submitter,
  objects: readonly Record<string, unknown>[],
): Promise<Tally & { refused: string[] }> {
  const ports = {
    sink: hub.taxii.sink,
    resolver: hub.taxii.releases.createResolver(),
    limits: { ...DEFAULT_SUBMISSION_LIMITS, maxObjectBytes: hub.config.max_object_bytes },
    now: () => hub.clock.now(),
  };
  const tally = {
    added: 0,
    new_versions: 0,
    duplicates: 0,
    conflicts: 0,
    rejected: 0,
    refused: [] as string[],
  };
  const statusId = randomUUID();
  for (const [i, o] of objects.entries()) {
    const raw = o.created_by_ref === undefined ? { ...o, created_by_ref: who.partnerId } : o;
    const outcome = await submitPartnerObject(ports, who, raw, statusId);
    if (outcome.ok) tally.added++;
    else {
      tally.rejected++;
      tally.refused.push(`feedback object ${i} (${outcome.id ?? 'no id'}) refused: ${outcome.message}`);
    }
  }
  return tally;
}

type Tally = { added: number; new_versions: number; duplicates: number; conflicts: number; rejected: number };

/**
 * The hub's object store without its bulk mode (which commits on its own schedule): an
 * envelope's objects are one batch, stored inside the caller's transaction.
 */
function inOneTransaction(hub: Hub): ImportTarget {
  return {
    putObjects: (batch, context) => hub.objects.putObjects(batch, context),
    quarantine: (rejected) => hub.objects.quarantine(rejected),
    markingDefinitionIds: () => hub.objects.markingDefinitionIds(),
  };
}

/**
 * The recipient's side: fetches its mailbox from one sender, keeps only what follows what it has
 * in sequence and chain, checks each envelope's signature with the sender's published key, opens
 * it, imports the objects (source names sender, envelope and relay) and records it, in order.
 * Every anomaly (a replay, a reorder, a gap, a broken chain, a bad signature, an envelope that
 * will not open) is recorded and reported; nothing after a gap or a failure is taken.
 */
export async function pullFromRelay(
  hub: Hub,
  relayUrl: string,
  token: string,
  sender: NoteVerifier,
  /** The signed-in analyst pulling: the importer of what arrives, as for `taxii pull`. */
  actor: string,
  /** For tests: a fault raised between an envelope's import and its record (both roll back). */
  faults: { afterImport?(sequence: number): void } = {},
): Promise<PullResult> {
  const inbox = new RelayInboxStore(hub.sql);
  const me = hub.config.hub_name;
  const key = await loadSealingKey(hub.paths, me);
  if (!key.ok) throw new RelayStepError(key.message);
  const client = new RelayClient(relayUrl, token);
  // A hub we reach as a partner sends feedback: it waits for review as that partner's
  // submissions, never straight into intel. Any other sender is a hub that releases to us.
  const route = (await new RelayOutboxStore(hub.sql).routes()).find(
    (r) => r.recipient === sender.name && r.relayUrl === relayUrl,
  );
  const partner = route && (await hub.state.partners.get(route.partnerId));
  // A disabled partner's TAXII pushes are refused; its feedback through a relay is too.
  if (partner && !partner.enabled)
    throw new RelayStepError(`partner ${partner.name} is disabled: its feedback is not taken`);
  const result: PullResult = {
    fetched: 0,
    accepted: 0,
    into: partner ? 'submissions' : 'intel',
    receipts: 0,
    objects: { added: 0, new_versions: 0, duplicates: 0, conflicts: 0, rejected: 0 },
    problems: [],
  };
  const problem = async (code: string, message: string) => {
    result.problems.push(message);
    await inbox.addProblem(sender.name, code, message, hub.clock.now());
  };
  const fetched: SealedEnvelope[] = [];
  let i = 0;
  const state = await inbox.state(sender.name);
  // Only what follows the last envelope taken: a pull costs what is new, not the whole mailbox.
  for await (const page of client.pages(mailboxIdOf(sender.name, me), state.lastSequence)) {
    for (const value of page) {
      const parsed = parseSealedEnvelope(value, `mailbox object ${i++}`);
      if (parsed.ok) fetched.push(parsed.envelope);
      else await problem(parsed.code, parsed.message);
    }
  }
  result.fetched = fetched.length;
  // A relay that ignores the cursor may still send old ones: an envelope already taken,
  // unchanged, is skipped; one under a taken sequence with other content is a replay, reported.
  const fresh: SealedEnvelope[] = [];
  for (const e of fetched) {
    const known =
      e.sequence <= state.lastSequence ? await inbox.digestAt(sender.name, e.sequence) : undefined;
    if (known !== envelopeDigest(e)) fresh.push(e);
  }
  const plan = planSequence(state, fresh);
  const checkpoints = new Map();
  for (const p of plan.problems) await problem(p.code, describeProblem(p, sender.name));
  for (const envelope of plan.accept) {
    const opened = await openEnvelope(envelope, {
      recipientName: me,
      recipientKeyId: key.key.keyId,
      pair: key.key.pair,
      senderVerifier: sender,
    });
    if (!opened.ok) {
      await problem(opened.code, `${opened.message} (sequence ${envelope.sequence}; later envelopes wait)`);
      break;
    }
    const objects = opened.payload.objects;
    // From a hub that releases to us, the bundle comes with its ledger's receipt, covering every
    // object in it; feedback from a partner carries none (it is reviewed as a submission, not
    // taken as released intel).
    if (!partner) {
      const checked = checkBundleReceipt(
        opened,
        envelope.sequence,
        sender,
        `envelope ${envelope.sequence}`,
        checkpoints,
      );
      if (!checked.ok) {
        await problem(checked.code, `${checked.message} (later envelopes wait)`);
        break;
      }
      result.receipts += checked.checked;
    }
    // The import and its record commit together (every store joins this transaction): a crash
    // between them leaves neither, so the next pull takes the envelope again, exactly once.
    const source = `relay:${sender.name}:${envelope.sequence}:${envelope.id} via ${relayUrl}`;
    const s = await hub.sql.transaction(async () => {
      const taken =
        objects.length === 0
          ? undefined
          : partner
            ? await submitFeedback(hub, { partnerId: partner.id, name: partner.name, source }, objects)
            : await importStream(once(JSON.stringify(objects)), inOneTransaction(hub), {
                source,
                actor,
                maxObjectBytes: hub.config.max_object_bytes,
                batchSize: MAX_PAYLOAD_OBJECTS,
              });
      faults.afterImport?.(envelope.sequence);
      await inbox.record(envelope, envelopeDigest(envelope), relayUrl, objects.length, hub.clock.now());
      return taken;
    });
    if (s) {
      if ('refused' in s) for (const m of s.refused) result.problems.push(m);
      result.objects.added += s.added;
      result.objects.new_versions += s.new_versions;
      result.objects.duplicates += s.duplicates;
      result.objects.conflicts += s.conflicts;
      result.objects.rejected += s.rejected;
    }
    result.accepted++;
  }
  return result;
}
