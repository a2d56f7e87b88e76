import { type ImportTarget, importStream } from '../ingest/import-stream.js';
import type { NoteVerifier } from '../ledger/ledger-note.js';
import {
  envelopeDigest,
  mailboxIdOf,
  parseSealedEnvelope,
  type SealedEnvelope,
} from '../relay/relay-envelope.js';
import { MAX_PAYLOAD_OBJECTS, openEnvelope } from '../relay/relay-seal.js';
import { describeProblem, planSequence } from '../relay/relay-sequence.js';
import { RelayInboxStore } from '../store/hub/relay-inbox-store.js';
import type { Hub } from './hub.js';
import { RelayClient } from './relay-client.js';
import { loadSealingKey } from './relay-key-file.js';

export interface PullResult {
  fetched: number;
  accepted: number;
  objects: { added: number; new_versions: number; duplicates: number; conflicts: number; rejected: number };
  problems: string[];
}

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

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
  if (!key.ok) throw new Error(key.message);
  const client = new RelayClient(relayUrl, token);
  const result: PullResult = {
    fetched: 0,
    accepted: 0,
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
    // The import and its record commit together (every store joins this transaction): a crash
    // between them leaves neither, so the next pull takes the envelope again, exactly once.
    const s = await hub.sql.transaction(async () => {
      const imported =
        objects.length === 0
          ? undefined
          : await importStream(once(JSON.stringify(objects)), inOneTransaction(hub), {
              source: `relay:${sender.name}:${envelope.sequence}:${envelope.id} via ${relayUrl}`,
              actor,
              maxObjectBytes: hub.config.max_object_bytes,
              batchSize: MAX_PAYLOAD_OBJECTS,
            });
      faults.afterImport?.(envelope.sequence);
      await inbox.record(envelope, envelopeDigest(envelope), relayUrl, objects.length, hub.clock.now());
      return imported;
    });
    if (s) {
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
