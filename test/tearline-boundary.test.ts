import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dir = fileURLToPath(new URL('../src/tearline/', import.meta.url));
const sources = readdirSync(dir).filter(
  (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'tearline-test-objects.ts',
);
const IMPORT_RE = /^import\s[^'"]*['"]([^'"]+)['"]/gm;

describe('src/tearline is pure core', () => {
  it.each(sources)('%s imports only the core and node:crypto', (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const [, spec] of text.matchAll(IMPORT_RE)) {
      const allowed = spec === 'node:crypto' || spec?.startsWith('./') || spec?.startsWith('../stix/');
      expect(allowed, `${file} imports ${spec}`).toBe(true);
    }
  });

  it('finds the module sources', () => {
    expect(sources.length).toBeGreaterThan(10);
  });
});
