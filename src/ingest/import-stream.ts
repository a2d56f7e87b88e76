import { createReadStream } from 'node:fs';
import type { ImportMarking } from '../stix/markings-import.js';
import type { ValidationIssue } from '../stix/validation-types.js';
import type { IncomingObject, IngestContext, ObjectWriter, PutResult } from '../store/ports.js';
import type { PreparedObject } from '../store/prepared-object.js';
import { keepPrepared, type PreparedAccepted, type PreparedFrontBatch } from './front-batch-wire.js';
import { type Accepted, type FrontBatch, type FrontOptions, ImportFront, markedKey } from './import-front.js';
import { frontOnWorker } from './import-front-thread.js';
import { emptySummary, type ImportSummary, MAX_LISTED } from './import-summary.js';

export { UNRESOLVED_MARKING } from './import-front.js';

/** What the importer needs of the store. */
export interface ImportTarget extends ObjectWriter {
  markingDefinitionIds(): Promise<string[]>;
  /**
   * Optional: several batches in one transaction, each with its own ledger entry, all or none
   * committed. Without it each batch is one putObjects call.
   */
  putBatches?(
    batches: readonly (readonly IncomingObject[])[],
    context?: IngestContext,
  ): Promise<PutResult[][]>;
  /**
   * Optional: objects already prepared for the store (see PreparedObject), several batches per
   * transaction as putBatches. A target that offers it can take an import whose front half
   * runs on another thread.
   */
  putPrepared?(
    batches: readonly (readonly PreparedObject[])[],
    context?: IngestContext,
  ): Promise<PutResult[][]>;
  /**
   * Optional: a mode for large imports (the SQLite store checkpoints on another thread and may
   * build an index at the end), told how many objects are still expected where that is known.
   */
  beginBulk?(hint: { expectedObjects?: number }): { end(): Promise<void> };
}

/** A file to import by name; '-' is standard input. */
export interface ImportFile {
  path: string;
}

/** What an import reads: chunks of a stream, or a file (which a worker thread may read itself). */
export type ImportInput = AsyncIterable<Buffer | string> | ImportFile;

function isImportFile(input: ImportInput): input is ImportFile {
  return typeof (input as ImportFile).path === 'string';
}

/** Chunk size for reading files. */
const CHUNK = 1024 * 1024;

function chunksOf(input: ImportInput, chunkBytes: number): AsyncIterable<Buffer | string> {
  if (!isImportFile(input)) return input;
  return input.path === '-'
    ? (process.stdin as AsyncIterable<Buffer>)
    : createReadStream(input.path, { highWaterMark: chunkBytes });
}

/** Files from this size up are worth the front's worker thread (its start-up costs tens of milliseconds). */
export const FRONT_THREAD_MIN_BYTES = 8 * 1024 * 1024;

/** Commits after which an import counts as large and asks the target for its bulk mode. */
const BULK_AFTER_COMMITS = 2;

export interface ImportOptions {
  /** Names the input in locations, the quarantine and the ledger, e.g. 'file:intel.json' or 'stdin'. */
  source: string;
  /** Who imports (a signed-in user, or the demo's loader): recorded in the ledger with each batch. */
  actor: string;
  /**
   * Given to every object that carries no marking of its kind (never lowering one it has);
   * each batch's ledger entry says which marking and how many of its objects got it.
   */
  marking?: ImportMarking;
  maxObjectBytes: number;
  strict?: boolean;
  /**
   * Split, parse, validate and prepare on a worker thread while this one stores: for large
   * inputs (start-up costs a few tens of milliseconds). Only for an ImportFile input and a
   * target with putPrepared; otherwise ignored.
   */
  frontThread?: boolean;
  /** How much of a file is read at a time (tests use small ones to cut batches finely). */
  chunkBytes?: number;
  /** The input's size in bytes, if known: lets the target prepare for what is still to come. */
  inputBytes?: number;
  batchSize?: number;
  /**
   * Batches committed together where the target can (putBatches): fewer, larger commits. Two by
   * default: four was faster still but held enough parsed objects to push a gigabyte import's
   * peak RSS past 300 MB.
   */
  batchesPerCommit?: number;
  /** How many rejections and conflicts the summary lists (counts are always exact). */
  listLimit?: number;
  /** Receives the SHOULD-level findings of each accepted object. */
  onWarnings?: (location: string, id: string | undefined, warnings: ValidationIssue[]) => void;
  /** Called after each stored batch with the bytes read so far. */
  onProgress?: (summary: ImportSummary, bytesRead: number) => void;
}

/**
 * Imports a stream of bytes (bundle, object, array or JSON Lines). Valid objects are stored in
 * batches of about `batchSize`, each with its own ledger entry, two batches per transaction
 * where the target offers putBatches; every rejected element goes to the quarantine with its
 * location and errors. Objects that reference a marking defined later in the input are held
 * back and checked again at the end.
 */
