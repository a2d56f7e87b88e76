import { describe, expect, it } from 'vitest';
import { describeStorageFault, storageFaultOf } from './storage-fault.js';

describe('storage faults', () => {
  it('tells a write lock held too long (SQLite busy or locked, PostgreSQL 55P03) from a bug', () => {
    for (const code of ['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED', '55P03'])
      expect(storageFaultOf(Object.assign(new Error('x'), { code }))).toEqual({ kind: 'busy', code });
    expect(storageFaultOf(Object.assign(new Error('x'), { code: 'SQLITE_CONSTRAINT' }))).toBeUndefined();
    const message = describeStorageFault({ kind: 'busy', code: 'SQLITE_BUSY' }, '/hub/tearline.db');
    expect(message).toContain('/hub/tearline.db');
    expect(message).toContain('write lock');
    expect(message).toContain('run the command again');
  });
});
