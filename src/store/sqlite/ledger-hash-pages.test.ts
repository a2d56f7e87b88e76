import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LedgerStoreError } from '../ledger-rows.js';
import { openSqlite } from './database.js';
import { HASHES_PER_PAGE, LedgerHashPages } from './ledger-hash-pages.js';

const hashOf = (i: number) => Buffer.alloc(32, i % 251).fill(i >> 8, 0, 1);

describe('LedgerHashPages', () => {
  it('reads back every hash, whatever the chunking across page boundaries', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 150 }), { minLength: 1, maxLength: 6 }), (chunks) => {
        const db = openSqlite(':memory:');
        const pages = new LedgerHashPages(db);
        let n = 0;
        for (const size of chunks) {
          pages.append(
            n,
            Array.from({ length: size }, (_, i) => hashOf(n + i)),
          );
          n += size;
        }
        const all = pages.readRange(0, n);
        const ok =
          pages.count().hashes === n &&
          pages.count().pages === Math.ceil(n / HASHES_PER_PAGE) &&
          all.size === n &&
          Array.from({ length: n }, (_, i) => i).every(
            (i) => Buffer.from(pages.read(i) ?? []).equals(hashOf(i)) && all.get(i)?.equals(hashOf(i)),
          ) &&
          pages.read(n) === undefined;
        db.close();
        return ok;
      }),
      { numRuns: 100 },
    );
  });

  it('refuses to append after a page that lost hashes', () => {
    const db = openSqlite(':memory:');
    const pages = new LedgerHashPages(db);
    pages.append(0, [hashOf(0), hashOf(1), hashOf(2)]);
    db.prepare('UPDATE ledger_hash_pages SET hashes = substr(hashes, 1, 32) WHERE page = 0').run();
    expect(() => pages.append(3, [hashOf(3)])).toThrow(LedgerStoreError);
    expect(pages.read(1)).toBeUndefined();
  });
});
