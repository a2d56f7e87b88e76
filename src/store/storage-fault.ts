import { accessSync, constants, statfsSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Failures of the disk or database underneath a hub, told apart from bugs so that every surface
 * can say what happened and what to do: the CLI names the path and the remedy, HTTP answers 507
 * (full) or 503 with Retry-After (read-only, unavailable, busy) instead of 500. Busy: another
 * connection held the write lock past the busy timeout (a stuck process, not a full disk).
 */
export type StorageFaultKind = 'full' | 'read-only' | 'unavailable' | 'busy';

export interface StorageFault {
  kind: StorageFaultKind;
  /** The driver's or the system's code, e.g. SQLITE_FULL, ENOSPC, 53100. */
  code: string;
}

const PG_CODES: Record<string, StorageFaultKind> = {
  '53100': 'full', // disk_full
  '25006': 'read-only', // read_only_sql_transaction
  '53000': 'unavailable', // insufficient_resources
  '57P03': 'unavailable', // cannot_connect_now
  '58030': 'unavailable', // io_error
  '55P03': 'busy', // lock_not_available
};

/** The storage fault behind an error, or undefined when it is something else. */
export function storageFaultOf(err: unknown): StorageFault | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return { kind: 'full', code };
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') return { kind: 'read-only', code };
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return { kind: 'busy', code };
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN' || code === 'EIO')
    return { kind: 'unavailable', code };
  const pg = PG_CODES[code];
  return pg ? { kind: pg, code } : undefined;
}

/** Below this many free bytes a disk counts as full: SQLite cannot grow a file or make its -shm. */
const NEARLY_FULL_BYTES = 1024 * 1024;

/**
 * A fault SQLite could only call an I/O error (it cannot make the -shm of a WAL database, or open
 * the file for writing), told apart by looking at the disk under `path`: full when it has (almost)
 * no space left, read-only when its directory cannot be written. Otherwise the fault as it was.
 */
export function refineStorageFault(fault: StorageFault, path: string): StorageFault {
  if (fault.kind !== 'unavailable') return fault;
  try {
    const fs = statfsSync(dirname(path));
    if (fs.bavail * fs.bsize < NEARLY_FULL_BYTES) return { kind: 'full', code: fault.code };
  } catch {
    return fault;
  }
  return unwritableAt(path) ? { kind: 'read-only', code: fault.code } : fault;
}

/**
 * Why the database at `path` cannot be written, looking at the file and its directory (a
 * read-only mount, or permissions); undefined when both are writable. SQLite itself opens such a
 * file read-only without a word and fails only at the first write.
 */
export function unwritableAt(path: string): StorageFault | undefined {
  for (const p of [path, dirname(path)]) {
    try {
      accessSync(p, constants.W_OK);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return { kind: 'read-only', code };
    }
  }
  return undefined;
}

/** What to tell an operator: what happened at `where` (a path or a database), and the remedy. */
export function describeStorageFault(fault: StorageFault, where: string): string {
  switch (fault.kind) {
    case 'full':
      return (
        `${where}: the disk is full (${fault.code}). Nothing was half-written: the interrupted ` +
        'transaction was rolled back. Free space on that disk (or move the data dir to a larger ' +
        'one) and run the command again; commands that only read still work.'
      );
    case 'read-only':
      return (
        `${where}: cannot write, the storage is read-only (${fault.code}). Commands that only read ` +
        '(stats, export, ledger verify, list and show) still work; to change anything, make the ' +
        'data dir writable (its mount, and the permissions of the directory, tearline.db, ' +
        'tearline.db-wal and tearline.db-shm).'
      );
    case 'busy':
      return (
        `${where}: another process held the database's write lock too long (${fault.code}). ` +
        'Nothing was changed; run the command again (if it keeps happening, look for a stuck one).'
      );
    case 'unavailable':
      return (
        `${where}: the database could not be opened or read (${fault.code}). Check that its disk is ` +
        'mounted, healthy and not full, and that the hub may read and write the data dir.'
      );
  }
}

/** A database that cannot be used as it is (it needs a migration first); the message says what to do. */
export class StorageOpenError extends Error {
  override readonly name = 'StorageOpenError';
}
