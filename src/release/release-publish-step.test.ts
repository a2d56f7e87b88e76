import { describe, expect, it } from 'vitest';
import { decideStep } from './release-decide-step.js';
import { loadEveryObject } from './release-pass-plan.js';
import { defaultHubPolicy } from './release-policy.js';
import { publishStep } from './release-publish-step.js';
import { DecisionRound } from './release-terms.js';
import { demoAgreement, openStepHub, type StepHub } from './release-test-hub.js';

async function decided(h: StepHub, name: string, approval: 'none' | 'one') {
  const partner = await h.partner(name, demoAgreement(approval));
  const round = await DecisionRound.open(
    { stores: h.stores, policy: defaultHubPolicy(), hubSecret: 'test secret', hubName: h.stores.hubName },
    h.now,
  );
  const terms = await round.termsFor(partner);
  const batch = await loadEveryObject(h.stores.reads, round);
  const agreement = terms.decider.facts.agreement;
  if (!agreement) throw new Error('agreement');
  const outcomes = await h.stores.releases.outcomeKeysOfPartner(partner.id);
  return {
    partner,
    agreement,
    batch,
    step: decideStep(terms, partner.id, batch, outcomes, h.now.toISOString()),
  };
}

const opts = (h: StepHub) => ({ now: h.now, actor: 'release-bot' });

describe('publish step', () => {
  it('releases every candidate to a partner without approvals, records each outcome, and is idempotent', async () => {
    const h = await openStepHub();
    const { partner, agreement, step } = await decided(h, 'ally', 'none');
    const counts = await publishStep(h.stores, partner, agreement, step.candidates, new Map(), opts(h));
    expect(counts.released + counts.waiting).toBe(step.candidates.length);
    expect(counts.released).toBeGreaterThan(0);
    expect(counts).toMatchObject({ queued: 0, withheld: 0, unchanged: 0 });
    const recorded = await h.stores.releases.outcomeKeysOfPartner(partner.id);
    for (const c of step.candidates)
      expect(['released', 'waiting']).toContain(recorded.get(c.decision.object_id)?.outcome);
    expect([...recorded.values()].filter((o) => o.outcome === 'released').length).toBe(counts.released);
    const again = await publishStep(h.stores, partner, agreement, step.candidates, recorded, opts(h));
    expect(again.released).toBe(0);
    expect(again.unchanged).toBe(counts.released);
  });

  it('queues every candidate of a partner whose agreement asks for approval, and releases none', async () => {
    const h = await openStepHub();
    const { partner, agreement, step } = await decided(h, 'checked', 'one');
    expect(step.candidates.length).toBeGreaterThan(0);
    expect(step.candidates.every((c) => c.decision.outcome === 'needs-approval')).toBe(true);
    const counts = await publishStep(h.stores, partner, agreement, step.candidates, new Map(), opts(h));
    expect(counts).toMatchObject({ released: 0, queued: step.candidates.length, waiting: 0 });
    const open = await h.hub.state.releases.openItems(partner.id);
    expect(open.map((i) => i.object_id).sort()).toEqual(
      step.candidates.map((c) => c.decision.object_id).sort(),
    );
    const recorded = await h.stores.releases.outcomeKeysOfPartner(partner.id);
    expect([...recorded.values()].every((o) => o.outcome === 'queued')).toBe(true);
  });
});
