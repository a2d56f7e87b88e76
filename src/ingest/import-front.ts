import { auditJsonValue, explainJsonText } from '../stix/json-strict.js';
import { positionInText } from '../stix/json-text.js';
import { applyImportMarking, type ImportMarking } from '../stix/markings-import.js';
import { isStandardTlpMarking } from '../stix/markings-tlp.js';
import { versionKeyOf } from '../stix/timestamp.js';
import { isJsonObject, type JsonObject } from '../stix/types.js';
import { validateObject } from '../stix/validate.js';
import type { ValidationIssue } from '../stix/validation-types.js';
import type { Rejected } from '../store/ports.js';
import type { RejectionReport } from './import-summary.js';
import { JsonSplitter, type SplitItem } from './json-splitter.js';

/** What the front half of an import needs: everything but the store. */
export interface FrontOptions {
  source: string;
  maxObjectBytes: number;
  strict: boolean;
  batchSize: number;
  /**
   * A batch is also cut once the text it holds (accepted JSON and quarantined raw input, in
   * UTF-16 code units) reaches this: memory stays bounded when objects are large.
   */
  batchChars?: number;
  listLimit: number;
  /** Marking-definition ids the store already holds. */
  knownMarkings: string[];
  /**
   * Keep each object's warnings for the caller (warningReports); otherwise they are only
   * counted. Shared data averages four per object: kept for nobody, they cost a large import
   * an object each to build, pass between threads and collect.
   */
  keepWarnings?: boolean;
  /** Given to each accepted object that carries no marking of its kind (import-marking.ts). */
  marking?: ImportMarking;
}

/** How a batch names the objects the import's marking was given to: id and version key. */
export function markedKey(id: string, version: string): string {
  return `${id}\u0000${version}`;
}

export interface Accepted {
  object: JsonObject;
  json: string;
  location: string;
}

export interface WarningReport {
  location: string;
  id: string | undefined;
  warnings: ValidationIssue[];
}

/**
 * One batch for the store: the objects to store in one transaction, the rejected elements to
 * quarantine, and what was counted since the previous batch (`read`, `rejected`, `warnings` are
 * running totals; `rejections` and `warningReports` only the new ones).
 */
export interface FrontBatch<T = Accepted> {
  /** The accepted objects, as the front's `keep` made them. */
  accepted: T[];
  rejected: Rejected[];
  read: number;
  rejectedCount: number;
  warningCount: number;
  rejections: RejectionReport[];
  warningReports: WarningReport[];
  /** The accepted objects given the import's marking (markedKey), for the batch's ledger entry. */
  marked: string[];
}

const MAX_DEPTH = 64;
/** 16 Mi code units: about 16 MiB of JSON, some ten thousand typical objects. */
const DEFAULT_BATCH_CHARS = 16 * 1024 * 1024;
const MAX_RAW_BYTES = 1024 * 1024;
/**
 * Errors kept per rejected object: one object with 100,000 bad property names would otherwise
 * carry 100,000 errors into the summary and the quarantine. The rest are counted in a last one.
 */
export const MAX_ERRORS_PER_OBJECT = 100;
/**
 * Bytes the splitter is given at a time: what it completes in one slice is held at once (87,000
 * items for the smallest elements, `{}`), and elements spanning slices are copied (a fraction of
 * a percent of kilobyte objects).
 */
const SPLIT_SLICE = 256 * 1024;
/** Objects whose markings are defined later in the input wait; past this many they are rejected. */
const MAX_DEFERRED = 100_000;
export const UNRESOLVED_MARKING = 'unresolved-marking';

/**
 * Splits, parses and validates a byte stream into batches, holding back objects that reference a
 * marking defined later in the same input and checking them again once it arrives or at the end.
 * Synchronous and store-free: the caller stores each batch before feeding the next chunk.
 */
export class ImportFront<T = Accepted> {
  readonly #opts: FrontOptions;
  readonly #known: Set<string>;
  readonly #ctx;
  readonly #splitter: JsonSplitter;
  readonly #deferred: Accepted[] = [];
  readonly #keep: (accepted: Accepted) => T;
  #next: FrontBatch<T> = emptyBatch(0, 0, 0);
  #heldChars = 0;
  #listed = 0;

