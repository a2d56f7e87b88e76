import { collectRefs } from '../stix/refs.js';
import { type PreparedObject, prepareObject, storedFieldsOf } from '../store/prepared-object.js';
import type { Accepted, FrontBatch } from './import-front.js';

/** An accepted object ready for the store, with where it stood in the input. */
export interface PreparedAccepted {
  prepared: PreparedObject;
  location: string;
}

/** A front batch whose accepted objects are prepared for the store. */
export interface PreparedFrontBatch extends FrontBatch<PreparedAccepted> {
  /**
   * Called once the batch is stored: its memory goes back to the thread that made it, and
   * the prepared objects' `json` must not be read after.
   */
  release?: () => void;
}

/** What the front keeps of an accepted object for the store, on the importing thread. */
export function keepPrepared(source: string): (a: Accepted) => PreparedAccepted {
  return (a) => ({
    prepared: prepareObject({ object: a.object, json: a.json, source: `${source}#${a.location}` }),
    location: a.location,
  });
}

/**
 * A front batch as it crosses from the front's worker thread: the accepted objects' JSON, then
 * their field records, in one UTF-8 buffer (transferred, not copied). The JSON stays bytes on
 * the other side; the records split there faster than a structured clone of the same strings
 * deserialises.
 */
export interface WireBatch extends Omit<FrontBatch, 'accepted'> {
  bytes: Uint8Array;
  /** Where each object's JSON ends in `bytes`; their field records (encodeFields) follow. */
  ends: number[];
}

/** Where a WireArena put one accepted object (offsets count every byte the arena ever held). */
export interface WireItem {
  jsonStart: number;
  jsonEnd: number;
  fieldsStart: number;
  fieldsEnd: number;
}

/** Fields per object before its references: id, version, type, specVersion, created, modified, location. */
const FIXED_FIELDS = 7;

/*
 * An object's fields travel as one record: the fields joined by U+0000, ended by U+0001, absent
 * ones empty (an accepted object never has an empty id, type, spec_version or timestamp). A
 * field holding either separator (a reference path can carry any property name) sends the
 * record as U+0002 and the JSON array instead. Joining and splitting cost a fraction of
 * JSON.stringify and JSON.parse on the same strings, on both threads.
 */
const FIELD_SEP = '\u0000';
const RECORD_END = '\u0001';
const AS_JSON = '\u0002';
function hasSeparator(f: string): boolean {
  for (let i = 0; i < f.length; i++) if (f.charCodeAt(i) <= 2) return true;
  return false;
}

export function encodeFields(fields: readonly string[]): string {
  // Validation has vouched for the fixed fields and the reference ids (identifier and
  // timestamp syntax): only a reference path, made of the input's property names, may hold one.
  for (let i = FIXED_FIELDS; i < fields.length; i += 2)
    if (hasSeparator(fields[i] as string)) return `${AS_JSON}${JSON.stringify(fields)}${RECORD_END}`;
  return `${fields.join(FIELD_SEP)}${RECORD_END}`;
}

/** One record as encodeFields made it, without its RECORD_END. */
export function decodeFields(record: string): string[] {
  return record.startsWith(AS_JSON) ? (JSON.parse(record.slice(1)) as string[]) : record.split(FIELD_SEP);
}

/** A growing UTF-8 buffer whose offsets keep counting when its front is dropped. */
class ByteArena {
  #buf = Buffer.allocUnsafeSlow(1 << 20);
  /** Offset of #buf[0] in the arena's whole history. */
  #base = 0;
  #used = 0;

  get end(): number {
    return this.#base + this.#used;
  }

  write(text: string): void {
    // At most three bytes per UTF-16 code unit: room checked without measuring the text first.
    const room = this.#used + text.length * 3;
    if (room > this.#buf.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(room, this.#buf.length * 2));
      this.#buf.copy(bigger, 0, 0, this.#used);
      this.#buf = bigger;
    }
    this.#used += this.#buf.write(text, this.#used);
  }

