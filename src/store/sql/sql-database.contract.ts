import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../ledger/ledger-entry.js';
import type { SqlDatabase } from './sql-database.js';

/** A fresh database with the hub's schema, and how to end it. */
export type OpenSql = () => Promise<{ sql: SqlDatabase; close: () => Promise<void> }>;

const change = (n: number): LedgerEntry => ({
  kind: 'user-change',
  time: '2026-01-03T12:00:00Z',
  actor: 'admin',
  user: `u${n}`,
  change: 'add',
  digest: `sha256:${n.toString(16).padStart(64, '0')}`,
});

async function withSql<T>(open: OpenSql, work: (sql: SqlDatabase) => Promise<T>): Promise<T> {
  const { sql, close } = await open();
  try {
    return await work(sql);
  } finally {
    await close();
  }
}

const ledgerSize = async (sql: SqlDatabase) =>
  (await sql.get<{ n: number }>('SELECT count(*) AS n FROM ledger_entries'))?.n;

/** What every store written in portable SQL relies on, run against each engine. */
export function describeSqlContract(engine: string, open: OpenSql): void {
  describe(`portable SQL on ${engine}`, () => {
    it('binds ? placeholders in order, returns integers as numbers, counts changes', async () => {
      await withSql(open, async (sql) => {
        await sql.run(
          "INSERT INTO users (name, role, password_hash, enabled, created_at, updated_at) VALUES (?, ?, 'h?', ?, ?, ?)",
          ['ann', 'analyst', true, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'],
        );
        const row = await sql.get<{ name: string; enabled: number; password_hash: string; n: number }>(
          'SELECT name, enabled, password_hash, (SELECT count(*) FROM users) AS n FROM users WHERE name = ?',
          ['ann'],
        );
        expect(row).toEqual({ name: 'ann', enabled: 1, password_hash: 'h?', n: 1 });
        const upd = await sql.run('UPDATE users SET enabled = ? WHERE name = ? OR name = ?', [
          false,
          'ann',
          'x',
        ]);
        expect(upd.changes).toBe(1);
        expect(await sql.get('SELECT name FROM users WHERE name = ?', ['nobody'])).toBeUndefined();
        const ret = await sql.all<{ name: string }>(
          "UPDATE users SET role = 'admin' WHERE enabled = 0 RETURNING name",
        );
        expect(ret).toEqual([{ name: 'ann' }]);
      });
    });

    it('commits a transaction with its ledger entries, and rolls both back when the work throws', async () => {
      await withSql(open, async (sql) => {
        const before = await ledgerSize(sql);
        await sql.transaction(async (tx) => {
          await tx.run(
            "INSERT INTO user_events (user_name, action, at, actor, detail) VALUES ('a', 'add', 't', 'x', '{}')",
          );
          const appended = await tx.appendLedger([change(1)]);
          expect(appended).toEqual({ ok: true, first: before, size: (before ?? 0) + 1 });
        });
        await expect(
          sql.transaction(async (tx) => {
            await tx.run(
              "INSERT INTO user_events (user_name, action, at, actor, detail) VALUES ('b', 'add', 't', 'x', '{}')",
            );
            await tx.appendLedger([change(2)]);
            throw new Error('refused');
          }),
        ).rejects.toThrow('refused');
        expect(await sql.all('SELECT user_name FROM user_events ORDER BY seq')).toEqual([{ user_name: 'a' }]);
        expect(await ledgerSize(sql)).toBe((before ?? 0) + 1);
      });
    });

    it('never interleaves two transactions, and a nested one joins its outer transaction', async () => {
      await withSql(open, async (sql) => {
        await sql.run("INSERT INTO hub_meta (key, value) VALUES ('counter', '0')");
        // Read-modify-write with awaits in between: interleaving would lose increments.
        const bump = () =>
          sql.transaction(async (tx) => {
            await tx.lock('counter');
            const row = await tx.get<{ value: string }>("SELECT value FROM hub_meta WHERE key = 'counter'");
            await new Promise((r) => setTimeout(r, 1));
            await tx.run("UPDATE hub_meta SET value = ? WHERE key = 'counter'", [
              String(Number(row?.value) + 1),
            ]);
            // A store opening its own transaction here must join this one, not wait behind it.
            await sql.transaction(async (inner) => {
              await inner.run(
                "INSERT INTO user_events (user_name, action, at, actor, detail) VALUES ('c', 'bump', 't', 'x', '{}')",
              );
            });
          });
        await Promise.all(Array.from({ length: 8 }, bump));
        expect(await sql.get("SELECT value FROM hub_meta WHERE key = 'counter'")).toEqual({ value: '8' });
        expect(await sql.get("SELECT count(*) AS n FROM user_events WHERE action = 'bump'")).toEqual({
          n: 8,
        });
      });
    });

    it('runs exclusive work once at a time: a second runner with the same key is turned away', async () => {
      await withSql(open, async (sql) => {
        let release: () => void = () => {};
        const held = new Promise<void>((r) => {
          release = r;
        });
        const first = sql.runExclusive('pass', async () => {
          await held;
          return 'first';
        });
        await new Promise((r) => setTimeout(r, 20));
        expect(await sql.runExclusive('pass', async () => 'second')).toEqual({ ran: false });
        expect(await sql.runExclusive('other', async () => 'other')).toEqual({ ran: true, result: 'other' });
        release();
        expect(await first).toEqual({ ran: true, result: 'first' });
        expect(await sql.runExclusive('pass', async () => 'third')).toEqual({ ran: true, result: 'third' });
      });
    });

    it('sees its own uncommitted writes through the database object inside a transaction', async () => {
      await withSql(open, async (sql) => {
        await sql.transaction(async () => {
          await sql.run("INSERT INTO hub_meta (key, value) VALUES ('inside', 'yes')");
          expect(await sql.get("SELECT value FROM hub_meta WHERE key = 'inside'")).toEqual({ value: 'yes' });
        });
      });
    });
  });
}
