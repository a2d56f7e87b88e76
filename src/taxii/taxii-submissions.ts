import { applyImportMarking, type ImportMarking } from '../stix/markings-import.js';
import { collectReferences, mapReferences } from '../stix/refs.js';
import { versionKeyOf } from '../stix/timestamp.js';
import { isJsonObject, type JsonObject } from '../stix/types.js';
import { validateObject } from '../stix/validate.js';
import type { SubmissionSink } from '../store/feed-ports.js';
import type { IncomingObject, IngestContext, PutResult } from '../store/ports.js';
import type { DerivedIdResolver, ObjectOutcome } from './taxii-ports.js';

export type { SubmissionOutcome, SubmissionRecord, SubmissionSink } from '../store/feed-ports.js';

/** Where an analyst's objects go: the intel store's writer (one batch, one ledger entry). */
export interface IntelWriter {
  putObjects(batch: readonly IncomingObject[], context: IngestContext): Promise<PutResult[]>;
}

/** What one partner object may be: bounds that hold whatever the hub holds (no oracle in them). */
export interface SubmissionLimits {
  /** Largest object, in bytes of its JSON. */
  maxObjectBytes: number;
  /** Submissions a partner may have awaiting review before further ones are refused. */
  maxPending: number;
}

export const DEFAULT_SUBMISSION_LIMITS: SubmissionLimits = {
  maxObjectBytes: 1024 * 1024,
  maxPending: 10_000,
};

export interface SubmissionPorts {
  sink: SubmissionSink;
  resolver: DerivedIdResolver;
  limits: SubmissionLimits;
  now(): Date;
}

export interface Submitter {
  partnerId: string;
  name: string;
  /** Where it came from, when not the partner's TAXII push (e.g. feedback through a relay). */
  source?: string;
}

function versionOfObject(o: JsonObject): string | undefined {
  const v = o.modified ?? o.created;
  return typeof v === 'string' ? v : undefined;
}

/** Validation errors shown per refused object: a status stays small whatever an object holds. */
const MAX_ERRORS_SHOWN = 20;

function describeErrors(errors: readonly { message: string }[]): string {
  const shown = errors.slice(0, MAX_ERRORS_SHOWN).map((e) => e.message);
  if (errors.length > MAX_ERRORS_SHOWN) shown.push(`… and ${errors.length - MAX_ERRORS_SHOWN} more errors`);
  return shown.join('; ');
}

function failure(o: unknown, message: string): ObjectOutcome {
  const obj = isJsonObject(o) ? o : {};
  return {
    ok: false,
    id: typeof obj.id === 'string' ? obj.id : undefined,
    version: versionOfObject(obj),
    message,
  };
}

/**
 * Checks one object a partner submitted and, when it passes, keeps it in the partner's own
 * space. Nothing here looks at what the hub or another partner holds: any id, the hub's own,
 * another partner's, a computed SCO id or a reserved one, is stored under this partner exactly
 * as an id nobody holds would be, so the answer cannot reveal whether it exists. The partner may
 * only speak for itself (created_by_ref, where the object has a creator, must be its identity);
 * its references to ids the hub gave IT are mapped back to the originals for analysts, and an
 * analyst must promote the object before it becomes intel (src/release/submission-promote.ts).
 */
export async function submitPartnerObject(
  ports: SubmissionPorts,
  who: Submitter,
  raw: unknown,
  statusId: string,
): Promise<ObjectOutcome> {
  if (!isJsonObject(raw)) return failure(raw, 'not a JSON object');
  const sentJson = JSON.stringify(raw);
  const bytes = Buffer.byteLength(sentJson);
  if (bytes > ports.limits.maxObjectBytes) {
    return failure(raw, `object is ${bytes} bytes; at most ${ports.limits.maxObjectBytes} are accepted`);
  }
  const result = validateObject(raw);
  if (!result.valid) return failure(raw, describeErrors(result.errors));
  const id = raw.id as string;
  const creator = raw.created_by_ref;
  if (creator !== undefined && creator !== who.partnerId) {
    return failure(raw, `created_by_ref must be your own identity ${who.partnerId}, not ${String(creator)}`);
  }
  if (creator === undefined && raw.created !== undefined) {
    return failure(raw, `created_by_ref is required: set it to your own identity ${who.partnerId}`);
  }
  const originals = new Map<string, string>();
  for (const ref of collectReferences(raw)) {
    const original = await ports.resolver.resolve(who.partnerId, ref);
    if (original !== undefined) originals.set(ref, original);
  }
  const mapped = mapReferences(raw, (ref) => originals.get(ref) ?? ref) as JsonObject;
  const source = who.source ?? `taxii:partner:${who.name}`;
  const outcome = await ports.sink.store({
    partnerId: who.partnerId,
    statusId,
    sent: raw,
    sentJson,
    mappedJson: JSON.stringify(mapped),
    context: { actor: `partner:${who.name}`, source },
    now: ports.now(),
    maxPending: ports.limits.maxPending,
  });
  if (outcome === 'conflict')
    return failure(raw, 'you sent this id and version before with different content: send a newer version');
  if (outcome === 'quota') {
    return failure(
      raw,
      `you have ${ports.limits.maxPending} submissions awaiting review; send more once the hub has reviewed them`,
    );
  }
  return { ok: true, id, version: versionOfObject(raw) ?? '' };
}

/** Why an object under a reserved id (src/store/reserved-ids.ts) was not stored. */
export const RESERVED_MESSAGE =
  'this id is reserved: only the hub defines the standard TLP markings, its own identity and its partners’ identities';

/**
 * An analyst's envelope for the intel store: each object validated, the valid ones stored as
 * sent in one batch (one ledger entry), outcomes in the envelope's order.
 */
export async function submitIntelEnvelope(
  intel: IntelWriter,
  user: string,
  objects: readonly unknown[],
  marking?: ImportMarking,
): Promise<ObjectOutcome[]> {
  const source = `taxii:user:${user}`;
  const outcomes: (ObjectOutcome | undefined)[] = [];
  const batch: IncomingObject[] = [];
  const slots: number[] = [];
  const marked = new Set<string>();
  objects.forEach((raw, i) => {
    if (!isJsonObject(raw)) {
      outcomes.push(failure(raw, 'not a JSON object'));
      return;
    }
    const result = validateObject(raw);
    if (!result.valid) {
      outcomes.push(failure(raw, describeErrors(result.errors)));
      return;
    }
    outcomes.push(undefined);
    slots.push(i);
    // The analyst's default marking, for objects that carry none of its kind (never lowering one).
    if (marking && applyImportMarking(raw, marking)) marked.add(`${raw.id}\u0000${versionKeyOf(raw)}`);
    batch.push({ object: raw, json: JSON.stringify(raw), source });
  });
  const context: IngestContext = marking
    ? { actor: user, source, marking: { id: marking.id, marked } }
    : { actor: user, source };
  const results = batch.length > 0 ? await intel.putObjects(batch, context) : [];
  results.forEach((put, k) => {
    const i = slots[k] as number;
    outcomes[i] =
      put.outcome !== 'conflict'
        ? { ok: true, id: put.id, version: versionOfObject(batch[k]?.object ?? {}) ?? '' }
        : put.reserved
          ? failure(objects[i], RESERVED_MESSAGE)
          : failure(objects[i], 'this id and version are already held with different content');
  });
  return outcomes as ObjectOutcome[];
}
