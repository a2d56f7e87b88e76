import { decodeLeaf, type EntryOpening, openLeaf, SALT_BYTES } from './ledger-commitment.js';
import type { LedgerEntry } from './ledger-entry.js';
import { fail, type LedgerResult } from './ledger-result.js';

/**
 * One line of an export with openings, for overseers (`ledger export --with-private`, the
 * oversight entry range over HTTP): the leaf's exact text, and for a version 2 entry the salt
 * (hex) and the private part's exact text. `{"index":N,"entry":"…","salt":"…","private":"…"}`
 */
export function formatOpenedLine(index: number, leaf: Uint8Array, opening: EntryOpening | undefined): string {
  return JSON.stringify({
    index,
    entry: Buffer.from(leaf).toString('utf8'),
    ...(opening && {
      salt: Buffer.from(opening.salt).toString('hex'),
      private: Buffer.from(opening.private).toString('utf8'),
    }),
  });
}

const MAX_LINE = 300 * 1024;

/**
 * Reads one such line back and checks it: the leaf decodes, and a version 2 leaf comes with an
 * opening that matches its commitment. Returns the leaf bytes (to rebuild the tree) and the
 * whole entry.
 */
export function checkOpenedLine(
  line: string,
): LedgerResult<{ index: number; leaf: Buffer; entry: LedgerEntry; version: 1 | 2 }> {
  if (line.length > MAX_LINE) return fail('bad-entry', `the line is longer than ${MAX_LINE} characters`);
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch (err) {
    return fail('bad-entry', `the line is not JSON: ${(err as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    return fail('bad-entry', 'the line must be a JSON object');
  const { index, entry, salt, private: priv } = doc as Record<string, unknown>;
  if (!Number.isSafeInteger(index) || (index as number) < 0)
    return fail('bad-entry', 'index must be a whole number >= 0');
  if (typeof entry !== 'string') return fail('bad-entry', `entry ${index}: entry must be the leaf's text`);
  const leaf = Buffer.from(entry, 'utf8');
  const decoded = decodeLeaf(leaf);
  if (!decoded.ok) return fail('bad-entry', `entry ${index}: ${decoded.message}`);
  if (decoded.leaf.version === 1) {
    if (salt !== undefined || priv !== undefined)
      return fail('bad-entry', `entry ${index}: a version 1 entry has no private part`);
    return { ok: true, index: index as number, leaf, entry: decoded.leaf.entry, version: 1 };
  }
  if (
    typeof salt !== 'string' ||
    !new RegExp(`^[0-9a-f]{${SALT_BYTES * 2}}$`).test(salt) ||
    typeof priv !== 'string'
  )
    return fail('bad-entry', `entry ${index}: a version 2 entry needs its salt (hex) and private part`);
  const opened = openLeaf(decoded.leaf.entry, {
    salt: Buffer.from(salt, 'hex'),
    private: Buffer.from(priv, 'utf8'),
  });
  if (!opened.ok) return fail('bad-entry', `entry ${index}: ${opened.message}`);
  return { ok: true, index: index as number, leaf, entry: opened.entry, version: 2 };
}
