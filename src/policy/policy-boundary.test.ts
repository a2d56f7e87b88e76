import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The policy core must stay pure: no file, network, database or process access outside tests.
const FORBIDDEN =
  /from '(node:(fs|net|http|https|child_process|worker_threads|dgram|os)|fs|better-sqlite3|pg|fastify|\.\.\/store\/|\.\.\/cli\/|\.\.\/app\/)/;

describe('policy core boundary', () => {
  it('imports no I/O module, driver or adapter', () => {
    const dir = new URL('.', import.meta.url);
    const offenders = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .filter((f) => FORBIDDEN.test(readFileSync(new URL(f, dir), 'utf8')));
    expect(offenders).toEqual([]);
    expect(
      readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).length,
    ).toBeGreaterThan(5);
  });
});