  /**
   * `keep` makes what a batch holds of each accepted object, as soon as it is accepted: the
   * parsed object is garbage from then on, so a large import does not hold a batch of them.
   */
  constructor(opts: FrontOptions, keep: (accepted: Accepted) => T) {
    this.#opts = opts;
    this.#keep = keep;
    this.#known = new Set(opts.knownMarkings);
    this.#ctx = {
      strict: opts.strict,
      isKnownMarking: (id: string) => this.#known.has(id) || isStandardTlpMarking(id),
    };
    this.#splitter = new JsonSplitter({
      maxObjectBytes: opts.maxObjectBytes,
      maxDepth: MAX_DEPTH,
      maxRawBytes: MAX_RAW_BYTES,
    });
  }

  /**
   * Feeds a chunk; yields each batch as soon as its accepted or rejected elements reach the
   * batch size. Lazily, and a slice of the chunk at a time: a megabyte of `{}` is 350,000
   * rejections, which must not all be held at once. Take every batch before the next push.
   */
  *push(chunk: Buffer): Generator<FrontBatch<T>> {
    for (let at = 0; at < chunk.length; at += SPLIT_SLICE) {
      for (const item of this.#splitter.push(chunk.subarray(at, at + SPLIT_SLICE))) {
        this.#handle(item);
        if (this.#full()) yield this.#take();
      }
    }
  }

  /**
   * Ends the input: the rest of it, then the objects still held back (their markings are known
   * now, or never will be), in batches. The last batch is yielded even when empty.
   */
  *finish(): Generator<FrontBatch<T>> {
    for (const item of this.#splitter.end()) {
      this.#handle(item);
      if (this.#full()) yield this.#take();
    }
    yield this.#take();
    for (const p of this.#deferred.splice(0)) {
      this.#consider(p, true);
      if (this.#full()) yield this.#take();
    }
    yield this.#take();
  }

  #full(): boolean {
    const b = this.#next;
    return (
      b.accepted.length >= this.#opts.batchSize ||
      b.rejected.length >= this.#opts.batchSize ||
      this.#heldChars >= (this.#opts.batchChars ?? DEFAULT_BATCH_CHARS)
    );
  }

  #take(): FrontBatch<T> {
    const b = this.#next;
    this.#next = emptyBatch<T>(b.read, b.rejectedCount, b.warningCount);
    this.#heldChars = 0;
    return b;
  }

  #reject(location: string, raw: string, all: ValidationIssue[], id?: string): void {
    const b = this.#next;
    const errors =
      all.length <= MAX_ERRORS_PER_OBJECT
        ? all
        : [
            ...all.slice(0, MAX_ERRORS_PER_OBJECT),
            {
              path: '',
              code: 'too-many-errors',
              message: `… and ${all.length - MAX_ERRORS_PER_OBJECT} more errors in this object`,
            },
          ];
    b.rejectedCount++;
    this.#heldChars += raw.length;
    b.rejected.push({ source: this.#opts.source, location, raw, errors, ...(id ? { objectId: id } : {}) });
    if (this.#listed < this.#opts.listLimit) {
      this.#listed++;
      b.rejections.push({ location, errors, ...(id ? { id } : {}) });
    }
  }

  #consider(p: Accepted, final: boolean): void {
    const result = validateObject(p.object, this.#ctx);
    const id = typeof p.object.id === 'string' ? p.object.id : undefined;
    if (!result.valid) {
      // A marking defined later in the input may still arrive: judge such objects at the end,
      // so their report does not claim a marking is unknown when it is only not there yet.
      const awaitsMarking = result.errors.some((e) => e.code === UNRESOLVED_MARKING);
      if (awaitsMarking && !final && this.#deferred.length < MAX_DEFERRED) {
        this.#deferred.push(p);
        return;
      }
      this.#reject(p.location, p.json, result.errors, id);
      return;
    }
    const b = this.#next;
    b.warningCount += result.warnings.length;
    if (result.warnings.length > 0 && this.#opts.keepWarnings !== false)
      b.warningReports.push({ location: p.location, id, warnings: result.warnings });
    const marking = this.#opts.marking;
    if (marking && applyImportMarking(p.object, marking)) {
      // What is stored is the object as marked: its JSON is written again.
      p = { ...p, json: JSON.stringify(p.object) };
      b.marked.push(markedKey(id as string, versionKeyOf(p.object)));
    }
    b.accepted.push(this.#keep(p));
    this.#heldChars += p.json.length;
    if (p.object.type === 'marking-definition' && id && !this.#known.has(id)) {
      this.#known.add(id);
      // Objects held back for a marking may go now: memory stays bounded by how far apart an
      // object and its marking stand in the input, not by the input's size.
      if (this.#deferred.length > 0)
        for (const waiting of this.#deferred.splice(0)) this.#consider(waiting, final);
    }
  }

  #handle(item: SplitItem): void {
    if (item.kind === 'envelope') return;
    this.#next.read++;
    if (item.kind === 'error') {
      this.#reject(item.location, item.raw, [{ path: '', code: item.code, message: item.message }]);
      return;
    }
    let parsed: unknown;
    let failure: string | undefined;
    try {
      parsed = JSON.parse(item.text);
      // One ':' per member: fewer members than colons means JSON.parse dropped a duplicate name.
      const audit = auditJsonValue(parsed);
      if (audit.members !== item.colons || audit.nonFinite)
        failure = 'duplicate member names or numbers out of range';
    } catch (err) {
      failure = (err as Error).message;
    }
    if (failure !== undefined) {
      const e = explainJsonText(
        item.text,
        MAX_DEPTH,
        (i) => positionInText(item.text, i, item.start),
        failure,
      );
      this.#reject(item.location, item.text.slice(0, MAX_RAW_BYTES), [
        { path: '', code: e.code, message: e.message },
      ]);
      return;
    }
    if (!isJsonObject(parsed)) {
      this.#reject(item.location, item.text, [
        { path: '', code: 'not-an-object', message: 'expected a STIX object' },
      ]);
      return;
    }
    this.#consider({ object: parsed, json: item.text, location: item.location }, false);
  }
}

function emptyBatch<T>(read: number, rejectedCount: number, warningCount: number): FrontBatch<T> {
  return {
    accepted: [],
    rejected: [],
    read,
    rejectedCount,
    warningCount,
    rejections: [],
    warningReports: [],
    marked: [],
  };
}