export async function importStream(
  input: ImportInput,
  target: ImportTarget,
  opts: ImportOptions,
): Promise<ImportSummary> {
  const summary = emptySummary(opts.source);
  if (opts.marking) summary.marking = { id: opts.marking.id, marked: 0 };
  const listLimit = opts.listLimit ?? MAX_LISTED;
  const front: FrontOptions = {
    source: opts.source,
    maxObjectBytes: opts.maxObjectBytes,
    strict: opts.strict ?? false,
    batchSize: opts.batchSize ?? 1000,
    listLimit,
    knownMarkings: await target.markingDefinitionIds(),
    keepWarnings: opts.onWarnings !== undefined,
    ...(opts.marking && { marking: opts.marking }),
  };
  let bytesRead = 0;
  const countBytes = (n: number) => {
    bytesRead += n;
  };

  const tally = (
    results: PutResult[],
    batch: readonly (Accepted | PreparedAccepted)[],
    marked: ReadonlySet<string>,
  ) => {
    results.forEach((r, i) => {
      if (
        (r.outcome === 'added' || r.outcome === 'new-version') &&
        summary.marking &&
        marked.has(markedKey(r.id, r.version))
      )
        summary.marking.marked++;
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

  const base: IngestContext = { actor: opts.actor, source: opts.source };
  const incoming = (b: FrontBatch): IncomingObject[] =>
    b.accepted.map((p) => ({ object: p.object, json: p.json, source: `${opts.source}#${p.location}` }));
  const put = async (group: readonly Ready[]): Promise<PutResult[][]> => {
    const context: IngestContext = opts.marking
      ? { ...base, marking: { id: opts.marking.id, marked: new Set(group.flatMap((b) => b.marked)) } }
      : base;
    if (target.putPrepared) return target.putPrepared(group.map(preparedOf), context);
    const batches = group.map((b) => incoming(b as FrontBatch));
    if (target.putBatches) return target.putBatches(batches, context);
    const results: PutResult[][] = [];
    for (const batch of batches) results.push(await target.putObjects(batch, context));
    return results;
  };

  // Batches wait here until a commit's worth has gathered (or the input ends).
  const pending: Ready[] = [];
  const store = async () => {
    const group = pending.splice(0);
    const last = group.at(-1);
    if (!last) return;
    summary.read = last.read;
    summary.rejected = last.rejectedCount;
    summary.warnings = last.warningCount;
    for (const b of group) {
      // One at a time and bounded: a spread of a large batch's list would overflow the stack.
      for (const r of b.rejections) if (summary.rejections.length < listLimit) summary.rejections.push(r);
      for (const w of b.warningReports) opts.onWarnings?.(w.location, w.id, w.warnings);
    }
    const withObjects = group.filter((b) => b.accepted.length > 0);
    const results = await put(withObjects);
    const marked = new Set(group.flatMap((b) => b.marked));
    for (const [i, b] of withObjects.entries()) tally(results[i] ?? [], b.accepted, marked);
    for (const b of group) if ('release' in b) b.release?.();
    const rejected = group.flatMap((b) => b.rejected);
    if (rejected.length > 0) await target.quarantine(rejected);
    opts.onProgress?.(summary, bytesRead);
  };
  const perCommit = Math.max(1, opts.batchesPerCommit ?? 2);

  // Objects still to come, estimated from the objects per byte so far.
  const expect = (): { expectedObjects?: number } =>
    opts.inputBytes !== undefined && bytesRead > 0
      ? { expectedObjects: Math.round((summary.read * Math.max(0, opts.inputBytes - bytesRead)) / bytesRead) }
      : {};
  let commits = 0;
  let bulk: { end(): Promise<void> } | undefined;
  try {
    const batches =
      opts.frontThread && target.putPrepared && isImportFile(input)
        ? frontOnWorker(input.path, front, opts.chunkBytes ?? CHUNK, (total) => {
            bytesRead = total;
          })
        : target.putPrepared
          ? runFront(
              chunksOf(input, opts.chunkBytes ?? CHUNK),
              new ImportFront(front, keepPrepared(opts.source)),
              countBytes,
            )
          : runFront(chunksOf(input, opts.chunkBytes ?? CHUNK), new ImportFront(front, (a) => a), countBytes);
    for await (const b of batches) {
      pending.push(b);
      if (pending.length < perCommit) continue;
      await store();
      // Small imports stay as they are; a large one pays the bulk mode's start-up once.
      if (++commits === BULK_AFTER_COMMITS) bulk = target.beginBulk?.(expect());
    }
    await store();
  } finally {
    await bulk?.end();
  }
  return summary;
}

/** A batch from the front: as the front made it, or prepared for the store on the worker. */
type Ready = FrontBatch | PreparedFrontBatch;

function preparedOf(b: Ready): PreparedObject[] {
  return (b as PreparedFrontBatch).accepted.map((a) => a.prepared);
}

async function* runFront<T>(
  chunks: AsyncIterable<Buffer | string>,
  front: ImportFront<T>,
  countBytes: (n: number) => void,
): AsyncGenerator<FrontBatch<T>> {
  for await (const chunk of chunks) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    countBytes(buf.length);
    yield* front.push(buf);
  }
  yield* front.finish();
}
