import { describe, expect, it } from 'vitest';
import type { OutcomeRow } from '../store/hub/release-store.js';
import { decideStep, type OutcomeKeys } from './release-decide-step.js';
import { decideReleases } from './release-decision.js';
import { loadEveryObject, type PassBatch } from './release-pass-plan.js';
import { defaultHubPolicy } from './release-policy.js';
import { DecisionRound } from './release-terms.js';
import { demoAgreement, openStepHub, type StepHub } from './release-test-hub.js';

async function termsAndBatch(h: StepHub, agreement?: Record<string, unknown>) {
  const partner = await h.partner('ally', agreement);
  const round = await DecisionRound.open(
    { stores: h.stores, policy: defaultHubPolicy(), hubSecret: 'test secret', hubName: h.stores.hubName },
    h.now,
  );
  const terms = await round.termsFor(partner);
  return { partner, terms, batch: await loadEveryObject(h.stores.reads, round) };
}

const keysOf = (rows: readonly OutcomeRow[]): OutcomeKeys => new Map(rows.map((r) => [r.object_id, r]));

describe('decide step', () => {
  it('sorts every object into one of withheld, candidate or unchanged, and tallies every decision', async () => {
    const h = await openStepHub();
    const { partner, terms, batch } = await termsAndBatch(h, demoAgreement('none'));
    const at = h.now.toISOString();
    const r = decideStep(terms, partner.id, batch, new Map(), at);
    expect(batch.inputs.length).toBeGreaterThan(10);
    expect(r.withheld.length).toBeGreaterThan(0);
    expect(r.candidates.length).toBeGreaterThan(0);
    expect(r.unchanged).toBe(0);
    expect(r.withheld.length + r.candidates.length).toBe(batch.inputs.length);
    const counts = r.tally.counts;
    expect(counts.release + counts['needs-approval'] + counts.withhold).toBe(batch.inputs.length);
    const ids = [...r.withheld.map((w) => w.object_id), ...r.candidates.map((c) => c.decision.object_id)];
    expect(new Set(ids).size).toBe(batch.inputs.length);
    for (const w of r.withheld) {
      expect(w).toMatchObject({ partner_id: partner.id, outcome: 'withheld', decided_at: at });
      expect(w.reasons.length).toBeGreaterThan(0);
      expect(w.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    }
    for (const c of r.candidates) {
      expect(c.decision.outcome).toBe('release');
      // The partner gets its own id for the object, never ours.
      expect(c.copy.copy.id).toBe(c.copy.partnerObjectId);
      expect(c.copy.partnerObjectId).not.toBe(c.decision.object_id);
      expect(c.version).toBe(batch.stored.get(c.decision.object_id)?.version);
    }
  });

  it('leaves a withhold recorded with the same fingerprint alone', async () => {
    const h = await openStepHub();
    const { partner, terms, batch } = await termsAndBatch(h, demoAgreement('none'));
    const first = decideStep(terms, partner.id, batch, new Map(), h.now.toISOString());
    const again = decideStep(terms, partner.id, batch, keysOf(first.withheld), h.now.toISOString());
    expect(again.withheld).toEqual([]);
    expect(again.unchanged).toBe(first.withheld.length);
    expect(again.candidates.length).toBe(first.candidates.length);
  });

  it('never turns a version the partner was given into a policy withhold, but records a new version', async () => {
    const h = await openStepHub();
    const { partner, terms, batch } = await termsAndBatch(h, demoAgreement('none'));
    const byPolicy = decideReleases(batch.inputs, terms).filter(
      (d) => d.outcome === 'withhold' && d.stage === 'policy',
    );
    const target = byPolicy[0];
    if (!target) throw new Error('the demo has an object the policy withholds from the ally (a RED one)');
    const released = (version: string): OutcomeKeys =>
      new Map([[target.object_id, { outcome: 'released', object_version: version, fingerprint: 'other' }]]);
    const same = decideStep(
      terms,
      partner.id,
      batch,
      released(batch.stored.get(target.object_id)?.version ?? ''),
      h.now.toISOString(),
    );
    expect(same.withheld.some((w) => w.object_id === target.object_id)).toBe(false);
    expect(same.unchanged).toBe(1);
    const older = decideStep(
      terms,
      partner.id,
      batch,
      released('2000-01-01T00:00:00.000Z'),
      h.now.toISOString(),
    );
    expect(older.withheld.some((w) => w.object_id === target.object_id)).toBe(true);
  });

  it('withholds everything, with no candidate, from a partner without an agreement', async () => {
    const h = await openStepHub();
    const { partner, terms, batch } = await termsAndBatch(h);
    const r = decideStep(terms, partner.id, batch, new Map(), h.now.toISOString());
    expect(r.candidates).toEqual([]);
    expect(r.withheld.length).toBe(batch.inputs.length);
    expect(r.withheld.every((w) => w.agreement_version === null)).toBe(true);
  });

  it('records what references to each object resolve to, and only where the recorded one differs', async () => {
    const h = await openStepHub();
    const { partner, terms, batch } = await termsAndBatch(h, demoAgreement('none'));
    const first = decideStep(terms, partner.id, batch, new Map(), h.now.toISOString());
    // A withhold's row carries it; the candidates' are listed to be written after publishing.
    expect(first.references.length).toBe(first.candidates.length);
    const byId = new Map(first.references);
    for (const c of first.candidates) expect(byId.get(c.decision.object_id)).toBe(c.copy.partnerObjectId);
    for (const w of first.withheld) expect(w.reference_id).toBe('');
    const all: [string, string][] = [
      ...first.references,
      ...first.withheld.map((w): [string, string] => [w.object_id, '']),
    ];
    expect(all.length).toBe(batch.inputs.length);
    const recorded: OutcomeKeys = new Map(
      all.map(([id, ref]) => [
        id,
        { outcome: 'released', object_version: '', fingerprint: '', reference_id: ref },
      ]),
    );
    expect(decideStep(terms, partner.id, batch, recorded, h.now.toISOString()).references).toEqual([]);
  });

  it('decides an object alone against the recorded answers of what it references as the whole store does', async () => {
    const h = await openStepHub();
    const { partner, terms, batch } = await termsAndBatch(h, demoAgreement('none'));
    const whole = decideStep(terms, partner.id, batch, new Map(), h.now.toISOString());
    const answer = new Map(whole.references);
    for (const w of whole.withheld) answer.set(w.object_id, '');
    const truth = { partnerIdOf: (id: string) => answer.get(id) || undefined };
    const outcomeOf = (r: ReturnType<typeof decideStep>, id: string) => {
      const c = r.candidates.find((x) => x.decision.object_id === id);
      return c
        ? `released ${c.copy.digest}`
        : `withheld ${r.withheld.find((w) => w.object_id === id)?.fingerprint}`;
    };
    let referring = 0;
    for (const input of batch.inputs) {
      const id = input.projection.id;
      // The object and what it references directly; answers beyond them come from the context,
      // which lies about every member of the batch: a batch member is never read from it.
      const refs = new Set(
        Object.values(input.object)
          .flat()
          .filter((v): v is string => typeof v === 'string'),
      );
      const members = batch.inputs.filter((i) => i.projection.id === id || refs.has(i.projection.id));
      if (members.length > 1) referring++;
      const ids = new Set(members.map((m) => m.projection.id));
      const small: PassBatch = { inputs: members, stored: batch.stored };
      const lying = {
        partnerIdOf: (x: string) =>
          ids.has(x) ? 'indicator--00000000-0000-4000-8000-000000000000' : truth.partnerIdOf(x),
      };
      const alone = decideStep(terms, partner.id, small, new Map(), h.now.toISOString(), lying);
      expect(outcomeOf(alone, id), id).toBe(outcomeOf(whole, id));
    }
    expect(referring).toBeGreaterThan(5);
    // A context that withholds everything outside the batch withholds what requires a reference.
    const rel = whole.candidates.find((c) => c.decision.object_id.startsWith('relationship--'));
    if (!rel) throw new Error('the demo releases a relationship to the ally');
    const only = batch.inputs.filter((i) => i.projection.id === rel.decision.object_id);
    const cut = decideStep(
      terms,
      partner.id,
      { inputs: only, stored: batch.stored },
      new Map(),
      h.now.toISOString(),
    );
    expect(cut.candidates).toEqual([]);
    expect(cut.withheld.map((w) => [w.object_id, w.reference_id])).toEqual([[rel.decision.object_id, '']]);
  });
});
