import { type JsonObject, versionOf } from './types.js';

const TS = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

/**
 * A fixed-width form of an RFC 3339 UTC timestamp ('…T00:00:00.000000000Z') whose string order
 * is time order, so '…:00Z' and '…:00.000Z' are the same version. Undefined if not a timestamp.
 */
export function normaliseTimestamp(value: string): string | undefined {
  const m = TS.exec(value);
  if (!m) return undefined;
  return `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}Z`;
}

/** The store's version key: normalised `modified`, else `created`, else '' (unversioned). */
export function versionKeyOf(obj: JsonObject): string {
  const v = versionOf(obj);
  return normaliseTimestamp(v) ?? v;
}
