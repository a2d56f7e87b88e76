import { describe, expect, it } from 'vitest';
import { PageCache } from './taxii-page-cache.js';

const page = (stamp: string, bytes: number) => ({ stamp, body: Buffer.alloc(bytes), headers: {} });

describe('page cache', () => {
  it('serves a page only while the stamp is unchanged', () => {
    const c = new PageCache(10, 1000);
    c.set('a', page('s1', 10));
    expect(c.get('a', 's1')?.body.length).toBe(10);
    expect(c.get('a', 's2')).toBeUndefined();
    expect(c.get('a', 's1')).toBeUndefined();
  });

  it('evicts the least recently used past its entry and byte bounds, and skips huge pages', () => {
    const c = new PageCache(2, 100);
    c.set('a', page('s', 10));
    c.set('b', page('s', 10));
    c.get('a', 's');
    c.set('c', page('s', 10));
    expect(c.get('b', 's')).toBeUndefined();
    expect(c.get('a', 's')).toBeDefined();
    c.set('big', page('s', 50));
    expect(c.get('big', 's')).toBeUndefined();
    expect(c.size).toBe(2);
  });
});
