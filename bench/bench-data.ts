import { once } from 'node:events';
import { createWriteStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isStandardTlpMarking } from '../src/stix/markings-tlp.js';
import { uuidV5 } from '../src/stix/uuid.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** shared/ stands beside the clone (CI) or beside a folder holding the clone (a worktree). */
function findShared(): string {
  for (let dir = REPO_ROOT; ; dir = dirname(dir)) {
    const candidate = join(dir, '..', 'shared');
    if (existsSync(join(candidate, 'data', 'stix'))) return candidate;
    if (dirname(dir) === dir) return join(REPO_ROOT, '..', 'shared');
  }
}

export const SHARED_STIX = join(process.env.TEARLINE_SHARED ?? findShared(), 'data', 'stix');

/** The real bundles in shared/: official examples, ATT&CK for ICS, CAPEC (as JSON texts). */
export function loadSharedObjects(which: 'all' | 'ics+capec' = 'all'): string[] {
  const files = [join(SHARED_STIX, 'ics-attack-18.1.json'), join(SHARED_STIX, 'capec-2.1.json')];
  if (which === 'all') {
    const ex = join(SHARED_STIX, 'examples');
    files.push(
      ...readdirSync(ex)
        .filter((f) => f.endsWith('.json'))
        .map((f) => join(ex, f)),
    );
  }
  const out: string[] = [];
  for (const file of files) {
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    for (const o of doc.type === 'bundle' ? doc.objects : [doc]) out.push(JSON.stringify(o));
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