  copyTo(target: Buffer, at: number, from: number, to: number): number {
    return this.#buf.copy(target, at, from - this.#base, to - this.#base);
  }

  /** Forgets everything before `offset`. */
  dropBefore(offset: number): void {
    const keep = offset - this.#base;
    this.#buf.copy(this.#buf, 0, keep, this.#used);
    this.#used -= keep;
    this.#base = offset;
  }
}

/**
 * Where the front's worker thread keeps accepted objects: as soon as one is accepted, its JSON
 * and its fields go into byte arenas, so a batch being gathered holds no JavaScript strings or
 * parsed objects for the garbage collector to copy from scavenge to scavenge (a fifth of the
 * worker's time when batches held them).
 */
export class WireArena {
  readonly #json = new ByteArena();
  readonly #fields = new ByteArena();

  readonly keep = (a: Accepted): WireItem => {
    const o = a.object;
    const f = storedFieldsOf(o);
    const fields = [
      f.id,
      f.version,
      f.type,
      f.specVersion ?? '',
      f.created ?? '',
      f.modified ?? '',
      a.location,
    ];
    for (const r of collectRefs(o)) fields.push(r.path, r.id);
    const jsonStart = this.#json.end;
    this.#json.write(a.json);
    const fieldsStart = this.#fields.end;
    this.#fields.write(encodeFields(fields));
    return { jsonStart, jsonEnd: this.#json.end, fieldsStart, fieldsEnd: this.#fields.end };
  };

  /**
   * The batch on the wire. Batches must be taken in the order the front cut them: each is the
   * run of items kept since the one before, and taking it drops that run from the arenas.
   * `allocate` gives a buffer of at least the bytes asked for, not from Buffer's shared pool (it
   * is transferred, and a pooled one would take its neighbours).
   */
  take(batch: FrontBatch<WireItem>, allocate: (bytes: number) => Buffer): WireBatch {
    const { accepted, ...rest } = batch;
    const first = accepted[0];
    const last = accepted.at(-1);
    if (!first || !last) return { ...rest, bytes: new Uint8Array(0), ends: [] };
    const jsonBytes = last.jsonEnd - first.jsonStart;
    // Items were kept one after the other: the batch's JSON and fields are two runs of bytes.
    const fieldsBytes = last.fieldsEnd - first.fieldsStart;
    const bytes = allocate(jsonBytes + fieldsBytes).subarray(0, jsonBytes + fieldsBytes);
    this.#json.copyTo(bytes, 0, first.jsonStart, last.jsonEnd);
    this.#fields.copyTo(bytes, jsonBytes, first.fieldsStart, last.fieldsEnd);
    this.#json.dropBefore(last.jsonEnd);
    this.#fields.dropBefore(last.fieldsEnd);
    return { ...rest, bytes, ends: accepted.map((item) => item.jsonEnd - first.jsonStart) };
  }
}

export function fromWire(wire: WireBatch, source: string): PreparedFrontBatch {
  const { bytes, ends, ...rest } = wire;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const jsonBytes = ends.at(-1) ?? 0;
  const records = ends.length === 0 ? [] : buf.toString('utf8', jsonBytes).split(RECORD_END);
  const accepted: PreparedAccepted[] = [];
  let start = 0;
  for (const [i, record] of records.entries()) {
    if (i >= ends.length) break;
    const f = decodeFields(record);
    const location = f[6] as string;
    const end = ends[i] as number;
    accepted.push({
      prepared: {
        id: f[0] as string,
        version: f[1] as string,
        type: f[2] as string,
        specVersion: f[3] || null,
        created: f[4] || null,
        modified: f[5] || null,
        refs: f.length > FIXED_FIELDS ? f.slice(FIXED_FIELDS) : [],
        json: buf.subarray(start, end),
        source: `${source}#${location}`,
      },
      location,
    });
    start = end;
  }
  return { ...rest, accepted };
}
