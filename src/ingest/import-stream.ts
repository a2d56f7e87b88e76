import type { ValidationIssue } from '../stix/validation-types.js';
import type { IncomingObject, IngestContext, ObjectWriter, PutResult } from '../store/ports.js';
import { type Accepted, type FrontBatch, ImportFront } from './import-front.js';
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
}

export interface ImportOptions {
  /** Names the input in locations, the quarantine and the ledger, e.g. 'file:intel.json' or 'stdin'. */
  source: string;
  /** Who imports: recorded in the ledger with each stored batch. */
  actor?: string;
  maxObjectBytes: number;
  strict?: boolean;
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
  chunks: AsyncIterable<Buffer | string>,
  target: ImportTarget,
  opts: ImportOptions,
): Promise<ImportSummary> {
  const summary = emptySummary(opts.source);
  const listLimit = opts.listLimit ?? MAX_LISTED;
  const front = {
    source: opts.source,
    maxObjectBytes: opts.maxObjectBytes,
    strict: opts.strict ?? false,
    batchSize: opts.batchSize ?? 1000,
    listLimit,
    knownMarkings: await target.markingDefinitionIds(),
  };
  let bytesRead = 0;
  const countBytes = (n: number) => {
    bytesRead += n;
  };

  const tally = (results: PutResult[], batch: Accepted[]) => {
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

  const context = { actor: opts.actor ?? 'local-admin', source: opts.source };
  const put = async (batches: IncomingObject[][]): Promise<PutResult[][]> => {
    if (target.putBatches) return target.putBatches(batches, context);
    const results: PutResult[][] = [];
    for (const batch of batches) results.push(await target.putObjects(batch, context));
    return results;
  };

  // Batches wait here until a commit's worth has gathered (or the input ends).
  const pending: FrontBatch[] = [];
  const store = async () => {
    const group = pending.splice(0);
    const last = group.at(-1);
    if (!last) return;
    summary.read = last.read;
    summary.rejected = last.rejectedCount;
    summary.warnings = last.warningCount;
    for (const b of group) {
      summary.rejections.push(...b.rejections);
      for (const w of b.warningReports) opts.onWarnings?.(w.location, w.id, w.warnings);
    }
    const withObjects = group.filter((b) => b.accepted.length > 0);
    const results = await put(
      withObjects.map((b) =>
        b.accepted.map((p) => ({ object: p.object, json: p.json, source: `${opts.source}#${p.location}` })),
      ),
    );
    for (const [i, b] of withObjects.entries()) tally(results[i] ?? [], b.accepted);
    const rejected = group.flatMap((b) => b.rejected);
    if (rejected.length > 0) await target.quarantine(rejected);
    opts.onProgress?.(summary, bytesRead);
  };
  const perCommit = Math.max(1, opts.batchesPerCommit ?? 2);

  for await (const b of runFront(chunks, new ImportFront(front), countBytes)) {
    pending.push(b);
    if (pending.length >= perCommit) await store();
  }
  await store();
  return summary;
}

async function* runFront(
  chunks: AsyncIterable<Buffer | string>,
  front: ImportFront,
  countBytes: (n: number) => void,
): AsyncGenerator<FrontBatch> {
  for await (const chunk of chunks) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    countBytes(buf.length);
    yield* front.push(buf);
  }
  yield* front.finish();
}
