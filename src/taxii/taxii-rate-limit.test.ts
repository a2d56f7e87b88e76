import { describe, expect, it } from 'vitest';
import { TokenBuckets } from './taxii-rate-limit.js';

describe('token buckets', () => {
  it('allows the burst, then refuses with a retry time, then refills', () => {
    let now = 0;
    const b = new TokenBuckets({ perSecond: 2, burst: 3, now: () => now });
    expect([b.take('a'), b.take('a'), b.take('a')].every((d) => d.ok)).toBe(true);
    expect(b.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(b.take('b').ok).toBe(true);
    now += 500;
    expect(b.take('a').ok).toBe(true);
    expect(b.take('a').ok).toBe(false);
  });

  it('keeps a bounded number of keys', () => {
    const b = new TokenBuckets({ perSecond: 1, burst: 1, now: () => 0, maxKeys: 2 });
    b.take('a');
    b.take('b');
    b.take('c');
    // 'a' was forgotten, so it starts with a full bucket again.
    expect(b.take('a').ok).toBe(true);
  });

  it('rejects nonsense settings', () => {
    expect(() => new TokenBuckets({ perSecond: 0, burst: 1, now: () => 0 })).toThrow(/perSecond/);
  });
});
