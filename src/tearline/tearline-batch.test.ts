import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../stix/types.js';
import { planBatch, sanitiseBatch } from './tearline-batch.js';
import { NOTHING_RELEASED, releasedSetOf } from './tearline-context.js';
import { CAMPAIGN_ID, GREEN, indicator, MALWARE_ID, RED, testContext } from './tearline-test-objects.js';

const INDICATOR_ID = 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';
const common = {
  spec_version: '2.1',
  created: '2024-01-03T10:00:00.000Z',
  modified: '2024-01-03T10:00:00.000Z',
};

function relationship(n: number, source: string, target: string): JsonObject {
  return {
    type: 'relationship',
    id: `relationship--00000000-0000-4000-8000-00000000000${n}`,
    ...common,
    relationship_type: 'indicates',
    source_ref: source,
    target_ref: target,
    object_marking_refs: [GREEN],
  };
}

const campaign: JsonObject = {
  type: 'campaign',
  id: CAMPAIGN_ID,
  ...common,
  name: 'Kerman',
  object_marking_refs: [GREEN],
};
const malwareRed: JsonObject = {
  type: 'malware',
  id: MALWARE_ID,
  ...common,
  is_family: true,
  name: 'X',
  object_marking_refs: [RED],
};
// 'grouping' sorts before 'relationship': it is sanitised first, then again when rel1 dangles.
const groupingId = 'grouping--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3';

describe('sanitiseBatch', () => {
  it('counts same-batch objects as released and follows withheld objects to a fixpoint', () => {
    const rel1 = relationship(1, INDICATOR_ID, MALWARE_ID); // malware is red: dangles
    const rel2 = relationship(2, INDICATOR_ID, CAMPAIGN_ID);
    // A grouping whose only content is the dangling relationship dangles too (a later round).
    const grouping: JsonObject = {
      type: 'grouping',
      id: groupingId,
      ...common,
      context: 'suspicious-activity',
      object_refs: [rel1.id as string],
      object_marking_refs: [GREEN],
    };
    const ctx = testContext();
    const result = sanitiseBatch(
      [grouping, rel1, rel2, indicator(), campaign, malwareRed],
      ctx,
      NOTHING_RELEASED,
    );
    expect(result.withheld.map((w) => [w.originalId, w.code])).toEqual([
      [groupingId, 'dangling-reference'],
      [MALWARE_ID, 'marking-above-ceiling'],
      [rel1.id, 'dangling-reference'],
    ]);
    const releasedIds = new Set(result.released.map((r) => r.partnerObjectId));
    for (const r of result.released) {
      for (const key of ['source_ref', 'target_ref'] as const) {
        const ref = r.tearline[key];
        if (typeof ref === 'string') expect(releasedIds.has(ref)).toBe(true);
      }
    }
  });

  it('gives the same output whatever the input order', () => {
    const objects = [relationship(1, INDICATOR_ID, CAMPAIGN_ID), indicator(), campaign, malwareRed];
    const ctx = testContext();
    const forward = JSON.stringify(sanitiseBatch(objects, ctx, NOTHING_RELEASED));
    const backward = JSON.stringify(sanitiseBatch([...objects].reverse(), ctx, NOTHING_RELEASED));
    expect(backward).toBe(forward);
  });

  it('uses objects released before, and the latest version of an id', () => {
    const ctx = testContext();
    const before = releasedSetOf(new Map([[CAMPAIGN_ID, ctx.partner.deriveId(CAMPAIGN_ID)]]));
    const old = indicator({ name: 'old' });
    const result = sanitiseBatch(
      [relationship(1, INDICATOR_ID, CAMPAIGN_ID), indicator({ modified: '2024-03-01T00:00:00.000Z' }), old],
      ctx,
      before,
    );
    expect(result.withheld).toEqual([]);
    expect(result.released.find((r) => r.originalId === INDICATOR_ID)?.tearline.name).toBe(
      'Kerman follow-up',
    );
  });

  it('reports objects without an id instead of dropping them, and plans once for many partners', () => {
    const objects = [
      relationship(1, INDICATOR_ID, CAMPAIGN_ID),
      indicator(),
      campaign,
      { type: 'indicator' },
    ];
    const plan = planBatch(objects);
    const a = testContext({ partnerId: 'partner-a' });
    const b = testContext({ partnerId: 'partner-b' });
    expect(JSON.stringify(sanitiseBatch(plan, a, NOTHING_RELEASED))).toBe(
      JSON.stringify(sanitiseBatch(objects, a, NOTHING_RELEASED)),
    );
    const forB = sanitiseBatch(plan, b, NOTHING_RELEASED);
    expect(forB.released).toHaveLength(3);
    expect(forB.withheld).toEqual([
      { originalId: '', ok: false, code: 'not-an-object', message: 'the object has no string id' },
    ]);
  });

  it('resolves SCO references to recomputed ids, dependencies first', () => {
    const dir: JsonObject = {
      type: 'directory',
      spec_version: '2.1',
      id: 'directory--9a6f0d7e-8b4c-4f1e-9a2b-3c4d5e6f7a8b',
      path: 'C:\\tmp',
      object_marking_refs: [GREEN],
    };
    const file: JsonObject = {
      type: 'file',
      spec_version: '2.1',
      id: 'file--0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d',
      name: 'a.exe',
      parent_directory_ref: dir.id as string,
      object_marking_refs: [GREEN],
    };
    const result = sanitiseBatch([file, dir], testContext(), NOTHING_RELEASED);
    const dirCopy = result.released.find((r) => r.originalId === dir.id);
    const fileCopy = result.released.find((r) => r.originalId === file.id);
    expect(fileCopy?.tearline.parent_directory_ref).toBe(dirCopy?.partnerObjectId);
    expect(fileCopy?.partnerObjectId).not.toBe(file.id);
  });
});
