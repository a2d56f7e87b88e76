import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registeredTypes } from '../src/stix/stix-registry.js';
import { META_TYPES, SCO_TYPES, SDO_TYPES, SRO_TYPES } from '../src/stix/type-categories.js';

const stixDir = join(import.meta.dirname, '..', 'src', 'stix');

/** The engine files: they must apply declarations without knowing any type. */
const SHARED_ENGINE = [
  'validate.ts',
  'validate-bundle.ts',
  'validate-extensions.ts',
  'validate-markings.ts',
  'property-checks.ts',
  'common-properties.ts',
  'stix-registry.ts',
  'validation-sink.ts',
];

describe('the per-type registry', () => {
  it('declares all 19 SDOs, 2 SROs, 18 SCOs and 3 meta objects of STIX 2.1', () => {
    expect(SDO_TYPES.length).toBe(19);
    expect(SCO_TYPES.length).toBe(18);
    expect(registeredTypes().sort()).toEqual(
      [...SDO_TYPES, ...SRO_TYPES, ...SCO_TYPES, ...META_TYPES].sort(),
    );
  });

  it.each(SHARED_ENGINE)('%s has no type-specific branches', (file) => {
    const text = readFileSync(join(stixDir, file), 'utf8');
    for (const type of registeredTypes()) {
      expect(text.includes(`=== '${type}'`), `${file} compares with '${type}'`).toBe(false);
      expect(text.includes(`case '${type}'`), `${file} switches on '${type}'`).toBe(false);
    }
  });

  it('the pure core imports no I/O, driver or HTTP module', () => {
    for (const file of SHARED_ENGINE) {
      const text = readFileSync(join(stixDir, file), 'utf8');
      expect(text).not.toMatch(/from 'node:(fs|net|http|https|child_process)'|better-sqlite3|fastify|'pg'/);
    }
  });
});
