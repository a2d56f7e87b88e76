import { isStandardTlpMarking } from '../stix/markings-tlp.js';
import { isJsonObject, type JsonObject } from '../stix/types.js';
import { validateObject } from '../stix/validate.js';
import type { ValidationIssue } from '../stix/validation-types.js';
import type { IncomingObject, ObjectWriter, PutResult, Rejected } from '../store/ports.js';
import { emptySummary, type ImportSummary, MAX_LISTED } from './import-summary.js';
import { JsonSplitter, type SplitItem } from './json-splitter.js';

/** What the importer needs of the store. */
export interface ImportTarget extends ObjectWriter {
  markingDefinitionIds(): Promise<string[]>;
}

export interface ImportOptions {
  /** Names the input in locations, the quarantine and the ledger, e.g. 'file:intel.json' or 'stdin'. */
  source: string;
  /** Who imports: recorded in the ledger with each stored batch. */
  actor?: string;
  maxObjectBytes: number;
  strict?: boolean;
  batchSize?: number;
  /** How many rejections and conflicts the summary lists (counts are always exact). */
  listLimit?: number;
  /** Receives the SHOULD-level findings of each accepted object. */
  onWarnings?: (location: string, id: string | undefined, warnings: ValidationIssue[]) => void;
  /** Called after each stored batch with the bytes read so far. */
  onProgress?: (summary: ImportSummary, bytesRead: number) => void;
}

const MAX_DEPTH = 64;
const MAX_RAW_BYTES = 1024 * 1024;
/** Objects whose markings are defined later in the input wait; past this many they are rejected. */
const MAX_DEFERRED = 100_000;
export const UNRESOLVED_MARKING = 'unresolved-marking';

interface Pending {
  object: JsonObject;
  json: string;
  location: string;
}

/**
 * Imports a stream of bytes (bundle, object, array or JSON Lines). Valid objects are stored in
 * batches, each batch in one transaction; every rejected element goes to the quarantine with its
 * location and errors. Objects that reference a marking defined later in the same input are
 * held back and checked again at the end.
 */
export async function importStream(
  chunks: AsyncIterable<Buffer | string>,
  target: ImportTarget,
  opts: ImportOptions,
): Promise<ImportSummary> {
  const summary = emptySummary(opts.source);
  const batchSize = opts.batchSize ?? 1000;
  const listLimit = opts.listLimit ?? MAX_LISTED;
  const known = new Set(await target.markingDefinitionIds());
  const ctx = {
    strict: opts.strict ?? false,
    isKnownMarking: (id: string) => known.has(id) || isStandardTlpMarking(id),
  };
  const splitter = new JsonSplitter({
    maxObjectBytes: opts.maxObjectBytes,
    maxDepth: MAX_DEPTH,
    maxRawBytes: MAX_RAW_BYTES,
  });
  let accepted: Pending[] = [];
  let rejected: Rejected[] = [];
  const deferred: Pending[] = [];
  let bytesRead = 0;

  const reject = (location: string, raw: string, errors: ValidationIssue[], id?: string) => {
    summary.rejected++;
    rejected.push({ source: opts.source, location, raw, errors, ...(id ? { objectId: id } : {}) });
    if (summary.rejections.length < listLimit)
      summary.rejections.push({ location, errors, ...(id ? { id } : {}) });
  };

  const tally = (results: PutResult[], batch: Pending[]) => {
    results.forEach((r, i) => {
      if (r.outcome === 'added') summary.added++;
      else if (r.outcome === 'new-version') summary.new_versions++;
      else if (r.outcome === 'duplicate') summary.duplicates++;
      else {
        summary.conflicts++;
        if (summary.conflict_list.length < listLimit) {
          summary.conflict_list.push({ location: batch[i]?.location ?? '', id: r.id, version: r.version });
        }
      }
    });
  };

  const flush = async () => {
    if (accepted.length > 0) {
      const batch = accepted;
      accepted = [];
      const incoming: IncomingObject[] = batch.map((p) => ({
        object: p.object,
        json: p.json,
        source: `${opts.source}#${p.location}`,
      }));
      tally(
        await target.putObjects(incoming, { actor: opts.actor ?? 'local-admin', source: opts.source }),
        batch,
      );
    }
    if (rejected.length > 0) {
      const batch = rejected;
      rejected = [];
      await target.quarantine(batch);
    }
    opts.onProgress?.(summary, bytesRead);
  };

  const consider = (p: Pending, final: boolean) => {
    const result = validateObject(p.object, ctx);
    const id = typeof p.object.id === 'string' ? p.object.id : undefined;
    if (!result.valid) {
      // A marking defined later in the input may still arrive: judge such objects at the end,
      // so their report does not claim a marking is unknown when it is only not there yet.
      const awaitsMarking = result.errors.some((e) => e.code === UNRESOLVED_MARKING);
      if (awaitsMarking && !final && deferred.length < MAX_DEFERRED) {
        deferred.push(p);
        return;
      }
      reject(p.location, p.json, result.errors, id);
      return;
    }
    summary.warnings += result.warnings.length;
    if (result.warnings.length > 0) opts.onWarnings?.(p.location, id, result.warnings);
    accepted.push(p);
    if (p.object.type === 'marking-definition' && id && !known.has(id)) {
      known.add(id);
      // Objects held back for a marking may go now: memory stays bounded by how far apart an
      // object and its marking stand in the input, not by the input's size.
      if (deferred.length > 0) for (const waiting of deferred.splice(0)) consider(waiting, final);
    }
  };

  const handle = (item: SplitItem) => {
    summary.read++;
    if (item.kind === 'error') {
      reject(item.location, item.raw, [{ path: '', code: item.code, message: item.message }]);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(item.text);
    } catch (err) {
      const message = `not valid JSON: ${(err as Error).message}`;
      reject(item.location, item.text.slice(0, MAX_RAW_BYTES), [{ path: '', code: 'invalid-json', message }]);
      return;
    }
    if (!isJsonObject(parsed)) {
      reject(item.location, item.text, [
        { path: '', code: 'not-an-object', message: 'expected a STIX object' },
      ]);
      return;
    }
    consider({ object: parsed, json: item.text, location: item.location }, false);
  };

  for await (const chunk of chunks) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    bytesRead += buf.length;
    for (const item of splitter.push(buf)) handle(item);
    if (accepted.length >= batchSize || rejected.length >= batchSize) await flush();
  }
  for (const item of splitter.end()) handle(item);
  await flush();
  // Markings defined later in the input are known now; what still does not resolve is rejected.
  for (const p of deferred.splice(0)) consider(p, true);
  await flush();
  return summary;
}
