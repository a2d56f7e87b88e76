import { expect, it } from 'vitest';
import { CedarEngine } from '../src/policy/cedar-engine.js';
import { DecisionMemo } from '../src/policy/decision-memo.js';
import type { IntelProjection } from '../src/policy/intel-projection.js';
import { decideOne, loadMarkingClassifier, loadPartnerFacts } from '../src/release/release-facts.js';
import { tlp2MarkingId } from '../src/stix/markings-tlp.js';
import { AgreementStore } from '../src/store/hub/agreement-store.js';
import { ConditionEvents } from '../src/store/hub/condition-events.js';
import { createHubReads } from '../src/store/hub/hub-reads.js';
import { insertObjectRows, withTestSql } from '../src/store/hub/hub-test-rows.js';
import { findNeighbourhood } from '../src/store/hub/neighbourhood.js';
import { PartnerStore } from '../src/store/hub/partner-store.js';
import { iterateProjections, loadProjection } from '../src/store/hub/projection-reads.js';
import { describeOnEngines } from '../src/store/sql/sql-test-engines.js';
import { makeRelationship, makeSdo } from './policy-object-rows.js';

const GREEN = { object_marking_refs: [tlp2MarkingId('green')] };
const seq = (n: number) => Uint8Array.from({ length: n }, (_, i) => i + 7);

describeOnEngines('decisions over the hub state', (open) => {
  it('follows agreement versions, attestations and feedback as they stood at the decision time', async () => {
    await withTestSql(open, async (sql) => {
      const partners = new PartnerStore(sql);
      const agreements = new AgreementStore(sql);
      const conditions = new ConditionEvents(sql);
      const added = await partners.add(
        { name: 'distrusted' },
        { actor: 'local-admin', now: new Date('2026-10-01T00:00:00Z'), randomBytes: seq },
      );
      if (!added.ok) throw new Error(added.message);
      const p = added.partner;
      const isisk = makeSdo('intrusion-set', GREEN);
      const indicator = makeSdo('indicator', GREEN);
      const statement = {
        type: 'marking-definition',
        spec_version: '2.1',
        id: 'marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168',
        created: '2017-06-01T00:00:00.000Z',
        definition_type: 'statement',
        definition: { statement: 'Copyright' },
      };
      const malware = makeSdo('malware', { object_marking_refs: [statement.id] });
      await insertObjectRows(sql, [
        statement,
        isisk,
        indicator,
        malware,
        makeRelationship(indicator.id as string, isisk.id as string, 'indicates'),
      ]);
      const agreement = [
        'scope:',
        '  types: [intrusion-set, indicator, relationship, malware]',
        `  neighbourhood: { of: [${isisk.id}], hops: 1 }`,
        'tlp_ceiling: green',
        'approval: none',
        'sanitisation: strict',
        'conditions:',
        '  - { kind: assurance, id: hr-1, title: Human rights }',
        '  - { kind: reciprocity, min_items: 1, window: P30D }',
      ].join('\n');
      const set = await agreements.set(p.id, agreement, {
        actor: 'local-admin',
        now: new Date('2026-11-01T00:00:00Z'),
        reason: 'test',
      });
      expect(set.ok).toBe(true);
      await conditions.attestAssurance(
        p.id,
        'hr-1',
        { valid_from: '2026-11-01T00:00:00Z', valid_until: '2026-12-31T00:00:00Z' },
        { actor: 'local-admin', now: new Date('2026-11-02T00:00:00Z') },
      );
      await insertObjectRows(sql, [makeSdo('sighting', { created_by_ref: p.id })], {
        addedUs: Date.parse('2026-11-10T00:00:00Z') * 1000,
      });

      const memo = new DecisionMemo(new CedarEngine());
      const reads = createHubReads(sql);
      const classify = await loadMarkingClassifier(reads);
      const decideAt = async (iso: string, id: string) => {
        const facts = await loadPartnerFacts(
          {
            agreements,
            conditions,
            reads,
            neighbourhoods: { find: (seeds, hops) => findNeighbourhood(sql, seeds, hops) },
          },
          (await partners.get('distrusted')) ?? p,
          Date.parse(iso),
        );
        const intel = await loadProjection(sql, id, classify, undefined);
        if (!intel) throw new Error('missing object');
        return decideOne(facts, memo, intel);
      };
      expect((await decideAt('2026-10-15T00:00:00Z', indicator.id as string)).reasons[0]?.code).toBe(
        'no-agreement',
      );
      expect(
        (await decideAt('2026-11-01T12:00:00Z', indicator.id as string)).reasons.map((r) => r.condition),
      ).toEqual(['hr-1', 'reciprocity']);
      expect((await decideAt('2026-11-20T00:00:00Z', indicator.id as string)).outcome).toBe('release');
      // A statement marking restricts nothing, but the malware has no TLP marking and no hub default.
      expect(
        (await decideAt('2026-11-20T00:00:00Z', malware.id as string)).reasons.map((r) => r.code),
      ).toEqual(['marking-missing', 'outside-neighbourhood']);
      expect((await decideAt('2026-12-20T00:00:00Z', indicator.id as string)).reasons[0]?.condition).toBe(
        'reciprocity',
      );

      const all: IntelProjection[] = [];
      for await (const i of iterateProjections(sql, classify, 'green')) all.push(i);
      expect(all.map((i) => i.type)).toContain('malware');
      expect(all.find((i) => i.type === 'malware')).toMatchObject({
        marking_state: 'tlp',
        tlp: 'green',
        tlp_defaulted: true,
      });
    });
  });
});
