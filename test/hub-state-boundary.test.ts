import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dir = fileURLToPath(new URL('../src/store/hub/', import.meta.url));
const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
const IMPORT_RE = /^import\s[^'"]*['"]([^'"]+)['"]/gm;
const ENGINE_SPECIFIC = /^(better-sqlite3|pg)$|\/sqlite\/|\/postgres\//;

/** The hub state stores are written once for both engines: they may not reach for either one. */
describe('src/store/hub is engine-neutral', () => {
  it.each(sources)('%s imports no database driver and no engine adapter', (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const [, spec] of text.matchAll(IMPORT_RE)) {
      expect(ENGINE_SPECIFIC.test(spec ?? ''), `${file} imports ${spec}`).toBe(false);
    }
  });

  it('finds the module sources', () => {
    expect(sources).toEqual(
      expect.arrayContaining(['partner-store.ts', 'release-store.ts', 'user-store.ts']),
    );
  });
});
