import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../src/stix/types.js';
import { validateObject } from '../src/stix/validate.js';
import { sanitiseBatch } from '../src/tearline/tearline-batch.js';
import { createSanitiseContext, NOTHING_RELEASED } from '../src/tearline/tearline-context.js';
import { STRICT_PROFILE } from '../src/tearline/tearline-profile.js';
import { fixturePath } from './fixture-data.js';

const examplesDir = fixturePath('stix', 'examples');
const bundles = readdirSync(examplesDir).filter((f) => f.endsWith('.json'));
const HUB_IDENTITY = 'identity--0d6f2c1a-6a3e-4f3b-9d5b-1f0e2a3b4c5d';

describe('official STIX 2.1 examples through the strict profile', () => {
  it('finds the example bundles', () => {
    expect(bundles.length).toBe(8);
  });

  it.each(bundles)('%s', (file) => {
    const parsed = JSON.parse(readFileSync(join(examplesDir, file), 'utf8')) as JsonObject;
    // Most files are bundles; one is a single object.
    const objects = (parsed.type === 'bundle' ? parsed.objects : [parsed]) as JsonObject[];
    const ctx = createSanitiseContext({
      hubSecret: 'examples',
      partnerId: 'distrusted-partner',
      ceiling: 'amber',
      releasingIdentityId: HUB_IDENTITY,
      profile: STRICT_PROFILE,
    });
    const result = sanitiseBatch(objects, ctx, NOTHING_RELEASED);
    expect(result.released.length + result.withheld.length).toBe(new Set(objects.map((o) => o.id)).size);
    const out = JSON.stringify(result.released.map((r) => r.tearline));
    for (const r of result.released) {
      expect(validateObject(r.tearline).errors).toEqual([]);
      expect(r.tearline.object_marking_refs).toHaveLength(1);
      // The registry knows every spec property: only custom (x_) properties count as custom.
      for (const removal of r.removed.filter((x) => x.rule === 'custom-property')) {
        expect(removal.path.split('.').at(-1)).toMatch(/^x_|^objects$/);
      }
      if (r.tearline.confidence !== undefined) throw new Error('strict drops confidence');
    }
    for (const o of objects) {
      if (!(o.type === 'marking-definition')) expect(out).not.toContain(o.id as string);
    }
    // Only the TLP:RED campaign of the marking interop test is above an amber ceiling.
    expect(result.withheld.map((w) => w.code)).toEqual(
      file === 'interop-objectmarking-test.json' ? ['marking-above-ceiling'] : [],
    );
  });
});
