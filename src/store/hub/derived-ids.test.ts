import { expect, it } from 'vitest';
import { tlp2MarkingId } from '../../stix/markings-tlp.js';
import { sanitiseBatch } from '../../tearline/tearline-batch.js';
import { createSanitiseContext, NOTHING_RELEASED, releasedSetOf } from '../../tearline/tearline-context.js';
import { STRICT_PROFILE } from '../../tearline/tearline-profile.js';
import { describeOnEngines } from '../sql/sql-test-engines.js';
import { DerivedIdStore } from './derived-ids.js';
import { withTestSql } from './hub-test-rows.js';

const GREEN = tlp2MarkingId('green');

describeOnEngines('DerivedIdStore', (open) => {
  it('routes a derived id back to its original, per partner', async () => {
    await withTestSql(open, async (sql) => {
      const ids = new DerivedIdStore(sql);
      await ids.recordDerivedIds('partner-a', [{ derivedId: 'indicator--a', originalId: 'indicator--1' }]);
      await ids.recordDerivedIds('partner-b', [{ derivedId: 'indicator--b', originalId: 'indicator--1' }]);
      expect(await ids.originalsOf('partner-a', 'indicator--a')).toEqual(['indicator--1']);
      expect(await ids.originalsOf('partner-b', 'indicator--a')).toEqual([]);
      expect(await ids.derivedIdsOf('partner-b', ['indicator--1', 'indicator--2'])).toEqual(
        new Map([['indicator--1', 'indicator--b']]),
      );
    });
  });

  it('records a pair once however often it is released, and keeps several originals of one SCO id', async () => {
    await withTestSql(open, async (sql) => {
      const ids = new DerivedIdStore(sql);
      const pairs = [
        { derivedId: 'ipv4-addr--x', originalId: 'ipv4-addr--1' },
        { derivedId: 'ipv4-addr--x', originalId: 'ipv4-addr--2' },
      ];
      await ids.recordDerivedIds('p', pairs);
      await ids.recordDerivedIds('p', pairs);
      expect(await ids.originalsOf('p', 'ipv4-addr--x')).toEqual(['ipv4-addr--1', 'ipv4-addr--2']);
      expect(await sql.get('SELECT count(*) AS n FROM tearline_derived_ids')).toEqual({ n: 2 });
    });
  });

  it('looks up more ids than one query binds', async () => {
    await withTestSql(open, async (sql) => {
      const ids = new DerivedIdStore(sql);
      const pairs = Array.from({ length: 1234 }, (_, i) => ({ derivedId: `d--${i}`, originalId: `o--${i}` }));
      await ids.recordDerivedIds('p', pairs);
      const found = await ids.derivedIdsOf(
        'p',
        pairs.map((p) => p.originalId),
      );
      expect(found.size).toBe(1234);
      expect(found.get('o--1233')).toBe('d--1233');
    });
  });

  it('holds what a batch released, so the next batch resolves references to it', async () => {
    await withTestSql(open, async (sql) => {
      const ids = new DerivedIdStore(sql);
      const ctx = createSanitiseContext({
        hubSecret: 's',
        partnerId: 'p',
        ceiling: 'amber',
        releasingIdentityId: 'identity--0d6f2c1a-6a3e-4f3b-9d5b-1f0e2a3b4c5d',
        profile: STRICT_PROFILE,
      });
      const common = {
        spec_version: '2.1',
        created: '2024-01-01T00:00:00.000Z',
        modified: '2024-01-01T00:00:00.000Z',
        object_marking_refs: [GREEN],
      };
      const campaign = {
        type: 'campaign',
        id: 'campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
        name: 'c',
        ...common,
      };
      const first = sanitiseBatch([campaign], ctx, NOTHING_RELEASED);
      await ids.recordDerivedIds(
        'p',
        first.released.map((r) => ({ derivedId: r.partnerObjectId, originalId: r.originalId })),
      );

      const note = {
        type: 'note',
        id: 'note--5b0f6a1e-9c3d-4e2f-8a1b-7c6d5e4f3a2b',
        content: 'x',
        object_refs: [campaign.id],
        ...common,
      };
      const known = await ids.derivedIdsOf('p', [campaign.id]);
      const second = sanitiseBatch([note], ctx, releasedSetOf(known));
      expect(second.released[0]?.tearline.object_refs).toEqual([first.released[0]?.partnerObjectId]);
      expect(await ids.originalsOf('p', first.released[0]?.partnerObjectId ?? '')).toEqual([campaign.id]);
    });
  });
});
