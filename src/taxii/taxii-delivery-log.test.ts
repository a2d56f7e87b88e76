import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeliveryLog } from './taxii-delivery-log.js';
import type { DeliveredItems, Principal } from './taxii-ports.js';

const partner = (id: string): Principal => ({ kind: 'partner', partnerId: id, name: id });
const PERIOD = 60_000;

describe('DeliveryLog', () => {
  it('hands out, per partner and period, exactly the distinct pairs it was told, sorted', () => {
    const pair = fc.tuple(
      fc.constantFrom('indicator--a', 'indicator--b', 'report--c'),
      fc.constantFrom('v1', 'v2'),
    );
    const event = fc.record({
      partner: fc.constantFrom('p1', 'p2', 'p3'),
      at: fc.integer({ min: 0, max: 5 * PERIOD }),
      page: fc.array(pair, { maxLength: 5 }),
      again: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 40 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 12 }),
        (events, maxPairs, maxHeldPairs) => {
          let now = 0;
          const log = new DeliveryLog({ periodMs: PERIOD, now: () => now, maxPairs, maxHeldPairs });
          const expected = new Map<string, Set<string>>();
          let last: DeliveredItems | undefined;
          const taken = [];
          for (const e of [...events].sort((a, b) => a.at - b.at)) {
            now = e.at;
            // A cached page is the same array served again; a re-rendered one is a new array.
            const page: DeliveredItems = e.again && last ? last : e.page;
            last = page;
            log.record(partner(e.partner), page);
            const key = `${e.partner}@${now - (now % PERIOD)}`;
            const set = expected.get(key) ?? new Set<string>();
            for (const [id, v] of page) set.add(`${id} ${v}`);
            if (page.length > 0) expected.set(key, set);
            if (e.at % 7 === 0) taken.push(...log.takeEnded());
          }
          taken.push(...log.takeAll());
          const got = new Map<string, Set<string>>();
          for (const p of taken) {
            const keys = p.items.map(([id, v]) => `${id} ${v}`);
            // Sorted and distinct within one record; the period is whole and aligned.
            if (keys.join('|') !== [...new Set(keys)].sort().join('|')) return false;
            if (p.periodEnd.getTime() - p.periodStart.getTime() !== PERIOD) return false;
            const key = `${p.partnerId}@${p.periodStart.getTime()}`;
            const set = got.get(key) ?? new Set<string>();
            for (const k of keys) set.add(k);
            got.set(key, set);
          }
          const flat = (m: Map<string, Set<string>>) =>
            [...m.entries()].map(([k, v]) => `${k}:${[...v].sort().join(',')}`).sort();
          return JSON.stringify(flat(got)) === JSON.stringify(flat(expected));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps only open periods in memory, closing a period when the next begins or it overflows', () => {
    let now = 10;
    const log = new DeliveryLog({ periodMs: PERIOD, now: () => now, maxPairs: 3 });
    const page: DeliveredItems = [
      ['indicator--a', 'v1'],
      ['indicator--b', 'v1'],
    ];
    for (let i = 0; i < 1000; i++) log.record(partner('p1'), page);
    expect(log.takeEnded()).toEqual([]);
    log.record(partner('p1'), [['indicator--c', 'v1']]);
    // Three pairs reached the bound: the period is handed out early, before it ends.
    expect(log.takeEnded()).toMatchObject([
      {
        partnerId: 'p1',
        items: [
          ['indicator--a', 'v1'],
          ['indicator--b', 'v1'],
          ['indicator--c', 'v1'],
        ],
      },
    ]);
    log.record(partner('p2'), page);
    now = PERIOD + 1;
    expect(log.takeEnded()).toMatchObject([
      { partnerId: 'p2', periodStart: new Date(0), periodEnd: new Date(PERIOD) },
    ]);
    expect(log.takeAll()).toEqual([]);
  });

  it('holds at most maxHeldPairs across partners, closing the largest period and saying so', () => {
    let overflows = 0;
    const log = new DeliveryLog({
      periodMs: PERIOD,
      now: () => 10,
      maxHeldPairs: 5,
      onOverflow: () => overflows++,
    });
    const page = (n: number, p: string): DeliveredItems =>
      Array.from({ length: n }, (_, i) => [`indicator--${p}${i}`, 'v1'] as const);
    log.record(partner('big'), page(3, 'a'));
    log.record(partner('small'), page(1, 'b'));
    expect(overflows).toBe(0);
    expect(log.takeEnded()).toEqual([]);
    // Five held: the big partner's period is closed, though the small one brought the total there.
    log.record(partner('small'), page(1, 'c'));
    expect(overflows).toBe(1);
    expect(log.takeEnded().map((p) => [p.partnerId, p.items.length])).toEqual([['big', 3]]);
    // The small partner's period stays open: two pairs held, far under the bound.
    log.record(partner('big'), page(1, 'd'));
    expect(overflows).toBe(1);
    expect(log.takeAll().map((p) => [p.partnerId, p.items.length])).toEqual([
      ['small', 2],
      ['big', 1],
    ]);
  });

  it('records partners only, and puts back what could not be written', () => {
    const log = new DeliveryLog({ periodMs: PERIOD, now: () => 5 });
    log.record({ kind: 'user', user: 'ana', role: 'analyst' }, [['indicator--a', 'v1']]);
    log.record(partner('p1'), []);
    expect(log.takeAll()).toEqual([]);
    log.record(partner('p1'), [['indicator--a', 'v1']]);
    const taken = log.takeAll();
    log.putBack(taken);
    expect(log.takeAll()).toEqual(taken);
    expect(() => new DeliveryLog({ periodMs: 0, now: () => 0 })).toThrow(/longer than 0/);
  });
});
