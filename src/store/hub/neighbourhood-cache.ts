import type { SqlQueries } from '../sql/sql-database.js';
import { findNeighbourhood } from './neighbourhood.js';
import { objectsMark } from './objects-mark.js';

const MAX_ENTRIES = 256;

/**
 * Neighbourhoods (findNeighbourhood) remembered until the object store changes (objectsMark). A
 * console page that decides one object for twenty partners walked each partner's scope again on
 * every request: half of the object page's time at ICS + CAPEC scale.
 */
export class NeighbourhoodCache {
  readonly #sql: SqlQueries;
  readonly #max: number;
  #mark: string | undefined;
  readonly #entries = new Map<string, ReadonlyMap<string, number>>();

  constructor(sql: SqlQueries, max = MAX_ENTRIES) {
    this.#sql = sql;
    this.#max = max;
  }

  async find(seeds: readonly string[], hops: number): Promise<ReadonlyMap<string, number>> {
    const mark = await objectsMark(this.#sql);
    if (mark !== this.#mark) {
      this.#entries.clear();
      this.#mark = mark;
    }
    const key = `${hops}|${[...new Set(seeds)].sort().join(',')}`;
    const held = this.#entries.get(key);
    if (held) {
      // Most recently used last, so the oldest is the one evicted.
      this.#entries.delete(key);
      this.#entries.set(key, held);
      return held;
    }
    const found = await findNeighbourhood(this.#sql, seeds, hops);
    // A write that landed while walking moved the mark: the next call starts afresh.
    if (this.#mark === mark) {
      this.#entries.set(key, found);
      if (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value as string);
    }
    return found;
  }
}
