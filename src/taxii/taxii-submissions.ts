import { isJsonObject, type JsonObject, type JsonValue, setOwn } from '../stix/types.js';
import { validateObject } from '../stix/validate.js';
import type { IncomingObject, IngestContext, PutResult } from '../store/ports.js';
import type { DerivedIdResolver, ObjectOutcome } from './taxii-ports.js';

/** Where an analyst's objects go: the intel store's writer (one batch, one ledger entry). */
export interface IntelWriter {
  putObjects(batch: readonly IncomingObject[], context: IngestContext): Promise<PutResult[]>;
}

/** One accepted partner object: what enters the intel store and what the partner sent. */
export interface SubmissionRecord {
  partnerId: string;
  statusId: string;
  /** The object as sent (the partner's own ids), readable back from its submissions. */
  sent: JsonObject;
  sentJson: string;
  /** The object with derived ids mapped back to the originals, for the intel store. */
  intel: IncomingObject;
  context: IngestContext;
  now: Date;
}

export interface SubmissionSink {
  /**
   * In ONE transaction: `intel` into the intel store (with its ledger entry) and `sent` into the
   * partner's submissions. 'conflict' (the id and version are held with other content) records
   * no submission.
   */
  store(record: SubmissionRecord): Promise<'stored' | 'conflict'>;
}

export interface SubmissionPorts {
  sink: SubmissionSink;
  resolver: DerivedIdResolver;
  now(): Date;
}

export interface Submitter {
  partnerId: string;
  name: string;
}

function versionOfObject(o: JsonObject): string | undefined {
  const v = o.modified ?? o.created;
  return typeof v === 'string' ? v : undefined;
}

/** A copy of `value` whose `*_ref` / `*_refs` identifiers went through `map`. */
export function mapReferences(value: JsonValue, map: (id: string) => string): JsonValue {
  if (Array.isArray(value)) return value.map((v) => mapReferences(v, map));
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string' && key.endsWith('_ref')) setOwn(out, key, map(v));
    else if (Array.isArray(v) && key.endsWith('_refs'))
      setOwn(
        out,
        key,
        v.map((x) => (typeof x === 'string' ? map(x) : x)),
      );
    else setOwn(out, key, mapReferences(v, map));
  }
  return out;
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

/** Every identifier in `*_ref` / `*_refs` properties, at any depth. */
export function collectReferences(value: JsonValue, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) collectReferences(v, into);
  } else if (isJsonObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (typeof v === 'string' && key.endsWith('_ref')) into.add(v);
      else if (Array.isArray(v) && key.endsWith('_refs')) {
        for (const x of v) if (typeof x === 'string') into.add(x);
      } else collectReferences(v, into);
    }
  }
  return into;
}

/**
 * Checks one object a partner submitted and, when it passes, stores it. The partner may only
 * speak for itself (created_by_ref, where the object has a creator, must be its own identity),
 * may not post versions of objects the hub released to it, and its references to derived ids
 * are mapped back to the hub's originals before the object reaches the intel store.
 */
export async function submitPartnerObject(
  ports: SubmissionPorts,
  who: Submitter,
  raw: unknown,
  statusId: string,
): Promise<ObjectOutcome> {
  if (!isJsonObject(raw)) return failure(raw, 'not a JSON object');
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
  if ((await ports.resolver.resolve(who.partnerId, id)) !== undefined) {
    return failure(
      raw,
      `${id} is an object the hub released to you: send a sighting, note or opinion about it instead`,
    );
  }
  const originals = new Map<string, string>();
  for (const ref of collectReferences(raw)) {
    const original = await ports.resolver.resolve(who.partnerId, ref);
    if (original !== undefined) originals.set(ref, original);
  }
  const mapped = mapReferences(raw, (ref) => originals.get(ref) ?? ref) as JsonObject;
  const source = `taxii:partner:${who.name}`;
  const outcome = await ports.sink.store({
    partnerId: who.partnerId,
    statusId,
    sent: raw,
    sentJson: JSON.stringify(raw),
    intel: { object: mapped, json: JSON.stringify(mapped), source },
    context: { actor: `partner:${who.name}`, source },
    now: ports.now(),
  });
  if (outcome === 'conflict')
    return failure(raw, 'this id and version are already held with different content');
  return { ok: true, id, version: versionOfObject(raw) ?? '' };
}

/**
 * An analyst's envelope for the intel store: each object validated, the valid ones stored as
 * sent in one batch (one ledger entry), outcomes in the envelope's order.
 */
export async function submitIntelEnvelope(
  intel: IntelWriter,
  user: string,
  objects: readonly unknown[],
): Promise<ObjectOutcome[]> {
  const source = `taxii:user:${user}`;
  const outcomes: (ObjectOutcome | undefined)[] = [];
  const batch: IncomingObject[] = [];
  const slots: number[] = [];
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
    batch.push({ object: raw, json: JSON.stringify(raw), source });
  });
  const results = batch.length > 0 ? await intel.putObjects(batch, { actor: user, source }) : [];
  results.forEach((put, k) => {
    const i = slots[k] as number;
    outcomes[i] =
      put.outcome === 'conflict'
        ? failure(objects[i], 'this id and version are already held with different content')
        : { ok: true, id: put.id, version: versionOfObject(batch[k]?.object ?? {}) ?? '' };
  });
  return outcomes as ObjectOutcome[];
}
