import { type DeliveredItems, type Principal, principalKey } from './taxii-ports.js';

/**
 * Rendered pages, remembered per credential and exact URL until the database changes. The stamp
 * comes from the store (it changes on every commit, by this process or another), so a cached
 * page is never older than the data: a hit is only the bytes a miss would have rendered now.
 * Bounded by entries and bytes; least recently used first out.
 */
export interface CachedPage {
  stamp: string;
  body: Buffer;
  /** Every header of the 200 response, names in lower case, content-type and -length included. */
  headers: Readonly<Record<string, string>>;
  /** What the page discloses to a partner (objects of a disclosing collection), when it does. */
  delivered?: DeliveredItems;
}

/** One principal's page at one exact URL: no key is shared by two principals. */
export function pageCacheKey(principal: Principal, url: string): string {
  return `${principalKey(principal)}\u0000${url}`;
}

export class PageCache {
  readonly #entries = new Map<string, CachedPage>();
  #bytes = 0;

  constructor(
    readonly maxEntries: number,
    readonly maxBytes: number,
  ) {}

  get(key: string, stamp: string): CachedPage | undefined {
    const hit = this.#entries.get(key);
    if (!hit) return undefined;
    this.#entries.delete(key);
    if (hit.stamp !== stamp) {
      this.#bytes -= hit.body.length;
      return undefined;
    }
    this.#entries.set(key, hit);
    return hit;
  }

  set(key: string, page: CachedPage): void {
    if (page.body.length > this.maxBytes / 8) return;
    const old = this.#entries.get(key);
    if (old) {
      this.#entries.delete(key);
      this.#bytes -= old.body.length;
    }
    this.#entries.set(key, page);
    this.#bytes += page.body.length;
    while (this.#entries.size > this.maxEntries || this.#bytes > this.maxBytes) {
      const oldest = this.#entries.entries().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value[0]);
      this.#bytes -= oldest.value[1].body.length;
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
