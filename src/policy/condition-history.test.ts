import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Agreement } from './agreement-types.js';
import { buildConditionHistory } from './condition-history.js';
import type { AssuranceRecord, ConditionFacts } from './condition-types.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

const agreement: Agreement = {
  scope: { types: ['indicator'], types_denied: [], labels_denied: [] },
  tlp_ceiling: 'green',
  approval: 'none',
  sanitisation: 'strict',
  conditions: [
    {
      kind: 'assurance',
      id: 'hr-1',
      title: 'HR',
      evidence: [],
      valid_from: iso(T0),
      valid_until: iso(T0 + 10 * DAY),
    },
  ],
};

/** hr-1 as scripted: revoked on day 3, attested again on day 5 until day 20. */
function factsAt(ms: number): ConditionFacts {
  const assurances = new Map<string, AssuranceRecord>();
  if (ms >= T0 + 5 * DAY) {
    assurances.set('hr-1', {
      state: 'attested',
      at: iso(T0 + 5 * DAY),
      actor: 'admin',
      valid_from: iso(T0 + 5 * DAY),
      valid_until: iso(T0 + 20 * DAY),
    });
  } else if (ms >= T0 + 3 * DAY) {
    assurances.set('hr-1', { state: 'revoked', at: iso(T0 + 3 * DAY), actor: 'admin', reason: 'r' });
  }
  return { assurances, suspension: { on: false }, openBreaches: [], feedbackReceivedMs: [] };
}

describe('buildConditionHistory', () => {
  it('follows a scripted assurance through revocation, renewal and expiry', () => {
    const { intervals, truncated } = buildConditionHistory({
      versions: [{ set_at: iso(T0), body: agreement }],
      changesMs: [T0 + 3 * DAY, T0 + 5 * DAY],
      factsAt,
      toMs: T0 + 30 * DAY,
    });
    expect(truncated).toBe(false);
    const hr1 = intervals.filter((i) => i.condition === 'hr-1').map((i) => [i.status, i.from, i.to]);
    expect(hr1).toEqual([
      ['met', iso(T0), iso(T0 + 3 * DAY)],
      ['unmet', iso(T0 + 3 * DAY), iso(T0 + 5 * DAY)],
      ['met', iso(T0 + 5 * DAY), iso(T0 + 20 * DAY)],
      ['unmet', iso(T0 + 20 * DAY), undefined],
    ]);
    // The switches every agreement has are met throughout: one open stretch each.
    expect(intervals.filter((i) => i.condition !== 'hr-1').map((i) => [i.condition, i.status, i.to])).toEqual(
      [
        ['breach', 'met', undefined],
        ['suspension', 'met', undefined],
      ],
    );
  });

  it('says when a stretch still running and met will lapse', () => {
    const { intervals } = buildConditionHistory({
      versions: [{ set_at: iso(T0), body: agreement }],
      changesMs: [T0 + 3 * DAY, T0 + 5 * DAY],
      factsAt,
      toMs: T0 + 12 * DAY,
    });
    const open = intervals.filter((i) => i.condition === 'hr-1').at(-1);
    expect(open).toMatchObject({ status: 'met', from: iso(T0 + 5 * DAY), lapses_at: iso(T0 + 20 * DAY) });
    expect(open?.to).toBeUndefined();
    // Stretches that ended, and met ones with no known end, carry no lapse date.
    expect(intervals.filter((i) => i.lapses_at !== undefined)).toHaveLength(1);
  });

  it('no agreement, no history', () => {
    expect(buildConditionHistory({ versions: [], changesMs: [], factsAt, toMs: T0 }).intervals).toEqual([]);
  });

  it('property: each condition’s stretches tile time from its start to now, alternating status', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 29 * DAY }), { maxLength: 8 }), (extra) => {
        const { intervals } = buildConditionHistory({
          versions: [{ set_at: iso(T0), body: agreement }],
          changesMs: [T0 + 3 * DAY, T0 + 5 * DAY, ...extra.map((e) => T0 + e)],
          factsAt,
          toMs: T0 + 30 * DAY,
        });
        const byCondition = new Map<string, typeof intervals>();
        for (const i of intervals) byCondition.set(i.condition, [...(byCondition.get(i.condition) ?? []), i]);
        for (const list of byCondition.values()) {
          expect(list[0]?.from).toBe(iso(T0));
          expect(list.at(-1)?.to).toBeUndefined();
          for (let k = 1; k < list.length; k++) {
            expect(list[k]?.from).toBe(list[k - 1]?.to);
            expect(list[k]?.status).not.toBe(list[k - 1]?.status);
          }
        }
        // Extra evaluation instants change nothing: the hr-1 history is the scripted one.
        expect(byCondition.get('hr-1')).toHaveLength(4);
      }),
      { numRuns: 100 },
    );
  });
});
