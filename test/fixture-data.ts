import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** test/fixtures: public data copied into the repository (origins and licences in its README). */
export const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));

export function fixturePath(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

/** The text of a fixture; a `.gz` file is decompressed. */
export function readFixtureText(...parts: string[]): string {
  const path = fixturePath(...parts);
  const bytes = readFileSync(path);
  return (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

export function readFixtureJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readFixtureText(...parts)) as T;
}

/** The MITRE bundles, stored gzipped. */
export const MITRE_BUNDLES = ['ics-attack-18.1.json.gz', 'capec-2.1.json.gz'] as const;
