import type { DeliveredItems, DeliveryRecorder, Principal } from './taxii-ports.js';

/** What one partner was delivered in one period: distinct (derived id, version) pairs, sorted. */
export interface DeliveryPeriod {
  partnerId: string;
  periodStart: Date;
  periodEnd: Date;
  /** Shared with other periods that delivered the same single page: never modify it. */
  items: DeliveredItems;
}

export interface DeliveryLogOptions {
  /** Period length; each partner gets at most one record per period (unless it overflows). */
  periodMs: number;
  now(): number;
  /** Pairs held for one partner before its period is closed early (memory stays bounded). */
  maxPairs?: number;
  /**
   * Pairs held in open periods for all partners together: past it, the largest open period is
   * closed early, so memory stays bounded however many partners page at once.
   */
  maxHeldPairs?: number;
  /**
   * Told when a period closes early: the caller writes it now rather than on its next timer, so
   * closed periods do not pile up between writes under heavy paging.
   */
  onOverflow?: () => void;
}

interface Accumulator {
  partnerId: string;
  start: number;
  /** Page arrays as rendered: a cached page delivered again is the same array, held once. */
  pages: Set<DeliveredItems>;
  pairs: number;
}

const DEFAULT_MAX_PAIRS = 100_000;
// About 15 MB of pairs: under a partner crawling its feed at full speed, what is held until the
// next write lives long enough to reach V8's old space, and is what serve's RSS swings by.
const DEFAULT_MAX_HELD_PAIRS = 100_000;

function comparePairs(a: readonly [string, string], b: readonly [string, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

// Each cached page's pairs, sorted and distinct, computed once per page array: a partner that
// polls the same cached page every period costs one lookup per period, not a sort.
const sortedPages = new WeakMap<DeliveredItems, DeliveredItems>();

function sortedDistinct(pairs: readonly (readonly [string, string])[]): DeliveredItems {
  const all = [...pairs].sort(comparePairs);
  const items: (readonly [string, string])[] = [];
  let prev: readonly [string, string] | undefined;
  for (const pair of all) {
    if (prev && pair[0] === prev[0] && pair[1] === prev[1]) continue;
    items.push(pair);
    prev = pair;
  }
  return items;
}

function sortedPage(page: DeliveredItems): DeliveredItems {
  let sorted = sortedPages.get(page);
  if (!sorted) {
    sorted = sortedDistinct(page);
    sortedPages.set(page, sorted);
  }
  return sorted;
}

/**
 * What each partner fetched over TAXII, gathered in memory per partner and period and handed
 * out as whole periods for the ledger: one record per partner per period, not one per request.
 * `record` runs on every page served, cached pages included, so it only remembers the page's
 * item array (a set insertion); pairs are deduplicated and sorted when the period is taken.
 */
export class DeliveryLog implements DeliveryRecorder {
  readonly #open = new Map<string, Accumulator>();
  readonly #closed: Accumulator[] = [];
  readonly #periodMs: number;
  readonly #now: () => number;
  readonly #maxPairs: number;
  readonly #maxHeldPairs: number;
  readonly #onOverflow: (() => void) | undefined;
  /** Pairs in open periods, all partners. */
  #openPairs = 0;

  constructor(o: DeliveryLogOptions) {
    if (!(o.periodMs > 0)) throw new Error('a delivery period must be longer than 0 ms');
    this.#periodMs = o.periodMs;
    this.#now = o.now;
    this.#maxPairs = o.maxPairs ?? DEFAULT_MAX_PAIRS;
    this.#maxHeldPairs = o.maxHeldPairs ?? DEFAULT_MAX_HELD_PAIRS;
    this.#onOverflow = o.onOverflow;
  }

  #close(acc: Accumulator): void {
    this.#closed.push(acc);
    this.#open.delete(acc.partnerId);
    this.#openPairs -= acc.pairs;
  }

  record(principal: Principal, delivered: DeliveredItems): void {
    if (principal.kind !== 'partner' || delivered.length === 0) return;
    const t = this.#now();
    const start = t - (t % this.#periodMs);
    let acc = this.#open.get(principal.partnerId);
    if (acc && acc.start !== start) {
      this.#close(acc);
      acc = undefined;
    }
    if (!acc) {
      acc = { partnerId: principal.partnerId, start, pages: new Set(), pairs: 0 };
      this.#open.set(principal.partnerId, acc);
    }
    if (acc.pages.has(delivered)) return;
    acc.pages.add(delivered);
    acc.pairs += delivered.length;
    this.#openPairs += delivered.length;
    if (acc.pairs >= this.#maxPairs) {
      this.#close(acc);
      this.#onOverflow?.();
    } else if (this.#openPairs >= this.#maxHeldPairs) {
      // The largest period goes: one partner crawling fast cannot make every other partner's
      // record close page by page.
      let largest = acc;
      for (const open of this.#open.values()) if (open.pairs > largest.pairs) largest = open;
      this.#close(largest);
      this.#onOverflow?.();
    }
  }

  /** Periods that have ended by now (or overflowed), removed from memory. */
  takeEnded(): DeliveryPeriod[] {
    const t = this.#now();
    const current = t - (t % this.#periodMs);
    for (const acc of [...this.#open.values()]) {
      if (acc.start < current) this.#close(acc);
    }
    return this.#drain();
  }

  /** Every period, ended or not (at shutdown). */
  takeAll(): DeliveryPeriod[] {
    for (const acc of [...this.#open.values()]) this.#close(acc);
    return this.#drain();
  }

  /** Periods taken but not written (the store failed): held for the next attempt. */
  putBack(periods: readonly DeliveryPeriod[]): void {
    for (const p of periods) {
      const items: DeliveredItems = p.items;
      this.#closed.push({
        partnerId: p.partnerId,
        start: p.periodStart.getTime(),
        pages: new Set([items]),
        pairs: items.length,
      });
    }
  }

  #drain(): DeliveryPeriod[] {
    return this.#closed.splice(0).map((acc) => {
      const pages = [...acc.pages].map(sortedPage);
      // Several pages: their sorted runs concatenated and sorted again (a merge for TimSort).
      const items = pages.length === 1 ? (pages[0] as DeliveredItems) : sortedDistinct(pages.flat());
      return {
        partnerId: acc.partnerId,
        periodStart: new Date(acc.start),
        periodEnd: new Date(acc.start + this.#periodMs),
        items,
      };
    });
  }
}
