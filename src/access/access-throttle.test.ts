import fc from 'fast-check';
import { expect, it } from 'vitest';
import { AuthThrottleStore } from '../store/hub/auth-throttle-store.js';
import { withTestSql } from '../store/hub/hub-test-rows.js';
import { describeOnEngines } from '../store/sql/sql-test-engines.js';
import {
  AttemptThrottle,
  accountKeysOf,
  addressKeyOf,
  backoffMs,
  DEFAULT_THROTTLE_POLICY,
  promisedMs,
  type ThrottleKey,
  type ThrottlePolicy,
} from './access-throttle.js';

const POLICY: ThrottlePolicy = {
  ...DEFAULT_THROTTLE_POLICY,
  baseMs: 100,
  capMs: 1600,
  account: { lockAfter: 5, decayMs: 86_400_000 },
  'account-wide': { lockAfter: 12, lockMs: 900_000, decayMs: 86_400_000, backoff: false },
  address: { lockAfter: 12, lockMs: 600_000, decayMs: 3_600_000 },
};

/** A throttle on a clock that only sleeping moves: waits are measured, not slept. */
function fakeTime(store: AuthThrottleStore, policy = POLICY) {
  let now = 1_000_000;
  const waits: number[] = [];
  const throttle = new AttemptThrottle({
    store,
    policy,
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  });
  return { throttle, waits, advance: (ms: number) => (now += ms), now: () => now };
}

const keys = (name: string, ip = '198.51.100.7') => [
  ...accountKeysOf(name, addressKeyOf(ip), { wide: true }),
  { key: addressKeyOf(ip), kind: 'address' as const },
];
const accountKeyOf = (name: string) =>
  accountKeysOf(name, 'addr:192.0.2.1', { wide: false })[0] as ThrottleKey;

