import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The ledger core is pure: computation only. It may hash and sign (node:crypto), use the
// project's pure RFC 8785 implementation, and import its own files; files, databases and
// networks stay in adapters.
const ALLOWED = new Set(['node:crypto', '../stix/canonical-json.js']);

describe('the ledger core stays pure', () => {
  it('imports nothing but node:crypto, the pure canonical JSON and its own files', () => {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(files.length).toBeGreaterThan(5);
    const offending: string[] = [];
    for (const file of files) {
      const source = readFileSync(`${dir}/${file}`, 'utf8');
      for (const m of source.matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)) {
        const target = m[1] as string;
        if (!target.startsWith('./') && !ALLOWED.has(target)) offending.push(`${file} imports ${target}`);
      }
      if (/\bimport\(/.test(source) || /\brequire\(/.test(source))
        offending.push(`${file} loads modules dynamically`);
    }
    expect(offending).toEqual([]);
  });
});
