/**
 * A token bucket per key (a credential, or the client address before it authenticates):
 * `burst` requests at once, refilled at `perSecond`. In memory, per process: several hub
 * processes behind a balancer each allow the rate (documented, acceptable for abuse control).
 */
export interface RateLimitOptions {
  perSecond: number;
  burst: number;
  now: () => number;
  maxKeys?: number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export class TokenBuckets {
  readonly #o: RateLimitOptions;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(options: RateLimitOptions) {
    if (!(options.perSecond > 0) || !(options.burst >= 1)) {
      throw new RangeError('rate limit: perSecond must be > 0 and burst >= 1');
    }
    this.#o = options;
  }

  take(key: string): RateDecision {
    const now = this.#o.now();
    const b = this.#buckets.get(key) ?? { tokens: this.#o.burst, at: now };
    b.tokens = Math.min(this.#o.burst, b.tokens + ((now - b.at) / 1000) * this.#o.perSecond);
    b.at = now;
    if (!this.#buckets.has(key)) this.#remember(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / this.#o.perSecond)) };
  }

  #remember(key: string, b: { tokens: number; at: number }): void {
    const max = this.#o.maxKeys ?? 100_000;
    if (this.#buckets.size >= max) {
      // Full buckets carry no state worth keeping; drop the oldest entry if none is full.
      const oldest = this.#buckets.keys().next();
      if (!oldest.done) this.#buckets.delete(oldest.value);
    }
    this.#buckets.set(key, b);
  }
}
