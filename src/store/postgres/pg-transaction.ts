import type pg from 'pg';

/**
 * Runs `work` in a transaction on a connection of its own: committed when it resolves and
 * `commits(result)` agrees (a result that is a refusal rolls back), rolled back when it throws;
 * the connection goes back to the pool either way.
 */
export async function inPgTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
  commits: (result: T) => boolean = () => true,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query(commits(result) ? 'COMMIT' : 'ROLLBACK');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
