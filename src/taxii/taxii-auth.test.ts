import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCachedAuthenticator, parseAuthorization } from './taxii-auth.js';
import type { Authenticator, Principal } from './taxii-ports.js';

const ALICE: Principal = { kind: 'partner', partnerId: 'identity--a', name: 'alice' };

describe('Authorization header', () => {
  it.each([
    [undefined, { kind: 'none' }],
    [
      `Basic ${Buffer.from('alice:tl_x:y').toString('base64')}`,
      { kind: 'basic', user: 'alice', secret: 'tl_x:y' },
    ],
    ['bearer tl_abc', { kind: 'bearer', token: 'tl_abc' }],
    ['Basic !!!', { kind: 'malformed' }],
    [`Basic ${Buffer.from('nocolon').toString('base64')}`, { kind: 'malformed' }],
    ['Digest abc', { kind: 'malformed' }],
    [`Bearer ${'x'.repeat(5000)}`, { kind: 'malformed' }],
  ])('%j', (header, expected) => {
    expect(parseAuthorization(header)).toEqual(expected);
  });
});

describe('credential cache', () => {
  function counting(valid: Map<string, string>) {
    const calls = { n: 0 };
    const inner: Authenticator = {
      authenticateBasic: async (user, secret) => {
        calls.n++;
        return valid.get(user) === secret ? ALICE : undefined;
      },
      authenticateBearer: async () => {
        calls.n++;
        return undefined;
      },
    };
    return { inner, calls };
  }

  it('remembers successes for the TTL only, and never failures', async () => {
    let now = 0;
    const valid = new Map([['alice', 's1']]);
    const { inner, calls } = counting(valid);
    const auth = createCachedAuthenticator(inner, { ttlMs: 1000, maxEntries: 10, now: () => now });
    expect(await auth.authenticateBasic('alice', 's1')).toEqual(ALICE);
    expect(await auth.authenticateBasic('alice', 's1')).toEqual(ALICE);
    expect(calls.n).toBe(1);
    expect(await auth.authenticateBasic('alice', 'wrong')).toBeUndefined();
    expect(await auth.authenticateBasic('alice', 'wrong')).toBeUndefined();
    expect(calls.n).toBe(3);
    valid.set('alice', 's2'); // rotated: the old token lasts until the TTL ends
    expect(await auth.authenticateBasic('alice', 's1')).toEqual(ALICE);
    now += 1001;
    expect(await auth.authenticateBasic('alice', 's1')).toBeUndefined();
  });

  it('holds at most maxEntries credentials', async () => {
    const valid = new Map([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
    ]);
    const { inner, calls } = counting(valid);
    const auth = createCachedAuthenticator(inner, { ttlMs: 60_000, maxEntries: 2, now: () => 0 });
    for (const [u, s] of valid) await auth.authenticateBasic(u, s);
    await auth.authenticateBasic('a', '1');
    expect(calls.n).toBe(4);
  });

  it('peeks only at credentials proved within the TTL, never verifying anything itself', async () => {
    let now = 0;
    const { inner, calls } = counting(new Map([['alice', 's1']]));
    const auth = createCachedAuthenticator(inner, { ttlMs: 1000, maxEntries: 10, now: () => now });
    const good = { kind: 'basic', user: 'alice', secret: 's1' } as const;
    expect(await auth.peek(good)).toBeUndefined();
    await auth.authenticateBasic('alice', 's1');
    expect(await auth.peek(good)).toEqual(ALICE);
    expect(await auth.peek({ kind: 'basic', user: 'alice', secret: 's2' })).toBeUndefined();
    expect(await auth.peek({ kind: 'bearer', token: 's1' })).toBeUndefined();
    now += 1001;
    expect(await auth.peek(good)).toBeUndefined();
    expect(calls.n).toBe(1);
  });

  it('drops every cached credential when the credential epoch moves (a disable, a new token, a lock)', async () => {
    let epoch = 'e1';
    const { inner, calls } = counting(new Map([['alice', 's1']]));
    const auth = createCachedAuthenticator(inner, {
      ttlMs: 60_000,
      maxEntries: 10,
      now: () => 0,
      epoch: () => epoch,
    });
    const good = { kind: 'basic', user: 'alice', secret: 's1' } as const;
    await auth.authenticateBasic('alice', 's1');
    expect(await auth.peek(good)).toEqual(ALICE);
    epoch = 'e2';
    expect(await auth.peek(good)).toBeUndefined();
    await auth.authenticateBasic('alice', 's1');
    expect(calls.n).toBe(2);
    expect(await auth.peek(good)).toEqual(ALICE);
  });

  it('never confuses two different credentials (user and secret split differently)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string(), fc.string(), fc.string(), async (u1, s1, u2, s2) => {
        fc.pre(u1 !== u2 || s1 !== s2);
        const { inner } = counting(new Map([[u1, s1]]));
        const auth = createCachedAuthenticator(inner, { ttlMs: 1000, maxEntries: 10, now: () => 0 });
        await auth.authenticateBasic(u1, s1);
        expect(await auth.peek({ kind: 'basic', user: u2, secret: s2 })).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });
});
