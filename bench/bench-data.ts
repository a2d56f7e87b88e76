import { once } from 'node:events';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { classifyStandardMarking, type MarkingClassifier } from '../src/policy/intel-projection.js';
import { isStandardTlpMarking } from '../src/stix/markings-tlp.js';
import type { JsonObject } from '../src/stix/types.js';
import { uuidV5 } from '../src/stix/uuid.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The STIX fixtures the tests use too (test/fixtures/stix; origins and licences in its README). */
export const FIXTURE_STIX = join(REPO_ROOT, 'test', 'fixtures', 'stix');

/** A STIX fixture file's JSON; the MITRE bundles are stored gzipped. */
export function readStixFixture(file: string): { type?: string; objects?: JsonObject[] } & JsonObject {
  const bytes = readFileSync(join(FIXTURE_STIX, file));
  return JSON.parse((file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8'));
}

/** ATT&CK for ICS and CAPEC, as parsed objects. */
export function loadMitreObjects(): JsonObject[] {
  return ['ics-attack-18.1.json.gz', 'capec-2.1.json.gz'].flatMap((f) => readStixFixture(f).objects ?? []);
}

/** The real bundles: ATT&CK for ICS, CAPEC and (with 'all') the official examples, as JSON texts. */
export function loadSharedObjects(which: 'all' | 'ics+capec' = 'all'): string[] {
  const docs = ['ics-attack-18.1.json.gz', 'capec-2.1.json.gz'].map(readStixFixture);
  if (which === 'all') {
    const ex = join(FIXTURE_STIX, 'examples');
    for (const f of readdirSync(ex).filter((name) => name.endsWith('.json')))
      docs.push(readStixFixture(join('examples', f)));
  }
  const out: string[] = [];
  for (const doc of docs) {
    for (const o of doc.type === 'bundle' ? (doc.objects ?? []) : [doc]) out.push(JSON.stringify(o));
  }
  return out;
}

const ID =
  /\b([a-z0-9][a-z0-9-]*)--([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\b/g;
const NS = 'a6e2b1c4-3f5d-4e8a-9b7c-2d1e0f3a4b5c';

/** Copy `k` of an object text with every id (and reference) replaced by a fresh, consistent one. */
export function freshIds(text: string, k: number): string {
  if (k === 0) return text;
  return text.replace(ID, (whole, type: string, uuid: string) =>
    isStandardTlpMarking(whole) ? whole : `${type}--${uuidV5(NS, `${k}:${uuid}`)}`,
  );
}

/** Writes a bundle of at least `minObjects` objects (or `minBytes`), replicated with fresh ids. */
export async function writeReplicatedBundle(
  path: string,
  base: string[],
  limits: { minObjects?: number; minBytes?: number },
): Promise<{ objects: number; bytes: number }> {
  const out = createWriteStream(path);
  let objects = 0;
  let bytes = 0;
  const write = async (s: string) => {
    bytes += Buffer.byteLength(s);
    if (!out.write(s)) await once(out, 'drain');
  };
  await write('{"type":"bundle","id":"bundle--7a1f1a2c-2f0e-4a53-9a3e-0f2d6b7b6e02","objects":[\n');
  for (let k = 0; objects < (limits.minObjects ?? 0) || bytes < (limits.minBytes ?? 0); k++) {
    for (const text of base) {
      await write(`${objects === 0 ? '' : ',\n'}${freshIds(text, k)}`);
      objects++;
    }
  }
  await write('\n]}\n');
  out.end();
  await once(out, 'finish');
  return { objects, bytes };
}

/** Markings as the policy reads them over `objects`: their own copyright statements restrict nothing, other non-TLP ones are unknown. */
export function bundleMarkingClassifier(objects: readonly JsonObject[]): MarkingClassifier {
  const statements = new Set(
    objects
      .filter((o) => o.type === 'marking-definition' && o.definition_type === 'statement')
      .map((o) => o.id as string),
  );
  return (id) => (statements.has(id) ? { kind: 'statement' } : classifyStandardMarking(id));
}
