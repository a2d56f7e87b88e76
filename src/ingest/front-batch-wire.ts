import { collectRefs } from '../stix/refs.js';
import { versionKeyOf } from '../stix/timestamp.js';
import { type PreparedObject, prepareObject } from '../store/prepared-object.js';
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

/** What the front's worker thread keeps of an accepted object: its text and its fields as JSON. */
export interface WireItem {
  /** JSON array: id, version, type, specVersion, created, modified, location, then path and id of each reference. */
  meta: string;
  json: string;
}

export function keepForWire(a: Accepted): WireItem {
  const o = a.object;
  const meta: (string | null)[] = [
    o.id as string,
    versionKeyOf(o),
    o.type as string,
    typeof o.spec_version === 'string' ? o.spec_version : null,
    typeof o.created === 'string' ? o.created : null,
    typeof o.modified === 'string' ? o.modified : null,
    a.location,
  ];
  for (const r of collectRefs(o)) meta.push(r.path, r.id);
  return { meta: JSON.stringify(meta), json: a.json };
}

const FIXED_FIELDS = 7;

/**
 * A front batch as it crosses from the front's worker thread. The JSON texts travel as one UTF-8
 * buffer (transferred, not copied) and stay bytes on the other side; the short fields travel as
 * one JSON text, which the receiving thread parses faster than it deserialises the same strings
 * one by one.
 */
export interface WireBatch extends Omit<FrontBatch, 'accepted'> {
  /** JSON array of each accepted object's WireItem meta. */
  meta: string;
  /** Where each object's JSON ends in `json` (bytes). */
  ends: number[];
  json: Uint8Array;
}

/**
 * `allocate` gives a buffer of at least the bytes asked for, not from Buffer's shared pool: the
 * buffer is transferred, and a pooled one would take its neighbours.
 */
export function toWire(batch: FrontBatch<WireItem>, allocate: (bytes: number) => Buffer): WireBatch {
  const { accepted, ...rest } = batch;
  let total = 0;
  for (const a of accepted) total += Buffer.byteLength(a.json);
  const json = allocate(total).subarray(0, total);
  const ends: number[] = [];
  let end = 0;
  for (const a of accepted) {
    end += json.write(a.json, end);
    ends.push(end);
  }
  return { ...rest, meta: `[${accepted.map((a) => a.meta).join(',')}]`, ends, json };
}

export function fromWire(wire: WireBatch, source: string): PreparedFrontBatch {
  const { meta: metaText, ends, json: bytes, ...rest } = wire;
  const meta = JSON.parse(metaText) as (string | null)[][];
  const json = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const accepted: PreparedAccepted[] = [];
  let start = 0;
  for (const [i, m] of meta.entries()) {
    const location = m[6] as string;
    const end = ends[i] as number;
    accepted.push({
      prepared: {
        id: m[0] as string,
        version: m[1] as string,
        type: m[2] as string,
        specVersion: m[3] ?? null,
        created: m[4] ?? null,
        modified: m[5] ?? null,
        refs: m.length > FIXED_FIELDS ? (m.slice(FIXED_FIELDS) as string[]) : [],
        json: json.subarray(start, end),
        source: `${source}#${location}`,
      },
      location,
    });
    start = end;
  }
  return { ...rest, accepted };
}
