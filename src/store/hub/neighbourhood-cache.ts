import type { SqlQueries } from '../sql/sql-database.js';
import { type NeighbourhoodWalk, neighbourhoodOf, walkNeighbourhood } from './neighbourhood.js';
import { extendNeighbourhood, readAddedEdges } from './neighbourhood-extend.js';
import { objectsMark } from './objects-mark.js';

const MAX_ENTRIES = 256;
/** Past this many objects stored at once, walking again costs no more than extending. */
const MAX_ADDED_OBJECTS = 50_000;
const MAX_ADDED_REFS = 400_000;

interface Entry {
  readonly walk: NeighbourhoodWalk;
  found: ReadonlyMap<string, number>;
}

/**
 * Neighbourhoods (findNeighbourhood) remembered while the object store holds still (objectsMark),
 * and extended, not walked again, when it only grows. A console page that decides one object for
 * twenty partners walked each partner's scope again on every request; and every release pass after
 * an import walked each neighbourhood scope in full, 1 s of a 2 s pass on PostgreSQL at the scale
 * bench's size.
 */
export class NeighbourhoodCache {
  readonly #sql: SqlQueries;
  readonly #max: number;
  #mark: string | undefined;
  readonly #entries = new Map<string, Entry>();
  #syncing: Promise<void> = Promise.resolve();

  constructor(sql: SqlQueries, max = MAX_ENTRIES) {
    this.#sql = sql;
    this.#max = max;
  }

  async find(seeds: readonly string[], hops: number): Promise<ReadonlyMap<string, number>> {
    // One catch-up at a time: two extending the same walks at once would each read half a change.
    const sync = this.#syncing.then(() => this.#catchUp());
    this.#syncing = sync.catch(() => undefined);
    await sync;
    const mark = this.#mark;
    const key = `${hops}|${[...new Set(seeds)].sort().join(',')}`;
    const held = this.#entries.get(key);
    if (held) {
      // Most recently used last, so the oldest is the one evicted.
      this.#entries.delete(key);
      this.#entries.set(key, held);
      return held.found;
    }
    const walk = await walkNeighbourhood(this.#sql, seeds, hops);
    const found = neighbourhoodOf(walk);
    // A catch-up that ran while walking may have missed this walk: the next call walks afresh.
    if (this.#mark === mark) {
      this.#entries.set(key, { walk, found });
      if (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value as string);
    }
    return found;
  }

  /**
   * Brings every remembered walk up to the store's mark. A walk may already hold writes that landed
   * after its mark while it ran: adding an edge twice changes nothing, and a write that was not an
   * addition makes the next catch-up forget every walk.
   */
  async #catchUp(): Promise<void> {
    const mark = await objectsMark(this.#sql);
    const from = this.#mark;
    if (mark === from) return;
    try {
      const added =
        from !== undefined && this.#entries.size > 0
          ? await readAddedEdges(this.#sql, from, mark, MAX_ADDED_OBJECTS, MAX_ADDED_REFS)
          : undefined;
      if (added === undefined) this.#entries.clear();
      else if (added.length > 0) {
        for (const entry of this.#entries.values()) {
          await extendNeighbourhood(this.#sql, entry.walk, added);
          entry.found = neighbourhoodOf(entry.walk);
        }
      }
      this.#mark = mark;
    } catch (e) {
      // Half-extended walks are wrong walks.
      this.#entries.clear();
      this.#mark = undefined;
      throw e;
    }
  }
}
