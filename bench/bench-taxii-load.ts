// What the TAXII benches share: autocannon's typed entry point, a fictional released indicator,
// and the real `tearline serve` (or any server script) started as a child process.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { SqliteReleaseFeed } from '../src/store/sqlite/release-feed.js';
import { REPO_ROOT } from './bench-data.js';

export interface CannonResult {
  requests: { average: number };
  latency: { p99: number; p50: number };
  non2xx: number;
  errors: number;
}
export type Cannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  requests?: { path: string; headers: Record<string, string> }[];
}) => Promise<CannonResult>;
export const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

/** A released indicator of the kind a partner pages through: fresh id, a pattern per `i`. */
export function fictionalIndicator(i: number, tag: string | number = '') {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-02-01T00:00:00.000Z',
    name: `Fictional ISIS-K infrastructure ${tag === '' ? '' : `${tag}-`}${i}`,
    description: 'Sanitised copy: source and method removed.',
    indicator_types: ['malicious-activity'],
    pattern: `[ipv4-addr:value = '198.51.${i % 256}.${(i >> 8) % 256}']`,
    pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00Z',
    object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
  };
}

/**
 * Releases fictional indicators `from` to `to` (exclusive) to a partner, visible from `now`, and
 * returns them; the caller holds the transaction (one per batch keeps a large feed's WAL bounded).
 */
export function releaseIndicators(
  feed: SqliteReleaseFeed,
  partnerId: string,
  range: { from: number; to: number; tag?: string | number },
  now: Date,
): ReturnType<typeof fictionalIndicator>[] {
  const released: ReturnType<typeof fictionalIndicator>[] = [];
  for (let i = range.from; i < range.to; i++) {
    const obj = fictionalIndicator(i, range.tag);
    const r = feed.addRelease(
      {
        partnerId,
        tearline: obj,
        originalId: `indicator--${randomUUID()}`,
        originalVersion: obj.modified,
        visibleFrom: now,
      },
      now,
    );
    if (!r.ok) throw new Error(r.message);
    released.push(obj);
  }
  return released;
}

/** Starts `node ARGS` from the repository; resolves with its URL once stderr matches `ready`. */
export function startChild(args: string[], ready: RegExp): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const m = ready.exec(err);
      if (m) resolve({ child, url: m[1] as string });
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
}

/** The pattern `tearline serve` prints when it listens: its base URL is the first group. */
export const SERVE_READY = /serving TAXII 2\.1 at (http:\/\/[^ ]+)\/taxii2\//;

/** `tearline serve` on an ephemeral port over the hub in `data`, no rate limit in the way, then `extra`. */
export function serveArgs(data: string, ...extra: string[]): string[] {
  return [
    join(REPO_ROOT, 'bin', 'tearline.js'),
    'serve',
    '--port',
    '0',
    '--data',
    data,
    '--rate',
    '1000000',
    ...extra,
  ];
}
