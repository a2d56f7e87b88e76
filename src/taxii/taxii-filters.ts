import { normaliseTimestamp } from '../stix/timestamp.js';
import { TaxiiError } from './taxii-errors.js';
import type { FeedQuery, VersionMatch } from './taxii-ports.js';
import { parseMicros } from './taxii-timestamp.js';

export type QueryParams = Record<string, string | string[] | undefined>;

export interface FilterOptions {
  /** Page size cap; a larger `limit` is lowered to it (the spec lets the server return fewer). */
  maxPageSize: number;
  /** Which match[...] filters the endpoint takes (spec table 5.x per endpoint). */
  allow: ReadonlySet<'id' | 'type' | 'version' | 'spec_version'>;
}

const ID_RE = /^[a-z0-9][a-z0-9-]*--[0-9a-fA-F-]{36}$/;
const TYPE_RE = /^[a-z0-9][a-z0-9-]{0,249}$/;
const MAX_LIST = 100;
const KNOWN = new Set([
  'added_after',
  'limit',
  'next',
  'match[id]',
  'match[type]',
  'match[version]',
  'match[spec_version]',
]);

function single(params: QueryParams, name: string): string | undefined {
  const v = params[name];
  if (Array.isArray(v)) throw new TaxiiError('bad-request', `${name} may be given once`);
  return v;
}

/** `match[x]=a,b` and `match[x]=a&match[x]=b` both mean a or b. */
function list(params: QueryParams, name: string, valid: (v: string) => boolean): string[] | undefined {
  const raw = params[name];
  if (raw === undefined) return undefined;
  const values = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => v.split(',')).map((v) => v.trim());
  if (values.length > MAX_LIST) throw new TaxiiError('bad-request', `${name}: at most ${MAX_LIST} values`);
  for (const v of values) {
    if (!valid(v)) throw new TaxiiError('bad-request', `${name}: "${v.slice(0, 80)}" is not valid here`);
  }
  return values;
}

export function encodeNext(afterUs: number): string {
  return Buffer.from(`p:${afterUs}`).toString('base64url');
}

function decodeNext(next: string): number {
  const text = /^[A-Za-z0-9_-]{1,40}$/.test(next) ? Buffer.from(next, 'base64url').toString() : '';
  const m = /^p:(\d{1,17})$/.exec(text);
  if (!m)
    throw new TaxiiError('bad-request', 'next: not a value this server handed out; start again without it');
  return Number(m[1]);
}

function parseVersion(values: string[] | undefined): VersionMatch {
  if (values === undefined) return { all: false, first: false, last: true, timestamps: [] };
  const m = { all: false, first: false, last: false, timestamps: [] as string[] };
  for (const v of values) {
    if (v === 'all' || v === 'first' || v === 'last') m[v] = true;
    else m.timestamps.push(normaliseTimestamp(v) as string);
  }
  return m;
}

/**
 * Turns an endpoint's query string into a FeedQuery, or throws a 400 naming the parameter.
 * Unknown parameters are refused rather than ignored: a misspelt filter must not silently
 * return everything.
 */
export function parseFeedQuery(params: QueryParams, opts: FilterOptions): FeedQuery {
  for (const key of Object.keys(params)) {
    if (!KNOWN.has(key)) throw new TaxiiError('bad-request', `unknown query parameter "${key.slice(0, 60)}"`);
    const m = /^match\[(.*)\]$/.exec(key);
    if (m && !opts.allow.has(m[1] as 'id')) {
      throw new TaxiiError('bad-request', `${key} is not a filter of this endpoint`);
    }
  }
  const query: FeedQuery = { version: parseVersion(undefined), limit: opts.maxPageSize };
  const addedAfter = single(params, 'added_after');
  if (addedAfter !== undefined) {
    const us = parseMicros(addedAfter);
    if (us === undefined) {
      throw new TaxiiError(
        'bad-request',
        `added_after "${addedAfter.slice(0, 60)}" must be a timestamp such as 2026-01-01T00:00:00.000Z`,
      );
    }
    query.afterUs = us;
  }
  const next = single(params, 'next');
  if (next !== undefined) query.afterUs = Math.max(query.afterUs ?? -1, decodeNext(next));
  const limit = single(params, 'limit');
  if (limit !== undefined) {
    if (!/^[1-9]\d{0,8}$/.test(limit))
      throw new TaxiiError('bad-request', 'limit must be a positive integer');
    query.limit = Math.min(Number(limit), opts.maxPageSize);
  }
  const ids = list(params, 'match[id]', (v) => ID_RE.test(v));
  if (ids) query.ids = ids;
  const types = list(params, 'match[type]', (v) => TYPE_RE.test(v));
  if (types) query.types = types;
  const versions = list(
    params,
    'match[version]',
    (v) => v === 'all' || v === 'first' || v === 'last' || normaliseTimestamp(v) !== undefined,
  );
  query.version = parseVersion(versions);
  const specs = list(params, 'match[spec_version]', (v) => /^\d\.\d$/.test(v));
  if (specs) query.specVersions = specs;
  return query;
}