describeOnEngines('AttemptThrottle over the shared store', (open) => {
  it('lets failures through one at a time with doubling waits, then locks; the right secret is then refused', async () => {
    await withTestSql(open, async (sql) => {
      const t = fakeTime(new AuthThrottleStore(sql));
      const outcomes = [];
      let verified = 0;
      for (let i = 0; i < 8; i++)
        outcomes.push(
          await t.throttle.attempt(keys('olga'), async () => {
            verified++;
            return undefined;
          }),
        );
      expect(verified).toBe(POLICY.account.lockAfter);
      expect(outcomes.slice(0, 5).every((o) => !o.ok && o.code === 'failed')).toBe(true);
      expect(outcomes.slice(5).every((o) => !o.ok && o.code === 'locked' && o.kind === 'account')).toBe(true);
      expect(t.waits.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(promisedMs(POLICY, 'account'));
      expect(await t.throttle.attempt(keys('olga'), async () => 'right')).toMatchObject({
        ok: false,
        code: 'locked',
      });
      expect(await new AuthThrottleStore(sql).locks(t.now())).toEqual([
        expect.objectContaining({ key: 'at:addr:198.51.100.7|olga', kind: 'account', account: 'olga' }),
      ]);
      expect(await new AuthThrottleStore(sql).unlockAccount('olga')).toEqual([
        'acct:olga',
        'at:addr:198.51.100.7|olga',
      ]);
      t.advance(10_000);
      expect(await t.throttle.attempt(keys('olga'), async () => 'right')).toEqual({
        ok: true,
        value: 'right',
      });
    });
  });

  it('queues parallel attempts: twenty at once verify only until the lock, each after its back-off', async () => {
    await withTestSql(open, async (sql) => {
      const t = fakeTime(new AuthThrottleStore(sql));
      let verified = 0;
      let inFlight = 0;
      let most = 0;
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          t.throttle.attempt(keys('omar'), async () => {
            verified++;
            most = Math.max(most, ++inFlight);
            await Promise.resolve();
            inFlight--;
            return undefined;
          }),
        ),
      );
      expect(most).toBe(1);
      expect(verified).toBe(POLICY.account.lockAfter);
      expect(results.filter((r) => !r.ok && r.code === 'locked')).toHaveLength(20 - POLICY.account.lockAfter);
    });
  });

  it('clears an account on success but never the address; treats unknown names like known ones', async () => {
    await withTestSql(open, async (sql) => {
      const store = new AuthThrottleStore(sql);
      const t = fakeTime(store);
      for (let i = 0; i < 3; i++) await t.throttle.attempt(keys('ivan'), async () => undefined);
      await t.throttle.attempt(keys('ivan'), async () => 'ok');
      const rows = await sql.all<{ key: string; failures: number }>(
        'SELECT key, failures FROM auth_throttle ORDER BY key',
      );
      expect(rows).toEqual([{ key: 'addr:198.51.100.7', failures: 3 }]);
      // Nine more failures from the address across names: it locks, for its lock time only.
      for (let i = 0; i < 9; i++) await t.throttle.attempt(keys(`ghost-${i}`), async () => undefined);
      const locked = await t.throttle.attempt(keys('ivan'), async () => 'ok');
      expect(locked).toMatchObject({ ok: false, code: 'locked', kind: 'address' });
      t.advance(POLICY.address.lockMs ?? 0);
      expect(await t.throttle.attempt(keys('ivan'), async () => 'ok')).toMatchObject({ ok: true });
    });
  });

  it("locks a guesser out of an officer's account, not the officer; many sources lock it for a while only", async () => {
    await withTestSql(open, async (sql) => {
      const store = new AuthThrottleStore(sql);
      const t = fakeTime(store);
      const wrong = async () => undefined;
      // A hostile partner guesses at the officer's name from its own address until it locks.
      for (let i = 0; i < 8; i++) await t.throttle.attempt(keys('officer', '203.0.113.9'), wrong);
      expect(await t.throttle.attempt(keys('officer', '203.0.113.9'), async () => 'right')).toMatchObject({
        ok: false,
        code: 'locked',
        kind: 'account',
      });
      // The officer, from their own address, signs in at once: others' failures add no wait.
      const before = t.waits.length;
      expect(await t.throttle.attempt(keys('officer'), async () => 'ok')).toEqual({ ok: true, value: 'ok' });
      expect(t.waits.slice(before).reduce((a, b) => a + b, 0)).toBe(0);
      // Spread over many addresses the guesses lock the name everywhere, but only for lockMs.
      for (let a = 0; a < 4; a++)
        for (let i = 0; i < 4; i++) await t.throttle.attempt(keys('officer', `203.0.113.${20 + a}`), wrong);
      expect(await t.throttle.attempt(keys('officer'), async () => 'ok')).toMatchObject({
        ok: false,
        code: 'locked',
        kind: 'account-wide',
      });
      // A source not counted across the others (the CLI on the hub's own host) is not locked.
      const local = accountKeysOf('officer', 'os:hub', { wide: false });
      expect(await t.throttle.attempt(local, async () => 'ok')).toEqual({ ok: true, value: 'ok' });
      t.advance(POLICY['account-wide'].lockMs ?? 0);
      expect(await t.throttle.attempt(keys('officer'), async () => 'ok')).toEqual({ ok: true, value: 'ok' });
    });
  });

  it('prunes the least recently failed unlocked keys, a few at a time, never a lock', async () => {
    await withTestSql(open, async (sql) => {
      const store = new AuthThrottleStore(sql);
      const t = fakeTime(store, { ...POLICY, account: { lockAfter: 1, decayMs: 86_400_000 } });
      await t.throttle.attempt([accountKeyOf('locked-one')], async () => undefined);
      for (let i = 0; i < 300; i++) {
        t.advance(1);
        await store.fail([accountKeyOf(`n${i}`)], t.now(), {
          ...POLICY,
          account: { lockAfter: 99, decayMs: 86_400_000 },
        });
      }
      expect(await store.prune(t.now(), 200)).toBe(2);
      const left = await sql.all<{ key: string }>('SELECT key FROM auth_throttle');
      expect(left).toHaveLength(299);
      expect(left.map((r) => r.key)).toContain('at:addr:192.0.2.1|locked-one');
      expect(left.map((r) => r.key)).not.toContain('at:addr:192.0.2.1|n0');
    });
  });
});

it('waits double from the base up to the cap', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 5000 }),
      fc.integer({ min: 1, max: 100_000 }),
      fc.integer({ min: 1, max: 80 }),
      (base, cap, f) => {
        const p = { baseMs: base, capMs: cap };
        expect(backoffMs(p, 0)).toBe(0);
        expect(backoffMs(p, f)).toBe(Math.min(cap, base * 2 ** Math.min(f - 1, 30)));
        expect(backoffMs(p, f + 1)).toBeGreaterThanOrEqual(backoffMs(p, f));
      },
    ),
  );
});

it('counts IPv6 clients per /64 and IPv4-mapped addresses as IPv4', () => {
  expect(addressKeyOf('2001:db8:1:2:aaaa::1')).toBe(addressKeyOf('2001:db8:1:2:ffff:1:2:3'));
  expect(addressKeyOf('2001:db8:1:2::1')).not.toBe(addressKeyOf('2001:db8:1:3::1'));
  expect(addressKeyOf('::ffff:203.0.113.9')).toBe('addr:203.0.113.9');
});
